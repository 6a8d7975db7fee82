// `rsmctl mtx` command lines against a scripted library: status, inquiry, flags, and the
// argument checks mtx makes before it sends anything to the robot.

#include <doctest/doctest.h>

#include "sg/cdb.h"
#include "tests/mtx/fake_library.h"

using namespace rsm;
using rsm::sg::FakeTransport;
using rsm::test::mtx::FakeLibrary;
using rsm::test::mtx::MtxRig;
namespace op = rsm::sg::cdb::op;

namespace {

std::string spaces(std::size_t n) {
    return std::string(n, ' ');
}

// 4 slots (1000 and 1002 full), 1 I/E slot, 2 drives; drive 0 holds the tape of 1001.
FakeLibrary loaded() {
    FakeLibrary lib = FakeLibrary::make(4, 1, 2, {1000, 1002});
    lib.drive(500).full = true;
    lib.drive(500).source = 1001;
    lib.drive(500).tag = "S1001";
    return lib;
}

std::string runError(const FakeLibrary &lib, std::vector<std::string> args) {
    MtxRig rig(lib);
    CHECK(rig.run(std::move(args)) == 1);
    CHECK(rig.fake->unexpected().empty());
    for (const auto &c : rig.fake->commands())
        CHECK(c.cdb[0] != op::MoveMedium);  // refused before the robot moves
    return rig.err.str();
}

}  // namespace

TEST_CASE("mtx status: a library that blank-pads its tags, as tgtd does") {
    MtxRig rig(loaded());
    CHECK(rig.run({"status"}) == 0);
    CHECK(rig.err.str().empty());
    CHECK(rig.out.str() ==
          "  Storage Changer /dev/fake:2 Drives, 5 Slots ( 1 Import/Export )\n"
          "Data Transfer Element 0:Full (Storage Element 2 Loaded):VolumeTag = S1001" +
              spaces(27) +
              "\n"
              "Data Transfer Element 1:Empty\n"
              "      Storage Element 1:Full :VolumeTag=S1000" +
              spaces(27) + "\n      Storage Element 2:Empty:VolumeTag=" + spaces(32) +
              "\n      Storage Element 3:Full :VolumeTag=S1002" + spaces(27) +
              "\n      Storage Element 4:Empty:VolumeTag=" + spaces(32) +
              "\n      Storage Element 5 IMPORT/EXPORT:Empty:VolumeTag=" + spaces(32) + "\n");
    // Drives are not asked for DVCID (mtx prints no identifiers).
    for (const auto &c : rig.fake->commands())
        if (c.cdb[0] == op::ReadElementStatus) {
            CHECK((c.cdb[6] & 0x01) == 0);
            CHECK((c.cdb[1] & 0x10) != 0);
        }
}

TEST_CASE("mtx nobarcode status: volume tags are not asked for") {
    FakeLibrary lib = loaded();
    lib.volumeTags = false;
    MtxRig rig(lib);
    CHECK(rig.run({"nobarcode", "status"}) == 0);
    CHECK(rig.out.str() ==
          "  Storage Changer /dev/fake:2 Drives, 5 Slots ( 1 Import/Export )\n"
          "Data Transfer Element 0:Full (Storage Element 2 Loaded)\n"
          "Data Transfer Element 1:Empty\n"
          "      Storage Element 1:Full \n"
          "      Storage Element 2:Empty\n"
          "      Storage Element 3:Full \n"
          "      Storage Element 4:Empty\n"
          "      Storage Element 5 IMPORT/EXPORT:Empty\n");
    for (const auto &c : rig.fake->commands())
        if (c.cdb[0] == op::ReadElementStatus)
            CHECK((c.cdb[1] & 0x10) == 0);
}

TEST_CASE("mtx inquiry: the standard INQUIRY page, no element status read") {
    MtxRig rig(loaded());
    rig.owned = std::make_unique<FakeTransport>();
    rig.fake = rig.owned.get();
    std::vector<std::uint8_t> data(36, ' ');
    data[0] = 0x08;
    data[1] = 0x80;
    data[2] = 0x05;
    data[3] = 0x02;
    data[4] = 31;
    data[5] = data[6] = data[7] = 0;
    const std::string ids = "STK     L700            0104";
    std::copy(ids.begin(), ids.end(), data.begin() + 8);
    rig.fake->expect(op::Inquiry, FakeTransport::dataReply(data));
    CHECK(rig.run({"inquiry"}) == 0);
    CHECK(rig.out.str() ==
          "Product Type: Medium Changer\n"
          "Vendor ID: 'STK     '\n"
          "Product ID: 'L700            '\n"
          "Revision: '0104'\n"
          "Attached Changer API: No\n");
    CHECK(rig.fake->pending() == 0);
}

TEST_CASE("mtx: the argument checks, in mtx's words, before any move") {
    const FakeLibrary lib = loaded();
    CHECK(runError(lib, {"load", "1", "0"}) == "Drive 0 Full (Storage Element 2 loaded)\n");
    CHECK(runError(lib, {"unload", "1", "0"}) == "Storage Element 1 is Already Full\n");
    CHECK(runError(lib, {"unload", "2", "1"}) == "Data Transfer Element 1 is Empty\n");
    CHECK(runError(lib, {"load", "9"}) ==
          "Invalid <storage-element-number> argument '9' to 'load' command\n");
    CHECK(runError(lib, {"load", "1", "5"}) ==
          "illegal <drive-number> argument '5' to 'load' command\n");
    CHECK(runError(lib, {"load"}) == "No source specified\n");
    CHECK(runError(lib, {"load", "0", "1"}) == "No source specified\n");
    CHECK(runError(lib, {"unload", "9", "0"}) ==
          "illegal <storage-element-number> argument '9' to 'unload' command\n");
    CHECK(runError(lib, {"unload", "0", "0"}) ==
          "illegal <storage-element-number> argument '0' to 'unload' command\n");
    CHECK(runError(lib, {"unload", "2", "7"}) ==
          "illegal <drive-number> argument '7' to 'unload' command\n");
    CHECK(runError(lib, {"transfer"}) == "No source specified\n");
    CHECK(runError(lib, {"transfer", "1"}) == "No destination specified\n");
    CHECK(runError(lib, {"transfer", "6", "1"}) == "Invalid source\n");
    CHECK(runError(lib, {"transfer", "1", "6"}) == "Invalid destination\n");
    CHECK(runError(lib, {"exchange", "1", "3", "6"}) == "Invalid destination\n");
}

TEST_CASE("mtx unload without a slot: an empty drive is empty, a lost tape has no source") {
    FakeLibrary lib = FakeLibrary::make(2, 0, 1, {1000});
    CHECK(runError(lib, {"unload"}) == "Data Transfer Element 0 is Empty\n");
    // A full drive, its source unknown, and no empty storage slot to give it (the I/E slot
    // does not count).
    FakeLibrary full = FakeLibrary::make(1, 1, 1, {1000});
    full.drive(500).full = true;
    CHECK(runError(full, {"unload"}) == "No Source for tape in drive 0!\n");
}

TEST_CASE("mtx: eepos out of range, before the device is opened") {
    MtxRig rig(loaded());
    CHECK(rig.run({"eepos", "4"}, false) == 1);
    CHECK(rig.err.str() == "eepos equires argument between 0 and 3.\n");
    MtxRig bare(loaded());
    CHECK(bare.run({"eepos"}, false) == 1);
    CHECK(bare.err.str() == "eepos equires argument between 0 and 3.\n");
    CHECK(rig.opened + bare.opened == 0);
}

TEST_CASE("mtx: the commands before an unknown word run, then the usage, exit status 1") {
    MtxRig rig(loaded());
    CHECK(rig.run({"status", "bogus", "status"}) == 1);
    CHECK(rig.out.str().rfind("  Storage Changer /dev/fake:2 Drives, 5 Slots", 0) == 0);
    CHECK(rig.err.str().rfind("Usage:\n\tmtx --version\n", 0) == 0);

    MtxRig version(loaded());
    CHECK(version.run({"--version"}, false) == 1);
    CHECK(version.err.str().rfind("mtx version 1.3.12\n\nUsage:\n", 0) == 0);
    CHECK(version.opened == 0);

    MtxRig nothing(loaded());
    CHECK(nothing.run({}, false) == 0);
    CHECK(nothing.out.str().empty());
    CHECK(nothing.err.str().empty());
    CHECK(nothing.opened == 0);
}

TEST_CASE("mtx: without -f the default device is opened for the first command needing one") {
    MtxRig rig(loaded());
    CHECK(rig.run({"nobarcode", "noattach", "altres", "invert"}, false) == 0);
    CHECK(rig.opened == 0);
    MtxRig status(loaded());
    CHECK(status.run({"status"}, false) == 0);
    CHECK(status.opened == 1);
    CHECK(status.out.str().rfind("  Storage Changer /dev/changer:2 Drives", 0) == 0);
}
