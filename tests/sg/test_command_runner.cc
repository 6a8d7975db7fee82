#include <doctest/doctest.h>

#include "sg/cdb.h"
#include "sg/command_runner.h"
#include "sg/fake_transport.h"

using namespace rsm;
using namespace rsm::sg;
using namespace std::chrono_literals;

namespace {

struct Clock {
    std::vector<std::chrono::milliseconds> sleeps;
    CommandRunner::Sleeper sleeper() {
        return [this](std::chrono::milliseconds d) { sleeps.push_back(d); };
    }
};

}  // namespace

TEST_CASE("GOOD returns the data") {
    FakeTransport t;
    t.expect(cdb::op::Inquiry, FakeTransport::dataReply({1, 2, 3}));
    CommandRunner runner(t);
    auto r = runner.run(cdb::inquiry());
    REQUIRE(r.ok());
    CHECK(r->data == std::vector<std::uint8_t>{1, 2, 3});
}

TEST_CASE("UNIT ATTENTION is retried, then the command succeeds") {
    FakeTransport t;
    t.expectSense(cdb::op::TestUnitReady, 6, 0x29, 0x00)
        .expectSense(cdb::op::TestUnitReady, 6, 0x28, 0x00)
        .expect(cdb::op::TestUnitReady, Reply{});
    Clock clock;
    CommandRunner runner(t, {}, clock.sleeper());
    CHECK(runner.run(cdb::testUnitReady()).ok());
    CHECK(t.pending() == 0);
    CHECK(clock.sleeps.empty());
}

TEST_CASE("UNIT ATTENTION beyond the limit fails with the sense") {
    FakeTransport t;
    for (int i = 0; i < 3; ++i)
        t.expectSense(cdb::op::TestUnitReady, 6, 0x29, 0x00);
    RetryPolicy policy;
    policy.unitAttentionRetries = 2;
    CommandRunner runner(t, policy);
    auto r = runner.run(cdb::testUnitReady());
    REQUIRE(!r.ok());
    REQUIRE(r.error().sense().has_value());
    CHECK(r.error().sense()->key == 6);
    CHECK(t.pending() == 0);
}

TEST_CASE("NOT READY becoming ready waits, polls, then succeeds") {
    FakeTransport t;
    t.expectSense(cdb::op::MoveMedium, 2, 0x04, 0x01)
        .expectSense(cdb::op::MoveMedium, 2, 0x04, 0x01)
        .expect(cdb::op::MoveMedium, Reply{});
    Clock clock;
    RetryPolicy policy;
    policy.pollInterval = 500ms;
    CommandRunner runner(t, policy, clock.sleeper());
    CHECK(runner.run(cdb::moveMedium(1, 2, 3)).ok());
    CHECK(clock.sleeps == std::vector<std::chrono::milliseconds>{500ms, 500ms});
}

TEST_CASE("NOT READY for too long is ERROR_TIMEOUT") {
    FakeTransport t;
    for (int i = 0; i < 4; ++i)
        t.expectSense(cdb::op::MoveMedium, 2, 0x04, 0x01);
    Clock clock;
    RetryPolicy policy;
    policy.pollInterval = 1s;
    policy.notReadyWait = 3s;
    CommandRunner runner(t, policy, clock.sleeper());
    auto r = runner.run(cdb::moveMedium(1, 2, 3));
    REQUIRE(!r.ok());
    CHECK(r.error().code() == ErrorCode::Timeout);
    CHECK(clock.sleeps.size() == 3);
}

TEST_CASE("BUSY status is waited out") {
    FakeTransport t;
    Reply busy;
    busy.status = status::Busy;
    t.expect(cdb::op::TestUnitReady, busy).expect(cdb::op::TestUnitReady, Reply{});
    Clock clock;
    CommandRunner runner(t, {}, clock.sleeper());
    CHECK(runner.run(cdb::testUnitReady()).ok());
    CHECK(clock.sleeps.size() == 1);
}

TEST_CASE("other failures carry the RSM code, the sense and words") {
    FakeTransport t;
    t.expectSense(cdb::op::MoveMedium, 5, 0x3B, 0x0E);
    CommandRunner runner(t);
    auto r = runner.run(cdb::moveMedium(1, 1015, 500));
    REQUIRE(!r.ok());
    CHECK(r.error().code() == ErrorCode::Empty);
    CHECK(r.error().sense() == SenseRecord{5, 0x3B, 0x0E});
    CHECK(r.error().message().find("MOVE MEDIUM") != std::string::npos);
    CHECK(r.error().message().find("05/3B/0E") != std::string::npos);
}

TEST_CASE("RECOVERED ERROR is success and keeps the sense bytes") {
    FakeTransport t;
    t.expectSense(cdb::op::Read6, 1, 0x17, 0x01);
    CommandRunner runner(t);
    auto r = runner.run(cdb::read6Variable(512));
    REQUIRE(r.ok());
    CHECK(!r->sense.empty());
}

TEST_CASE("transport errors and odd statuses are kept apart from sense") {
    FakeTransport t;
    t.expectError(cdb::op::Inquiry, Error(ErrorCode::Timeout, "no answer in 5 s"));
    Reply conflict;
    conflict.status = status::ReservationConflict;
    t.expect(cdb::op::Inquiry, conflict);
    Reply noSense;
    noSense.status = status::CheckCondition;
    t.expect(cdb::op::Inquiry, noSense);
    CommandRunner runner(t);
    auto a = runner.run(cdb::inquiry());
    REQUIRE(!a.ok());
    CHECK(a.error().code() == ErrorCode::Timeout);
    CHECK(!a.error().sense().has_value());
    auto b = runner.run(cdb::inquiry());
    REQUIRE(!b.ok());
    CHECK(b.error().code() == ErrorCode::Busy);
    auto c = runner.run(cdb::inquiry());
    REQUIRE(!c.ok());
    CHECK(c.error().code() == ErrorCode::DeviceNotAvailable);
}
