#pragma once
// Test helper: builds medium-changer replies (READ ELEMENT STATUS data, mode page 1Dh) byte by
// byte, the way a library sends them, for tests that script a FakeTransport.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "sg/element.h"

namespace rsm::test {

struct FakeElement {
    std::uint16_t address = 0;
    bool full = false;
    std::string tag;                 // empty: no tag (blank-padded when tags are on)
    std::uint16_t source = 0;        // 0: SVALID clear
    std::string identifier;          // DVCID identifier, drives
    std::uint8_t asc = 0, ascq = 0;  // exception when asc != 0
};

// One element status page of `type`, with or without primary volume tags, behind an 8-byte
// header. `identifiers` adds a DVCID block to every descriptor.
std::vector<std::uint8_t> elementStatusReply(sg::ElementType type,
                                             const std::vector<FakeElement> &elements,
                                             bool volumeTags = true, bool identifiers = false);

// Bytes from hex text, blanks ignored: "70 00 05" -> {0x70, 0x00, 0x05}.
std::vector<std::uint8_t> fromHex(const std::string &hex);

// MODE SENSE(6) data holding page 1Dh.
std::vector<std::uint8_t> elementAddressPage6(const sg::ElementAddressAssignment &map);

// Page 1Dh (ELEMENT ADDRESS ASSIGNMENT) alone: first address and count of the transports,
// storage slots, import/export ports and drives.
std::vector<std::uint8_t> modePage1D(std::uint16_t mt, std::uint16_t mtCount, std::uint16_t st,
                                     std::uint16_t stCount, std::uint16_t ie, std::uint16_t ieCount,
                                     std::uint16_t dt, std::uint16_t dtCount);
// MODE SENSE(6) and (10) data around pages: the header (mode data length, medium type,
// device-specific parameter, block descriptor length), that many zero bytes of block
// descriptors, then the pages.
std::vector<std::uint8_t> modeSense6(const std::vector<std::vector<std::uint8_t>> &pages,
                                     std::uint8_t blockDescriptorLength = 0);
std::vector<std::uint8_t> modeSense10(const std::vector<std::vector<std::uint8_t>> &pages,
                                      std::uint16_t blockDescriptorLength = 0);

// Big-endian fields written into a buffer already long enough.
void put16(std::vector<std::uint8_t> &b, std::size_t at, std::uint32_t v);
void put24(std::vector<std::uint8_t> &b, std::size_t at, std::uint32_t v);

}  // namespace rsm::test
