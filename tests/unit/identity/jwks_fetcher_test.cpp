#include <filesystem>
#include <fstream>
#include <random>
#include <stdexcept>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/send.hpp>
#include <gtest/gtest.h>

#include "actors/identity/jwks.hpp"
#include "tests/unit/identity/test_keys.hpp"

namespace mundoctor::actors::identity {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

class temp_dir {
 public:
  temp_dir() {
    std::random_device rd;
    path_ = fs::temp_directory_path() / ("mundoctor-jwks-" + std::to_string(rd()));
    fs::create_directories(path_);
  }
  ~temp_dir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  temp_dir(const temp_dir&) = delete;
  temp_dir& operator=(const temp_dir&) = delete;

  fs::path file(const std::string& name) const { return path_ / name; }

 private:
  fs::path path_;
};

void write(const fs::path& path, const std::string& text) {
  std::ofstream out{path, std::ios::binary | std::ios::trunc};
  out << text;
}

std::string file_url(const fs::path& path) { return "file://" + path.string(); }

std::string jwks_of(const rsa_keypair& pair, const std::string& kid) {
  return jwks_for_public_pem(pair.public_pem, kid);
}

TEST(fetch_url, reads_a_file_url) {
  temp_dir dir;
  write(dir.file("doc.json"), R"({"keys":[]})");
  EXPECT_EQ(fetch_url(file_url(dir.file("doc.json")), 5s), R"({"keys":[]})");
}

TEST(fetch_url, fails_on_a_missing_file) {
  temp_dir dir;
  EXPECT_THROW(fetch_url(file_url(dir.file("absent.json")), 5s), std::runtime_error);
}

TEST(fetch_url, refuses_plain_http_and_other_schemes) {
  EXPECT_THROW(fetch_url("http://127.0.0.1:1/jwks.json", 5s), std::runtime_error);
  EXPECT_THROW(fetch_url("ftp://127.0.0.1:1/jwks.json", 5s), std::runtime_error);
}

TEST(fetch_url, refuses_documents_above_one_mebibyte) {
  temp_dir dir;
  write(dir.file("big.json"), std::string(1024 * 1024 + 1, 'x'));
  write(dir.file("limit.json"), std::string(1024 * 1024, 'x'));
  EXPECT_THROW(fetch_url(file_url(dir.file("big.json")), 5s), std::runtime_error);
  EXPECT_EQ(fetch_url(file_url(dir.file("limit.json")), 5s).size(), 1024u * 1024u);
}

struct test_config : caf::actor_system_config {
  test_config() { set("scheduler.max-threads", 2); }
};

// Every test spawns the fetcher, talks to it through a scoped actor and stops it again, so no
// handle outlives the actor system.
class jwks_fetcher_test : public ::testing::Test {
 protected:
  // Sends (refresh_atom) and returns the answer; fails the test on an error.
  bool refresh(const caf::actor& fetcher) {
    caf::scoped_actor self{sys_};
    bool answer = false;
    self->request(fetcher, caf::duration{30s}, refresh_atom::value)
        .receive([&](bool b) { answer = b; },
                 [&](caf::error& e) { ADD_FAILURE() << sys_.render(e); });
    return answer;
  }

  void stop(caf::actor& fetcher) {
    caf::anon_send_exit(fetcher, caf::exit_reason::user_shutdown);
    caf::scoped_actor self{sys_};
    self->wait_for(fetcher);
    fetcher = nullptr;
  }

  temp_dir dir_;
  std::shared_ptr<key_store> store_ = std::make_shared<key_store>();
  test_config cfg_;
  caf::actor_system sys_{cfg_};
};

TEST_F(jwks_fetcher_test, refresh_installs_keys_from_a_file_jwks) {
  auto path = dir_.file("jwks.json");
  auto fetcher = spawn_jwks_fetcher(sys_, file_url(path), store_, 0s);
  EXPECT_FALSE(refresh(fetcher));  // no document yet: the fetch fails
  EXPECT_TRUE(store_->current()->empty());
  write(path, jwks_of(testing::signing_keys(), "k1"));
  EXPECT_TRUE(refresh(fetcher));
  EXPECT_NE(store_->current()->find("k1"), nullptr);
  stop(fetcher);
}

TEST_F(jwks_fetcher_test, fetches_once_at_start) {
  auto path = dir_.file("jwks.json");
  write(path, jwks_of(testing::signing_keys(), "k1"));
  auto fetcher = spawn_jwks_fetcher(sys_, file_url(path), store_, 1h);
  EXPECT_FALSE(refresh(fetcher));  // answered after the start-up fetch, which counts as an attempt
  EXPECT_NE(store_->current()->find("k1"), nullptr);
  stop(fetcher);
}

TEST_F(jwks_fetcher_test, a_refresh_within_min_interval_answers_false_without_fetching) {
  auto path = dir_.file("jwks.json");
  write(path, jwks_of(testing::signing_keys(), "k1"));
  auto fetcher = spawn_jwks_fetcher(sys_, file_url(path), store_, 1h);
  EXPECT_FALSE(refresh(fetcher));  // the start-up fetch was the last attempt
  ASSERT_NE(store_->current()->find("k1"), nullptr);
  write(path, jwks_of(testing::other_keys(), "k2"));
  EXPECT_FALSE(refresh(fetcher));
  EXPECT_EQ(store_->current()->find("k2"), nullptr);
  EXPECT_NE(store_->current()->find("k1"), nullptr);
  stop(fetcher);
}

TEST_F(jwks_fetcher_test, a_failed_fetch_keeps_the_previous_keys) {
  auto path = dir_.file("jwks.json");
  write(path, jwks_of(testing::signing_keys(), "k1"));
  auto fetcher = spawn_jwks_fetcher(sys_, file_url(path), store_, 0s);
  EXPECT_TRUE(refresh(fetcher));
  write(path, "{ not a jwks");
  EXPECT_FALSE(refresh(fetcher));
  EXPECT_NE(store_->current()->find("k1"), nullptr);
  stop(fetcher);
}

}  // namespace
}  // namespace mundoctor::actors::identity
