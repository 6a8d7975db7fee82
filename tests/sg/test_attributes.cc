// MAM attributes (SPC-4 READ ATTRIBUTE, ATTRIBUTE VALUES) parsed from byte layouts of the
// standard: binary and ASCII attributes, unknown ones skipped, data cut by the allocation
// length, overruns.

#include <doctest/doctest.h>

#include <cstdlib>

#include "sg/attributes.h"
#include "sg/inquiry.h"

using namespace rsm;
using namespace rsm::sg;
using Bytes = std::vector<std::uint8_t>;

namespace {

// Parameter data: AVAILABLE DATA (4 bytes) and the attributes as given.
Bytes data(std::vector<Bytes> attributes) {
    Bytes out = {0, 0, 0, 0};
    for (const Bytes &a : attributes)
        out.insert(out.end(), a.begin(), a.end());
    const std::size_t available = out.size() - 4;
    out[2] = static_cast<std::uint8_t>(available >> 8);
    out[3] = static_cast<std::uint8_t>(available & 0xFF);
    return out;
}

// An attribute: identifier, READ ONLY set and FORMAT (00b binary, 01b ASCII), length, value.
Bytes attribute(std::uint16_t id, std::uint8_t format, Bytes value) {
    Bytes out = {static_cast<std::uint8_t>(id >> 8), static_cast<std::uint8_t>(id & 0xFF),
                 static_cast<std::uint8_t>(0x80 | format),
                 static_cast<std::uint8_t>(value.size() >> 8),
                 static_cast<std::uint8_t>(value.size() & 0xFF)};
    out.insert(out.end(), value.begin(), value.end());
    return out;
}

Bytes u64(std::uint64_t v) {
    Bytes out(8);
    for (int i = 7; i >= 0; --i, v >>= 8)
        out[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(v & 0xFF);
    return out;
}

Bytes text(std::string_view s, std::size_t width) {
    Bytes out(s.begin(), s.end());
    out.resize(width, ' ');
    return out;
}

}  // namespace

TEST_CASE("attributes: a literal READ ATTRIBUTE reply") {
    // AVAILABLE DATA 0000000Dh; LOAD COUNT (0003h, read only, binary, 8 bytes) = 17.
    const Bytes reply = {0x00, 0x00, 0x00, 0x0D, 0x00, 0x03, 0x80, 0x00, 0x08,
                         0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x11};
    auto a = parseAttributes(reply);
    REQUIRE(a);
    CHECK(a->loadCount == 17);
    CHECK_FALSE(a->manufacturer);
}

TEST_CASE("attributes: the MAM attributes rsm keeps, as an LTO cartridge has them") {
    auto a = parseAttributes(data({
        attribute(0x0000, 0, u64(5'000'000)),       // remaining capacity, MiB
        attribute(0x0001, 0, u64(5'722'045)),       // maximum capacity, MiB
        attribute(0x0002, 0, u64(0)),               // TapeAlert flags: skipped
        attribute(0x0003, 0, u64(120)),             // load count
        attribute(0x0220, 0, u64(1'048'576)),       // lifetime written, MiB
        attribute(0x0221, 0, u64(2'097'152)),       // lifetime read, MiB
        attribute(0x0400, 1, text("FUJIFILM", 8)),  // manufacturer
        attribute(0x0401, 1, text("1234567890", 32)), attribute(0x0406, 1, text("20240115", 8)),
        attribute(0x0408, 0, {0x80}),           // WORM
        attribute(0x0800, 1, text("rsm", 32)),  // host attribute: skipped
    }));
    REQUIRE(a);
    CHECK(a->remainingCapacityMiB == 5'000'000);
    CHECK(a->maximumCapacityMiB == 5'722'045);
    CHECK(a->loadCount == 120);
    CHECK(a->lifetimeWrittenMiB == 1'048'576);
    CHECK(a->lifetimeReadMiB == 2'097'152);
    CHECK(a->manufacturer == "FUJIFILM");
    CHECK(a->serialNumber == "1234567890");
    CHECK(a->manufactureDate == "20240115");
    CHECK(a->mediumType == 0x80);
    CHECK(a->worm());
    CHECK_FALSE(a->cleaning());
}

TEST_CASE("attributes: odd values are left empty, not errors") {
    auto a = parseAttributes(data({attribute(0x0003, 0, Bytes(9, 1)),   // 9 bytes: no counter
                                   attribute(0x0400, 1, text("", 8)),   // all blanks
                                   attribute(0x0408, 0, {0x00, 0x01}),  // 2 bytes: cleaning
                                   attribute(0x0000, 0, {})}));         // empty
    REQUIRE(a);
    CHECK_FALSE(a->loadCount);
    CHECK_FALSE(a->manufacturer);
    CHECK(a->cleaning());
    CHECK_FALSE(a->remainingCapacityMiB);
}

TEST_CASE("attributes: data cut by the allocation length is read as far as it goes") {
    Bytes full = data({attribute(0x0003, 0, u64(7)), attribute(0x0401, 1, text("SN", 32))});
    full.resize(full.size() - 10);
    auto a = parseAttributes(full);
    REQUIRE(a);
    CHECK(a->loadCount == 7);
    CHECK_FALSE(a->serialNumber);
    // Only the header: AVAILABLE DATA says more is there, none came.
    CHECK(parseAttributes(Bytes{0, 0, 0x10, 0}));
}

TEST_CASE("attributes: malformed data is ERROR_BAD_FORMAT") {
    CHECK(parseAttributes(Bytes{0, 0, 0}).error().code() == ErrorCode::BadFormat);
    // AVAILABLE DATA 7: the attribute says 8 bytes of value.
    const Bytes overrun = {0, 0, 0, 7, 0x00, 0x03, 0x80, 0x00, 0x08, 1, 2};
    CHECK(parseAttributes(overrun).error().message() ==
          "attribute 0003h overruns the attribute data");
}

TEST_CASE("attributes: noise never crashes the parser") {
    std::srand(19);
    for (int seed = 0; seed < 2000; ++seed) {
        Bytes noise(64);
        for (auto &b : noise)
            b = static_cast<std::uint8_t>(std::rand());
        noise[0] = noise[1] = 0;
        (void)parseAttributes(std::span(noise).first(static_cast<std::size_t>(seed % 64)));
    }
}

TEST_CASE("attributes: text a drive garbles is kept printable, for the database and JSON") {
    // MANUFACTURER with a NUL, a byte that is no UTF-8 and a control character inside.
    auto a = parseAttributes(
        data({attribute(0x0400, 1, {0x00, 'F', 'U', 0xFF, 'J', 0x07, 'I', ' ', ' ', 0x00})}));
    REQUIRE(a);
    CHECK(a->manufacturer == "FU?J?I");
    CHECK(printableField(std::string_view("\0\0", 2)).empty());
}
