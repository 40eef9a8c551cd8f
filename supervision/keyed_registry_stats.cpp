#include <algorithm>
#include <memory>
#include <utility>

#include <caf/typed_response_promise.hpp>

#include "actors/protocol/atoms.hpp"
#include "supervision/keyed_registry_state.hpp"

namespace mundoctor::supervision {
namespace {

/// One stats request in flight: the counters taken when it arrived, plus one entry per asked
/// child that is filled in as the children answer.
struct stats_round {
  caf::typed_response_promise<registry_stats> promise;
  registry_stats stats;
  std::vector<keyed_child_info> infos;
  size_t pending = 0;
};

registry_stats finish(registry_stats stats, std::vector<keyed_child_info> infos) {
  for (const auto& info : infos) stats.mailbox_total += info.mailbox;
  auto by_mailbox = [](const keyed_child_info& a, const keyed_child_info& b) {
    return a.mailbox != b.mailbox ? a.mailbox > b.mailbox : a.key < b.key;
  };
  auto top = std::min(infos.size(), max_busiest);
  std::partial_sort(infos.begin(), infos.begin() + static_cast<std::ptrdiff_t>(top), infos.end(),
                    by_mailbox);
  infos.resize(top);
  stats.busiest = std::move(infos);
  return stats;
}

void answer_one(stats_round& round) {
  if (--round.pending == 0)
    round.promise.deliver(finish(std::move(round.stats), std::move(round.infos)));
}

}  // namespace

caf::result<registry_stats> collect_registry_stats(registry_actor* self) {
  const auto& st = self->state;
  auto round = std::make_shared<stats_round>();
  auto& stats = round->stats;
  stats.kind = st.options.kind;
  stats.active = st.children.size();
  stats.spawned = st.spawned;
  stats.passivated = st.passivated;
  stats.crashes = st.crashes;
  stats.recent_crashes.assign(st.recent_crashes.begin(), st.recent_crashes.end());
  std::vector<caf::actor> asked;
  auto now = self->clock().now();
  for (const auto& [key, child] : st.children) {
    if (asked.size() == max_stats_fanout) break;
    keyed_child_info info;
    info.key = key;
    info.idle_ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(now - child.last_activity).count();
    info.routed = child.routed;
    round->infos.push_back(std::move(info));
    asked.push_back(child.handle);
  }
  if (asked.empty()) return finish(std::move(round->stats), {});
  round->pending = asked.size();
  round->promise = self->make_response_promise<registry_stats>();
  for (size_t i = 0; i < asked.size(); ++i) {
    self->request(asked[i], stats_child_timeout, stats_atom::value)
        .then(
            [round, i](uint64_t mailbox) {
              round->infos[i].mailbox = mailbox;
              answer_one(*round);
            },
            [round](caf::error&) { answer_one(*round); });
  }
  return round->promise;
}

}  // namespace mundoctor::supervision
