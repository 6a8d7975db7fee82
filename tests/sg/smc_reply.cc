#include "tests/sg/smc_reply.h"

namespace rsm::test {

void put16(std::vector<std::uint8_t> &b, std::size_t at, std::uint32_t v) {
    b[at] = static_cast<std::uint8_t>(v >> 8);
    b[at + 1] = static_cast<std::uint8_t>(v);
}

void put24(std::vector<std::uint8_t> &b, std::size_t at, std::uint32_t v) {
    b[at] = static_cast<std::uint8_t>(v >> 16);
    put16(b, at + 1, v & 0xFFFF);
}

std::vector<std::uint8_t> elementStatusReply(sg::ElementType type,
                                             const std::vector<FakeElement> &elements,
                                             bool volumeTags, bool identifiers) {
    const std::size_t idLength = 32;
    const std::size_t descLength = 12 + (volumeTags ? 36 : 0) + (identifiers ? 4 + idLength : 0);
    const std::size_t pageBytes = descLength * elements.size();
    std::vector<std::uint8_t> b(16 + pageBytes, 0);
    put16(b, 0, elements.empty() ? 0 : elements.front().address);
    put16(b, 2, static_cast<std::uint32_t>(elements.size()));
    put24(b, 5, static_cast<std::uint32_t>(8 + pageBytes));
    b[8] = static_cast<std::uint8_t>(type);
    b[9] = volumeTags ? 0x80 : 0x00;
    put16(b, 10, static_cast<std::uint32_t>(descLength));
    put24(b, 13, static_cast<std::uint32_t>(pageBytes));
    std::size_t at = 16;
    for (const FakeElement &e : elements) {
        put16(b, at, e.address);
        b[at + 2] = static_cast<std::uint8_t>((e.full ? 0x01 : 0) | (e.asc ? 0x04 : 0) | 0x08);
        b[at + 4] = e.asc;
        b[at + 5] = e.ascq;
        if (e.source) {
            b[at + 9] = 0x80;
            put16(b, at + 10, e.source);
        }
        std::size_t p = at + 12;
        if (volumeTags) {
            for (std::size_t i = 0; i < 32; ++i)
                b[p + i] = i < e.tag.size() ? static_cast<std::uint8_t>(e.tag[i]) : ' ';
            p += 36;
        }
        if (identifiers) {
            b[p] = 2;  // ASCII
            b[p + 3] = static_cast<std::uint8_t>(idLength);
            for (std::size_t i = 0; i < idLength; ++i)
                b[p + 4 + i] =
                    i < e.identifier.size() ? static_cast<std::uint8_t>(e.identifier[i]) : ' ';
        }
        at += descLength;
    }
    return b;
}

std::vector<std::uint8_t> fromHex(const std::string &hex) {
    std::vector<std::uint8_t> b;
    std::string digits;
    for (char c : hex)
        if (c != ' ' && c != '\n')
            digits += c;
    for (std::size_t i = 0; i + 1 < digits.size(); i += 2)
        b.push_back(static_cast<std::uint8_t>(std::stoi(digits.substr(i, 2), nullptr, 16)));
    return b;
}

std::vector<std::uint8_t> elementAddressPage6(const sg::ElementAddressAssignment &map) {
    std::vector<std::uint8_t> b(4 + 20, 0);
    b[0] = static_cast<std::uint8_t>(b.size() - 1);
    b[4] = 0x1D;
    b[5] = 0x12;
    const sg::ElementRange ranges[] = {map.transport, map.storage, map.importExport,
                                       map.dataTransfer};
    for (int i = 0; i < 4; ++i) {
        put16(b, 6 + 4 * i, ranges[i].first);
        put16(b, 8 + 4 * i, ranges[i].count);
    }
    return b;
}

std::vector<std::uint8_t> modePage1D(std::uint16_t mt, std::uint16_t mtCount, std::uint16_t st,
                                     std::uint16_t stCount, std::uint16_t ie, std::uint16_t ieCount,
                                     std::uint16_t dt, std::uint16_t dtCount) {
    std::vector<std::uint8_t> b(20, 0);  // bytes 18-19 reserved
    b[0] = 0x1D;
    b[1] = 0x12;
    const std::uint16_t fields[] = {mt, mtCount, st, stCount, ie, ieCount, dt, dtCount};
    for (std::size_t i = 0; i < 8; ++i)
        put16(b, 2 + 2 * i, fields[i]);
    return b;
}

std::vector<std::uint8_t> modeSense6(const std::vector<std::vector<std::uint8_t>> &pages,
                                     std::uint8_t blockDescriptorLength) {
    std::vector<std::uint8_t> b = {0, 0, 0, blockDescriptorLength};
    b.insert(b.end(), blockDescriptorLength, 0);
    for (const auto &p : pages)
        b.insert(b.end(), p.begin(), p.end());
    b[0] = static_cast<std::uint8_t>(b.size() - 1);
    return b;
}

std::vector<std::uint8_t> modeSense10(const std::vector<std::vector<std::uint8_t>> &pages,
                                      std::uint16_t blockDescriptorLength) {
    std::vector<std::uint8_t> b(8, 0);
    put16(b, 6, blockDescriptorLength);
    b.insert(b.end(), blockDescriptorLength, 0);
    for (const auto &p : pages)
        b.insert(b.end(), p.begin(), p.end());
    put16(b, 0, static_cast<std::uint32_t>(b.size() - 2));
    return b;
}

}  // namespace rsm::test
