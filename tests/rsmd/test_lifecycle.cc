// The life of media end to end (issue 20; docs/lifecycle.md), through rsmctl against a real
// rsmd, PostgreSQL and tgtd, with rsmd's clock moved forward through RSM_CLOCK_OFFSET_FILE (no
// sleeping): a pool with a 7-day retention, tapes completed, 8 days later `rsmctl pool sweep`
// puts them back in scratch; a WORM tape is refused for scratch; the scratch pool below its
// low mark raises one operator request and a scratch-pool-low notification; and rsmd's periodic
// sweep returns expired tapes unasked.

#include <doctest/doctest.h>

#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "tests/rsmd/robot_helpers.h"
#include "tests/rsmd/seed_helpers.h"

namespace rsm::test {

namespace {

using nlohmann::json;
using namespace std::chrono_literals;

// A directory with the clock offset file and a notify_command that appends each call's
// RSM_EVENT and RSM_POOL to `calls`.
struct LifeDir {
    std::filesystem::path dir, offset, program, calls;

    LifeDir() {
        char name[] = "/tmp/rsm-life-XXXXXX";
        REQUIRE(::mkdtemp(name) != nullptr);
        dir = name;
        offset = dir / "offset";
        program = dir / "record";
        calls = dir / "calls";
        std::ofstream(offset) << "0\n";
        std::ofstream(program) << "#!/bin/sh\necho \"$RSM_EVENT $RSM_POOL\" >> '" << calls.string()
                               << "'\n";
        ::chmod(program.c_str(), 0755);
        ::chmod(dir.c_str(), 0755);
    }
    ~LifeDir() {
        std::error_code ec;
        std::filesystem::remove_all(dir, ec);
    }
    void advanceDays(int days) const { std::ofstream(offset) << days * 86400 << "\n"; }
    std::string recorded() const {
        std::ifstream in(calls);
        return std::string(std::istreambuf_iterator<char>(in), {});
    }
};

}  // namespace

TEST_CASE("lifecycle: retention back to scratch, WORM refused, low mark raises a request") {
    LifeDir d;
    VirtualLibrary vtl(smallLibrary());
    // lifecycle_interval 0: the sweep runs only when asked (rsmctl pool sweep).
    RsmdRig rig(fmt::format("lifecycle_interval = 0\nnotify_command = {}\nnotify_timeout = 10\n",
                            d.program.string()),
                PgCluster::shared(), std::nullopt, {"RSM_CLOCK_OFFSET_FILE=" + d.offset.string()});
    prepareLibrary(rig, vtl);
    const auto barcodes = vtl.barcodes();
    REQUIRE(barcodes.size() >= 3);

    // A pool with a 7-day retention; two tapes allocated and written to the end (COMPLETE).
    const json policy = rig.json({"pool", "policy", "backup", "--retention", "7d"});
    CHECK(policy["pool"]["retention_seconds"] == 7 * 86400);
    CHECK(policy["pool"]["expire"] == "deallocate");
    for (int i = 0; i < 2; ++i) {
        expectOk(rig,
                 {"allocate", "backup", "--media", barcodes[i], "--name", fmt::format("t{}", i)});
        expectOk(rig, {"complete", fmt::format("t{}", i)});
    }
    const json due = rig.json({"media", "list", "--due"});
    REQUIRE(due["retention"].size() == 2);
    CHECK(due["retention"][0]["pool"] == "backup");
    CHECK(rig.json({"media", "list", "--expired"})["retention"].empty());

    // Not yet: 6 days on.
    d.advanceDays(6);
    CHECK(rig.json({"pool", "sweep"})["retention"].empty());
    CHECK(rig.json({"media", "show", barcodes[0]})["media"]["pool"] == "backup");

    // 8 days on: both back to scratch.
    d.advanceDays(8);
    CHECK(rig.json({"media", "list", "--expired"})["retention"].size() == 2);
    const json swept = rig.json({"pool", "sweep"});
    REQUIRE(swept["retention"].size() == 2);
    for (const json &s : swept["retention"])
        CHECK(s["outcome"] == "deallocated");
    for (int i = 0; i < 2; ++i) {
        const json media = rig.json({"media", "show", barcodes[i]})["media"];
        CHECK(media["pool"] == "free:LTO-5");
        CHECK(media["sides"][0]["state"] == "available");
    }
    CHECK(rig.json({"lmid", "list"})["lmids"].empty());

    // A WORM tape: its side is never deallocated to scratch.
    expectOk(rig, {"mediatype", "create", "LTO-5W", "--worm"});
    expectOk(rig, {"pool", "create", "archive", "--type", "LTO-5W"});
    expectOk(rig,
             {"media", "create", "--type", "LTO-5W", "--barcode", "W00001L5", "--pool", "archive"});
    CHECK(rig.json({"media", "show", "W00001L5"})["media"]["worm"] == true);
    expectOk(rig, {"allocate", "archive", "--media", "W00001L5", "--name", "w1"});
    expectOk(rig, {"complete", "w1"});
    const RunResult refused = rig.ctl({"deallocate", "w1"});
    CHECK(refused.status == 1);
    CHECK(refused.err.find("ERROR_INVALID_OPERATION") != std::string::npos);
    CHECK(refused.err.find("WORM") != std::string::npos);
    CHECK(rig.json({"media", "show", "W00001L5"})["media"]["pool"] == "archive");

    // The scratch pool below its low mark: one NEWMEDIA request, one notification.
    const json free = rig.json({"pool", "show", "free:LTO-5"})["pool"];
    const int available = free["available"].get<int>();
    expectOk(rig, {"pool", "policy", "free:LTO-5", "--low-mark", std::to_string(available + 1),
                   "--high-mark", std::to_string(available + 2)});
    json marks = rig.json({"pool", "sweep"})["marks"];
    REQUIRE(marks.size() == 1);
    CHECK(marks[0]["raised"] == true);
    CHECK(marks[0]["free"] == available);
    marks = rig.json({"pool", "sweep"})["marks"];  // not twice
    CHECK(marks[0]["raised"] == false);
    const json requests = rig.json({"request", "list", "--operator"})["operator_requests"];
    REQUIRE(requests.size() == 1);
    CHECK(requests[0]["kind"] == "newmedia");
    CHECK(requests[0]["message"].get<std::string>().find("below its low mark") !=
          std::string::npos);
    REQUIRE(eventually(
        [&] { return d.recorded().find("scratch-pool-low free:LTO-5") != std::string::npos; },
        10s));

    // Refilled (the mark lowered below the level): the request is completed.
    expectOk(rig, {"pool", "policy", "free:LTO-5", "--low-mark", "0", "--high-mark", "0"});
    marks = rig.json({"pool", "sweep"})["marks"];
    CHECK(marks[0]["withdrawn"] == true);
    CHECK(rig.json({"request", "list", "--operator"})["operator_requests"].empty());
}

TEST_CASE("lifecycle: rsmd's own sweep returns expired tapes to scratch, unasked") {
    LifeDir d;
    VirtualLibrary vtl(smallLibrary());
    // The sweep every second: nothing calls `pool sweep` in this case.
    RsmdRig rig("lifecycle_interval = 1s\n", PgCluster::shared(), std::nullopt,
                {"RSM_CLOCK_OFFSET_FILE=" + d.offset.string()});
    prepareLibrary(rig, vtl);
    const auto barcodes = vtl.barcodes();
    REQUIRE(!barcodes.empty());
    expectOk(rig, {"pool", "policy", "backup", "--retention", "1d"});
    expectOk(rig, {"allocate", "backup", "--media", barcodes[0], "--name", "auto0"});
    expectOk(rig, {"complete", "auto0"});
    auto pool = [&] { return rig.json({"media", "show", barcodes[0]})["media"]["pool"]; };
    // Within its retention, several sweeps leave it where it is.
    std::this_thread::sleep_for(2500ms);
    CHECK(pool() == "backup");
    d.advanceDays(2);
    CHECK(eventually([&] { return pool() == "free:LTO-5"; }, 15s));
    CHECK(rig.json({"lmid", "list"})["lmids"].empty());
}

}  // namespace rsm::test
