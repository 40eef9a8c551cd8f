// Silences the default logger for the whole executable: the pipeline writes an access-log line
// per request and the responder logs misuse, which would otherwise bury the test output.

#include <gtest/gtest.h>

#include "config/logging.hpp"

namespace {

class quiet_logging : public ::testing::Environment {
 public:
  void SetUp() override { mundoctor::config::init_logging("off"); }
};

const auto* const registered = ::testing::AddGlobalTestEnvironment(new quiet_logging);

}  // namespace
