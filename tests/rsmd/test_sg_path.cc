// rsm over the Linux sg driver's SG_IO path, end to end: the changer and the drives of a tgtd
// virtual library as /dev/sg and /dev/nst nodes (tests/rsmd/sg_library.h, through the SG_IO
// test double), driven by rsmctl changer, rsm-mtx and rsmd exactly as on a real host.

#include <doctest/doctest.h>

#include <chrono>
#include <fstream>

#include "tests/rsmd/invariants.h"
#include "tests/rsmd/robot_helpers.h"
#include "tests/rsmd/rsmd_rig.h"
#include "tests/rsmd/seed_helpers.h"
#include "tests/rsmd/sg_library.h"

using namespace rsm::test;
using namespace std::chrono_literals;
using nlohmann::json;

namespace {

std::string rsmMtxDynamicPath() {
    const std::string dynamic = RSM_BUILD_DIR "/tests/rsm-mtx-dynamic";
    return std::filesystem::exists(dynamic) ? dynamic : rsmMtxPath();
}

// rsmd with the library on its /dev/sg node; `extra` goes to the [library] section.
std::string sgConfig(const SgLibrary &sg, const std::string &extra = {}) {
    return sg.rsmdConfig() + "command_timeout = 3\nready_timeout = 20\n\n[library sgvtl]\n" +
           "device = " + sg.changer() + "\n" + extra;
}

json drives(const RsmdRig &rig) {
    return rig.json({"drive", "list", "--library", "sgvtl"})["drives"];
}

// The library's cartridges free for allocation from pool "backup".
void prepare(const RsmdRig &rig, const VirtualLibrary &vtl) {
    expectOk(rig, {"inventory", "sgvtl"});
    expectOk(rig, {"pool", "create", "backup", "--type", "LTO-5"});
    for (const std::string &barcode : vtl.barcodes())
        expectOk(rig, {"move-to-pool", barcode, "free:LTO-5"});
}

}  // namespace

TEST_CASE("sg path: rsmctl changer and rsm-mtx over /dev/sg print what Debian's mtx prints") {
    VirtualLibrary vtl(smallLibrary());
    SgLibrary sg(vtl);
    RunResult mtx = run({"/usr/sbin/mtx", "-f", sg.changer(), "status"}, sg.env());
    REQUIRE_MESSAGE(mtx.status == 0, mtx.err);
    RunResult ours = run({rsmMtxDynamicPath(), "-f", sg.changer(), "status"}, sg.env());
    CHECK_MESSAGE(ours.status == 0, ours.err);
    CHECK(ours.out == mtx.out);
    CHECK(ours.out.find(":VolumeTag=SMC001L5") != std::string::npos);

    RunResult status = run({rsmctlPath(), "changer", "-d", sg.changer(), "status"}, sg.env());
    CHECK_MESSAGE(status.status == 0, status.err);
    CHECK(status.out.find("SMC004L5") != std::string::npos);
    // The drives' serial numbers come from the changer's DVCID (tgtd cuts the last one).
    CHECK(status.out.find("DRV001") != std::string::npos);

    // A tape drive's node is refused, by name, never an empty status with exit 0.
    for (const std::string &node : {sg.tape(0), sg.tape(1)}) {
        RunResult wrong = run({rsmctlPath(), "changer", "-d", node, "status"}, sg.env());
        CHECK(wrong.status != 0);
        CHECK_MESSAGE(wrong.err.find("ERROR_INVALID_LIBRARY") != std::string::npos, wrong.err);
        CHECK(wrong.err.find("is not a medium changer: it is a tape drive") != std::string::npos);
        RunResult mtxWrong = run({rsmMtxDynamicPath(), "-f", node, "status"}, sg.env());
        CHECK(mtxWrong.status == 1);
        CHECK_MESSAGE(mtxWrong.err.find("not a medium changer") != std::string::npos, mtxWrong.err);
    }
}

TEST_CASE("sg path: rsmd manages a /dev/sg library, its drives matched to /dev/nst by serial") {
    VirtualLibrary vtl(smallLibrary());
    SgLibrary sg(vtl);
    RsmdRig rig(sgConfig(sg), PgCluster::shared(), {}, sg.env());
    const json found = drives(rig);
    REQUIRE(found.size() == 2);
    CHECK(found[0]["device"] == sg.tape(0));
    CHECK(found[1]["device"] == sg.tape(1));
    // The drive's own serial wins over the changer's cut identifier ("DR").
    CHECK(found[0]["serial"] == "DRV001");
    CHECK(found[1]["serial"] == "DRV002");
    CHECK(found[1]["device_set_by_hand"] == false);
    // What the host sees, for a mapping by hand: the changer and the drives' nodes.
    const json devices = rig.json({"library", "discover"})["devices"];
    REQUIRE(devices.size() == 3);
    CHECK(devices[0]["kind"] == "changer");
    CHECK(devices[0]["device"] == sg.changer());
    CHECK(devices[1]["device"] == sg.tape(0));
    CHECK(devices[1]["tape"] == sg.tape(0));
    CHECK(devices[1]["serial"] == "DRV001");

    prepare(rig, vtl);
    const std::string barcode = allocate(rig, "sg-a");
    RunResult mounted = rig.ctl({"mount", "sg-a"});
    REQUIRE_MESSAGE(mounted.status == 0, mounted.err);
    CHECK((mounted.out.find(sg.tape(0)) != std::string::npos ||
           mounted.out.find(sg.tape(1)) != std::string::npos));
    expectOk(rig, {"dismount", "sg-a"});
    expectOk(rig, {"inventory", "sgvtl", "--full"});
    expectOk(rig, {"eject", barcode});
    CHECK(robotHolds(vtl).at(vtl.ieport(0)) == barcode);
    expectOk(rig, {"inject", "sgvtl"});
    expectOk(rig, {"audit", "sgvtl"});
    CHECK(databaseHolds(rig, "sgvtl") == robotHolds(vtl));
    CHECK(invariantViolations(rig, &vtl, "sgvtl").empty());
}

TEST_CASE("sg path: drives the robot does not identify get their device by hand, kept") {
    VirtualLibrary vtl(smallLibrary());
    SgLibrary sg(vtl, /*serials=*/false);
    RsmdRig rig(sgConfig(sg), PgCluster::shared(), {}, sg.env());
    const json found = drives(rig);
    REQUIRE(found.size() == 2);
    CHECK(found[0]["device"].is_null());
    CHECK(found[0]["device_problem"].get<std::string>().find("no serial") != std::string::npos);
    // Where the admin looks: the DEVICE column says why, rsmd's log warned at registration.
    RunResult table = rig.ctl({"drive", "list", "--library", "sgvtl"});
    CHECK(table.out.find("- (no serial") != std::string::npos);
    CHECK(rig.log().find("drive sgvtl/0 has no device") != std::string::npos);

    prepare(rig, vtl);
    allocate(rig, "sg-b");
    RunResult refused = rig.ctl({"mount", "sg-b"});
    CHECK(refused.status != 0);
    CHECK_MESSAGE(refused.err.find("rsmctl drive set-device sgvtl/0 DEVICE") != std::string::npos,
                  refused.err);
    CHECK(refused.err.find("probe the library") == std::string::npos);

    // Drive 0 by rsmctl, drive 1 by rsmd.conf.
    expectOk(rig, {"drive", "set-device", "sgvtl/0", sg.tape(0)});
    RunResult twice = rig.ctl({"drive", "set-device", "sgvtl/1", sg.tape(0)});
    CHECK(twice.err.find("ERROR_ALREADY_EXISTS") != std::string::npos);
    rig.stop();
    std::ofstream(rig.config, std::ios::app) << "device.1 = " << sg.tape(1) << "\n";
    rig.start();
    expectOk(rig, {"library", "probe", "sgvtl"});  // a probe keeps what was set by hand
    const json set = drives(rig);
    CHECK(set[0]["device"] == sg.tape(0));
    CHECK(set[1]["device"] == sg.tape(1));
    CHECK(set[0]["device_set_by_hand"] == true);
    CHECK(set[1]["device_set_by_hand"] == true);

    RunResult mounted = rig.ctl({"mount", "sg-b"});
    REQUIRE_MESSAGE(mounted.status == 0, mounted.err);
    expectOk(rig, {"dismount", "sg-b"});
    expectOk(rig, {"inventory", "sgvtl", "--full"});
    CHECK(invariantViolations(rig, &vtl, "sgvtl").empty());
}

TEST_CASE("sg path: a frozen robot fails in time and the library says so; back, it is served") {
    VirtualLibrary vtl(smallLibrary());
    SgLibrary sg(vtl);
    RsmdRig rig(sgConfig(sg), PgCluster::shared(), {}, sg.env());
    prepare(rig, vtl);
    allocate(rig, "sg-c");

    vtl.freeze();
    const auto start = std::chrono::steady_clock::now();
    RunResult failed = rig.ctl({"mount", "sg-c"});
    const auto took = std::chrono::steady_clock::now() - start;
    MESSAGE("a mount on the frozen robot failed after "
            << std::chrono::duration_cast<std::chrono::milliseconds>(took).count()
            << " ms: " << failed.err);
    CHECK(failed.status == 1);
    CHECK(failed.err.find("ERROR_DEVICE_NOT_AVAILABLE") != std::string::npos);
    CHECK(failed.err.find("no answer within 3 s") != std::string::npos);
    CHECK(took < 3s + 5s);
    const json down = rig.json({"library", "show", "sgvtl"})["library"];
    CHECK(down["state"] == "unreachable");
    CHECK(down["unreachable_since"].is_string());
    CHECK(down["robot_error"].get<std::string>().find("no answer within 3 s") != std::string::npos);
    RunResult listed = rig.ctl({"library", "list"});
    CHECK(listed.out.find("unreachable") != std::string::npos);

    vtl.thaw();
    RunResult mounted = rig.ctl({"mount", "sg-c"});
    CHECK_MESSAGE(mounted.status == 0, mounted.err);
    const json back = rig.json({"library", "show", "sgvtl"})["library"];
    CHECK(back["state"] == "ready");
    CHECK(back["reachable_since"].is_string());
    expectOk(rig, {"dismount", "sg-c"});

    // A robot that is gone (its target killed) fails at once, not after the timeout.
    vtl.kill();
    const auto goneStart = std::chrono::steady_clock::now();
    RunResult gone = rig.ctl({"inventory", "sgvtl"});
    CHECK(gone.status != 0);
    CHECK(gone.err.find("ERROR_DEVICE_NOT_AVAILABLE") != std::string::npos);
    CHECK(std::chrono::steady_clock::now() - goneStart < 3s + 5s);
    CHECK(rig.json({"library", "show", "sgvtl"})["library"]["state"] == "unreachable");
}
