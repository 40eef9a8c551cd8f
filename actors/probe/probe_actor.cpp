#include "actors/probe/probe_actor.hpp"

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <utility>

#include <caf/event_based_actor.hpp>
#include <nlohmann/json.hpp>

#include "actors/lifecycle.hpp"

namespace mundoctor::actors {

caf::behavior probe(caf::event_based_actor* self, std::string key) {
  auto value = std::make_shared<int64_t>(0);
  caf::behavior domain{
      [value](bump_atom) { return ++*value; },
      [value](bump_atom, int64_t amount) { return *value += amount; },
      [value](get_atom) { return *value; },
      [key](crash_atom) -> int64_t { throw std::runtime_error("probe " + key + " crashed"); },
  };
  auto summary = [key, value] { return nlohmann::json{{"key", key}, {"value", *value}}.dump(); };
  return with_lifecycle(self, std::move(domain), std::move(summary));
}

}  // namespace mundoctor::actors
