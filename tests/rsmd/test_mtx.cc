// rsmctl mtx through rsmd, against tgtd's virtual library: `-f vtl` (a library rsmd manages,
// by name) and `-f <its iSCSI URL>` go through rsmd: status and inquiry answered from the
// library worker's element map, moves as library.mtx requests in its queue; the output
// and exit codes are the same bytes as rsmctl mtx gives on the device directly; the database
// follows each move; a cartridge rsm mounted for an application is not taken out by mtx.

#include <doctest/doctest.h>

#include "tests/rsmd/robot_helpers.h"
#include "tests/rsmd/seed_helpers.h"

namespace rsm::test {

namespace {

using nlohmann::json;

// rsm-mtx's words: through the rig's rsmd ($RSM_SOCKET).
RunResult mtx(const RsmdRig &rig, const std::vector<std::string> &args) {
    std::vector<std::string> argv = {rsmctlPath(), "mtx"};
    argv.insert(argv.end(), args.begin(), args.end());
    return run(argv, {"RSM_SOCKET=" + rig.socket.string()});
}

// The same on the device directly: no rsmd to ask.
RunResult direct(const VirtualLibrary &vtl, const std::vector<std::string> &args) {
    std::vector<std::string> argv = {rsmctlPath(), "mtx", "-f", vtl.changerUrl()};
    argv.insert(argv.end(), args.begin(), args.end());
    return run(argv, {"RSM_SOCKET=/nonexistent/rsmd.sock"});
}

std::string mtxRequests(const RsmdRig &rig) {
    return rig.sql("SELECT count(*) FROM library_request WHERE kind = 'mtx'");
}

void expectSame(const RunResult &through, const RunResult &alone) {
    CHECK(through.status == alone.status);
    CHECK(through.out == alone.out);
    CHECK(through.err == alone.err);
}

}  // namespace

TEST_CASE("rsmd mtx: status and inquiry through rsmd are the bytes of the direct path") {
    VirtualLibrary vtl(smallLibrary());
    RsmdRig rig;
    prepareLibrary(rig, vtl);
    const std::string before = mtxRequests(rig);

    RunResult status = mtx(rig, {"-f", "vtl", "status"});
    INFO(status.err);
    REQUIRE(status.status == 0);
    CHECK(status.out.find("  Storage Changer vtl:2 Drives, 10 Slots ( 2 Import/Export )\n") == 0);
    RunResult alone = direct(vtl, {"status"});
    REQUIRE(alone.status == 0);
    // The same lines but the header's device name.
    CHECK(status.out.substr(status.out.find('\n')) == alone.out.substr(alone.out.find('\n')));
    // rsm-mtx, the program of its own, goes through rsmd the same way.
    expectSame(run({rsmMtxPath(), "-f", "vtl", "status"}, {"RSM_SOCKET=" + rig.socket.string()}),
               status);
    expectSame(mtx(rig, {"-f", "vtl", "inquiry"}), direct(vtl, {"inquiry"}));
    RunResult bare = mtx(rig, {"-f", "vtl", "nobarcode", "status"});
    RunResult bareAlone = direct(vtl, {"nobarcode", "status"});
    REQUIRE(bare.status == 0);
    CHECK(bare.out.substr(bare.out.find('\n')) == bareAlone.out.substr(bareAlone.out.find('\n')));
    CHECK(bare.out.find("VolumeTag") == std::string::npos);
    // Answered from the library worker's element map: no library request recorded.
    CHECK(mtxRequests(rig) == before);
}

TEST_CASE("rsmd mtx: load, transfer and unload through rsmd; the database follows") {
    VirtualLibrary vtl(smallLibrary());
    RsmdRig rig;
    prepareLibrary(rig, vtl);
    const std::string tape = vtl.barcodes().at(2);  // in storage element 3

    RunResult load = mtx(rig, {"-f", "vtl", "load", "3", "0"});
    INFO(load.err);
    REQUIRE(load.status == 0);
    CHECK(load.out == "Loading media from Storage Element 3 into drive 0...done\n");
    CHECK(databaseHolds(rig) == robotHolds(vtl));
    auto media = rig.json({"media", "show", tape})["media"];
    CHECK(media["location"] == "drive");
    CHECK(media["address"] == vtl.drive(0));

    // By the library's device, too: rsmd has it, so the command goes through rsmd.
    const std::string before = mtxRequests(rig);
    RunResult unload = mtx(rig, {"-f", vtl.changerUrl(), "unload", "3", "0"});
    REQUIRE(unload.status == 0);
    CHECK(unload.out == "Unloading drive 0 into Storage Element 3...done\n");
    CHECK(std::stoi(mtxRequests(rig)) == std::stoi(before) + 1);  // the move (status: the map)
    RunResult transfer = mtx(rig, {"-f", "vtl", "transfer", "3", "8"});
    REQUIRE(transfer.status == 0);
    CHECK(databaseHolds(rig) == robotHolds(vtl));
    CHECK(rig.json({"media", "show", tape})["media"]["address"] == vtl.slot(7));
}

TEST_CASE("rsmd mtx: failures read as mtx's, and a mounted cartridge stays in its drive") {
    VirtualLibrary::Shape shape = smallLibrary();
    shape.noImage = {"SMC004L5"};
    VirtualLibrary vtl(shape);
    RsmdRig rig;
    prepareLibrary(rig, vtl);

    // Argument errors: the same bytes and exit status.
    expectSame(mtx(rig, {"-f", "vtl", "load", "7", "0"}), direct(vtl, {"load", "7", "0"}));
    expectSame(mtx(rig, {"-f", "vtl", "unload", "1", "0"}), direct(vtl, {"unload", "1", "0"}));
    expectSame(mtx(rig, {"-f", "vtl", "transfer", "1", "2"}), direct(vtl, {"transfer", "1", "2"}));
    // A move the robot refuses (a cartridge without a tape image: 04/15/01): mtx's failure,
    // with the sense rsmd kept; the database still matches the robot.
    RunResult refusedLoad = mtx(rig, {"-f", "vtl", "load", "4", "1"});
    CHECK(refusedLoad.status == 1);
    CHECK(refusedLoad.out == "Loading media from Storage Element 4 into drive 1...");
    CHECK(refusedLoad.err.find("MOVE MEDIUM from Element Address 1003 to 501 Failed") !=
          std::string::npos);
    CHECK(databaseHolds(rig) == robotHolds(vtl));

    // A cartridge rsm mounted for an application.
    const std::string barcode = allocate(rig, "daily");
    RunResult mounted = rig.ctl({"mount", "daily"});
    REQUIRE_MESSAGE(mounted.status == 0, mounted.err);
    const int slot = [&] {
        auto holds = robotHolds(vtl);
        for (const auto &[address, tape] : holds)
            if (tape == barcode)
                return address;
        return -1;
    }();
    REQUIRE(slot >= vtl.drive(0));
    const std::string drive = std::to_string(slot - vtl.drive(0));
    RunResult refused = mtx(rig, {"-f", "vtl", "unload", "8", drive});
    CHECK(refused.status == 1);
    CHECK(refused.err.find("mounted through rsm; dismount it with rsmctl dismount first") !=
          std::string::npos);
    CHECK(databaseHolds(rig) == robotHolds(vtl));
    CHECK(rig.json({"media", "show", barcode})["media"]["location"] == "drive");

    // A library rsmd does not know is an error in mtx's words.
    RunResult unknown = mtx(rig, {"-f", "nosuchlibrary", "status"});
    CHECK(unknown.status == 1);
    CHECK(unknown.err.find("cannot open SCSI device 'nosuchlibrary'") == 0);
}

}  // namespace rsm::test

namespace rsm::test {

TEST_CASE("rsmd mtx: the element map follows rsmd's own moves, and an inventory reads it anew") {
    VirtualLibrary vtl(smallLibrary());
    RsmdRig rig;
    prepareLibrary(rig, vtl);
    allocate(rig, "map0");
    const auto sameAsDevice = [&](const char *when) {
        RunResult through = mtx(rig, {"-f", "vtl", "status"});
        RunResult alone = direct(vtl, {"status"});
        INFO(when);
        REQUIRE(through.status == 0);
        REQUIRE(alone.status == 0);
        CHECK(through.out.substr(through.out.find('\n')) == alone.out.substr(alone.out.find('\n')));
    };
    sameAsDevice("read at the first status");
    // Statuses come from the map: no library request.
    REQUIRE(mtx(rig, {"-f", "vtl", "status"}).status == 0);
    CHECK(mtxRequests(rig) == "0");
    // rsmd's own moves update the map (each re-reads its two elements).
    expectOk(rig, {"mount", "map0"});
    sameAsDevice("after a mount");
    expectOk(rig, {"dismount", "map0"});
    sameAsDevice("after a dismount");
    // Behind rsmd's back (tgtd raises no unit attention for it): an inventory reads it all.
    robotMove(vtl, 1003, 1007);
    expectOk(rig, {"library", "inventory", "vtl"});
    sameAsDevice("after a move made without rsmd, and an inventory");
}

}  // namespace rsm::test
