#include <doctest/doctest.h>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "sg/inquiry.h"
#include "tests/sg/smc_reply.h"
#include "tests/sg/tgtd_captures.h"
#include "tests/support/text.h"

using namespace rsm;
using namespace rsm::sg;

using rsm::test::fromHex;
using rsm::test::kTgtdChangerInquiry;
using rsm::test::kTgtdChangerSerial;

namespace {

using Bytes = std::vector<std::uint8_t>;

// Standard INQUIRY data built field by field.
Bytes inquiry(std::uint8_t byte0, std::uint8_t byte1, std::uint8_t version, std::uint8_t byte6,
              const std::string &vendor, const std::string &product, const std::string &revision) {
    Bytes b = {byte0, byte1, version, 0x02, 31, 0, byte6, 0};
    b.insert(b.end(), vendor.begin(), vendor.end());
    b.insert(b.end(), product.begin(), product.end());
    b.insert(b.end(), revision.begin(), revision.end());
    return b;
}

Bytes vpd80(const std::string &serial, std::uint8_t page = 0x80) {
    Bytes b = {0x08, page, static_cast<std::uint8_t>(serial.size() >> 8),
               static_cast<std::uint8_t>(serial.size())};
    b.insert(b.end(), serial.begin(), serial.end());
    return b;
}

using rsm::test::contains;

}  // namespace

TEST_CASE("inquiry: tgtd's medium changer") {
    Bytes b = fromHex(kTgtdChangerInquiry);
    REQUIRE(b.size() == 66);
    auto r = parseInquiry(b);
    REQUIRE(r.ok());
    CHECK(r->peripheralQualifier == 0);
    CHECK(r->peripheralType == peripheral::MediumChanger);
    CHECK(r->removable);
    CHECK(r->version == 5);
    CHECK(!r->mediumChanger);
    CHECK(r->vendor == "IET     ");  // raw: mtx prints 'IET     '
    CHECK(r->product == "VIRTUAL-CHANGER ");
    CHECK(r->revision == "0001");
    CHECK(trimField(r->product) == "VIRTUAL-CHANGER");
}

TEST_CASE("inquiry: fields, flags and qualifiers") {
    auto tape =
        parseInquiry(inquiry(0x01, 0x80, 0x06, 0x08, "HP      ", "Ultrium 5-SCSI  ", "Z21D"));
    REQUIRE(tape.ok());
    CHECK(tape->peripheralType == peripheral::Tape);
    CHECK(tape->mediumChanger);  // MCHNGR: a changer attached through the drive
    CHECK(tape->removable);
    CHECK(tape->version == 6);
    CHECK(tape->vendor == "HP      ");
    CHECK(tape->product == "Ultrium 5-SCSI  ");
    CHECK(tape->revision == "Z21D");

    // No LUN here: qualifier 3, type 1Fh.
    auto none = parseInquiry(inquiry(0x7F, 0x00, 0, 0, "        ", std::string(16, ' '), "    "));
    REQUIRE(none.ok());
    CHECK(none->peripheralQualifier == 3);
    CHECK(none->peripheralType == 0x1F);
    CHECK(!none->removable);
    CHECK(!none->mediumChanger);

    // NULs in the strings are kept as sent.
    auto nul = parseInquiry(inquiry(0x08, 0x80, 5, 0, std::string("STK\0\0\0\0\0", 8),
                                    std::string("L700\0\0\0\0\0\0\0\0\0\0\0\0", 16), "0104"));
    REQUIRE(nul.ok());
    CHECK(nul->vendor.size() == 8);
    CHECK(nul->vendor == std::string("STK\0\0\0\0\0", 8));
    CHECK(trimField(nul->vendor) == "STK");
    CHECK(trimField(nul->product) == "L700");
}

TEST_CASE("inquiry: short replies keep what arrived, below 8 bytes is BAD_FORMAT") {
    Bytes full = inquiry(0x08, 0x80, 5, 0, "QUANTUM ", "Scalar i500     ", "680G");
    SUBCASE("8 bytes: flags only") {
        auto r = parseInquiry(Bytes(full.begin(), full.begin() + 8));
        REQUIRE(r.ok());
        CHECK(r->peripheralType == peripheral::MediumChanger);
        CHECK(r->vendor.empty());
        CHECK(r->product.empty());
        CHECK(r->revision.empty());
    }
    SUBCASE("20 bytes: vendor and part of the product") {
        auto r = parseInquiry(Bytes(full.begin(), full.begin() + 20));
        REQUIRE(r.ok());
        CHECK(r->vendor == "QUANTUM ");
        CHECK(r->product == "Scal");
        CHECK(r->revision.empty());
    }
    SUBCASE("34 bytes: half the revision") {
        auto r = parseInquiry(Bytes(full.begin(), full.begin() + 34));
        REQUIRE(r.ok());
        CHECK(r->product == "Scalar i500     ");
        CHECK(r->revision == "68");
    }
    SUBCASE("fewer than 8 bytes") {
        for (std::size_t n = 0; n < 8; ++n) {
            CAPTURE(n);
            auto r = parseInquiry(Bytes(full.begin(), full.begin() + static_cast<long>(n)));
            REQUIRE(!r.ok());
            CHECK(r.error().code() == ErrorCode::BadFormat);
            CHECK(contains(r.error().message(), "INQUIRY"));
        }
    }
}

TEST_CASE("inquiry: unit serial number page") {
    auto tgtd = parseUnitSerialNumber(fromHex(kTgtdChangerSerial));
    REQUIRE(tgtd.ok());
    CHECK(*tgtd == "beaf13");

    auto plain = parseUnitSerialNumber(vpd80("10WT012345  "));
    REQUIRE(plain.ok());
    CHECK(*plain == "10WT012345");

    auto nul = parseUnitSerialNumber(vpd80(std::string("DRV001\0\0", 8)));
    REQUIRE(nul.ok());
    CHECK(*nul == "DRV001");

    auto empty = parseUnitSerialNumber(vpd80(""));
    REQUIRE(empty.ok());
    CHECK(empty->empty());

    Bytes padded = vpd80("SN42");
    padded.insert(padded.end(), {'X', 'Y', 'Z'});  // past the page length: not the serial
    auto p = parseUnitSerialNumber(padded);
    REQUIRE(p.ok());
    CHECK(*p == "SN42");
}

TEST_CASE("inquiry: malformed serial number pages are BAD_FORMAT") {
    SUBCASE("wrong page code") {
        auto r = parseUnitSerialNumber(vpd80("ABC", 0x83));
        REQUIRE(!r.ok());
        CHECK(r.error().code() == ErrorCode::BadFormat);
        CHECK(contains(r.error().message(), "83h"));
    }
    SUBCASE("header too short") {
        for (std::size_t n = 0; n < 4; ++n) {
            CAPTURE(n);
            Bytes b = vpd80("ABC");
            b.resize(n);
            auto r = parseUnitSerialNumber(b);
            REQUIRE(!r.ok());
            CHECK(r.error().code() == ErrorCode::BadFormat);
        }
    }
    SUBCASE("serial cut by the allocation length") {
        Bytes b = vpd80("0123456789");
        b.resize(10);
        auto r = parseUnitSerialNumber(b);
        REQUIRE(!r.ok());
        CHECK(contains(r.error().message(), "declares 10"));
        CHECK(contains(r.error().message(), "6 received"));
    }
    SUBCASE("absurd page length") {
        Bytes b = vpd80("A");
        b[2] = 0xFF;
        b[3] = 0xFF;
        CHECK(!parseUnitSerialNumber(b).ok());
    }
}

TEST_CASE("inquiry: trimField") {
    CHECK(trimField("") == "");
    CHECK(trimField("    ") == "");
    CHECK(trimField("IBM     ") == "IBM");
    CHECK(trimField("  beaf13") == "beaf13");
    CHECK(trimField(std::string_view("A B \0\0 \0", 8)) == "A B");
    CHECK(trimField(std::string_view("\0\0", 2)) == "");
    CHECK(trimField(" x ") == "x");
    CHECK(trimField("ULT3580-TD8 ") == "ULT3580-TD8");
}

TEST_CASE("inquiry: trimBlanksAndNuls trims what trimField does, and leading NULs and tabs") {
    CHECK(trimBlanksAndNuls("") == "");
    CHECK(trimBlanksAndNuls(" \t ") == "");
    CHECK(trimBlanksAndNuls(std::string_view("\0\0", 2)) == "");
    CHECK(trimBlanksAndNuls("IBM     ") == "IBM");
    CHECK(trimBlanksAndNuls(" x ") == "x");
    CHECK(trimBlanksAndNuls(std::string_view("A B \0\0 \0", 8)) == "A B");
    // Where the two differ: trimField keeps a leading NUL or tab and a trailing tab.
    const std::string_view padded("\0\t SERIAL1 \t\0", 13);
    CHECK(trimBlanksAndNuls(padded) == "SERIAL1");
    CHECK(trimField(padded) == std::string("\0\t SERIAL1 \t", 12));
    CHECK(trimBlanksAndNuls("\tHP\t") == "HP");
    CHECK(trimField("\tHP\t") == "\tHP\t");
}

TEST_CASE("inquiry: fuzzed replies never crash") {
    std::mt19937 rng(4242);
    int ok = 0;
    for (int i = 0; i < 20000; ++i) {
        Bytes b(rng() % 80);
        for (auto &x : b)
            x = static_cast<std::uint8_t>(rng());
        if (i % 2 == 0 && b.size() >= 2)
            b[1] = 0x80;
        auto inq = parseInquiry(b);
        CHECK(inq.ok() == (b.size() >= 8));
        if (inq.ok()) {
            ++ok;
            CHECK(inq->vendor.size() <= 8);
            CHECK(inq->product.size() <= 16);
            CHECK(inq->revision.size() <= 4);
            CHECK(inq->peripheralQualifier <= 7);
        }
        auto sn = parseUnitSerialNumber(b);
        if (sn.ok())
            CHECK(sn->size() + 4 <= b.size());
        else
            CHECK(sn.error().code() == ErrorCode::BadFormat);
    }
    CHECK(ok > 10000);
}
