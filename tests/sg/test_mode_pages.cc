#include <doctest/doctest.h>

#include <array>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "sg/mode_pages.h"
#include "tests/sg/smc_reply.h"
#include "tests/sg/tgtd_captures.h"
#include "tests/support/text.h"

using namespace rsm;
using namespace rsm::sg;

using rsm::test::fromHex;
using rsm::test::kTgtdSix1D;
using rsm::test::kTgtdSix1F;
using rsm::test::kTgtdSixBlock1D;
using rsm::test::kTgtdTenAll;
using rsm::test::modePage1D;
using rsm::test::modeSense10;
using rsm::test::modeSense6;

namespace {

using Bytes = std::vector<std::uint8_t>;

Bytes page1F(std::uint8_t stor, std::array<std::uint8_t, 4> move,
             std::array<std::uint8_t, 4> exch) {
    Bytes b = {0x1F, 0x12, stor, 0};
    b.insert(b.end(), move.begin(), move.end());
    b.insert(b.end(), {0, 0, 0, 0});
    b.insert(b.end(), exch.begin(), exch.end());
    b.insert(b.end(), {0, 0, 0, 0});
    return b;
}

using rsm::test::contains;

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
    auto c = parseDeviceCapabilities(modeSense6({p}), ModeHeader::Six);
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
    auto n = parseDeviceCapabilities(modeSense10({noisy}), ModeHeader::Ten);
    REQUIRE(n.ok());
    CHECK(!n->storeStorage);
    CHECK(n->moveFrom[2] == 0x01);
    CHECK(n->canMove(ElementType::Storage, ElementType::Transport));
    CHECK(!n->canMove(ElementType::Transport, ElementType::Storage));
}

TEST_CASE("mode pages: both headers, block descriptors, other pages before the wanted one") {
    Bytes other = {0x0A, 0x0A, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    Bytes p = modePage1D(1, 2, 0x1000, 0x100, 0x10, 4, 0x500, 6);
    for (std::uint16_t bdl : {0, 8, 16}) {
        CAPTURE(bdl);
        auto s = parseElementAddressAssignment(
            modeSense6({other, p}, static_cast<std::uint8_t>(bdl)), ModeHeader::Six);
        REQUIRE(s.ok());
        CHECK(s->transport.count == 2);
        CHECK(s->storage.first == 0x1000);
        CHECK(s->storage.count == 0x100);
        CHECK(s->importExport.count == 4);
        CHECK(s->dataTransfer.first == 0x500);
        CHECK(s->dataTransfer.count == 6);
        auto t = parseElementAddressAssignment(modeSense10({other, p}, bdl), ModeHeader::Ten);
        REQUIRE(t.ok());
        CHECK(t->storage.first == 0x1000);
        CHECK(t->dataTransfer.count == 6);
    }
}

TEST_CASE("mode pages: a subpage-format page is skipped by its 16-bit length") {
    Bytes sub = {0x40 | 0x1D, 0x01, 0x01, 0x00};  // subpage 1 of 1Dh: not the page we want
    sub.resize(4 + 0x100, 0xAA);
    Bytes p = modePage1D(1, 1, 100, 10, 10, 1, 20, 2);
    auto t = parseElementAddressAssignment(modeSense10({sub, p}), ModeHeader::Ten);
    REQUIRE(t.ok());
    CHECK(t->storage.first == 100);
    CHECK(t->dataTransfer.count == 2);
}

TEST_CASE("mode pages: mode data length bounds the pages") {
    Bytes p = modePage1D(1, 1, 100, 10, 10, 1, 20, 2);
    SUBCASE("bytes past the mode data length are not pages") {
        Bytes b = modeSense6({});
        b.insert(b.end(), p.begin(), p.end());  // after the declared end (length 3)
        auto r = parseElementAddressAssignment(b, ModeHeader::Six);
        REQUIRE(!r.ok());
        CHECK(r.error().code() == ErrorCode::BadFormat);
        CHECK(contains(r.error().message(), "1Dh not found"));
    }
    SUBCASE("a reply cut short of the mode data length still yields a whole page") {
        Bytes b = modeSense6({p, Bytes(40, 0)});
        b.resize(4 + p.size());
        auto r = parseElementAddressAssignment(b, ModeHeader::Six);
        REQUIRE(r.ok());
        CHECK(r->storage.count == 10);
    }
    SUBCASE("a mode data length below the header size is ignored") {
        Bytes b = modeSense6({p});
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
        Bytes b = modeSense6({modePage1D(1, 1, 2, 2, 3, 3, 4, 4)});
        b[3] = 200;
        auto r = parseElementAddressAssignment(b, ModeHeader::Six);
        REQUIRE(!r.ok());
        CHECK(contains(r.error().message(), "block descriptors"));
        Bytes t = modeSense10({modePage1D(1, 1, 2, 2, 3, 3, 4, 4)});
        t[6] = 0xFF;
        CHECK(!parseElementAddressAssignment(t, ModeHeader::Ten).ok());
    }
    SUBCASE("wanted page cut short") {
        Bytes p = modePage1D(1, 1, 2, 2, 3, 3, 4, 4);
        p.resize(10);
        auto r = parseElementAddressAssignment(modeSense6({p}), ModeHeader::Six);
        REQUIRE(!r.ok());
        CHECK(contains(r.error().message(), "1Dh at byte 4"));
        Bytes f = page1F(0x0E, {1, 2, 3, 4}, {1, 2, 3, 4});
        f[1] = 6;  // page length says 8 bytes in all; the matrix needs 16
        f.resize(8);
        auto c = parseDeviceCapabilities(modeSense6({f}), ModeHeader::Six);
        REQUIRE(!c.ok());
        CHECK(contains(c.error().message(), "1Fh"));
    }
    SUBCASE("an earlier page whose length overruns the data") {
        Bytes other = {0x0A, 0xF0, 0, 0};
        auto r = parseElementAddressAssignment(
            modeSense6({other, modePage1D(1, 1, 2, 2, 3, 3, 4, 4)}), ModeHeader::Six);
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
