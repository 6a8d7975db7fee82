// service::PeriodicJob: rsmd's housekeeping thread (retention, lifecycle sweep), and what the
// lifecycle sweep logs.

#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "src/service/lifecycle_job.h"
#include "src/service/periodic_job.h"
#include "src/service/retention.h"

using namespace std::chrono_literals;
using rsm::service::PeriodicJob;

namespace {

// Waits up to `limit` for `count` to reach `want`.
bool reaches(const std::atomic<int> &count, int want, std::chrono::milliseconds limit) {
    const auto end = std::chrono::steady_clock::now() + limit;
    while (count.load() < want && std::chrono::steady_clock::now() < end)
        std::this_thread::sleep_for(5ms);
    return count.load() >= want;
}

}  // namespace

TEST_CASE("periodic job: runs at start, then every interval, until stopped") {
    std::atomic<int> runs{0};
    PeriodicJob job(1s, [&] { ++runs; });
    job.start();
    CHECK(reaches(runs, 1, 2000ms));  // at start, not after the first interval
    CHECK(reaches(runs, 2, 3000ms));  // and again one interval later
    job.stop();
    const int stopped = runs.load();
    std::this_thread::sleep_for(1200ms);
    CHECK(runs.load() == stopped);
}

TEST_CASE("periodic job: stop wakes a long wait at once") {
    std::atomic<int> runs{0};
    PeriodicJob job(std::chrono::hours(1), [&] { ++runs; });
    job.start();
    REQUIRE(reaches(runs, 1, 2000ms));
    const auto start = std::chrono::steady_clock::now();
    job.stop();
    CHECK(std::chrono::steady_clock::now() - start < 1s);
    CHECK(runs.load() == 1);
}

TEST_CASE("periodic job: an interval of zero never runs; the destructor stops a started job") {
    std::atomic<int> runs{0};
    {
        PeriodicJob never(0s, [&] { ++runs; });
        never.start();
        std::this_thread::sleep_for(50ms);
        CHECK(runs.load() == 0);
    }
    {
        PeriodicJob once(std::chrono::hours(1), [&] { ++runs; });
        once.start();
        REQUIRE(reaches(runs, 1, 2000ms));
    }  // joined here, without waiting for the hour
    CHECK(runs.load() == 1);
}

TEST_CASE("retention: no purge thread when both the events and the sessions are kept") {
    rsm::service::RetentionOptions options;
    options.interval = 600s;
    CHECK(rsm::service::purgeInterval(options) == 600s);
    options.events = 0s;
    CHECK(rsm::service::purgeInterval(options) == 600s);  // the sessions are still purged
    options.sessions = 0s;
    CHECK(rsm::service::purgeInterval(options) == 0s);
}

TEST_CASE("lifecycle job: a side kept the same way is logged once, until it is no longer so") {
    using rsm::engine::SweepReport;
    using rsm::engine::SweepSide;
    auto side = [](const char *id, const char *outcome) {
        SweepSide s;
        s.side.sideId = *rsm::Uuid::parse(id);
        s.side.barcode = std::string("T-") + id[0];
        s.pool = "backup";
        s.outcome = outcome;
        return s;
    };
    const char *a = "00000000-0000-0000-0000-00000000000a";
    const char *b = "00000000-0000-0000-0000-00000000000b";
    const char *c = "00000000-0000-0000-0000-00000000000c";
    std::set<std::string> shown;
    SweepReport first;
    first.sides = {side(a, "reported"), side(b, "kept: WORM"), side(c, "deallocated")};
    CHECK(rsm::service::freshInSweep(first, shown).sides.size() == 3);

    SweepReport second;  // a and b as before; a failure is always logged
    second.sides = {side(a, "reported"), side(b, "kept: WORM"), side(c, "failed: busy")};
    auto fresh = rsm::service::freshInSweep(second, shown);
    REQUIRE(fresh.sides.size() == 1);
    CHECK(fresh.sides[0].outcome == "failed: busy");
    CHECK(rsm::service::sweepLines(fresh).size() == 1);

    SweepReport third;  // a is gone (retention changed): when it comes back, it is new again
    third.sides = {side(b, "kept: WORM")};
    CHECK(rsm::service::freshInSweep(third, shown).sides.empty());
    CHECK(rsm::service::freshInSweep(second, shown).sides.size() == 2);  // a, and the failure
}
