// The wall clocks of the time-based policies (rsm/clock.h).
#include <doctest/doctest.h>

#include <unistd.h>
#include <cstdio>
#include <fstream>
#include <string>

#include "rsm/clock.h"

using namespace std::chrono_literals;

TEST_CASE("clock: a manual clock moves only when told") {
    const rsm::WallTime start{std::chrono::seconds(1'800'000'000)};
    rsm::ManualClock clock(start);
    CHECK(clock.now() == start);
    clock.advance(86400s);
    CHECK(clock.now() == start + 86400s);
    clock.set(start);
    CHECK(clock.now() == start);
}

TEST_CASE("clock: an offset clock adds the seconds its file holds, none when it has none") {
    const std::string file = "/tmp/rsm-clock-offset-" + std::to_string(::getpid());
    std::remove(file.c_str());
    rsm::OffsetClock clock(file);
    auto before = std::chrono::system_clock::now();
    auto missing = clock.now();
    CHECK(missing >= before);
    CHECK(missing < before + 60s);
    std::ofstream(file) << "864000\n";
    auto moved = clock.now();
    CHECK(moved >= before + 864000s);
    CHECK(moved < before + 864000s + 60s);
    std::ofstream(file) << "garbage\n";
    CHECK(clock.now() < before + 60s);
    std::remove(file.c_str());
}
