#include <unistd.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <pqxx/pqxx>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <arpa/inet.h>
#include <caf/all.hpp>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "actors/protocol/atoms.hpp"
#include "actors/protocol/errors.hpp"
#include "actors/protocol/introspection.hpp"
#include "persistence/db_pool.hpp"
#include "persistence/sql_errors.hpp"
#include "tests/support/test_env.hpp"

namespace mundoctor::persistence {
namespace {

using namespace std::chrono_literals;
using mundoctor::testing::scratch_database;

constexpr auto reply_timeout = std::chrono::seconds{30};
constexpr int64_t gate_key = 4242;

struct outcome {
  std::optional<int64_t> value;
  caf::error error;
  errc code() const { return inspect_error(error).code; }
};

db_job exec_job(std::string name, std::string sql) {
  return {std::move(name), [sql](pqxx::connection_base& conn) {
            pqxx::work tx{conn};
            tx.exec(sql);
            tx.commit();
            return caf::make_message(int64_t{0});
          }};
}

db_job insert_item(int64_t id) {
  return {"items.insert", [id](pqxx::connection_base& conn) {
            pqxx::work tx{conn};
            auto row = tx.exec_params1("INSERT INTO items (id) VALUES ($1) RETURNING id", id);
            tx.commit();
            return caf::make_message(row[0].as<int64_t>());
          }};
}

// insert_item that may also join a group commit.
db_job insert_item_step(int64_t id) {
  auto job = insert_item(id);
  job.step = [id](pqxx::transaction_base& tx) {
    auto row = tx.exec_params1("INSERT INTO items (id) VALUES ($1) RETURNING id", id);
    return caf::make_message(row[0].as<int64_t>());
  };
  return job;
}

// A group that inserts all its jobs' ids with one statement; `statements` counts its calls.
std::shared_ptr<const db_group> insert_items_group(std::shared_ptr<std::atomic<int>> statements) {
  return std::make_shared<const db_group>(
      db_group{[statements](pqxx::transaction_base& tx, const std::vector<db_job>& jobs) {
        ++*statements;
        std::string ids = "{";
        for (const auto& j : jobs)
          ids += (ids.size() > 1 ? "," : "") + std::to_string(std::any_cast<int64_t>(j.item));
        ids += "}";
        tx.exec_params("INSERT INTO items (id) SELECT unnest($1::bigint[])", ids);
        std::vector<caf::message> replies;
        for (const auto& j : jobs)
          replies.push_back(caf::make_message(std::any_cast<int64_t>(j.item)));
        return replies;
      }});
}

db_job insert_item_grouped(int64_t id, std::shared_ptr<const db_group> group) {
  auto job = insert_item_step(id);
  job.group = std::move(group);
  job.item = id;
  return job;
}

db_job select_one() {
  return {"test.select_one", [](pqxx::connection_base& conn) {
            pqxx::nontransaction tx{conn};
            return caf::make_message(tx.exec1("SELECT 1")[0].as<int64_t>());
          }};
}

// Blocks until the test releases its exclusive hold on the gate advisory lock.
db_job gated_job() {
  return {"test.gated", [](pqxx::connection_base& conn) {
            pqxx::work tx{conn};
            tx.exec_params("SELECT pg_advisory_xact_lock_shared($1)", gate_key);
            tx.commit();
            return caf::make_message(int64_t{7});
          }};
}

uint16_t closed_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof(addr);
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), len);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);  // never listened on: connections are refused
  return ntohs(addr.sin_port);
}

class db_pool : public ::testing::Test {
 public:
  void SetUp() override {
    REQUIRE_DATABASE();
    db_.emplace(*mundoctor::testing::test_database_admin_url());
    cfg_.set("scheduler.max-threads", 2);
    sys_ = std::make_unique<caf::actor_system>(cfg_);
  }

  void TearDown() override {
    if (pool_) caf::anon_send_exit(pool_, caf::exit_reason::user_shutdown);
    pool_ = caf::actor{};
    sys_.reset();  // waits for the dispatcher and its workers
    db_.reset();
  }

  void start_pool(const std::string& url, std::size_t size = 2) {
    auto settings = mundoctor::testing::test_settings(url);
    settings.db_pool_size = size;
    pool_ = spawn_db_pool(*sys_, settings);
  }

  outcome run(db_job job) {
    outcome out;
    caf::scoped_actor self{*sys_};
    self->request(pool_, reply_timeout, db_run_atom::value, std::move(job))
        .receive([&](int64_t v) { out.value = v; }, [&](caf::error& e) { out.error = e; });
    return out;
  }

  db_pool_stats stats() {
    db_pool_stats out;
    caf::scoped_actor self{*sys_};
    self->request(pool_, reply_timeout, stats_atom::value)
        .receive([&](db_pool_stats& s) { out = s; },
                 [&](caf::error& e) { ADD_FAILURE() << sys_->render(e); });
    return out;
  }

  // Polls the pool's figures until `pred` holds; false if it never does.
  template <class Pred>
  bool wait_for_stats(Pred pred) {
    for (int i = 0; i < 500; ++i) {
      if (pred(stats())) return true;
      std::this_thread::sleep_for(10ms);
    }
    return false;
  }

  std::optional<scratch_database> db_;
  caf::actor_system_config cfg_;
  std::unique_ptr<caf::actor_system> sys_;
  caf::actor pool_;
};

TEST_F(db_pool, runs_jobs_and_returns_their_reply) {
  start_pool(db_->url());
  ASSERT_FALSE(run(exec_job("items.create", "CREATE TABLE items (id bigint PRIMARY KEY)")).error);
  auto inserted = run(insert_item(41));
  ASSERT_FALSE(inserted.error) << sys_->render(inserted.error);
  EXPECT_EQ(inserted.value, 41);
}

TEST_F(db_pool, ping_answers_true) {
  start_pool(db_->url());
  caf::scoped_actor self{*sys_};
  bool answered = false;
  self->request(pool_, reply_timeout, ping_atom::value)
      .receive([&](bool ok) { answered = ok; },
               [&](caf::error& e) { ADD_FAILURE() << sys_->render(e); });
  EXPECT_TRUE(answered);
}

TEST_F(db_pool, maps_a_unique_violation_to_already_exists_and_keeps_working) {
  start_pool(db_->url(), 1);
  ASSERT_FALSE(run(exec_job("items.create", "CREATE TABLE items (id bigint PRIMARY KEY)")).error);
  ASSERT_FALSE(run(insert_item(1)).error);
  auto duplicate = run(insert_item(1));
  EXPECT_EQ(duplicate.code(), errc::already_exists);
  EXPECT_FALSE(duplicate.value.has_value());
  EXPECT_EQ(run(insert_item(2)).value, 2);
}

TEST_F(db_pool, a_job_that_throws_is_internal_and_the_worker_survives) {
  start_pool(db_->url(), 1);
  auto failed = run({"test.throws", [](pqxx::connection_base&) -> caf::message {
                       throw std::runtime_error("job bug");
                     }});
  EXPECT_EQ(failed.code(), errc::internal);
  EXPECT_EQ(run(select_one()).value, 1);
}

TEST_F(db_pool, stats_count_jobs_failures_and_connections) {
  start_pool(db_->url(), 2);
  auto fresh = stats();
  EXPECT_EQ(fresh.size, 2U);
  EXPECT_EQ(fresh.idle, 2U);
  EXPECT_EQ(fresh.in_use, 0U);
  EXPECT_EQ(fresh.queued, 0U);
  EXPECT_EQ(fresh.jobs, 0U);
  EXPECT_FALSE(fresh.connected) << "connections open lazily";

  EXPECT_EQ(run(select_one()).value, 1);
  EXPECT_EQ(run(exec_job("test.bad", "SELECT * FROM no_such_table")).code(), errc::internal);
  EXPECT_EQ(run(select_one()).value, 1);

  auto after = stats();
  EXPECT_EQ(after.jobs, 3U);
  EXPECT_EQ(after.failures, 1U);
  EXPECT_EQ(after.reconnects, 0U);
  EXPECT_TRUE(after.connected);
  EXPECT_EQ(after.idle, 2U);
  EXPECT_EQ(after.batches, 0U) << "jobs sent one at a time run alone";
  EXPECT_EQ(after.batched_jobs, 0U);
  EXPECT_GT(after.exec_seconds, 0.0) << "single jobs count their worker's time too";
  EXPECT_GE(after.run_seconds, after.exec_seconds);
}

TEST_F(db_pool, stats_show_busy_workers_and_queued_jobs) {
  start_pool(db_->url(), 2);
  pqxx::connection gate{db_->url()};
  pqxx::nontransaction hold{gate};
  hold.exec_params("SELECT pg_advisory_lock($1)", gate_key);

  caf::scoped_actor a{*sys_}, b{*sys_}, c{*sys_};
  auto ra = a->request(pool_, reply_timeout, db_run_atom::value, gated_job());
  auto rb = b->request(pool_, reply_timeout, db_run_atom::value, gated_job());
  auto rc = c->request(pool_, reply_timeout, db_run_atom::value, gated_job());
  EXPECT_TRUE(wait_for_stats(
      [](const db_pool_stats& s) { return s.in_use == 2 && s.idle == 0 && s.queued == 1; }));

  hold.exec_params("SELECT pg_advisory_unlock($1)", gate_key);
  for (auto* handle : {&ra, &rb, &rc})
    handle->receive([](int64_t v) { EXPECT_EQ(v, 7); },
                    [this](caf::error& e) { ADD_FAILURE() << sys_->render(e); });
  EXPECT_TRUE(wait_for_stats([](const db_pool_stats& s) {
    return s.jobs == 3 && s.idle == 2 && s.in_use == 0 && s.queued == 0;
  }));
}

constexpr std::chrono::milliseconds queued_hold{100};

// Runs `jobs` on a one-connection pool, all queued behind a job that holds the connection, so
// they are in the queue together when it frees up. Rows of table items record the top-level
// transaction that inserted them (tx). Returns the outcomes in order.
std::vector<outcome> run_queued_together(db_pool& t, std::vector<db_job> jobs) {
  t.start_pool(t.db_->url(), 1);
  EXPECT_FALSE(t.run(exec_job("items.create",
                              "CREATE TABLE items (id bigint PRIMARY KEY,"
                              " tx bigint NOT NULL DEFAULT txid_current())"))
                   .error);
  pqxx::connection gate{t.db_->url()};
  pqxx::nontransaction hold{gate};
  hold.exec_params("SELECT pg_advisory_lock($1)", gate_key);
  caf::scoped_actor blocker{*t.sys_};
  auto busy = blocker->request(t.pool_, reply_timeout, db_run_atom::value, gated_job());
  EXPECT_TRUE(t.wait_for_stats([](const db_pool_stats& s) { return s.in_use == 1; }));
  std::vector<std::unique_ptr<caf::scoped_actor>> clients;
  std::vector<decltype(busy)> handles;
  for (auto& job : jobs) {
    clients.push_back(std::make_unique<caf::scoped_actor>(*t.sys_));
    handles.push_back((*clients.back())->request(t.pool_, reply_timeout, db_run_atom::value, job));
    auto queued = handles.size();
    EXPECT_TRUE(t.wait_for_stats([queued](const db_pool_stats& s) { return s.queued == queued; }));
  }
  std::this_thread::sleep_for(queued_hold);  // every queued job waits at least this long
  hold.exec_params("SELECT pg_advisory_unlock($1)", gate_key);
  busy.receive([](int64_t) {}, [](caf::error&) { ADD_FAILURE() << "the gated job failed"; });
  std::vector<outcome> got(handles.size());
  for (std::size_t i = 0; i < handles.size(); ++i)
    handles[i].receive([&](int64_t v) { got[i].value = v; },
                       [&](caf::error& e) { got[i].error = e; });
  return got;
}

int64_t count_of(db_pool& t, const std::string& sql) {
  pqxx::connection check{t.db_->url()};
  pqxx::nontransaction q{check};
  return q.exec1(sql)[0].as<int64_t>();
}

TEST_F(db_pool, queued_step_jobs_share_one_commit) {
  std::vector<db_job> jobs;
  for (int64_t id = 1; id <= 4; ++id) jobs.push_back(insert_item_step(id));
  auto began = std::chrono::steady_clock::now();
  auto got = run_queued_together(*this, std::move(jobs));
  auto elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - began).count();
  for (std::size_t i = 0; i < got.size(); ++i)
    EXPECT_EQ(got[i].value, static_cast<int64_t>(i) + 1) << sys_->render(got[i].error);
  EXPECT_EQ(count_of(*this, "SELECT count(*) FROM items"), 4);
  EXPECT_EQ(count_of(*this, "SELECT count(DISTINCT tx) FROM items"), 1)
      << "the four inserts were committed by one transaction";
  EXPECT_TRUE(wait_for_stats([](const db_pool_stats& s) { return s.jobs == 6 && s.idle == 1; }));
  auto st = stats();
  EXPECT_EQ(st.batches, 1U);
  EXPECT_EQ(st.batched_jobs, 4U);
  EXPECT_GE(st.wait_seconds, 4 * std::chrono::duration<double>(queued_hold).count())
      << "each of the four queued jobs waited for the gated one";
  EXPECT_LE(st.wait_seconds, 4 * elapsed) << "no queued job waited longer than the whole test";
  // The gated job ran about as long as the jobs queued behind it, and so did its worker.
  EXPECT_GE(st.exec_seconds, std::chrono::duration<double>(queued_hold).count());
}

TEST_F(db_pool, a_failing_step_makes_its_batch_run_alone_with_the_same_answers) {
  // 1, 2, 2 again (fails), a job without a step, 3.
  std::vector<db_job> jobs;
  jobs.push_back(insert_item_step(1));
  jobs.push_back(insert_item_step(2));
  jobs.push_back(insert_item_step(2));
  jobs.push_back(select_one());
  jobs.push_back(insert_item_step(3));
  auto got = run_queued_together(*this, std::move(jobs));
  EXPECT_EQ(got[0].value, 1);
  EXPECT_EQ(got[1].value, 2);
  EXPECT_EQ(got[2].code(), errc::already_exists) << "the duplicate answers as if it ran alone";
  EXPECT_EQ(got[3].value, 1);
  EXPECT_EQ(got[4].value, 3);
  EXPECT_EQ(count_of(*this, "SELECT count(*) FROM items"), 3);
  EXPECT_EQ(count_of(*this, "SELECT count(DISTINCT tx) FROM items"), 3)
      << "a failing step sends every job of its batch to run alone";
  EXPECT_TRUE(wait_for_stats([](const db_pool_stats& s) {
    return s.jobs == 7 && s.failures == 1 && s.queued == 0 && s.idle == 1;
  }));
}

TEST_F(db_pool, a_batch_of_one_group_is_one_statement_and_one_commit) {
  auto statements = std::make_shared<std::atomic<int>>(0);
  auto group = insert_items_group(statements);
  std::vector<db_job> jobs;
  for (int64_t id = 1; id <= 4; ++id) jobs.push_back(insert_item_grouped(id, group));
  auto got = run_queued_together(*this, std::move(jobs));
  for (std::size_t i = 0; i < got.size(); ++i)
    EXPECT_EQ(got[i].value, static_cast<int64_t>(i) + 1) << sys_->render(got[i].error);
  EXPECT_EQ(statements->load(), 1) << "the group ran once for the four jobs";
  EXPECT_EQ(count_of(*this, "SELECT count(*) FROM items"), 4);
  EXPECT_EQ(count_of(*this, "SELECT count(DISTINCT tx) FROM items"), 1);
}

TEST_F(db_pool, a_failing_group_statement_makes_its_jobs_run_alone_with_the_same_answers) {
  auto statements = std::make_shared<std::atomic<int>>(0);
  auto group = insert_items_group(statements);
  std::vector<db_job> jobs;
  jobs.push_back(insert_item_grouped(1, group));
  jobs.push_back(insert_item_grouped(2, group));
  jobs.push_back(insert_item_grouped(2, group));
  auto got = run_queued_together(*this, std::move(jobs));
  EXPECT_EQ(got[0].value, 1);
  EXPECT_EQ(got[1].value, 2);
  EXPECT_EQ(got[2].code(), errc::already_exists) << "the duplicate answers as if it ran alone";
  EXPECT_EQ(statements->load(), 1);
  EXPECT_EQ(count_of(*this, "SELECT count(*) FROM items"), 2);
  EXPECT_EQ(count_of(*this, "SELECT count(DISTINCT tx) FROM items"), 2)
      << "nothing of the failed statement stayed; each job committed alone";
}

TEST_F(db_pool, a_group_failing_after_its_statement_ran_is_outcome_unknown_and_not_run_again) {
  // The statement commits (autocommit), then reading its answer fails.
  auto group = std::make_shared<const db_group>(
      db_group{[](pqxx::transaction_base& tx, const std::vector<db_job>& jobs) {
        for (const auto& j : jobs)
          tx.exec_params("INSERT INTO items (id) VALUES ($1)", std::any_cast<int64_t>(j.item));
        throw std::runtime_error{"the answer could not be read"};
        return std::vector<caf::message>{};
      }});
  std::vector<db_job> jobs;
  jobs.push_back(insert_item_grouped(1, group));
  jobs.push_back(insert_item_grouped(2, group));
  auto got = run_queued_together(*this, std::move(jobs));
  for (const auto& o : got) {
    EXPECT_EQ(o.code(), errc::storage_unavailable) << sys_->render(o.error);
    EXPECT_EQ(inspect_error(o.error).machine_code, persistence::outcome_unknown_code);
  }
  EXPECT_EQ(count_of(*this, "SELECT count(*) FROM items"), 2)
      << "the rows stay, and no job ran a second time (that would answer ALREADY_EXISTS)";
}

TEST_F(db_pool, a_batch_mixing_a_group_with_other_steps_runs_every_step) {
  auto statements = std::make_shared<std::atomic<int>>(0);
  std::vector<db_job> jobs;
  jobs.push_back(insert_item_grouped(1, insert_items_group(statements)));
  jobs.push_back(insert_item_step(2));
  jobs.push_back(insert_item_grouped(3, insert_items_group(statements)));
  auto got = run_queued_together(*this, std::move(jobs));
  for (std::size_t i = 0; i < got.size(); ++i)
    EXPECT_EQ(got[i].value, static_cast<int64_t>(i) + 1) << sys_->render(got[i].error);
  EXPECT_EQ(statements->load(), 0) << "jobs of different groups run their own steps";
  EXPECT_EQ(count_of(*this, "SELECT count(DISTINCT tx) FROM items"), 1);
}

TEST_F(db_pool, jobs_queued_when_the_pool_stops_get_an_error) {
  start_pool(db_->url(), 1);
  pqxx::connection gate{db_->url()};
  pqxx::nontransaction hold{gate};
  hold.exec_params("SELECT pg_advisory_lock($1)", gate_key);

  caf::scoped_actor a{*sys_}, b{*sys_};
  auto running = a->request(pool_, reply_timeout, db_run_atom::value, gated_job());
  auto queued = b->request(pool_, reply_timeout, db_run_atom::value, gated_job());
  ASSERT_TRUE(wait_for_stats([](const db_pool_stats& s) { return s.queued == 1; }));

  caf::anon_send_exit(pool_, caf::exit_reason::user_shutdown);
  std::optional<errc> queued_code;
  queued.receive([](int64_t) {}, [&](caf::error& e) { queued_code = inspect_error(e).code; });
  EXPECT_EQ(queued_code, errc::storage_unavailable);

  hold.exec_params("SELECT pg_advisory_unlock($1)", gate_key);
  std::optional<int64_t> running_value;
  running.receive([&](int64_t v) { running_value = v; }, [](caf::error&) {});
  EXPECT_EQ(running_value, 7) << "the job in flight finishes";
  pool_ = caf::actor{};
}

TEST_F(db_pool, fails_with_storage_unavailable_when_nothing_listens) {
  start_pool("postgresql://postgres@127.0.0.1:" + std::to_string(closed_port()) + "/postgres", 1);
  EXPECT_EQ(run(select_one()).code(), errc::storage_unavailable);
  EXPECT_EQ(run(select_one()).code(), errc::storage_unavailable) << "the worker stays alive";
  caf::scoped_actor self{*sys_};
  std::optional<errc> ping_code;
  self->request(pool_, reply_timeout, ping_atom::value)
      .receive([](bool) {}, [&](caf::error& e) { ping_code = inspect_error(e).code; });
  EXPECT_EQ(ping_code, errc::storage_unavailable);
  auto s = stats();
  EXPECT_EQ(s.failures, 3U);
  EXPECT_FALSE(s.connected);
}

TEST_F(db_pool, fails_with_storage_unavailable_for_a_keyword_conninfo_too) {
  start_pool("host=127.0.0.1 port=" + std::to_string(closed_port()) + " dbname=postgres", 1);
  EXPECT_EQ(run(select_one()).code(), errc::storage_unavailable);
}

TEST_F(db_pool, survives_a_postgres_restart) {
  REQUIRE_PG_RESTART();
  start_pool(db_->url(), 2);
  // Open both workers' connections by keeping both busy at once.
  {
    caf::scoped_actor a{*sys_}, b{*sys_};
    auto ra = a->request(pool_, reply_timeout, db_run_atom::value, select_one());
    auto rb = b->request(pool_, reply_timeout, db_run_atom::value, select_one());
    ra.receive([](int64_t) {}, [this](caf::error& e) { ADD_FAILURE() << sys_->render(e); });
    rb.receive([](int64_t) {}, [this](caf::error& e) { ADD_FAILURE() << sys_->render(e); });
  }
  ASSERT_TRUE(mundoctor::testing::restart_test_postgres());

  bool recovered = false;
  for (int attempt = 0; attempt < 10 && !recovered; ++attempt) {
    auto result = run(select_one());
    recovered = result.value == 1;
    if (!recovered) {
      EXPECT_EQ(result.code(), errc::storage_unavailable);
      std::this_thread::sleep_for(300ms);
    }
  }
  ASSERT_TRUE(recovered);
  for (int i = 0; i < 4; ++i) EXPECT_EQ(run(select_one()).value, 1);
  auto s = stats();
  EXPECT_GE(s.reconnects, 1U);
  EXPECT_TRUE(s.connected);
}

}  // namespace
}  // namespace mundoctor::persistence
