#include <doctest/doctest.h>

#include <array>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "sg/mode_pages.h"
#include "tests/sg/smc_reply.h"

using namespace rsm;
using namespace rsm::sg;

using rsm::test::fromHex;

namespace {

using Bytes = std::vector<std::uint8_t>;

void put16(Bytes &b, std::uint32_t v) {
    b.push_back(static_cast<std::uint8_t>(v >> 8));
    b.push_back(static_cast<std::uint8_t>(v));
}

Bytes page1D(std::uint16_t mt, std::uint16_t mtCount, std::uint16_t st, std::uint16_t stCount,
             std::uint16_t ie, std::uint16_t ieCount, std::uint16_t dt, std::uint16_t dtCount) {
    Bytes b = {0x1D, 0x12};
    for (std::uint16_t v : {mt, mtCount, st, stCount, ie, ieCount, dt, dtCount})
        put16(b, v);
    put16(b, 0);  // reserved bytes 18-19
    return b;
}

Bytes page1F(std::uint8_t stor, std::array<std::uint8_t, 4> move,
             std::array<std::uint8_t, 4> exch) {
    Bytes b = {0x1F, 0x12, stor, 0};
    b.insert(b.end(), move.begin(), move.end());
    b.insert(b.end(), {0, 0, 0, 0});
    b.insert(b.end(), exch.begin(), exch.end());
    b.insert(b.end(), {0, 0, 0, 0});
    return b;
}

// MODE SENSE(6) data around pages: mode data length, medium type, device-specific, BDL.
Bytes six(const std::vector<Bytes> &pages, std::uint8_t blockDescriptorLength = 0) {
    Bytes b = {0, 0, 0, blockDescriptorLength};
    b.insert(b.end(), blockDescriptorLength, 0);
    for (const auto &p : pages)
        b.insert(b.end(), p.begin(), p.end());
    b[0] = static_cast<std::uint8_t>(b.size() - 1);
    return b;
}

Bytes ten(const std::vector<Bytes> &pages, std::uint16_t blockDescriptorLength = 0) {
    Bytes b = {0, 0, 0, 0, 0, 0};
    put16(b, blockDescriptorLength);
    b.insert(b.end(), blockDescriptorLength, 0);
    for (const auto &p : pages)
        b.insert(b.end(), p.begin(), p.end());
    b[0] = static_cast<std::uint8_t>((b.size() - 2) >> 8);
    b[1] = static_cast<std::uint8_t>(b.size() - 2);
    return b;
}

bool contains(const std::string &haystack, const std::string &needle) {
    return haystack.find(needle) != std::string::npos;
}

// Captured from tgtd 1.0.85 (library: picker 1, slots 1000-1004, I/E 10-11, drive 500).
const char *kTgtdSix1D = "17000000 1d12 0001 0001 03e8 0005 000a 0002 01f4 0001 0000";
const char *kTgtdSix1F = "17000000 1f12 0f07 0f0f0f0f 00000000 0f0f0f0f 00000000";
const char *kTgtdSixBlock1D =
    "1f000008 0000000000000000 1d12 0001 0001 03e8 0005 000a 0002 01f4 0001 0000";
// MODE SENSE(10), page 3Fh: pages 00h, 0Ah, 0Ah subpage 01h (SPF), 1Ah, 1Ch, 1Dh, 1Eh, 1Fh.
const char *kTgtdTenAll =
    "00 78 00 00 00 00 00 00 00 00 0a 0a 02 00 00 00"
    "00 00 00 00 02 00 4a 01 00 1c 04 00 00 00 00 00"
    "00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00"
    "00 00 00 00 00 00 1a 0a 08 00 00 00 00 00 00 00"
    "00 00 1c 0a 08 00 00 00 00 00 00 00 00 00 1d 12"
    "00 01 00 01 03 e8 00 05 00 0a 00 02 01 f4 00 01"
    "00 00 1e 02 00 00 1f 12 0f 07 0f 0f 0f 0f 00 00"
    "00 00 0f 0f 0f 0f 00 00 00 00";

void checkTgtdRanges(const ElementAddressAssignment &a) {
    CHECK(a.transport.first == 1);
    CHECK(a.transport.count == 1);
    CHECK(a.storage.first == 1000);
    CHECK(a.storage.count == 5);
    CHECK(a.importExport.first == 10);
    CHECK(a.importExport.count == 2);
    CHECK(a.dataTransfer.first == 500);
    CHECK(a.dataTransfer.count == 1);
}

}  // namespace

TEST_CASE("mode pages: tgtd's element address assignment, MODE SENSE(6)") {
    Bytes b = fromHex(kTgtdSix1D);
    REQUIRE(b.size() == 24);
    auto a = parseElementAddressAssignment(b, ModeHeader::Six);
    REQUIRE(a.ok());
    checkTgtdRanges(*a);
    CHECK(a->typeOf(1002) == ElementType::Storage);

    auto withBlock = parseElementAddressAssignment(fromHex(kTgtdSixBlock1D), ModeHeader::Six);
    REQUIRE(withBlock.ok());
    checkTgtdRanges(*withBlock);
}

TEST_CASE("mode pages: tgtd's MODE SENSE(10) with all pages is walked to 1Dh and 1Fh") {
    Bytes b = fromHex(kTgtdTenAll);
    REQUIRE(b.size() == 122);
    auto a = parseElementAddressAssignment(b, ModeHeader::Ten);
    REQUIRE(a.ok());
    checkTgtdRanges(*a);
    auto c = parseDeviceCapabilities(b, ModeHeader::Ten);
    REQUIRE(c.ok());
    CHECK(c->storeTransport);
    CHECK(c->storeStorage);
    CHECK(c->storeImportExport);
    CHECK(c->storeDataTransfer);
    CHECK(c->canMove(ElementType::Storage, ElementType::DataTransfer));
    CHECK(c->canExchange(ElementType::ImportExport, ElementType::Transport));
}

TEST_CASE("mode pages: device capabilities matrix") {
    // Stores in slots, I/E and drives; the picker only moves.
    // Move from: MT -> ST|IE|DT, ST -> ST|IE|DT, IE -> ST, DT -> ST|DT. Exchange: ST <-> ST only.
    Bytes p = page1F(0x0E, {0x0E, 0x0E, 0x02, 0x0A}, {0x00, 0x02, 0x00, 0x00});
    auto c = parseDeviceCapabilities(six({p}), ModeHeader::Six);
    REQUIRE(c.ok());
    CHECK(!c->storeTransport);
    CHECK(c->storeStorage);
    CHECK(c->storeImportExport);
    CHECK(c->storeDataTransfer);
    CHECK(c->moveFrom[1] == 0x0E);
    CHECK(c->moveFrom[4] == 0x0A);
    CHECK(c->exchangeFrom[2] == 0x02);
    CHECK(c->moveFrom[0] == 0);

    CHECK(c->canMove(ElementType::Storage, ElementType::DataTransfer));
    CHECK(c->canMove(ElementType::Storage, ElementType::ImportExport));
    CHECK(!c->canMove(ElementType::Storage, ElementType::Transport));
    CHECK(c->canMove(ElementType::ImportExport, ElementType::Storage));
    CHECK(!c->canMove(ElementType::ImportExport, ElementType::DataTransfer));
    CHECK(c->canMove(ElementType::DataTransfer, ElementType::DataTransfer));
    CHECK(!c->canMove(ElementType::DataTransfer, ElementType::ImportExport));
    CHECK(c->canExchange(ElementType::Storage, ElementType::Storage));
    CHECK(!c->canExchange(ElementType::Storage, ElementType::DataTransfer));
    CHECK(!c->canExchange(ElementType::DataTransfer, ElementType::Storage));
    // "All" is not an element type one moves from or to.
    CHECK(!c->canMove(ElementType::All, ElementType::Storage));
    CHECK(!c->canMove(ElementType::Storage, ElementType::All));
    CHECK(!c->canExchange(ElementType::All, ElementType::All));

    // Reserved high nibbles are not read as capabilities.
    Bytes noisy = page1F(0xF0, {0xF0, 0xF1, 0xF0, 0xF0}, {0xF0, 0xF0, 0xF0, 0xF0});
    auto n = parseDeviceCapabilities(ten({noisy}), ModeHeader::Ten);
    REQUIRE(n.ok());
    CHECK(!n->storeStorage);
    CHECK(n->moveFrom[2] == 0x01);
    CHECK(n->canMove(ElementType::Storage, ElementType::Transport));
    CHECK(!n->canMove(ElementType::Transport, ElementType::Storage));
}

TEST_CASE("mode pages: both headers, block descriptors, other pages before the wanted one") {
    Bytes other = {0x0A, 0x0A, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    Bytes p = page1D(1, 2, 0x1000, 0x100, 0x10, 4, 0x500, 6);
    for (std::uint16_t bdl : {0, 8, 16}) {
        CAPTURE(bdl);
        auto s = parseElementAddressAssignment(six({other, p}, static_cast<std::uint8_t>(bdl)),
                                               ModeHeader::Six);
        REQUIRE(s.ok());
        CHECK(s->transport.count == 2);
        CHECK(s->storage.first == 0x1000);
        CHECK(s->storage.count == 0x100);
        CHECK(s->importExport.count == 4);
        CHECK(s->dataTransfer.first == 0x500);
        CHECK(s->dataTransfer.count == 6);
        auto t = parseElementAddressAssignment(ten({other, p}, bdl), ModeHeader::Ten);
        REQUIRE(t.ok());
        CHECK(t->storage.first == 0x1000);
        CHECK(t->dataTransfer.count == 6);
    }
}

TEST_CASE("mode pages: a subpage-format page is skipped by its 16-bit length") {
    Bytes sub = {0x40 | 0x1D, 0x01, 0x01, 0x00};  // subpage 1 of 1Dh: not the page we want
    sub.resize(4 + 0x100, 0xAA);
    Bytes p = page1D(1, 1, 100, 10, 10, 1, 20, 2);
    auto t = parseElementAddressAssignment(ten({sub, p}), ModeHeader::Ten);
    REQUIRE(t.ok());
    CHECK(t->storage.first == 100);
    CHECK(t->dataTransfer.count == 2);
}

TEST_CASE("mode pages: mode data length bounds the pages") {
    Bytes p = page1D(1, 1, 100, 10, 10, 1, 20, 2);
    SUBCASE("bytes past the mode data length are not pages") {
        Bytes b = six({});
        b.insert(b.end(), p.begin(), p.end());  // after the declared end (length 3)
        auto r = parseElementAddressAssignment(b, ModeHeader::Six);
        REQUIRE(!r.ok());
        CHECK(r.error().code() == ErrorCode::BadFormat);
        CHECK(contains(r.error().message(), "1Dh not found"));
    }
    SUBCASE("a reply cut short of the mode data length still yields a whole page") {
        Bytes b = six({p, Bytes(40, 0)});
        b.resize(4 + p.size());
        auto r = parseElementAddressAssignment(b, ModeHeader::Six);
        REQUIRE(r.ok());
        CHECK(r->storage.count == 10);
    }
    SUBCASE("a mode data length below the header size is ignored") {
        Bytes b = six({p});
        b[0] = 0;
        auto r = parseElementAddressAssignment(b, ModeHeader::Six);
        REQUIRE(r.ok());
        CHECK(r->storage.first == 100);
    }
}

TEST_CASE("mode pages: malformed data is ERROR_BAD_FORMAT") {
    SUBCASE("missing page") {
        auto a = parseElementAddressAssignment(fromHex(kTgtdSix1F), ModeHeader::Six);
        REQUIRE(!a.ok());
        CHECK(a.error().code() == ErrorCode::BadFormat);
        CHECK(contains(a.error().message(), "1Dh not found"));
        auto c = parseDeviceCapabilities(fromHex(kTgtdSix1D), ModeHeader::Six);
        REQUIRE(!c.ok());
        CHECK(contains(c.error().message(), "1Fh not found"));
    }
    SUBCASE("header too short") {
        for (std::size_t n = 0; n < 8; ++n) {
            CAPTURE(n);
            Bytes b(n, 0);
            auto t = parseElementAddressAssignment(b, ModeHeader::Ten);
            REQUIRE(!t.ok());
            CHECK(t.error().code() == ErrorCode::BadFormat);
            if (n < 4) {
                auto s = parseDeviceCapabilities(b, ModeHeader::Six);
                REQUIRE(!s.ok());
                CHECK(contains(s.error().message(), "header"));
            }
        }
    }
    SUBCASE("block descriptors overrunning the data") {
        Bytes b = six({page1D(1, 1, 2, 2, 3, 3, 4, 4)});
        b[3] = 200;
        auto r = parseElementAddressAssignment(b, ModeHeader::Six);
        REQUIRE(!r.ok());
        CHECK(contains(r.error().message(), "block descriptors"));
        Bytes t = ten({page1D(1, 1, 2, 2, 3, 3, 4, 4)});
        t[6] = 0xFF;
        CHECK(!parseElementAddressAssignment(t, ModeHeader::Ten).ok());
    }
    SUBCASE("wanted page cut short") {
        Bytes p = page1D(1, 1, 2, 2, 3, 3, 4, 4);
        p.resize(10);
        auto r = parseElementAddressAssignment(six({p}), ModeHeader::Six);
        REQUIRE(!r.ok());
        CHECK(contains(r.error().message(), "1Dh at byte 4"));
        Bytes f = page1F(0x0E, {1, 2, 3, 4}, {1, 2, 3, 4});
        f[1] = 6;  // page length says 8 bytes in all; the matrix needs 16
        f.resize(8);
        auto c = parseDeviceCapabilities(six({f}), ModeHeader::Six);
        REQUIRE(!c.ok());
        CHECK(contains(c.error().message(), "1Fh"));
    }
    SUBCASE("an earlier page whose length overruns the data") {
        Bytes other = {0x0A, 0xF0, 0, 0};
        auto r = parseElementAddressAssignment(six({other, page1D(1, 1, 2, 2, 3, 3, 4, 4)}),
                                               ModeHeader::Six);
        REQUIRE(!r.ok());
        CHECK(contains(r.error().message(), "not found"));
    }
}

TEST_CASE("mode pages: fuzzed mode data never crashes") {
    std::mt19937 rng(1729);
    const std::vector<Bytes> seeds = {fromHex(kTgtdSix1D), fromHex(kTgtdSix1F),
                                      fromHex(kTgtdSixBlock1D), fromHex(kTgtdTenAll)};
    int ok = 0;
    int bad = 0;
    for (int i = 0; i < 20000; ++i) {
        Bytes b;
        if (i % 3 == 0) {
            b.resize(rng() % 64);
            for (auto &x : b)
                x = static_cast<std::uint8_t>(rng());
        } else {
            b = seeds[rng() % seeds.size()];
            for (int k = 0, n = 1 + static_cast<int>(rng() % 4); k < n && !b.empty(); ++k) {
                if (rng() % 3 == 0)
                    b.resize(rng() % (b.size() + 1));
                else if (!b.empty())
                    b[rng() % b.size()] = static_cast<std::uint8_t>(rng());
            }
        }
        const ModeHeader header = (i & 1) ? ModeHeader::Ten : ModeHeader::Six;
        auto a = parseElementAddressAssignment(b, header);
        auto c = parseDeviceCapabilities(b, header);
        for (bool good : {a.ok(), c.ok()})
            good ? ++ok : ++bad;
        if (!a.ok())
            CHECK(a.error().code() == ErrorCode::BadFormat);
        if (!c.ok())
            CHECK(c.error().code() == ErrorCode::BadFormat);
        if (c.ok()) {
            for (std::size_t t = 0; t < 5; ++t) {
                CHECK(c->moveFrom[t] <= 0x0F);
                CHECK(c->exchangeFrom[t] <= 0x0F);
            }
        }
    }
    CHECK(ok > 1000);
    CHECK(bad > 1000);
}
