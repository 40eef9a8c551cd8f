#include "actors/calendar/professional_directory.hpp"

#include <memory>
#include <optional>

#include <caf/all.hpp>

#include "actors/db_call.hpp"
#include "actors/protocol/calendar_messages.hpp"
#include "persistence/calendar/calendar_repository.hpp"

namespace mundoctor::actors {

caf::behavior professional_directory(caf::event_based_actor* self, const config::settings* settings,
                                     std::shared_ptr<professional_ids> ids) {
  auto cache =
      ids ? std::move(ids) : std::make_shared<professional_ids>(max_cached_professional_ids);
  auto timeout = std::chrono::milliseconds{settings->request_timeout_ms};
  return {
      [self, cache, timeout](resolve_pro_atom, const std::string& id) -> caf::result<std::string> {
        if (auto hit = cache->find(id)) return *hit;
        if (id.empty() || id.size() > 128)
          return make_error(errc::not_found, "Professional not found");
        auto rp = self->make_response_promise<std::string>();
        run_job<std::string>(
            self, timeout,
            make_job("professionals.resolve",
                     [id](pqxx::connection_base& conn) {
                       auto uuid = persistence::resolve_professional_id(conn, id);
                       if (!uuid)
                         throw persistence::domain_error(errc::not_found, "Professional not found");
                       return caf::make_message(*uuid);
                     }),
            [cache, rp, id](std::string& uuid) mutable {
              cache->put(id, uuid);
              cache->put(uuid, uuid);
              rp.deliver(uuid);
            },
            [rp](caf::error& err) mutable { rp.deliver(std::move(err)); });
        return rp;
      },
  };
}

}  // namespace mundoctor::actors
