#pragma once

// Request counters and latency histograms, rendered in Prometheus text format together with the
// figures the actors report (pool, registries, supervisors).

#include <array>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <tuple>
#include <vector>

#include "actors/protocol/introspection.hpp"

namespace mundoctor::http {

struct admission_stats;

class http_metrics {
 public:
  static constexpr std::array<double, 12> buckets{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                  0.1,   0.25,   0.5,   1.0,  2.5,   5.0};

  void record(const std::string& method, const std::string& route, unsigned status, double seconds);
  void connection_opened();
  void connection_closed();

  /// Prometheus text of the HTTP figures.
  std::string render() const;

  uint64_t requests_total() const;

 private:
  struct histogram {
    std::array<uint64_t, buckets.size()> counts{};
    uint64_t count = 0;
    double sum = 0;
  };
  mutable std::mutex mutex_;
  std::map<std::tuple<std::string, std::string, unsigned>, uint64_t> requests_;
  std::map<std::string, histogram> latency_;  // by route
  int64_t open_connections_ = 0;
  uint64_t connections_total_ = 0;
};

/// Prometheus text for actor-side figures.
std::string render_db_pool(const db_pool_stats& s);
/// The directory read pool: mundoctor_db_read_pool_{connections,size,queued,jobs_total,
/// job_failures_total}.
std::string render_db_read_pool(const db_pool_stats& s);
/// The audit trail's pool: the same figures under mundoctor_db_log_pool_.
std::string render_db_log_pool(const db_pool_stats& s);
/// The calendar admission gate (http/admission.hpp): mundoctor_calendar_admission{state} and
/// its counters.
std::string render_admission(const admission_stats& s);
std::string render_registries(const std::vector<registry_stats>& all);
std::string render_supervisors(const std::vector<supervisor_stats>& all);

/// Escapes a label value (backslash, quote, newline).
std::string escape_label(const std::string& value);

}  // namespace mundoctor::http
