#include "tests/fuzz/health_seeds.h"

#include <utility>

#include "tests/sg/smc_reply.h"

namespace rsm::test {

namespace {

using Bytes = std::vector<std::uint8_t>;

Bytes textBytes(const std::string &s) {
    return Bytes(s.begin(), s.end());
}

Bytes cut(Bytes b, std::size_t n) {
    b.resize(n < b.size() ? b.size() - n : 0);
    return b;
}

Bytes mamAttribute(std::uint16_t id, std::uint8_t format, const Bytes &value) {
    Bytes b = {static_cast<std::uint8_t>(id >> 8), static_cast<std::uint8_t>(id),
               static_cast<std::uint8_t>(0x80 | format), 0, 0};
    put16(b, 3, static_cast<std::uint32_t>(value.size()));
    b.insert(b.end(), value.begin(), value.end());
    return b;
}

Bytes mamData(const std::vector<Bytes> &attributes, std::size_t cutBy = 0) {
    Bytes b = {0, 0, 0, 0};
    for (const Bytes &a : attributes)
        b.insert(b.end(), a.begin(), a.end());
    put16(b, 2, static_cast<std::uint32_t>(b.size() - 4));
    return cut(b, cutBy);
}

Bytes logPage(std::uint8_t page, const std::vector<std::pair<int, Bytes>> &parameters,
              std::size_t cutBy = 0) {
    Bytes b = {page, 0, 0, 0};
    for (const auto &[code, value] : parameters) {
        b.insert(b.end(), {static_cast<std::uint8_t>(code >> 8), static_cast<std::uint8_t>(code),
                           0x60, static_cast<std::uint8_t>(value.size())});
        b.insert(b.end(), value.begin(), value.end());
    }
    put16(b, 2, static_cast<std::uint32_t>(b.size() - 4));
    return cut(b, cutBy);
}

}  // namespace

void healthSeeds(const SeedWriter &write) {
    const std::string a = "attributes";
    const Bytes u64 = {0, 0, 0, 0, 0, 0, 0x01, 0x2C};
    const std::vector<Bytes> lto = {
        mamAttribute(0x0000, 0, u64),
        mamAttribute(0x0001, 0, u64),
        mamAttribute(0x0003, 0, u64),
        mamAttribute(0x0220, 0, u64),
        mamAttribute(0x0221, 0, u64),
        mamAttribute(0x0400, 1, textBytes("FUJIFILM")),
        mamAttribute(0x0401, 1, textBytes("1234567890                      ")),
        mamAttribute(0x0406, 1, textBytes("20240115")),
        mamAttribute(0x0408, 0, {0x80}),
        mamAttribute(0x0800, 1, textBytes("rsm"))};
    write(a, "lto-cartridge", mamData(lto));
    write(a, "cut-by-allocation", mamData(lto, 20));
    write(a, "load-count-only", fromHex("00 00 00 0d 00 03 80 00 08 00 00 00 00 00 00 00 11"));
    write(a, "attribute-past-available", fromHex("00 00 00 07 00 03 80 00 08 01 02"));
    write(a, "header-only", fromHex("00 00 00 00"));

    const std::string l = "log_pages";
    const Bytes c4 = {0, 0, 0x10, 0};
    write(l, "volume-statistics",
          logPage(0x17, {{0x0000, {1}},
                         {0x0001, c4},
                         {0x0002, c4},
                         {0x0003, c4},
                         {0x0004, c4},
                         {0x0007, c4},
                         {0x0008, c4},
                         {0x0009, c4},
                         {0x000E, u64},
                         {0x000F, c4},
                         {0x0010, u64},
                         {0x0011, c4},
                         {0x0016, c4},
                         {0x0017, c4},
                         {0x0040, textBytes("ABC123L8  ")},
                         {0x0080, {0}},
                         {0x0081, {1}},
                         {0x0101, c4}}));
    write(l, "volume-statistics-cut", logPage(0x17, {{0x0001, c4}, {0x0040, textBytes("X")}}, 3));
    std::vector<std::pair<int, Bytes>> counters;
    for (int code = 0; code <= 6; ++code)
        counters.push_back({code, c4});
    counters.push_back({0x8000, {0x12, 0x34}});
    write(l, "write-error-counters", logPage(0x02, counters));
    write(l, "read-error-counters", logPage(0x03, counters));
    write(l, "counter-of-9-bytes", logPage(0x03, {{0x0006, Bytes(9, 0xFF)}}));
    write(l, "parameter-past-page", fromHex("17 00 00 06 00 01 60 09 01 01"));
}

}  // namespace rsm::test
