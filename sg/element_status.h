#pragma once
// Parser of READ ELEMENT STATUS data (SMC-3 6.11): the element status header, element status
// pages, and descriptors with and without primary/alternate volume tags and device
// identifiers. Takes bytes, returns typed results; never reads out of bounds.
//
// Quirks handled:
// - A page whose byte count is not a multiple of its descriptor length while all of it was
//   received (tgtd sends its last descriptor 8 bytes short): the short descriptor is kept,
//   with the missing bytes read as zeros.
// - A reply cut by the allocation length (the header says more bytes are available than were
//   received): whole descriptors are kept, a partial trailing one is dropped, and
//   `truncated` is set so the caller can grow the allocation or read on from the next address.
// - Garbage (a page that overruns the data, a descriptor length too small to hold an address,
//   a zero descriptor length with data) is an ERROR_BAD_FORMAT with a message saying where.

#include <cstdint>
#include <span>
#include <vector>

#include "rsm/error.h"
#include "sg/element.h"

namespace rsm::sg {

struct ElementStatusReport {
    std::uint16_t firstAddressReported = 0;  // header bytes 0-1
    std::uint16_t elementsAvailable = 0;     // header bytes 2-3
    std::uint32_t reportBytesAvailable = 0;  // header bytes 5-7 (excludes the 8-byte header)
    bool truncated = false;                  // more was available than was received
    std::vector<Element> elements;           // in the order the device sent them
};

Result<ElementStatusReport> parseElementStatus(std::span<const std::uint8_t> data);

// Bytes one descriptor takes for these options (base 12, +36 per volume tag, + identifier);
// used to size allocation lengths.
std::uint32_t elementDescriptorLength(bool primaryTag, bool alternateTag, bool deviceId);

}  // namespace rsm::sg
