// mtx's text, byte for byte: status for libraries of several shapes, inquiry, the REQUEST
// SENSE dump and the messages of failed moves. The expected texts spell out every blank.

#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "src/mtx/format.h"
#include "tests/mtx/elements.h"

using namespace rsm;
using namespace rsm::mtx;
namespace t = rsm::test::mtx;

namespace {

std::string golden(const std::string &name) {
    std::ifstream in(std::string(RSM_SOURCE_DIR) + "/tests/mtx/golden/" + name, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

std::string blanks(std::size_t n) {
    return std::string(n, ' ');
}

std::string status(const std::vector<sg::Element> &elements,
                   const std::string &device = "/dev/sg3") {
    return statusText(buildSlotMap(elements), device);
}

}  // namespace

TEST_CASE("mtx status: barcodes as a blank-padding library sends them, I/E slots, a loaded drive") {
    std::vector<sg::Element> all = {
        t::picker(1),
        t::storage(1000, true, "SMC001L5"),
        t::storage(1001, false, ""),  // blank-padded tag of an empty slot: printed
        t::storage(1002, true, "SMC003L5"),
        t::storage(1003, true, "CLN001L1"),
        t::ieport(10, false, ""),
        t::ieport(11, true, "IEX001L5"),
        t::drive(500, true, 1001, "SMC002L5"),
        t::drive(501, false, std::nullopt, ""),  // an empty drive prints no tag
    };
    CHECK(status(all) ==
          "  Storage Changer /dev/sg3:2 Drives, 6 Slots ( 2 Import/Export )\n"
          "Data Transfer Element 0:Full (Storage Element 2 Loaded):VolumeTag = SMC002L5" +
              blanks(24) +
              "\n"
              "Data Transfer Element 1:Empty\n"
              "      Storage Element 1:Full :VolumeTag=SMC001L5" +
              blanks(24) +
              "\n"
              "      Storage Element 2:Empty:VolumeTag=" +
              blanks(32) +
              "\n"
              "      Storage Element 3:Full :VolumeTag=SMC003L5" +
              blanks(24) +
              "\n"
              "      Storage Element 4:Full :VolumeTag=CLN001L1" +
              blanks(24) +
              "\n"
              "      Storage Element 5 IMPORT/EXPORT:Empty:VolumeTag=" +
              blanks(32) +
              "\n"
              "      Storage Element 6 IMPORT/EXPORT:Full :VolumeTag=IEX001L5" +
              blanks(24) + "\n");
}

TEST_CASE("mtx status: without barcodes (nobarcode, or no reader), full slots keep their blank") {
    std::vector<sg::Element> all = {t::storage(1000, true), t::storage(1001, false),
                                    t::ieport(10, true), t::drive(500, true, 1001),
                                    t::drive(501, false)};
    CHECK(status(all, "iscsi://127.0.0.1:3260/iqn.2024-01.org.rsm:vtl/3") ==
          "  Storage Changer iscsi://127.0.0.1:3260/iqn.2024-01.org.rsm:vtl/3:2 Drives, 3 Slots "
          "( 1 Import/Export )\n"
          "Data Transfer Element 0:Full (Storage Element 2 Loaded)\n"
          "Data Transfer Element 1:Empty\n"
          "      Storage Element 1:Full \n"
          "      Storage Element 2:Empty\n"
          "      Storage Element 3 IMPORT/EXPORT:Full \n");
}

TEST_CASE(
    "mtx status: a drive whose source slot is full again, with no empty slot left, is Unknown") {
    std::vector<sg::Element> all = {t::storage(1000, true, "A00001L8"),
                                    t::storage(1001, true, "A00002L8"), t::ieport(10, false, ""),
                                    t::drive(500, true, 1000, "A00003L8"),
                                    t::drive(501, true, std::nullopt)};
    CHECK(status(all) ==
          "  Storage Changer /dev/sg3:2 Drives, 3 Slots ( 1 Import/Export )\n"
          "Data Transfer Element 0:Full (Unknown Storage Element Loaded):VolumeTag = A00003L8" +
              blanks(24) +
              "\n"
              "Data Transfer Element 1:Full (Unknown Storage Element Loaded)\n"
              "      Storage Element 1:Full :VolumeTag=A00001L8" +
              blanks(24) +
              "\n"
              "      Storage Element 2:Full :VolumeTag=A00002L8" +
              blanks(24) +
              "\n"
              "      Storage Element 3 IMPORT/EXPORT:Empty:VolumeTag=" +
              blanks(32) + "\n");
}

TEST_CASE("mtx status: a drive with an unusable source gets the first empty slot, as in mtx") {
    std::vector<sg::Element> all = {t::storage(1000, true), t::storage(1001, true),
                                    t::storage(1002, false), t::drive(500, true, 1000)};
    CHECK(status(all) ==
          "  Storage Changer /dev/sg3:1 Drives, 3 Slots ( 0 Import/Export )\n"
          "Data Transfer Element 0:Full (Storage Element 3 Loaded)\n"
          "      Storage Element 1:Full \n"
          "      Storage Element 2:Full \n"
          "      Storage Element 3:Empty\n");
}

TEST_CASE("mtx status: alternate tags, NUL-padded tags and tags with bytes outside 32..127") {
    sg::Element d = t::drive(500, true, 1001);
    d.primaryTag = t::tag("PRI001", '\0');
    d.alternateTag = t::tag("ALT001", '\0');
    sg::Element s1 = t::storage(1000, true);
    s1.primaryTag = t::tag(
        "CUT\x1F"
        "OFF",
        '\0');
    s1.alternateTag = t::tag("ALT002");
    sg::Element s2 = t::storage(1001, false);
    s2.primaryTag = t::tag("", '\0');  // an empty slot of a NUL-padding library: no tag
    s2.alternateTag = t::tag("", '\0');
    sg::Element s3 = t::storage(1002, true);
    s3.primaryTag = t::tag(
        "\x80"
        "BAD");  // first byte outside 32..127: no tag at all
    s3.alternateTag = t::tag("ONLYALT", '\0');
    CHECK(status({d, s1, s2, s3}) ==
          "  Storage Changer /dev/sg3:1 Drives, 3 Slots ( 0 Import/Export )\n"
          "Data Transfer Element 0:Full (Storage Element 2 Loaded):VolumeTag = PRI001"
          ":AlternateVolumeTag = ALT001\n"
          "      Storage Element 1:Full :VolumeTag=CUT:AlternateVolumeTag=ALT002" +
              blanks(26) +
              "\n"
              "      Storage Element 2:Empty\n"
              "      Storage Element 3:Full :AlternateVolumeTag=ONLYALT\n");
}

TEST_CASE("mtx status: 10,000 slots, 8 I/E slots, 4 drives, against a plain loop") {
    auto all = t::library(10000, 4, 8, 1500);
    // Drive 2 holds the tape of slot 9,999 (ordinal 10,000).
    all[10000].full = false;
    all.back() = t::drive(503, true, 10999, "T10000L8");
    const std::string text = status(all, "/dev/sg12");

    std::string expected =
        "  Storage Changer /dev/sg12:4 Drives, 10008 Slots ( 8 Import/Export )\n";
    for (int d = 0; d < 3; ++d)
        expected += fmt::format("Data Transfer Element {}:Empty\n", d);
    expected += "Data Transfer Element 3:Full (Storage Element 10000 Loaded):VolumeTag = T10000L8" +
                blanks(24) + "\n";
    for (int s = 1; s <= 10008; ++s) {
        const bool ie = s > 10000;
        const bool full = s <= 1500;
        expected += fmt::format("      Storage Element {}{}:{}", s, ie ? " IMPORT/EXPORT" : "",
                                full ? "Full " : "Empty");
        expected += ":VolumeTag=";
        expected += full ? fmt::format("T{:05}L8", s) + blanks(24) : blanks(32);
        expected += '\n';
    }
    CHECK(text.size() == expected.size());
    CHECK(text == expected);
}

TEST_CASE("mtx inquiry text: the fields at their full width, as sent") {
    sg::InquiryData data;
    data.peripheralType = 8;
    data.vendor = "STK     ";
    data.product = "L700            ";
    data.revision = "0104";
    CHECK(inquiryText(data) ==
          "Product Type: Medium Changer\n"
          "Vendor ID: 'STK     '\n"
          "Product ID: 'L700            '\n"
          "Revision: '0104'\n"
          "Attached Changer API: No\n");
    data.peripheralType = 1;
    data.mediumChanger = true;
    data.vendor = "HP";  // a short reply: the rest is NULs
    data.revision = "";
    CHECK(inquiryText(data) ==
          "Product Type: Tape Drive\n"
          "Vendor ID: 'HP" +
              std::string(6, '\0') +
              "'\n"
              "Product ID: 'L700            '\n"
              "Revision: '" +
              std::string(4, '\0') +
              "'\n"
              "Attached Changer API: Yes\n");
}

TEST_CASE("mtx usage and version: as Debian's mtx 1.3.12 prints them (tests/mtx/golden)") {
    CHECK(usageText() == golden("usage.txt"));
    CHECK(versionText() == golden("version.txt"));
}

TEST_CASE("mtx progress lines, usage and version") {
    CHECK(loadingText(3, 0) == "Loading media from Storage Element 3 into drive 0...");
    CHECK(unloadingText(1, 12) == "Unloading drive 1 into Storage Element 12...");
    CHECK(usageText().rfind("Usage:\n\tmtx --version\n", 0) == 0);
    CHECK(usageText().find("\tmtx [ -f <loader-dev> ] inquiry | inventory \n") !=
          std::string::npos);
    CHECK(versionText() == "mtx version 1.3.12\n\n" + usageText());
}

TEST_CASE("mtx status: written in pieces, the same bytes as the whole text") {
    std::vector<sg::Element> all = {t::picker(1), t::drive(500, true, 1003, "DRV001L5")};
    for (int i = 0; i < 3000; ++i)
        all.push_back(t::storage(static_cast<std::uint16_t>(1000 + i), i % 3 == 0,
                                 i % 3 == 0 ? fmt::format("T{:05}L5", i) : ""));
    all.push_back(t::ieport(10, true, "IEX001L5"));
    const SlotMap map = buildSlotMap(all);
    const std::string whole = statusText(map, "/dev/sg3");
    REQUIRE(whole.size() > 3 * 64 * 1024);
    std::ostringstream pieces;
    writeStatus(pieces, map, "/dev/sg3");
    CHECK(pieces.str() == whole);
    // rsmd's share (all but the first line) and the client's (the first line, its own device
    // name) make the same bytes.
    const std::string header = statusHeader(map, "/dev/sg3");
    CHECK(header == "  Storage Changer /dev/sg3:1 Drives, 3001 Slots ( 1 Import/Export )\n");
    CHECK(statusHeader("/dev/sg3", map.drives.size(), map.slots.size(), 1) == header);
    CHECK(header + statusBody(map) == whole);
}
