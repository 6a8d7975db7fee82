// VPD page 83h (device identification) parsing: tgtd's page, a page with every kind of
// designator a tape drive gives, every code set, empty pages and designators, and malformed
// pages (cut, another page).

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "sg/vpd.h"
#include "tests/sg/smc_reply.h"

using namespace rsm;
using namespace rsm::sg;
using rsm::test::fromHex;

namespace {

using Bytes = std::vector<std::uint8_t>;

// VPD page 83h of a tape LUN of tgtd 1.0.85 (LUN 1, scsi_sn=DRV001): a T10 vendor
// identification padded with NULs, an NAA 3 and an NAA 6 name.
constexpr const char *kTgtdTapeDeviceIdentification =
    "01 83 00 48 02 01 00 24 49 45 54 20 20 20 20 20 30 30 30 31 30 30 30 31 00 00 00 00"
    "00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 01 03 00 08 30 00 00 01 00 00 00 01"
    "01 03 00 10 60 00 00 00 00 00 00 00 0e 00 00 00 00 01 00 01";

// One designation descriptor: byte 0 protocol identifier and code set, byte 1 PIV,
// association and type.
Bytes descriptor(std::uint8_t byte0, std::uint8_t byte1, const Bytes &value) {
    Bytes b = {byte0, byte1, 0, static_cast<std::uint8_t>(value.size())};
    b.insert(b.end(), value.begin(), value.end());
    return b;
}

Bytes text(const std::string &s) {
    return Bytes(s.begin(), s.end());
}

// A page 83h of these descriptors, its page length theirs.
Bytes vpdPage(const std::vector<Bytes> &descriptors) {
    Bytes b = {0x01, 0x83, 0, 0};
    for (const Bytes &d : descriptors)
        b.insert(b.end(), d.begin(), d.end());
    const std::size_t length = b.size() - 4;
    b[2] = static_cast<std::uint8_t>(length >> 8);
    b[3] = static_cast<std::uint8_t>(length & 0xFF);
    return b;
}

void checkBadFormat(const Bytes &bytes, const std::string &words) {
    auto parsed = parseDeviceIdentification(bytes);
    REQUIRE_FALSE(parsed.ok());
    CHECK(parsed.error().code() == ErrorCode::BadFormat);
    CHECK_MESSAGE(parsed.error().message().find(words) != std::string::npos,
                  parsed.error().message());
}

}  // namespace

TEST_CASE("VPD 83h: tgtd's tape LUN, a T10 vendor identification and two NAA names") {
    auto parsed = parseDeviceIdentification(fromHex(kTgtdTapeDeviceIdentification));
    REQUIRE(parsed.ok());
    const auto &d = *parsed;
    REQUIRE(d.size() == 3);

    CHECK(d[0].codeSet == code_set::Ascii);
    CHECK(d[0].association == association::LogicalUnit);
    CHECK(d[0].type == designator_type::T10VendorId);
    CHECK(d[0].value.size() == 36);
    CHECK(designatorText(d[0]) == "IET     00010001");  // trailing NULs trimmed

    CHECK(d[1].codeSet == code_set::Binary);
    CHECK(d[1].type == designator_type::Naa);
    CHECK(d[1].value == fromHex("30 00 00 01 00 00 00 01"));
    CHECK(designatorText(d[1]) == "3000000100000001");

    CHECK(d[2].type == designator_type::Naa);
    CHECK(d[2].value.size() == 16);
    CHECK(designatorText(d[2]) == "60000000000000000e00000000010001");
}

TEST_CASE("VPD 83h: the designators of an LTO drive on Fibre Channel, in page order") {
    const Bytes page83 = vpdPage({
        // T10 vendor identification (ASCII, logical unit).
        descriptor(0x02, 0x01, text("IBM     ULT3580-TD5     1013000654")),
        // NAA 5 of the logical unit (binary).
        descriptor(0x01, 0x03, fromHex("50 05 07 63 0f 1a 2b 3c")),
        // EUI-64 (binary).
        descriptor(0x01, 0x02, fromHex("00 a0 b8 ff fe 12 34 56")),
        // Relative target port 1: protocol FC (0), PIV, target port association.
        descriptor(0x01, 0x94, fromHex("00 00 00 01")),
        // NAA of the target port, protocol FC, PIV: the drive's WWPN.
        descriptor(0x01, 0x93, fromHex("50 05 07 63 0f 5a 2b 3c")),
        // SCSI name string of the target device (UTF-8, protocol iSCSI 5, PIV), NUL padded.
        descriptor(0x53, 0xA8, text(std::string("iqn.2004-10.com.ibm:lto5\0\0\0\0", 28))),
        // Vendor specific (ASCII), blanks on both sides.
        descriptor(0x02, 0x00, text("  SN 1013000654  ")),
    });
    auto parsed = parseDeviceIdentification(page83);
    REQUIRE(parsed.ok());
    const auto &d = *parsed;
    REQUIRE(d.size() == 7);

    CHECK(d[0].type == designator_type::T10VendorId);
    CHECK(designatorText(d[0]) == "IBM     ULT3580-TD5     1013000654");
    CHECK(d[1] == Designator{code_set::Binary, association::LogicalUnit, designator_type::Naa,
                             fromHex("50 05 07 63 0f 1a 2b 3c")});
    CHECK(designatorText(d[1]) == "500507630f1a2b3c");
    CHECK(d[2].type == designator_type::Eui64);
    CHECK(designatorText(d[2]) == "00a0b8fffe123456");
    // The protocol identifier and PIV bits are not part of the code set or the type.
    CHECK(d[3].codeSet == code_set::Binary);
    CHECK(d[3].association == association::TargetPort);
    CHECK(d[3].type == designator_type::RelativeTargetPort);
    CHECK(designatorText(d[3]) == "00000001");
    CHECK(d[4].association == association::TargetPort);
    CHECK(d[4].type == designator_type::Naa);
    CHECK(d[5].codeSet == code_set::Utf8);
    CHECK(d[5].association == association::TargetDevice);
    CHECK(d[5].type == designator_type::ScsiName);
    CHECK(designatorText(d[5]) == "iqn.2004-10.com.ibm:lto5");
    CHECK(d[6].type == designator_type::VendorSpecific);
    CHECK(designatorText(d[6]) == "SN 1013000654");
}

TEST_CASE("VPD 83h: every code set; ASCII and UTF-8 as text, the others as hex") {
    const Bytes value = text(" AB\x01 ");
    for (std::uint8_t codeSet = 0; codeSet < 16; ++codeSet) {
        INFO("code set " << int(codeSet));
        auto parsed = parseDeviceIdentification(vpdPage({descriptor(codeSet, 0x01, value)}));
        REQUIRE(parsed.ok());
        REQUIRE(parsed->size() == 1);
        const Designator &d = parsed->front();
        CHECK(d.codeSet == codeSet);
        CHECK(d.value == value);
        if (codeSet == code_set::Ascii || codeSet == code_set::Utf8)
            CHECK(designatorText(d) == "AB\x01");
        else
            CHECK(designatorText(d) == "2041420120");
    }
}

TEST_CASE("VPD 83h: every designator type and association, by number and by name") {
    const char *names[16] = {"vendor",        "t10",           "eui64",    "naa",
                             "relative-port", "port-group",    "lu-group", "md5",
                             "scsi-name",     "protocol-port", "uuid",     "reserved",
                             "reserved",      "reserved",      "reserved", "reserved"};
    for (std::uint8_t type = 0; type < 16; ++type) {
        INFO("type " << int(type));
        CHECK(designatorTypeName(type) == names[type]);
        const std::uint8_t association = type % 4;
        auto parsed = parseDeviceIdentification(vpdPage(
            {descriptor(0x01, static_cast<std::uint8_t>(association << 4 | type), {0xAB})}));
        REQUIRE(parsed.ok());
        REQUIRE(parsed->size() == 1);
        CHECK(parsed->front().type == type);
        CHECK(parsed->front().association == association);
    }
    CHECK(designatorTypeName(0xFF) == "reserved");
}

TEST_CASE("VPD 83h: an empty page and an empty designator") {
    auto none = parseDeviceIdentification(fromHex("01 83 00 00"));
    REQUIRE(none.ok());
    CHECK(none->empty());

    auto empty = parseDeviceIdentification(vpdPage({descriptor(0x02, 0x01, {})}));
    REQUIRE(empty.ok());
    REQUIRE(empty->size() == 1);
    CHECK(empty->front().value.empty());
    CHECK(designatorText(empty->front()).empty());

    // A designator of blanks and NULs only is empty text.
    auto blank =
        parseDeviceIdentification(vpdPage({descriptor(0x02, 0x01, text(std::string(" \0 ", 3)))}));
    REQUIRE(blank.ok());
    CHECK(designatorText(blank->front()).empty());
}

TEST_CASE("VPD 83h: bytes after the page length are not read") {
    Bytes padded = vpdPage({descriptor(0x01, 0x03, fromHex("50 01 02 03 04 05 06 07"))});
    padded.insert(padded.end(), {0x02, 0x01, 0x00, 0x04, 'J', 'U', 'N', 'K', 0, 0});
    auto parsed = parseDeviceIdentification(padded);
    REQUIRE(parsed.ok());
    REQUIRE(parsed->size() == 1);
    CHECK(designatorText(parsed->front()) == "5001020304050607");
}

TEST_CASE("VPD 83h: malformed pages are ERROR_BAD_FORMAT") {
    SUBCASE("shorter than the header") {
        checkBadFormat({}, "0 byte(s) received");
        checkBadFormat({0x01}, "1 byte(s) received");
        checkBadFormat({0x01, 0x83, 0x00}, "3 byte(s) received");
    }
    SUBCASE("another page") {
        checkBadFormat(fromHex("01 80 00 04 44 52 56 31"), "page 80h received");
        checkBadFormat(fromHex("01 00 00 03 00 80 83"), "page 00h received");
    }
    SUBCASE("a page length beyond the bytes received") {
        Bytes whole = fromHex(kTgtdTapeDeviceIdentification);
        whole.resize(whole.size() - 1);
        checkBadFormat(whole, "declares 72 byte(s) of descriptors, 71 received");
        checkBadFormat(fromHex("01 83 01 00"), "declares 256 byte(s) of descriptors, 0 received");
    }
    SUBCASE("a descriptor header cut by the page length") {
        for (std::size_t cut = 1; cut < 4; ++cut) {
            Bytes b = vpdPage({descriptor(0x01, 0x03, fromHex("50 01 02 03 04 05 06 07")),
                               Bytes{0x02, 0x01, 0x00}});
            b.resize(b.size() - 3 + cut);
            b[3] = static_cast<std::uint8_t>(b.size() - 4);
            checkBadFormat(b, "a descriptor header at byte 16 is cut to");
        }
    }
    SUBCASE("a designator longer than the page length, even with bytes after it") {
        Bytes b = vpdPage({descriptor(0x02, 0x01, text("IBM     ULT3580-TD5     1013000654"))});
        b[3] = static_cast<std::uint8_t>(b[3] - 1);  // the page ends one byte short
        checkBadFormat(b, "the descriptor at byte 4 declares 34 byte(s) of designator, 33 left");
        Bytes one = fromHex("01 83 00 05 01 03 00 08 50 01 02 03 04 05 06 07");
        checkBadFormat(one, "declares 8 byte(s) of designator, 1 left");
    }
}
