#include <doctest/doctest.h>

#include "rsm/error.h"

using namespace rsm;

TEST_CASE("error codes keep their Win32 numbers and RSM names") {
    CHECK(errorNumber(ErrorCode::InvalidState) == 5023);
    CHECK(errorName(ErrorCode::InvalidState) == "ERROR_INVALID_STATE");
    CHECK(errorNumber(ErrorCode::InvalidMediaPool) == 4302);
    CHECK(errorName(ErrorCode::IeportFull) == "ERROR_IEPORT_FULL");
    CHECK(errorCodeFromNumber(4313) == ErrorCode::DatabaseFailure);
    CHECK(!errorCodeFromNumber(4242).has_value());
    CHECK(errorCodeFromName("ERROR_BUSY") == ErrorCode::Busy);
    CHECK(errorCodeFromName("BUSY") == ErrorCode::Busy);
    CHECK(!errorCodeFromName("ERROR_NOPE").has_value());
}

TEST_CASE("Error::toString is the form rsmctl prints") {
    Error e(ErrorCode::InvalidState, "medium is not offline");
    CHECK(e.toString() == "ERROR_INVALID_STATE (5023): medium is not offline");
    CHECK(!e.sense().has_value());
    Error s(ErrorCode::Empty, "source element 1015 is empty", SenseRecord{5, 0x3B, 0x0E});
    REQUIRE(s.sense().has_value());
    CHECK(s.sense()->asc == 0x3B);
    CHECK(s.withContext("move").message() == "move: source element 1015 is empty");
    CHECK(s.withContext("move").sense() == s.sense());
}

TEST_CASE("Result carries a value or an error") {
    Result<int> good = 7;
    REQUIRE(good.ok());
    CHECK(*good == 7);
    Result<int> bad = Error(ErrorCode::Timeout, "slow");
    REQUIRE(!bad.ok());
    CHECK(bad.error().code() == ErrorCode::Timeout);
    Result<void> v = success();
    CHECK(v.ok());
    Result<void> w = Error(ErrorCode::Busy, "x");
    CHECK(!w.ok());
}
