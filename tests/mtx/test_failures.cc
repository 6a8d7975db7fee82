// How `rsmctl mtx` fails, against a scripted library: the words on stderr for each sense a
// move can end in, the REQUEST SENSE dump, what is already on stdout, and exit status 1.

#include <doctest/doctest.h>

#include "sg/cdb.h"
#include "src/mtx/format.h"
#include "src/mtx/run.h"
#include "tests/mtx/fake_library.h"

using namespace rsm;
using rsm::sg::FakeTransport;
using rsm::test::mtx::FakeLibrary;
using rsm::test::mtx::MtxRig;
namespace op = rsm::sg::cdb::op;

namespace {

// A library of 4 slots (1000 and 1002 full), 1 I/E slot, 2 empty drives.
FakeLibrary small() {
    return FakeLibrary::make(4, 1, 2, {1000, 1002});
}

auto moves(int source, int destination) {
    return [source, destination](const sg::Command &c) {
        return (c.cdb[4] << 8 | c.cdb[5]) == source && (c.cdb[6] << 8 | c.cdb[7]) == destination;
    };
}

const char *const kDump0401 =
    "mtx: Request Sense: Long Report=yes\n"
    "mtx: Request Sense: Valid Residual=no\n"
    "mtx: Request Sense: Error Code=70 (Current)\n"
    "mtx: Request Sense: Sense Key=Hardware Error\n"
    "mtx: Request Sense: FileMark=no\n"
    "mtx: Request Sense: EOM=no\n"
    "mtx: Request Sense: ILI=no\n"
    "mtx: Request Sense: Additional Sense Code = 15\n"
    "mtx: Request Sense: Additional Sense Qualifier = 01\n"
    "mtx: Request Sense: BPV=no\n"
    "mtx: Request Sense: Error in CDB=no\n"
    "mtx: Request Sense: SKSV=no\n";

}  // namespace

TEST_CASE("mtx load: each sense of a failed MOVE MEDIUM in mtx's words, exit status 1") {
    struct Case {
        std::uint8_t key, asc, ascq;
        std::string err;
    };
    const Case cases[] = {
        {5, 0x3B, 0x0E, "Source Element Address 1001 is Empty\n"},
        {5, 0x3B, 0x0D, "Destination Element Address 500 is Already Full\n"},
        {2, 0x3A, 0x00, "Drive needs offline before move\n"},
        {2, 0x30, 0x03, "Cleaning Cartridge Installed and Ejected\n"},
        {4, 0x15, 0x01,
         std::string(kDump0401) + "MOVE MEDIUM from Element Address 1001 to 500 Failed\n"},
    };
    for (const Case &c : cases) {
        CAPTURE(c.err);
        MtxRig rig(small());
        rig.fake->expect(op::MoveMedium, moves(1001, 500),
                         FakeTransport::senseReply(c.key, c.asc, c.ascq));
        CHECK(rig.run({"load", "2", "0"}) == 1);
        CHECK(rig.out.str() == "Loading media from Storage Element 2 into drive 0...");
        CHECK(rig.err.str() == c.err);
        CHECK(rig.fake->unexpected().empty());
    }
}

TEST_CASE("mtx: the REQUEST SENSE dump shows the sense bytes as the device sent them") {
    MtxRig rig(small());
    // VALID with an information field, SKSV with C/D, BPV and bit pointer 3, field 0004.
    rig.fake->expect(op::MoveMedium,
                     test::mtx::senseBytes({0xF0, 0x00, 0x05, 0x00, 0x00, 0x00, 0x2A, 0x0A, 0, 0, 0,
                                            0, 0x24, 0x00, 0x00, 0xCB, 0x00, 0x04}));
    CHECK(rig.run({"transfer", "1", "2"}) == 1);
    CHECK(rig.out.str().empty());
    CHECK(rig.err.str() ==
          "mtx: Request Sense: Long Report=yes\n"
          "mtx: Request Sense: Valid Residual=yes\n"
          "mtx: Request Sense: Error Code=70 (Current)\n"
          "mtx: Request Sense: Sense Key=Illegal Request\n"
          "mtx: Request Sense: FileMark=no\n"
          "mtx: Request Sense: EOM=no\n"
          "mtx: Request Sense: ILI=no\n"
          "mtx: Request Sense: Residual = 00 00 00 2A\n"
          "mtx: Request Sense: Additional Sense Code = 24\n"
          "mtx: Request Sense: Additional Sense Qualifier = 00\n"
          "mtx: Request Sense: Field in Error = 03\n"
          "mtx: Request Sense: BPV=yes\n"
          "mtx: Request Sense: Error in CDB=yes\n"
          "mtx: Request Sense: SKSV=yes\n"
          "mtx: Request Sense: Field Pointer = 00 04\n"
          "MOVE MEDIUM from Element Address 1000 to 1001 Failed\n");
}

TEST_CASE("mtx: descriptor-format sense is mapped by its ASC/ASCQ and dumped as fixed format") {
    MtxRig rig(small());
    // 72h: key 4, ASC/ASCQ 15/01, no descriptors.
    rig.fake->expect(op::MoveMedium, test::mtx::senseBytes({0x72, 0x04, 0x15, 0x01, 0, 0, 0, 0}));
    CHECK(rig.run({"load", "1"}) == 1);
    CHECK(rig.err.str() ==
          std::string(kDump0401) + "MOVE MEDIUM from Element Address 1000 to 500 Failed\n");
    MtxRig empty(small());
    empty.fake->expect(op::MoveMedium, test::mtx::senseBytes({0x72, 0x05, 0x3B, 0x0E, 0, 0, 0, 0}));
    CHECK(empty.run({"load", "1"}) == 1);
    CHECK(empty.err.str() == "Source Element Address 1000 is Empty\n");
}

TEST_CASE("mtx: a move cut off by the transport says why, without a sense dump") {
    MtxRig rig(small());
    rig.fake->expectError(op::MoveMedium,
                          Error(ErrorCode::DeviceNotAvailable, "the connection was lost"));
    CHECK(rig.run({"load", "1", "1"}) == 1);
    CHECK(rig.out.str() == "Loading media from Storage Element 1 into drive 1...");
    CHECK(rig.err.str() ==
          "mtx: MOVE MEDIUM: the connection was lost\n"
          "MOVE MEDIUM from Element Address 1000 to 501 Failed\n");
}

TEST_CASE("mtx: UNIT ATTENTION before a move is retried; the move succeeds") {
    MtxRig rig(small());
    rig.fake->expectSense(op::MoveMedium, 6, 0x28, 0x00);
    rig.fake->expect(op::MoveMedium, moves(1002, 501), sg::Reply{});
    CHECK(rig.run({"load", "3", "1"}) == 0);
    CHECK(rig.out.str() == "Loading media from Storage Element 3 into drive 1...done\n");
    CHECK(rig.err.str().empty());
}

TEST_CASE("mtx: a failed READ ELEMENT STATUS is dumped, and nothing else runs") {
    MtxRig rig(small());
    rig.owned = std::make_unique<FakeTransport>();
    rig.fake = rig.owned.get();
    rig.fake->expect(op::ModeSense6, FakeTransport::senseReply(4, 0x44, 0x00))
        .expect(op::ModeSense10, FakeTransport::senseReply(4, 0x44, 0x00))
        .expect(op::ReadElementStatus, FakeTransport::senseReply(4, 0x44, 0x00));
    CHECK(rig.run({"status", "load", "1"}) == 1);
    CHECK(rig.out.str().empty());
    const std::string err = rig.err.str();
    CHECK(err.find("mtx: Request Sense: Sense Key=Hardware Error\n") != std::string::npos);
    CHECK(err.find("mtx: Request Sense: Additional Sense Code = 44\n") != std::string::npos);
    CHECK(err.size() > 30);
    CHECK(err.substr(err.size() - 35) == "READ ELEMENT STATUS Command Failed\n");
}

TEST_CASE("mtx: a failed eject is reported and the line goes on, exit status 0 (as mtx)") {
    MtxRig rig(small());
    rig.owned = std::make_unique<FakeTransport>();
    rig.fake = rig.owned.get();
    rig.fake->expectSense(op::StartStopUnit, 5, 0x20, 0x00);
    CHECK(rig.run({"eject"}) == 0);
    CHECK(rig.err.str() ==
          "mtx: Request Sense: Long Report=yes\n"
          "mtx: Request Sense: Valid Residual=no\n"
          "mtx: Request Sense: Error Code=70 (Current)\n"
          "mtx: Request Sense: Sense Key=Illegal Request\n"
          "mtx: Request Sense: FileMark=no\n"
          "mtx: Request Sense: EOM=no\n"
          "mtx: Request Sense: ILI=no\n"
          "mtx: Request Sense: Additional Sense Code = 20\n"
          "mtx: Request Sense: Additional Sense Qualifier = 00\n"
          "mtx: Request Sense: BPV=no\n"
          "mtx: Request Sense: Error in CDB=no\n"
          "mtx: Request Sense: SKSV=no\n"
          "Eject (0x1B) failed\n"
          "mtx:eject failed\n");
    const auto &cdb = rig.fake->commands().front().cdb;
    CHECK(cdb[4] == 0x02);  // LoEj, not Start
}

TEST_CASE("mtx: position and inventory failures") {
    MtxRig rig(small());
    rig.fake->expectSense(op::PositionToElement, 5, 0x20, 0x00);
    CHECK(rig.run({"position", "2"}) == 1);
    CHECK(rig.err.str() == "Could not position transport\n");
    CHECK(rig.fake->commands().back().cdb[5] == (1001 & 0xFF));

    MtxRig inv(small());
    inv.owned = std::make_unique<FakeTransport>();
    inv.fake = inv.owned.get();
    inv.fake->expectSense(op::InitializeElementStatus, 4, 0x15, 0x01);
    CHECK(inv.run({"inventory"}) == 1);
    CHECK(inv.err.str() == std::string(kDump0401) +
                               "Initialize Element Status (0x07) failed\n"
                               "mtx:inventory failed\n");
}

TEST_CASE("mtx: a device that cannot be opened, in the opener's words") {
    std::ostringstream out, err;
    const auto steps = mtx::parseCommandLine(std::vector<std::string>{"status"});
    mtx::BackendOpener open =
        [](const std::string &device) -> Result<std::unique_ptr<mtx::MtxBackend>> {
        return Error(ErrorCode::DeviceNotAvailable,
                     mtx::message::cannotOpen(device, "No such file or directory"));
    };
    CHECK(mtx::run(steps, open, "/dev/changer", out, err) == 1);
    CHECK(out.str().empty());
    CHECK(err.str() == "cannot open SCSI device '/dev/changer' - No such file or directory\n");
}

// Amanda's chg-robot runs `mtx status` again only when mtx's REQUEST SENSE dump has the line
// "mtx: Request Sense: Sense Key=Not Ready" (a library still initializing) or "… No Sense";
// any other failure ends the changer operation. rsm-mtx waits for a library becoming ready
// itself (RetryPolicy::notReadyWait), then fails with mtx's dump of the last sense.
TEST_CASE("mtx status: a robot not ready says Sense Key=Not Ready in mtx's words (chg-robot)") {
    struct Case {
        std::uint8_t key, asc, ascq;
        const char *line;
    };
    const Case cases[] = {
        {2, 0x04, 0x01, "mtx: Request Sense: Sense Key=Not Ready\n"},
        {2, 0x04, 0x07, "mtx: Request Sense: Sense Key=Not Ready\n"},  // operation in progress
    };
    for (const Case &c : cases) {
        CAPTURE(c.line);
        MtxRig rig(small());
        rig.owned = std::make_unique<FakeTransport>();  // MODE SENSE answers, then not ready
        rig.fake = rig.owned.get();
        sg::ElementAddressAssignment map;
        map.transport = {1, 1};
        map.storage = {1000, 4};
        map.importExport = {10, 1};
        map.dataTransfer = {500, 2};
        rig.fake->expect(op::ModeSense6, FakeTransport::dataReply(test::elementAddressPage6(map)));
        // A library that stays so: rsm-mtx waits as long as RetryPolicy::notReadyWait says
        // (no sleeping here), then fails as mtx does.
        for (int i = 0; i < 200; ++i)
            rig.fake->expect(op::ReadElementStatus,
                             FakeTransport::senseReply(c.key, c.asc, c.ascq));
        CHECK(rig.run({"status"}) == 1);
        CHECK_MESSAGE(rig.err.str().find(c.line) != std::string::npos, rig.err.str());
        CHECK(rig.fake->unexpected().empty());
    }
}
