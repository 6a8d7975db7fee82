// TapeAlert (log page 2Eh) parsing and the LOG SENSE CDB: flags set and clear, parameters the
// parser skips, a page cut short by the allocation length, and malformed pages.

#include <doctest/doctest.h>

#include "sg/cdb.h"
#include "sg/tape_alert.h"

using namespace rsm;
using namespace rsm::sg;

namespace {

std::vector<std::uint8_t> page(std::vector<std::vector<std::uint8_t>> parameters) {
    std::vector<std::uint8_t> out = {0x2E, 0, 0, 0};
    for (const auto &p : parameters)
        out.insert(out.end(), p.begin(), p.end());
    const std::size_t length = out.size() - 4;
    out[2] = static_cast<std::uint8_t>(length >> 8);
    out[3] = static_cast<std::uint8_t>(length & 0xFF);
    return out;
}

std::vector<std::uint8_t> flag(int code, bool on) {
    return {0, static_cast<std::uint8_t>(code), 0x40, 1, static_cast<std::uint8_t>(on ? 1 : 0)};
}

}  // namespace

TEST_CASE("cdb: LOG SENSE asks for the cumulative values of one page") {
    const Command c = cdb::logSense(0x2E, 0x0200);
    CHECK(c.cdb == std::vector<std::uint8_t>{0x4D, 0, 0x6E, 0, 0, 0, 0, 0x02, 0x00, 0});
    CHECK(c.direction == Direction::FromDevice);
    CHECK(c.allocationLength == 0x0200);
}

TEST_CASE("TapeAlert: the flags set, by number and by name") {
    auto alerts = parseTapeAlerts(
        page({flag(1, false), flag(3, true), flag(20, true), flag(21, false), flag(64, true)}));
    REQUIRE(alerts.ok());
    CHECK(alerts->has(3));
    CHECK(alerts->cleanNow());
    CHECK_FALSE(alerts->cleanPeriodic());
    CHECK(alerts->wantsCleaning());
    CHECK(alerts->has(64));
    CHECK_FALSE(alerts->has(65));
    CHECK(alerts->describe() == "3, 20 (clean now), 64");

    auto periodic = parseTapeAlerts(page({flag(21, true)}));
    REQUIRE(periodic.ok());
    CHECK(periodic->wantsCleaning());
    CHECK(parseTapeAlerts(page({flag(22, true)}))->expiredCleaner());
    CHECK_FALSE(parseTapeAlerts(page({}))->wantsCleaning());
}

TEST_CASE("TapeAlert: other parameters are skipped, a page cut short is read as far as it goes") {
    std::vector<std::uint8_t> vendor = {0x80, 0x01, 0x40, 3, 1, 1, 1};  // 8001h, 3 bytes
    auto alerts = parseTapeAlerts(page({vendor, flag(20, true)}));
    REQUIRE(alerts.ok());
    CHECK(alerts->describe() == "20 (clean now)");

    auto full = page({flag(20, true), flag(21, true)});
    full.resize(full.size() - 5);  // the allocation length cut the second parameter off
    auto cut = parseTapeAlerts(full);
    REQUIRE(cut.ok());
    CHECK(cut->describe() == "20 (clean now)");
}

TEST_CASE("TapeAlert: malformed pages are ERROR_BAD_FORMAT") {
    CHECK(parseTapeAlerts(std::vector<std::uint8_t>{0x2E, 0}).error().code() ==
          ErrorCode::BadFormat);
    auto other = page({flag(20, true)});
    other[0] = 0x0D;
    CHECK(parseTapeAlerts(other).error().message() == "log page 0Dh returned for TapeAlert (2Eh)");
    std::vector<std::uint8_t> overrun = {0x2E, 0, 0, 6, 0, 20, 0x40, 9, 1, 1};
    CHECK(parseTapeAlerts(overrun).error().message() ==
          "TapeAlert parameter 0014h overruns the page");
    // Whatever the bytes, no read outside them.
    std::vector<std::uint8_t> noise(64);
    for (int seed = 0; seed < 2000; ++seed) {
        for (std::size_t i = 0; i < noise.size(); ++i)
            noise[i] = static_cast<std::uint8_t>((seed * 131 + i * 29 + (seed >> 3) * i) & 0xFF);
        noise[0] = 0x2E;
        (void)parseTapeAlerts(std::span(noise).first(static_cast<std::size_t>(seed % 64)));
    }
}
