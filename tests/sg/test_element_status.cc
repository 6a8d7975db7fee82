#include <doctest/doctest.h>

#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "sg/element.h"
#include "sg/element_status.h"
#include "tests/sg/smc_reply.h"
#include "tests/sg/tgtd_captures.h"
#include "tests/support/text.h"

using namespace rsm;
using namespace rsm::sg;

using rsm::test::fromHex;
using rsm::test::kTgtdDrive;
using rsm::test::kTgtdStorage;

namespace {

using Bytes = std::vector<std::uint8_t>;

void put16(Bytes &b, std::uint32_t v) {
    b.push_back(static_cast<std::uint8_t>(v >> 8));
    b.push_back(static_cast<std::uint8_t>(v));
}

void put24(Bytes &b, std::uint32_t v) {
    b.push_back(static_cast<std::uint8_t>(v >> 16));
    put16(b, v & 0xFFFF);
}

void putText(Bytes &b, const std::string &s) {
    b.insert(b.end(), s.begin(), s.end());
}

// A volume identifier the way libraries send it: blank-padded to 32 bytes.
std::string tag32(const std::string &barcode) {
    return barcode + std::string(32 - barcode.size(), ' ');
}

struct Desc {
    std::uint16_t address = 0;
    std::uint8_t flags = 0;  // byte 2
    std::uint8_t asc = 0;
    std::uint8_t ascq = 0;
    std::uint8_t byte6 = 0;  // NOT BUS / ID VALID / LU VALID / LUN
    std::uint8_t scsiId = 0;
    std::uint8_t byte9 = 0;  // SVALID / INVERT
    std::uint16_t source = 0;
    std::string primary{};  // 32 bytes when the page has PVolTag
    std::uint16_t primarySequence = 0;
    std::string alternate{};
    std::uint16_t alternateSequence = 0;
    std::uint8_t codeSet = 2;
    std::string identifier{};  // device identifier bytes (empty: length 0)
};

struct PageSpec {
    std::uint8_t type = 2;
    bool pvol = false;
    bool avol = false;
    bool dvcidBlock = false;             // append the 4-byte identifier header (SMC-3 layout)
    std::uint16_t descriptorLength = 0;  // 0: computed from the options
    std::vector<Desc> descriptors{};
    std::optional<std::uint32_t> byteCount{};  // override of the page byte count
};

Bytes descriptorBytes(const PageSpec &p, const Desc &d) {
    Bytes b;
    put16(b, d.address);
    b.push_back(d.flags);
    b.push_back(0);
    b.push_back(d.asc);
    b.push_back(d.ascq);
    b.push_back(d.byte6);
    b.push_back(d.scsiId);
    b.push_back(0);
    b.push_back(d.byte9);
    put16(b, d.source);
    if (p.pvol) {
        putText(b, d.primary.empty() ? std::string(32, '\0') : d.primary);
        put16(b, 0);
        put16(b, d.primarySequence);
    }
    if (p.avol) {
        putText(b, d.alternate.empty() ? std::string(32, '\0') : d.alternate);
        put16(b, 0);
        put16(b, d.alternateSequence);
    }
    if (p.dvcidBlock) {
        b.push_back(d.codeSet);
        b.push_back(1);  // identifier type: T10 vendor ID
        b.push_back(0);
        b.push_back(static_cast<std::uint8_t>(d.identifier.size()));
        putText(b, d.identifier);
    }
    return b;
}

std::uint16_t lengthOf(const PageSpec &p) {
    if (p.descriptorLength != 0)
        return p.descriptorLength;
    std::size_t longest = 0;
    for (const auto &d : p.descriptors)
        longest = std::max(longest, descriptorBytes(p, d).size());
    return static_cast<std::uint16_t>(longest);
}

Bytes pageBytes(const PageSpec &p) {
    const std::uint16_t len = lengthOf(p);
    Bytes body;
    for (const auto &d : p.descriptors) {
        Bytes one = descriptorBytes(p, d);
        one.resize(len, 0);
        body.insert(body.end(), one.begin(), one.end());
    }
    Bytes b;
    b.push_back(p.type);
    b.push_back(static_cast<std::uint8_t>((p.pvol ? 0x80 : 0) | (p.avol ? 0x40 : 0)));
    put16(b, len);
    b.push_back(0);
    put24(b, p.byteCount.value_or(static_cast<std::uint32_t>(body.size())));
    b.insert(b.end(), body.begin(), body.end());
    return b;
}

// A whole reply; `reportBytes` overrides the header's byte count (default: the pages' size).
Bytes reply(const std::vector<PageSpec> &pages, std::optional<std::uint32_t> reportBytes = {}) {
    Bytes body;
    std::size_t count = 0;
    for (const auto &p : pages) {
        Bytes pb = pageBytes(p);
        body.insert(body.end(), pb.begin(), pb.end());
        count += p.descriptors.size();
    }
    Bytes b;
    put16(b, pages.empty() || pages[0].descriptors.empty() ? 0 : pages[0].descriptors[0].address);
    put16(b, static_cast<std::uint32_t>(count));
    b.push_back(0);
    put24(b, reportBytes.value_or(static_cast<std::uint32_t>(body.size())));
    b.insert(b.end(), body.begin(), body.end());
    return b;
}

ElementStatusReport parseOk(const Bytes &b) {
    auto r = parseElementStatus(b);
    REQUIRE_MESSAGE(r.ok(), (r.ok() ? std::string() : r.error().message()));
    return *r;
}

Error parseFails(const Bytes &b) {
    auto r = parseElementStatus(b);
    REQUIRE(!r.ok());
    CHECK(r.error().code() == ErrorCode::BadFormat);
    return r.error();
}

using rsm::test::contains;

}  // namespace

TEST_CASE("element: type names are the JSON vocabulary") {
    CHECK(elementTypeName(ElementType::Transport) == "transport");
    CHECK(elementTypeName(ElementType::Storage) == "slot");
    CHECK(elementTypeName(ElementType::ImportExport) == "ieport");
    CHECK(elementTypeName(ElementType::DataTransfer) == "drive");
    CHECK(elementTypeName(ElementType::All) == "all");
}

TEST_CASE("element: volume tags keep their bytes; trimmed() drops blanks and NULs") {
    VolumeTag t{tag32("A00001L8"), 0};
    CHECK(t.identifier.size() == 32);
    CHECK(t.trimmed() == "A00001L8");
    CHECK(t.present());
    VolumeTag nul{std::string("B7\0\0  \0", 7), 0};
    CHECK(nul.trimmed() == "B7");
    VolumeTag blank{std::string(32, ' '), 0};
    CHECK(blank.trimmed().empty());
    CHECK(blank.present());  // mtx prints a blank-padded tag
    VolumeTag empty{std::string(32, '\0'), 0};
    CHECK(!empty.present());
    CHECK(!VolumeTag{}.present());
    VolumeTag inner{"A B  ", 0};
    CHECK(inner.trimmed() == "A B");
}

TEST_CASE("element: address assignment ranges and typeOf") {
    ElementAddressAssignment a;
    a.transport = {1, 1};
    a.storage = {1000, 20};
    a.importExport = {10, 4};
    a.dataTransfer = {500, 2};
    CHECK(a.range(ElementType::Storage).first == 1000);
    CHECK(a.range(ElementType::DataTransfer).count == 2);
    a.range(ElementType::ImportExport).count = 5;
    CHECK(a.importExport.count == 5);
    CHECK(a.typeOf(1) == ElementType::Transport);
    CHECK(a.typeOf(1000) == ElementType::Storage);
    CHECK(a.typeOf(1019) == ElementType::Storage);
    CHECK(!a.typeOf(1020).has_value());
    CHECK(a.typeOf(14) == ElementType::ImportExport);
    CHECK(a.typeOf(501) == ElementType::DataTransfer);
    CHECK(!a.typeOf(0).has_value());
    CHECK(!a.typeOf(502).has_value());
    ElementAddressAssignment top;
    top.storage = {65535, 1};
    CHECK(top.typeOf(65535) == ElementType::Storage);
    ElementAddressAssignment none;  // all counts 0: no address belongs anywhere
    CHECK(!none.typeOf(0).has_value());
}

TEST_CASE("element status: descriptor lengths for allocation sizing") {
    CHECK(elementDescriptorLength(false, false, false) == 16);
    CHECK(elementDescriptorLength(true, false, false) == 52);  // tgtd and SMC-3 libraries
    CHECK(elementDescriptorLength(true, true, false) == 88);
    CHECK(elementDescriptorLength(true, false, true) >= 86);  // tgtd's DVCID descriptor
    CHECK(elementDescriptorLength(false, false, true) >
          elementDescriptorLength(false, false, false));
}

TEST_CASE("element status: a header-only report is empty") {
    Bytes b = {0, 0, 0, 0, 0, 0, 0, 0};
    auto r = parseOk(b);
    CHECK(r.elements.empty());
    CHECK(!r.truncated);
    CHECK(r.reportBytesAvailable == 0);
    // A page with no descriptors is empty too.
    auto withPage = parseOk(reply({PageSpec{.type = 2, .pvol = true}}));
    CHECK(withPage.elements.empty());
    CHECK(!withPage.truncated);
}

TEST_CASE("element status: storage slots with primary volume tags") {
    PageSpec p{.type = 2, .pvol = true, .dvcidBlock = true};
    p.descriptors = {
        Desc{.address = 1000, .flags = 0x01, .primary = tag32("A00001L8"), .primarySequence = 7},
        Desc{.address = 1001, .primary = std::string(32, ' ')},
        Desc{.address = 1002,
             .flags = 0x09,
             .byte9 = 0xC0,
             .source = 500,
             .primary = tag32("CLN001L1")},
        Desc{.address = 1003, .flags = 0x01, .byte9 = 0x00, .source = 77},
    };
    Bytes b = reply({p});
    auto r = parseOk(b);
    CHECK(r.firstAddressReported == 1000);
    CHECK(r.elementsAvailable == 4);
    CHECK(r.reportBytesAvailable == b.size() - 8);
    CHECK(!r.truncated);
    REQUIRE(r.elements.size() == 4);

    const Element &a = r.elements[0];
    CHECK(a.type == ElementType::Storage);
    CHECK(a.address == 1000);
    CHECK(a.full);
    CHECK(!a.exception);
    CHECK(a.accessible);
    CHECK(!a.sourceAddress.has_value());
    REQUIRE(a.primaryTag.has_value());
    CHECK(a.primaryTag->identifier == tag32("A00001L8"));
    CHECK(a.primaryTag->identifier.size() == 32);
    CHECK(a.primaryTag->trimmed() == "A00001L8");
    CHECK(a.primaryTag->sequence == 7);
    CHECK(!a.alternateTag.has_value());
    CHECK(!a.identifier.has_value());  // identifier length 0
    CHECK(!a.scsiId.has_value());
    CHECK(!a.scsiLun.has_value());

    CHECK(!r.elements[1].full);
    CHECK(r.elements[1].primaryTag->identifier == std::string(32, ' '));
    CHECK(r.elements[1].primaryTag->present());

    const Element &c = r.elements[2];
    CHECK(c.full);
    CHECK(c.accessible);  // ACCESS means nothing for slots
    CHECK(!c.importExport);
    REQUIRE(c.sourceAddress.has_value());
    CHECK(*c.sourceAddress == 500);
    CHECK(c.invert);

    // SVALID clear: the source address field is not a source.
    CHECK(!r.elements[3].sourceAddress.has_value());
    CHECK(r.elements[3].primaryTag->identifier == std::string(32, '\0'));
    CHECK(!r.elements[3].primaryTag->present());
}

TEST_CASE("element status: all four element types in one reply, one page each") {
    PageSpec picker{.type = 1, .descriptors = {Desc{.address = 1, .flags = 0x00}}};
    PageSpec slots{.type = 2, .pvol = true};
    slots.descriptors = {Desc{.address = 1000, .flags = 0x01, .primary = tag32("A00001L8")},
                         Desc{.address = 1001}};
    PageSpec ie{.type = 3, .pvol = true};
    ie.descriptors = {Desc{.address = 10, .flags = 0x3B, .primary = tag32("A00009L8")},
                      Desc{.address = 11, .flags = 0x00}};
    PageSpec drives{.type = 4, .pvol = true, .dvcidBlock = true};
    drives.descriptors = {
        Desc{.address = 500,
             .flags = 0x09,
             .byte6 = 0x35,
             .scsiId = 4,
             .byte9 = 0x80,
             .source = 1001,
             .primary = tag32("A00002L8"),
             .identifier = "IBM     ULT3580-TD8     10WT012345"},
        Desc{.address = 501, .flags = 0x00, .byte6 = 0x87, .scsiId = 9},
    };
    auto r = parseOk(reply({picker, slots, ie, drives}));
    CHECK(!r.truncated);
    REQUIRE(r.elements.size() == 7);

    const Element &t = r.elements[0];
    CHECK(t.type == ElementType::Transport);
    CHECK(t.address == 1);
    CHECK(t.accessible);  // ACCESS 0 but meaningless for a picker
    CHECK(!t.primaryTag.has_value());

    CHECK(r.elements[1].type == ElementType::Storage);
    CHECK(r.elements[1].full);
    CHECK(r.elements[2].type == ElementType::Storage);
    CHECK(!r.elements[2].full);

    const Element &m = r.elements[3];
    CHECK(m.type == ElementType::ImportExport);
    CHECK(m.full);
    CHECK(m.importExport);
    CHECK(m.accessible);
    CHECK(m.exportEnabled);
    CHECK(m.importEnabled);
    CHECK(m.primaryTag->trimmed() == "A00009L8");
    const Element &m2 = r.elements[4];
    CHECK(!m2.accessible);  // ACCESS 0 on an IE port: the operator has it
    CHECK(!m2.importExport);
    CHECK(!m2.importEnabled);
    CHECK(!m2.exportEnabled);

    const Element &d = r.elements[5];
    CHECK(d.type == ElementType::DataTransfer);
    CHECK(d.address == 500);
    CHECK(d.full);
    CHECK(d.accessible);
    REQUIRE(d.scsiLun.has_value());
    CHECK(*d.scsiLun == 5);
    REQUIRE(d.scsiId.has_value());
    CHECK(*d.scsiId == 4);
    CHECK(d.sourceAddress == std::optional<std::uint16_t>(1001));
    REQUIRE(d.identifier.has_value());
    CHECK(*d.identifier == "IBM     ULT3580-TD8     10WT012345");
    const Element &d2 = r.elements[6];
    CHECK(!d2.accessible);
    CHECK(!d2.scsiLun.has_value());  // LU VALID and ID VALID clear
    CHECK(!d2.scsiId.has_value());
    CHECK(!d2.identifier.has_value());
}

TEST_CASE("element status: primary and alternate tags") {
    PageSpec p{.type = 2, .pvol = true, .avol = true};
    p.descriptors = {Desc{.address = 1000,
                          .flags = 1,
                          .primary = tag32("A00001L8"),
                          .primarySequence = 1,
                          .alternate = tag32("ALT0001"),
                          .alternateSequence = 2}};
    auto r = parseOk(reply({p}));
    REQUIRE(r.elements.size() == 1);
    REQUIRE(r.elements[0].primaryTag.has_value());
    REQUIRE(r.elements[0].alternateTag.has_value());
    CHECK(r.elements[0].primaryTag->trimmed() == "A00001L8");
    CHECK(r.elements[0].primaryTag->sequence == 1);
    CHECK(r.elements[0].alternateTag->identifier == tag32("ALT0001"));
    CHECK(r.elements[0].alternateTag->sequence == 2);

    // Alternate tag alone sits right after the 12-byte base.
    PageSpec alt{.type = 2, .avol = true};
    alt.descriptors = {Desc{.address = 1001, .alternate = tag32("ONLYALT")}};
    auto a = parseOk(reply({alt}));
    REQUIRE(a.elements.size() == 1);
    CHECK(!a.elements[0].primaryTag.has_value());
    CHECK(a.elements[0].alternateTag->trimmed() == "ONLYALT");
}

TEST_CASE("element status: device identifiers without volume tags, binary and clipped") {
    PageSpec p{.type = 4, .dvcidBlock = true};
    p.descriptors = {
        Desc{.address = 500, .identifier = "  HP      Ultrium 5-SCSI  DRV001  "},
        Desc{.address = 501, .codeSet = 1, .identifier = std::string("\x50\x01\x0a\xff", 4)},
    };
    auto r = parseOk(reply({p}));
    REQUIRE(r.elements.size() == 2);
    CHECK(r.elements[0].identifier == std::optional<std::string>("HP      Ultrium 5-SCSI  DRV001"));
    CHECK(r.elements[1].identifier == std::optional<std::string>("50010aff"));

    // An identifier length running past the descriptor is clipped to the descriptor.
    Bytes b = reply({p});
    const std::size_t lengthByte = 8 + 8 + 12 + 3;
    REQUIRE(b[lengthByte] == 34);
    b[lengthByte] = 200;
    auto clipped = parseOk(b);
    REQUIRE(clipped.elements.size() == 2);
    CHECK(clipped.elements[0].identifier ==
          std::optional<std::string>("HP      Ultrium 5-SCSI  DRV001"));

    // A 12-byte (SMC-2) descriptor has no identifier block at all.
    PageSpec old{.type = 4};
    old.descriptors = {Desc{.address = 500, .flags = 0x08}};
    auto o = parseOk(reply({old}));
    REQUIRE(o.elements.size() == 1);
    CHECK(!o.elements[0].identifier.has_value());
    CHECK(o.elements[0].accessible);
}

TEST_CASE("element status: exception state keeps ASC and ASCQ") {
    PageSpec p{.type = 4};
    p.descriptors = {Desc{.address = 500, .flags = 0x04, .asc = 0x83, .ascq = 0x02},
                     Desc{.address = 501, .flags = 0x08}};
    auto r = parseOk(reply({p}));
    REQUIRE(r.elements.size() == 2);
    CHECK(r.elements[0].exception);
    CHECK(r.elements[0].asc == 0x83);
    CHECK(r.elements[0].ascq == 0x02);
    CHECK(!r.elements[0].accessible);
    CHECK(!r.elements[1].exception);
    CHECK(r.elements[1].asc == 0);
}

TEST_CASE("element status: tgtd's reply 8 bytes short keeps its last descriptor") {
    Bytes b = fromHex(kTgtdStorage);
    REQUIRE(b.size() == 268);
    auto r = parseOk(b);
    CHECK(!r.truncated);
    CHECK(r.firstAddressReported == 1000);
    CHECK(r.elementsAvailable == 5);
    CHECK(r.reportBytesAvailable == 268);
    REQUIRE(r.elements.size() == 5);
    CHECK(r.elements[0].full);
    CHECK(r.elements[0].primaryTag->identifier == tag32("SMC001L5"));
    for (std::size_t i = 0; i < 5; ++i) {
        CHECK(r.elements[i].address == 1000 + i);
        CHECK(r.elements[i].type == ElementType::Storage);
    }
    const Element &last = r.elements[4];
    CHECK(!last.full);
    CHECK(last.primaryTag->identifier == std::string(32, ' '));  // the tag arrived whole
    CHECK(last.primaryTag->sequence == 0);                       // zero-filled

    Bytes d = fromHex(kTgtdDrive);
    REQUIRE(d.size() == 94);
    auto dr = parseOk(d);
    CHECK(!dr.truncated);
    REQUIRE(dr.elements.size() == 1);
    CHECK(dr.elements[0].type == ElementType::DataTransfer);
    CHECK(dr.elements[0].address == 500);
    // The identifier's last 8 bytes were never sent; the rest is kept.
    CHECK(dr.elements[0].identifier == std::optional<std::string>("IET     VIRTUAL-TAPE    be"));
}

TEST_CASE("element status: tgtd-style shortfall larger than a descriptor is a truncation") {
    PageSpec p{.type = 1};
    p.descriptorLength = 6;  // odd but legal: 6-byte descriptors, 8 missing bytes span two
    p.descriptors = {Desc{.address = 1}, Desc{.address = 2}, Desc{.address = 3}};
    Bytes b = reply({p});
    b.resize(b.size() - 8);
    auto r = parseOk(b);
    CHECK(r.truncated);
    REQUIRE(r.elements.size() == 1);
    CHECK(r.elements[0].address == 1);
}

TEST_CASE("element status: page byte count not a multiple of the descriptor length") {
    PageSpec p{.type = 2, .pvol = true, .dvcidBlock = true};
    p.descriptors = {Desc{.address = 1000, .flags = 1, .primary = tag32("A00001L8")},
                     Desc{.address = 1001, .flags = 1, .primary = tag32("A00002L8")}};
    const std::uint32_t len = lengthOf(p);
    REQUIRE(len == 52);
    for (std::uint32_t cut : {8u, 20u, 50u}) {
        CAPTURE(cut);
        p.byteCount = 2 * len - cut;
        Bytes b = reply({p}, 8 + 2 * len - cut);
        b.resize(b.size() - cut);  // the page and report counts both match what arrived
        auto r = parseOk(b);
        CHECK(!r.truncated);
        REQUIRE(r.elements.size() == 2);
        CHECK(r.elements[1].address == 1001);
        CHECK(r.elements[1].full == (cut < 50));  // cut 50: only the address arrived
        REQUIRE(r.elements[1].primaryTag.has_value());
        CHECK(r.elements[1].primaryTag->identifier.size() == 32);
        if (cut == 8)
            CHECK(r.elements[1].primaryTag->identifier == tag32("A00002L8"));
        if (cut == 50)  // only the address arrived
            CHECK(r.elements[1].primaryTag->identifier == std::string(32, '\0'));
    }
    p.byteCount = 2 * len - 51;  // one byte left over: no address
    Bytes b = reply({p}, 8 + 2 * len - 51);
    b.resize(b.size() - 51);
    auto e = parseFails(b);
    CHECK(contains(e.message(), "byte 68"));
}

TEST_CASE("element status: a reply cut by the allocation length keeps whole descriptors") {
    PageSpec slots{.type = 2, .pvol = true, .dvcidBlock = true};
    for (std::uint16_t a = 1000; a < 1010; ++a)
        slots.descriptors.push_back(Desc{.address = a, .primary = tag32("X" + std::to_string(a))});
    PageSpec drives{.type = 4, .descriptors = {Desc{.address = 500}}};
    const Bytes full = reply({slots, drives});
    const std::size_t len = 52;

    SUBCASE("cut in the middle of a descriptor") {
        Bytes b(full.begin(), full.begin() + 16 + 3 * len + 20);
        auto r = parseOk(b);
        CHECK(r.truncated);
        REQUIRE(r.elements.size() == 3);
        CHECK(r.elements.back().address == 1002);
    }
    SUBCASE("cut on a descriptor boundary") {
        Bytes b(full.begin(), full.begin() + 16 + 4 * len);
        auto r = parseOk(b);
        CHECK(r.truncated);
        REQUIRE(r.elements.size() == 4);
        CHECK(r.elements.back().primaryTag->trimmed() == "X1003");
    }
    SUBCASE("cut inside the second page header") {
        Bytes b(full.begin(), full.begin() + 16 + 10 * len + 5);
        auto r = parseOk(b);
        CHECK(r.truncated);
        CHECK(r.elements.size() == 10);
    }
    SUBCASE("cut right after the data header") {
        Bytes b(full.begin(), full.begin() + 8);
        auto r = parseOk(b);
        CHECK(r.truncated);
        CHECK(r.elements.empty());
        CHECK(r.reportBytesAvailable == full.size() - 8);
    }
    SUBCASE("tgtd cut by a small allocation") {
        Bytes b = fromHex(kTgtdStorage);
        b.resize(100);
        auto r = parseOk(b);
        CHECK(r.truncated);
        REQUIRE(r.elements.size() == 1);
        CHECK(r.elements[0].primaryTag->trimmed() == "SMC001L5");
    }
    SUBCASE("whole reply") {
        auto r = parseOk(full);
        CHECK(!r.truncated);
        REQUIRE(r.elements.size() == 11);
        CHECK(r.elements[10].type == ElementType::DataTransfer);
    }
}

TEST_CASE("element status: bytes past the declared report are padding") {
    PageSpec p{.type = 2, .descriptors = {Desc{.address = 1000, .flags = 1}}};
    Bytes b = reply({p});
    b.resize(b.size() + 64, 0xEE);
    auto r = parseOk(b);
    CHECK(!r.truncated);
    REQUIRE(r.elements.size() == 1);
    CHECK(r.elements[0].full);
}

TEST_CASE("element status: garbage is ERROR_BAD_FORMAT saying where") {
    SUBCASE("truncated header") {
        for (std::size_t n = 0; n < 8; ++n) {
            CAPTURE(n);
            Bytes b(n, 0);
            auto e = parseFails(b);
            CHECK(contains(e.message(), "header"));
        }
    }
    SUBCASE("page overrunning the report") {
        PageSpec p{.type = 2, .descriptors = {Desc{.address = 1000}}};
        p.byteCount = 500;
        auto e = parseFails(reply({p}, 20));
        CHECK(contains(e.message(), "byte 8"));
        CHECK(contains(e.message(), "500"));
    }
    SUBCASE("second page overrunning the report") {
        PageSpec a{.type = 2, .descriptors = {Desc{.address = 1000}}};
        PageSpec c{.type = 4, .descriptors = {Desc{.address = 500}}};
        c.byteCount = 13;
        Bytes b = reply({a, c});
        b[7] = static_cast<std::uint8_t>(b[7] - 1);  // report one byte short of the page
        b.pop_back();
        auto e = parseFails(b);
        CHECK(contains(e.message(), "byte 28"));
    }
    SUBCASE("descriptor length 0 or 1 with data") {
        for (std::uint16_t len : {0, 1}) {
            CAPTURE(len);
            PageSpec p{.type = 2, .descriptors = {Desc{.address = 1000}}};
            p.descriptorLength = 12;
            Bytes b = reply({p});
            b[10] = 0;
            b[11] = static_cast<std::uint8_t>(len);
            auto e = parseFails(b);
            CHECK(contains(e.message(), "descriptor length"));
            CHECK(contains(e.message(), "byte 8"));
        }
    }
    SUBCASE("volume tag flag with a descriptor too short for it") {
        PageSpec p{.type = 2, .descriptors = {Desc{.address = 1000}}};
        Bytes b = reply({p});
        b[9] = 0x80;
        auto e = parseFails(b);
        CHECK(contains(e.message(), "volume tag"));
    }
    SUBCASE("element type codes outside 1-4") {
        for (std::uint8_t code : {0, 5, 15}) {
            CAPTURE(code);
            PageSpec p{.type = code, .descriptors = {Desc{.address = 1000}}};
            auto e = parseFails(reply({p}));
            CHECK(contains(e.message(), "element type code"));
        }
    }
    SUBCASE("trailing bytes too few for a page header") {
        PageSpec p{.type = 2, .descriptors = {Desc{.address = 1000}}};
        Bytes b = reply({p}, 12 + 8 + 3);
        b.insert(b.end(), {0, 0, 0});
        auto e = parseFails(b);
        CHECK(contains(e.message(), "page header"));
        CHECK(contains(e.message(), "byte 28"));
    }
}

TEST_CASE("element status: oversized declared counts do not allocate or overrun") {
    PageSpec p{.type = 2, .pvol = true, .descriptors = {Desc{.address = 7, .flags = 1}}};
    p.byteCount = 0xFFFFF0;
    p.descriptorLength = 48;
    Bytes b = reply({p}, 0xFFFFFF);
    auto r = parseOk(b);
    CHECK(r.truncated);
    CHECK(r.reportBytesAvailable == 0xFFFFFF);
    REQUIRE(r.elements.size() == 1);
    CHECK(r.elements[0].address == 7);

    // A huge descriptor length with almost no data: nothing whole arrived.
    Bytes huge = reply({p}, 0xFFFFFF);
    huge[10] = 0xFF;
    huge[11] = 0xFF;
    auto h = parseOk(huge);
    CHECK(h.truncated);
    CHECK(h.elements.empty());
}

TEST_CASE("element status: fuzzed replies never crash") {
    std::mt19937 rng(20240601);
    auto byte = [&] { return static_cast<std::uint8_t>(rng() & 0xFF); };

    PageSpec slots{.type = 2, .pvol = true, .dvcidBlock = true};
    for (std::uint16_t a = 1000; a < 1006; ++a)
        slots.descriptors.push_back(
            Desc{.address = a, .flags = 1, .primary = tag32("F" + std::to_string(a))});
    PageSpec drives{.type = 4, .pvol = true, .avol = true, .dvcidBlock = true};
    drives.descriptors = {
        Desc{.address = 500, .byte6 = 0x31, .identifier = "VENDOR  PRODUCT         SERIAL"}};
    const std::vector<Bytes> seeds = {reply({slots, drives}), fromHex(kTgtdStorage),
                                      fromHex(kTgtdDrive), reply({PageSpec{.type = 1}})};

    std::size_t parsed = 0;
    std::size_t rejected = 0;
    for (int i = 0; i < 20000; ++i) {
        Bytes b;
        if (i % 4 == 0) {  // random bytes with a plausible header
            b.resize(rng() % 300);
            for (auto &x : b)
                x = byte();
            if (b.size() >= 8 && (i % 8 == 0)) {
                b[4] = 0;
                b[5] = 0;
                b[6] = static_cast<std::uint8_t>((b.size() - 8) >> 8);
                b[7] = static_cast<std::uint8_t>(b.size() - 8);
            }
        } else {  // mutations of valid replies
            b = seeds[rng() % seeds.size()];
            const int edits = 1 + static_cast<int>(rng() % 6);
            for (int k = 0; k < edits && !b.empty(); ++k) {
                switch (rng() % 4) {
                    case 0:
                        b[rng() % b.size()] = byte();
                        break;
                    case 1:
                        b.resize(rng() % (b.size() + 1));
                        break;
                    case 2:
                        b[rng() % b.size()] ^= static_cast<std::uint8_t>(1u << (rng() % 8));
                        break;
                    default:
                        b.insert(b.begin() + static_cast<std::ptrdiff_t>(rng() % b.size()), byte());
                        break;
                }
            }
        }
        auto r = parseElementStatus(b);
        if (r.ok()) {
            ++parsed;
            for (const Element &e : r->elements) {
                CHECK(static_cast<int>(e.type) >= 1);
                CHECK(static_cast<int>(e.type) <= 4);
                if (e.primaryTag)
                    CHECK(e.primaryTag->identifier.size() == 32);
                if (e.alternateTag)
                    CHECK(e.alternateTag->identifier.size() == 32);
            }
            // Every element needs at least 2 received bytes of descriptor.
            CHECK(r->elements.size() * 2 <= b.size());
        } else {
            ++rejected;
            CHECK(r.error().code() == ErrorCode::BadFormat);
            CHECK(!r.error().message().empty());
        }
    }
    CHECK(parsed + rejected == 20000);
    CHECK(parsed > 1000);
    CHECK(rejected > 1000);
}

TEST_CASE("element status: scanElementStatus hands over what parseElementStatus keeps") {
    PageSpec tags{.type = 2, .pvol = true, .avol = true};
    tags.descriptors = {Desc{.address = 1000,
                             .flags = 1,
                             .primary = tag32("A00001L8"),
                             .alternate = tag32("ALT0001")},
                        Desc{.address = 1001, .primary = tag32(""), .alternate = tag32("")}};
    PageSpec alternateOnly{.type = 3, .avol = true};
    alternateOnly.descriptors = {Desc{.address = 10, .alternate = tag32("ONLYALT")}};
    for (const Bytes &b :
         {reply({tags, alternateOnly}), fromHex(kTgtdStorage), fromHex(kTgtdDrive)}) {
        const ElementStatusReport parsed = parseOk(b);
        std::vector<Element> scanned;
        auto report = scanElementStatus(b, [&](const ElementDescriptor &d) {
            const Element e = d.element();
            CHECK(d.type() == e.type);
            CHECK(d.address() == e.address);
            CHECK(d.full() == e.full);
            CHECK(d.asc() == e.asc);
            CHECK(d.ascq() == e.ascq);
            CHECK(d.sourceAddress() == e.sourceAddress);
            CHECK(d.primaryIdentifier() ==
                  (e.primaryTag ? std::string_view(e.primaryTag->identifier) : ""));
            CHECK(d.alternateIdentifier() ==
                  (e.alternateTag ? std::string_view(e.alternateTag->identifier) : ""));
            scanned.push_back(e);
        });
        REQUIRE(report.ok());
        CHECK(report->elements.empty());
        CHECK(report->truncated == parsed.truncated);
        REQUIRE(scanned.size() == parsed.elements.size());
        for (std::size_t i = 0; i < scanned.size(); ++i) {
            CHECK(scanned[i].address == parsed.elements[i].address);
            CHECK(scanned[i].identifier == parsed.elements[i].identifier);
            CHECK(scanned[i].accessible == parsed.elements[i].accessible);
        }
    }
}
