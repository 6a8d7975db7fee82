#pragma once
// Test helper: sg::Element values for the mtx tests, the way sg::Changer::status() returns
// them (tags as the 32 bytes the library sent).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sg/element.h"

namespace rsm::test::mtx {

// A 32-byte volume identifier: `text` padded with `pad` (blanks, as most libraries send).
sg::VolumeTag tag(const std::string &text, char pad = ' ');

sg::Element storage(std::uint16_t address, bool full, std::optional<std::string> barcode = {});
sg::Element ieport(std::uint16_t address, bool full, std::optional<std::string> barcode = {});
sg::Element drive(std::uint16_t address, bool full, std::optional<std::uint16_t> source = {},
                  std::optional<std::string> barcode = {});
sg::Element picker(std::uint16_t address);

// A library of `slots` storage slots from 1000, `drives` drives from 500, `ieports` I/E
// slots from 10 and a picker at 1; the first `tapes` slots are full, with barcodes
// T00001L8... when `barcodes`, the others blank-padded tags (like tgtd) when `barcodes`.
std::vector<sg::Element> library(int slots, int drives, int ieports, int tapes,
                                 bool barcodes = true);

}  // namespace rsm::test::mtx
