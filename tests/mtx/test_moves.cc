// `rsmctl mtx` moves against a scripted library: which MOVE MEDIUM each command sends, what
// it prints, the default destination of unload, first/last/next/previous, and the status
// read again after a move.

#include <doctest/doctest.h>

#include "sg/cdb.h"
#include "tests/mtx/fake_library.h"

using namespace rsm;
using rsm::test::mtx::FakeLibrary;
using rsm::test::mtx::MtxRig;
namespace op = rsm::sg::cdb::op;

namespace {

auto moves(int source, int destination) {
    return [source, destination](const sg::Command &c) {
        return (c.cdb[4] << 8 | c.cdb[5]) == source && (c.cdb[6] << 8 | c.cdb[7]) == destination;
    };
}

void expectMove(MtxRig &rig, int source, int destination) {
    rig.fake->expect(op::MoveMedium, moves(source, destination), sg::Reply{});
}

// Runs and checks that every scripted command was used, and no other.
int runAll(MtxRig &rig, std::vector<std::string> args) {
    const int status = rig.run(std::move(args));
    CHECK(rig.fake->unexpected().empty());
    CHECK(rig.fake->pending() == 0);
    INFO("stderr: " << rig.err.str());
    return status;
}

}  // namespace

TEST_CASE("mtx load, then status: the library is read again after the move") {
    FakeLibrary before = FakeLibrary::make(3, 1, 2, {1000});
    MtxRig rig(before);
    expectMove(rig, 1000, 501);
    FakeLibrary after = before;
    after.slot(1000).full = false;
    after.slot(1000).tag.clear();
    after.drive(501) = test::mtx::at(501, true, "S1000", 1000);
    after.script(*rig.fake, false);  // the element map is known
    CHECK(runAll(rig, {"load", "1", "1", "status"}) == 0);
    CHECK(rig.out.str().rfind("Loading media from Storage Element 1 into drive 1...done\n"
                              "  Storage Changer /dev/fake:2 Drives, 4 Slots ( 1 Import/Export )\n"
                              "Data Transfer Element 0:Empty\n"
                              "Data Transfer Element 1:Full (Storage Element 1 Loaded):VolumeTag "
                              "= S1000",
                              0) == 0);
}

TEST_CASE("mtx unload: to the source slot, to a given slot, to an I/E slot") {
    FakeLibrary lib = FakeLibrary::make(4, 1, 2, {1000});
    lib.drive(500) = test::mtx::at(500, true, "", 1002);
    {
        MtxRig rig(lib);
        expectMove(rig, 500, 1002);
        CHECK(runAll(rig, {"unload"}) == 0);
        CHECK(rig.out.str() == "Unloading drive 0 into Storage Element 3...done\n");
    }
    {
        MtxRig rig(lib);
        expectMove(rig, 500, 10);
        CHECK(runAll(rig, {"unload", "5", "0"}) == 0);
        CHECK(rig.out.str() == "Unloading drive 0 into Storage Element 5...done\n");
    }
}

TEST_CASE("mtx unload: a drive whose source slot is taken goes to the first empty slot") {
    // Drive 0 says it came from 1000, which holds another tape now: mtx's status shows the
    // first empty storage slot (2) as its source, and unload puts the tape there.
    FakeLibrary lib = FakeLibrary::make(3, 1, 1, {1000, 1002});
    lib.drive(500) = test::mtx::at(500, true, "", 1000);
    MtxRig rig(lib);
    expectMove(rig, 500, 1001);
    CHECK(runAll(rig, {"unload"}) == 0);
    CHECK(rig.out.str() == "Unloading drive 0 into Storage Element 2...done\n");
}

TEST_CASE("mtx next, previous, first, last: unload if needed, then load") {
    // Slots 1000 (empty: drive 0's source), 1001 full, 1002 empty, 1003 full; I/E 10 full.
    FakeLibrary lib = FakeLibrary::make(4, 1, 2, {1001, 1003});
    lib.ieports[0].full = true;
    lib.drive(500) = test::mtx::at(500, true, "", 1000);
    SUBCASE("next") {
        MtxRig rig(lib);
        expectMove(rig, 500, 1000);
        expectMove(rig, 1001, 500);
        CHECK(runAll(rig, {"next"}) == 0);
        CHECK(rig.out.str() ==
              "Unloading drive 0 into Storage Element 1...done\n"
              "Loading media from Storage Element 2 into drive 0...done\n");
    }
    SUBCASE("next on an empty drive loads the first full slot") {
        MtxRig rig(lib);
        expectMove(rig, 1001, 501);
        CHECK(runAll(rig, {"next", "1"}) == 0);
        CHECK(rig.out.str() == "Loading media from Storage Element 2 into drive 1...done\n");
    }
    SUBCASE("previous on an empty drive: the last full storage slot, never an I/E slot") {
        MtxRig rig(lib);
        expectMove(rig, 1003, 501);
        CHECK(runAll(rig, {"previous", "1"}) == 0);
        CHECK(rig.out.str() == "Loading media from Storage Element 4 into drive 1...done\n");
    }
    SUBCASE("previous of the first slot: no more media, nothing moves") {
        MtxRig rig(lib);
        CHECK(runAll(rig, {"previous"}) == 1);
        CHECK(rig.err.str() == "No More Media\n");
    }
    SUBCASE("first: the drive already holds slot 1") {
        MtxRig rig(lib);
        CHECK(runAll(rig, {"first"}) == 0);
        CHECK(rig.out.str() == "loading...done.\n");
    }
    SUBCASE("last: unload, then the last storage slot (not the I/E slot)") {
        MtxRig rig(lib);
        expectMove(rig, 500, 1000);
        expectMove(rig, 1003, 500);
        CHECK(runAll(rig, {"last"}) == 0);
        CHECK(rig.out.str() ==
              "Unloading drive 0 into Storage Element 1...done\n"
              "Loading media from Storage Element 4 into drive 0...done\n");
    }
    SUBCASE("a drive number out of range means drive 0, as in mtx") {
        MtxRig rig(lib);
        CHECK(runAll(rig, {"first", "9"}) == 0);
        CHECK(rig.out.str() == "loading...done.\n");
    }
}

TEST_CASE("mtx next: unloaded, then no more media") {
    FakeLibrary lib = FakeLibrary::make(3, 0, 1, {1000});
    lib.drive(500) = test::mtx::at(500, true, "", 1002);
    MtxRig rig(lib);
    expectMove(rig, 500, 1002);
    CHECK(runAll(rig, {"next"}) == 1);
    CHECK(rig.out.str() == "Unloading drive 0 into Storage Element 3...done\n");
    CHECK(rig.err.str() == "No More Media\n");
}

TEST_CASE("mtx transfer and exchange, with I/E slots; invert and eepos in the CDB") {
    FakeLibrary lib = FakeLibrary::make(3, 2, 1, {1000, 1002});
    SUBCASE("transfer to an I/E slot prints nothing") {
        MtxRig rig(lib);
        expectMove(rig, 1000, 11);
        CHECK(runAll(rig, {"transfer", "1", "5"}) == 0);
        CHECK(rig.out.str().empty());
    }
    SUBCASE("exchange: EXCHANGE MEDIUM back to the first slot") {
        MtxRig rig(lib);
        rig.fake->expect(
            op::ExchangeMedium,
            [](const sg::Command &c) {
                return (c.cdb[4] << 8 | c.cdb[5]) == 1000 && (c.cdb[6] << 8 | c.cdb[7]) == 1002 &&
                       (c.cdb[8] << 8 | c.cdb[9]) == 1000;
            },
            sg::Reply{});
        CHECK(runAll(rig, {"exchange", "1", "3"}) == 0);
        CHECK(rig.out.str().empty());
    }
    SUBCASE("invert and eepos 2") {
        MtxRig rig(lib);
        rig.fake->expect(
            op::MoveMedium,
            [](const sg::Command &c) {
                return c.cdb[2] == 0 && c.cdb[3] == 1 && c.cdb[10] == 0x01 && c.cdb[11] == 0x80;
            },
            sg::Reply{});
        CHECK(runAll(rig, {"invert", "eepos", "2", "load", "3"}) == 0);
        CHECK(rig.out.str() == "Loading media from Storage Element 3 into drive 0...done\n");
    }
}

TEST_CASE("mtx: several commands on one line, the status read again between them") {
    FakeLibrary lib = FakeLibrary::make(3, 0, 1, {1000, 1001});
    lib.drive(500) = test::mtx::at(500, true, "", 1002);
    MtxRig rig(lib);
    expectMove(rig, 500, 1002);
    FakeLibrary after = FakeLibrary::make(3, 0, 1, {1000, 1001, 1002});
    after.script(*rig.fake, false);  // the element map is known
    expectMove(rig, 1001, 500);
    CHECK(runAll(rig, {"unload", "3", "0", "load", "2", "0"}) == 0);
    CHECK(rig.out.str() ==
          "Unloading drive 0 into Storage Element 3...done\n"
          "Loading media from Storage Element 2 into drive 0...done\n");
}
