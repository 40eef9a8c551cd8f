#include "http/metrics.hpp"

#include <limits>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "http/admission.hpp"

namespace mundoctor::http {
namespace {

struct sample {
  std::string name;
  std::map<std::string, std::string> labels;
  double value = 0;
};

// A small reader of the Prometheus text format: comment lines are skipped; every other line must
// be `name{label="value",...} number`.
std::vector<sample> parse_samples(const std::string& text) {
  static const std::regex line_re{R"(^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+)$)"};
  static const std::regex label_re{R"re(([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)")re"};
  std::vector<sample> out;
  std::istringstream in{text};
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::smatch m;
    if (!std::regex_match(line, m, line_re)) {
      ADD_FAILURE() << "not a Prometheus sample line: " << line;
      continue;
    }
    sample s;
    s.name = m[1];
    auto labels = m[3].str();
    for (std::sregex_iterator it{labels.begin(), labels.end(), label_re}, end; it != end; ++it)
      s.labels[(*it)[1]] = (*it)[2];
    auto v = m[4].str();
    s.value = v == "+Inf" ? std::numeric_limits<double>::infinity() : std::stod(v);
    out.push_back(std::move(s));
  }
  return out;
}

double le_value(const std::string& le) {
  return le == "+Inf" ? std::numeric_limits<double>::infinity() : std::stod(le);
}

struct histogram_view {
  std::vector<std::pair<double, double>> buckets;  // (le, count) in the order rendered
  double count = -1;
  double sum = -1;
};

histogram_view histogram_for(const std::vector<sample>& all, const std::string& route) {
  histogram_view h;
  for (const auto& s : all) {
    auto it = s.labels.find("route");
    if (it == s.labels.end() || it->second != route) continue;
    if (s.name == "mundoctor_http_request_duration_seconds_bucket")
      h.buckets.emplace_back(le_value(s.labels.at("le")), s.value);
    else if (s.name == "mundoctor_http_request_duration_seconds_count")
      h.count = s.value;
    else if (s.name == "mundoctor_http_request_duration_seconds_sum")
      h.sum = s.value;
  }
  return h;
}

double counter(const std::vector<sample>& all, const std::string& method, const std::string& route,
               const std::string& status) {
  for (const auto& s : all)
    if (s.name == "mundoctor_http_requests_total" && s.labels.at("method") == method &&
        s.labels.at("route") == route && s.labels.at("status") == status)
      return s.value;
  return -1;
}

TEST(http_metrics, counts_requests_by_method_route_and_status) {
  http_metrics m;
  m.record("GET", "/api/items/:id", 200, 0.002);
  m.record("GET", "/api/items/:id", 200, 0.004);
  m.record("GET", "/api/items/:id", 404, 0.001);
  m.record("POST", "/api/items", 201, 0.02);
  auto all = parse_samples(m.render());
  EXPECT_EQ(counter(all, "GET", "/api/items/:id", "200"), 2);
  EXPECT_EQ(counter(all, "GET", "/api/items/:id", "404"), 1);
  EXPECT_EQ(counter(all, "POST", "/api/items", "201"), 1);
  EXPECT_EQ(m.requests_total(), 4u);
}

TEST(http_metrics, histogram_buckets_are_cumulative_and_inf_equals_count) {
  http_metrics m;
  for (double seconds : {0.0005, 0.003, 0.003, 0.2, 7.0}) m.record("GET", "/a", 200, seconds);
  auto h = histogram_for(parse_samples(m.render()), "/a");
  ASSERT_EQ(h.buckets.size(), http_metrics::buckets.size() + 1);
  for (std::size_t i = 1; i < h.buckets.size(); ++i) {
    EXPECT_LT(h.buckets[i - 1].first, h.buckets[i].first) << "le must increase";
    EXPECT_LE(h.buckets[i - 1].second, h.buckets[i].second) << "counts must be cumulative";
  }
  EXPECT_EQ(h.buckets.back().first, std::numeric_limits<double>::infinity());
  EXPECT_EQ(h.buckets.back().second, 5);
  EXPECT_EQ(h.count, 5);
  EXPECT_NEAR(h.sum, 7.2065, 1e-9);
  // Each bucket counts the observations <= its bound.
  std::map<double, double> expected{{0.001, 1}, {0.0025, 1}, {0.005, 3}, {0.01, 3},
                                    {0.025, 3}, {0.05, 3},   {0.1, 3},   {0.25, 4},
                                    {0.5, 4},   {1.0, 4},    {2.5, 4},   {5.0, 4}};
  for (const auto& [le, count] : h.buckets)
    if (expected.count(le)) {
      EXPECT_EQ(count, expected[le]) << "le=" << le;
    }
}

TEST(http_metrics, an_observation_on_a_bound_falls_in_that_bucket) {
  http_metrics m;
  m.record("GET", "/b", 200, 0.25);
  auto h = histogram_for(parse_samples(m.render()), "/b");
  for (const auto& [le, count] : h.buckets) EXPECT_EQ(count, le >= 0.25 ? 1 : 0) << "le=" << le;
}

TEST(http_metrics, histograms_are_kept_per_route) {
  http_metrics m;
  m.record("GET", "/one", 200, 0.001);
  m.record("POST", "/two", 500, 3.0);
  auto all = parse_samples(m.render());
  EXPECT_EQ(histogram_for(all, "/one").count, 1);
  EXPECT_EQ(histogram_for(all, "/two").count, 1);
  EXPECT_EQ(histogram_for(all, "/two").buckets.front().second, 0);
}

TEST(http_metrics, declares_each_family_once_with_its_type) {
  http_metrics m;
  m.record("GET", "/one", 200, 0.001);
  m.record("GET", "/two", 200, 0.001);
  auto text = m.render();
  auto occurrences = [&text](const std::string& needle) {
    std::size_t n = 0;
    for (auto pos = text.find(needle); pos != std::string::npos; pos = text.find(needle, pos + 1))
      ++n;
    return n;
  };
  EXPECT_EQ(occurrences("# TYPE mundoctor_http_requests_total counter\n"), 1u);
  EXPECT_EQ(occurrences("# TYPE mundoctor_http_request_duration_seconds histogram\n"), 1u);
  EXPECT_EQ(occurrences("# TYPE mundoctor_http_connections_open gauge\n"), 1u);
}

TEST(http_metrics, tracks_open_and_total_connections) {
  http_metrics m;
  m.connection_opened();
  m.connection_opened();
  m.connection_closed();
  std::map<std::string, double> values;
  for (const auto& s : parse_samples(m.render())) values[s.name] = s.value;
  EXPECT_EQ(values["mundoctor_http_connections_open"], 1);
  EXPECT_EQ(values["mundoctor_http_connections_total"], 2);
}

TEST(http_metrics, label_values_are_escaped) {
  EXPECT_EQ(escape_label("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
  http_metrics m;
  m.record("GET", "/odd\"route", 200, 0.001);
  auto all = parse_samples(m.render());
  EXPECT_EQ(counter(all, "GET", "/odd\\\"route", "200"), 1);
}

TEST(actor_metrics, render_as_valid_samples) {
  db_pool_stats pool;
  pool.size = 4;
  pool.in_use = 1;
  pool.idle = 3;
  pool.connected = true;
  pool.batches = 2;
  pool.batched_jobs = 9;
  pool.wait_seconds = 0.25;
  pool.run_seconds = 1.5;
  pool.exec_seconds = 1.25;
  pool.jobs = 12;
  registry_stats reg;
  reg.kind = "probe";
  reg.active = 2;
  reg.mailbox_total = 5;
  supervisor_stats sup;
  sup.name = "root";
  sup.children.push_back({"db_pool", true, 3, ""});
  admission_stats gate;
  gate.limit = 32;
  gate.active = 7;
  gate.waiting = 3;
  gate.admitted = 100;
  gate.queued = 40;
  gate.shed = 2;
  gate.wait_seconds = 0.5;
  auto all =
      parse_samples(render_db_pool(pool) + render_db_read_pool(pool) + render_db_log_pool(pool) +
                    render_registries({reg}) + render_supervisors({sup}) + render_admission(gate));
  std::map<std::string, double> by_key;
  for (const auto& s : all) {
    std::string key = s.name;
    for (const auto& [k, v] : s.labels) key += "," + k + "=" + v;
    by_key[key] = s.value;
  }
  EXPECT_EQ(by_key["mundoctor_db_pool_connections,state=in_use"], 1);
  EXPECT_EQ(by_key["mundoctor_db_pool_size"], 4);
  EXPECT_EQ(by_key["mundoctor_db_connected"], 1);
  EXPECT_EQ(by_key["mundoctor_db_batches_total"], 2);
  EXPECT_EQ(by_key["mundoctor_db_batched_jobs_total"], 9);
  EXPECT_EQ(by_key["mundoctor_db_job_wait_seconds_total"], 0.25);
  EXPECT_EQ(by_key["mundoctor_db_job_run_seconds_total"], 1.5);
  EXPECT_EQ(by_key["mundoctor_db_job_exec_seconds_total"], 1.25);
  EXPECT_EQ(by_key["mundoctor_db_read_pool_job_wait_seconds_total"], 0.25);
  EXPECT_EQ(by_key["mundoctor_db_read_pool_job_run_seconds_total"], 1.5);
  EXPECT_EQ(by_key["mundoctor_db_read_pool_job_exec_seconds_total"], 1.25);
  EXPECT_EQ(by_key["mundoctor_db_read_pool_size"], 4);
  EXPECT_EQ(by_key["mundoctor_db_read_pool_connections,state=idle"], 3);
  EXPECT_EQ(by_key["mundoctor_db_log_pool_jobs_total"], 12);
  EXPECT_EQ(by_key["mundoctor_db_log_pool_job_exec_seconds_total"], 1.25);
  EXPECT_EQ(by_key["mundoctor_db_log_pool_connections,state=in_use"], 1);
  EXPECT_EQ(by_key["mundoctor_actors,kind=probe"], 2);
  EXPECT_EQ(by_key["mundoctor_actor_mailbox_depth,kind=probe"], 5);
  EXPECT_EQ(by_key["mundoctor_supervisor_restarts_total,child=db_pool,supervisor=root"], 3);
  EXPECT_EQ(by_key["mundoctor_supervisor_child_up,child=db_pool,supervisor=root"], 1);
  EXPECT_EQ(by_key["mundoctor_calendar_admission,state=limit"], 32);
  EXPECT_EQ(by_key["mundoctor_calendar_admission,state=active"], 7);
  EXPECT_EQ(by_key["mundoctor_calendar_admission,state=waiting"], 3);
  EXPECT_EQ(by_key["mundoctor_calendar_admitted_total"], 100);
  EXPECT_EQ(by_key["mundoctor_calendar_queued_total"], 40);
  EXPECT_EQ(by_key["mundoctor_calendar_shed_total"], 2);
  EXPECT_EQ(by_key["mundoctor_calendar_admission_wait_seconds_total"], 0.5);
}

TEST(actor_metrics, pool_seconds_keep_full_precision) {
  db_pool_stats pool;
  pool.wait_seconds = 86'400.123456789;  // a day of waits: six digits would drop the fraction
  std::map<std::string, double> values;
  for (const auto& s : parse_samples(render_db_pool(pool))) values[s.name] = s.value;
  EXPECT_EQ(values["mundoctor_db_job_wait_seconds_total"], 86'400.123456789);
}

}  // namespace
}  // namespace mundoctor::http
