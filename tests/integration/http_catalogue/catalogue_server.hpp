#pragma once

// End-to-end tests of the services and schedules endpoints, on the shared HTTP fixture: a real
// runtime over a migrated scratch database shared by the test suite, users set up through the
// repositories, calls as one of them (see tests/support/http/api_fixture.hpp).

#include "tests/support/http/api_fixture.hpp"

namespace mundoctor::testing {

class catalogue_test : public api_test {};

}  // namespace mundoctor::testing
