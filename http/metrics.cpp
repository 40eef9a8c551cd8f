#include "http/metrics.hpp"

#include <limits>
#include <sstream>
#include <type_traits>

#include "http/admission.hpp"

namespace mundoctor::http {

std::string escape_label(const std::string& value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    if (c == '\\' || c == '"') out.push_back('\\');
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out.push_back(c);
  }
  return out;
}

void http_metrics::record(const std::string& method, const std::string& route, unsigned status,
                          double seconds) {
  std::lock_guard<std::mutex> guard{mutex_};
  ++requests_[{method, route, status}];
  auto& h = latency_[route];
  for (std::size_t i = 0; i < buckets.size(); ++i)
    if (seconds <= buckets[i]) ++h.counts[i];
  ++h.count;
  h.sum += seconds;
}

void http_metrics::connection_opened() {
  std::lock_guard<std::mutex> guard{mutex_};
  ++open_connections_;
  ++connections_total_;
}

void http_metrics::connection_closed() {
  std::lock_guard<std::mutex> guard{mutex_};
  --open_connections_;
}

uint64_t http_metrics::requests_total() const {
  std::lock_guard<std::mutex> guard{mutex_};
  uint64_t total = 0;
  for (const auto& kv : requests_) total += kv.second;
  return total;
}

std::string http_metrics::render() const {
  std::lock_guard<std::mutex> guard{mutex_};
  std::ostringstream out;
  out << "# HELP mundoctor_http_requests_total HTTP requests by method, route and status.\n"
      << "# TYPE mundoctor_http_requests_total counter\n";
  for (const auto& [key, n] : requests_) {
    const auto& [method, route, status] = key;
    out << "mundoctor_http_requests_total{method=\"" << method << "\",route=\""
        << escape_label(route) << "\",status=\"" << status << "\"} " << n << '\n';
  }
  out << "# HELP mundoctor_http_request_duration_seconds Request latency by route.\n"
      << "# TYPE mundoctor_http_request_duration_seconds histogram\n";
  for (const auto& [route, h] : latency_) {
    auto label = escape_label(route);
    for (std::size_t i = 0; i < buckets.size(); ++i)
      out << "mundoctor_http_request_duration_seconds_bucket{route=\"" << label << "\",le=\""
          << buckets[i] << "\"} " << h.counts[i] << '\n';
    out << "mundoctor_http_request_duration_seconds_bucket{route=\"" << label << "\",le=\"+Inf\"} "
        << h.count << '\n'
        << "mundoctor_http_request_duration_seconds_sum{route=\"" << label << "\"} " << h.sum
        << '\n'
        << "mundoctor_http_request_duration_seconds_count{route=\"" << label << "\"} " << h.count
        << '\n';
  }
  out << "# HELP mundoctor_http_connections_open Open client connections.\n"
      << "# TYPE mundoctor_http_connections_open gauge\n"
      << "mundoctor_http_connections_open " << open_connections_ << '\n'
      << "# TYPE mundoctor_http_connections_total counter\n"
      << "mundoctor_http_connections_total " << connections_total_ << '\n';
  return out.str();
}

namespace {

// The gauges every pool has: <prefix>_connections{state}, <prefix>_size, <prefix>_queued.
void render_pool_gauges(std::ostream& out, const db_pool_stats& s, const std::string& prefix,
                        const char* help) {
  out << "# HELP " << prefix << "_connections " << help << "\n"
      << "# TYPE " << prefix << "_connections gauge\n"
      << prefix << "_connections{state=\"in_use\"} " << s.in_use << '\n'
      << prefix << "_connections{state=\"idle\"} " << s.idle << '\n'
      << "# TYPE " << prefix << "_size gauge\n"
      << prefix << "_size " << s.size << '\n'
      << "# TYPE " << prefix << "_queued gauge\n"
      << prefix << "_queued " << s.queued << '\n';
}

// A counter sample; a fractional value keeps full precision (the stream's own is restored).
template <class Value>
void render_counter(std::ostream& out, const std::string& name, Value value,
                    const char* help = nullptr) {
  if (help) out << "# HELP " << name << ' ' << help << '\n';
  out << "# TYPE " << name << " counter\n" << name << ' ';
  if constexpr (std::is_floating_point_v<Value>) {
    auto kept = out.precision(std::numeric_limits<Value>::max_digits10);
    out << value;
    out.precision(kept);
  } else {
    out << value;
  }
  out << '\n';
}

// Seconds summed over finished jobs (<prefix>_jobs_total counts them), so that divided by the
// job count they give means. A job run in a batch counts the whole batch's time.
void render_job_times(std::ostream& out, const std::string& prefix, const db_pool_stats& s) {
  render_counter(out, prefix + "_job_wait_seconds_total", s.wait_seconds,
                 "Time finished jobs waited in the queue for a connection.");
  render_counter(out, prefix + "_job_run_seconds_total", s.run_seconds,
                 "Time from a job being handed to a connection until the pool read that it was "
                 "done.");
  render_counter(out, prefix + "_job_exec_seconds_total", s.exec_seconds,
                 "Time the connections' threads spent on the finished jobs (a batch counts per "
                 "job).");
}

// A pool beside the main one: its gauges, job counters and times under `prefix`.
std::string render_side_pool(const db_pool_stats& s, const std::string& prefix, const char* help) {
  std::ostringstream out;
  render_pool_gauges(out, s, prefix, help);
  render_counter(out, prefix + "_jobs_total", s.jobs);
  render_counter(out, prefix + "_job_failures_total", s.failures);
  render_job_times(out, prefix, s);
  return out.str();
}

}  // namespace

std::string render_db_pool(const db_pool_stats& s) {
  std::ostringstream out;
  render_pool_gauges(out, s, "mundoctor_db_pool", "Pool connections by state.");
  render_counter(out, "mundoctor_db_jobs_total", s.jobs);
  render_counter(out, "mundoctor_db_job_failures_total", s.failures);
  render_counter(out, "mundoctor_db_reconnects_total", s.reconnects);
  render_counter(out, "mundoctor_db_batches_total", s.batches);
  render_counter(out, "mundoctor_db_batched_jobs_total", s.batched_jobs);
  render_job_times(out, "mundoctor_db", s);
  out << "# TYPE mundoctor_db_connected gauge\nmundoctor_db_connected " << (s.connected ? 1 : 0)
      << '\n';
  return out.str();
}

std::string render_db_read_pool(const db_pool_stats& s) {
  return render_side_pool(s, "mundoctor_db_read_pool", "Directory read pool connections by state.");
}

std::string render_db_log_pool(const db_pool_stats& s) {
  return render_side_pool(s, "mundoctor_db_log_pool", "Audit trail pool connections by state.");
}

std::string render_admission(const admission_stats& s) {
  std::ostringstream out;
  out << "# HELP mundoctor_calendar_admission Calendar requests by admission state (limit: "
         "places; active: holding one; waiting: in line for one).\n"
      << "# TYPE mundoctor_calendar_admission gauge\n"
      << "mundoctor_calendar_admission{state=\"limit\"} " << s.limit << '\n'
      << "mundoctor_calendar_admission{state=\"active\"} " << s.active << '\n'
      << "mundoctor_calendar_admission{state=\"waiting\"} " << s.waiting << '\n';
  render_counter(out, "mundoctor_calendar_admitted_total", s.admitted,
                 "Calendar requests started, at once or after waiting.");
  render_counter(out, "mundoctor_calendar_queued_total", s.queued,
                 "Calendar requests that had to wait for a place.");
  render_counter(out, "mundoctor_calendar_shed_total", s.shed,
                 "Calendar requests answered 503 after waiting longer than the request timeout.");
  render_counter(out, "mundoctor_calendar_admission_wait_seconds_total", s.wait_seconds,
                 "Time calendar requests waited for a place.");
  return out.str();
}

std::string render_registries(const std::vector<registry_stats>& all) {
  std::ostringstream out;
  out << "# HELP mundoctor_actors Live keyed actors by kind.\n# TYPE mundoctor_actors gauge\n";
  for (const auto& r : all)
    out << "mundoctor_actors{kind=\"" << escape_label(r.kind) << "\"} " << r.active << '\n';
  out << "# HELP mundoctor_actor_mailbox_depth Messages waiting in keyed actors' mailboxes.\n"
      << "# TYPE mundoctor_actor_mailbox_depth gauge\n";
  for (const auto& r : all)
    out << "mundoctor_actor_mailbox_depth{kind=\"" << escape_label(r.kind) << "\"} "
        << r.mailbox_total << '\n';
  out << "# TYPE mundoctor_actor_spawns_total counter\n";
  for (const auto& r : all)
    out << "mundoctor_actor_spawns_total{kind=\"" << escape_label(r.kind) << "\"} " << r.spawned
        << '\n';
  out << "# TYPE mundoctor_actor_passivations_total counter\n";
  for (const auto& r : all)
    out << "mundoctor_actor_passivations_total{kind=\"" << escape_label(r.kind) << "\"} "
        << r.passivated << '\n';
  out << "# HELP mundoctor_actor_crashes_total Keyed actors that exited with an error.\n"
      << "# TYPE mundoctor_actor_crashes_total counter\n";
  for (const auto& r : all)
    out << "mundoctor_actor_crashes_total{kind=\"" << escape_label(r.kind) << "\"} " << r.crashes
        << '\n';
  return out.str();
}

std::string render_supervisors(const std::vector<supervisor_stats>& all) {
  std::ostringstream out;
  out << "# HELP mundoctor_supervisor_restarts_total Restarts of supervised children.\n"
      << "# TYPE mundoctor_supervisor_restarts_total counter\n";
  for (const auto& s : all)
    for (const auto& c : s.children)
      out << "mundoctor_supervisor_restarts_total{supervisor=\"" << escape_label(s.name)
          << "\",child=\"" << escape_label(c.name) << "\"} " << c.restarts << '\n';
  out << "# TYPE mundoctor_supervisor_child_up gauge\n";
  for (const auto& s : all)
    for (const auto& c : s.children)
      out << "mundoctor_supervisor_child_up{supervisor=\"" << escape_label(s.name) << "\",child=\""
          << escape_label(c.name) << "\"} " << (c.running ? 1 : 0) << '\n';
  return out.str();
}

}  // namespace mundoctor::http
