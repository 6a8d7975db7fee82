#pragma once
// Parser of READ ELEMENT STATUS data (SMC-3 6.11): the element status header, element status
// pages, and descriptors with and without primary/alternate volume tags and device
// identifiers. Takes bytes, returns typed results; never reads out of bounds.
//
// Quirks handled:
// - A page whose byte count is not a multiple of its descriptor length while all of it was
//   received: the short last descriptor is kept, with the missing bytes read as zeros (it must
//   hold at least its 2-byte address, else ERROR_BAD_FORMAT).
// - tgtd 1.0.85 declares correct byte counts but transfers 8 bytes fewer than it built: a
//   reply whose total length equals the report byte count (exactly 8 short) is taken as
//   complete and its last descriptor kept, zero-filled, when those 8 bytes fall inside it.
// - A reply cut by the allocation length (the header says more bytes are available than were
//   received): whole descriptors are kept, a partial trailing one is dropped, and
//   `truncated` is set so the caller can grow the allocation or read on from the next address.
// - Garbage (a page that overruns the data, a descriptor length too small to hold an address,
//   a zero descriptor length with data) is an ERROR_BAD_FORMAT with a message saying where.

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string_view>
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

// One element status descriptor read where it lies in a reply: the fields that callers keeping
// a little of each of tens of thousands of elements need (mtx's status), and the whole Element
// on request. It points into the reply: valid only while the reply is.
class ElementDescriptor {
public:
    // `bytes`: the descriptor (a short one zero-filled to its page's descriptor length).
    ElementDescriptor(ElementType type, bool primaryTag, bool alternateTag,
                      std::span<const std::uint8_t> bytes);

    ElementType type() const { return type_; }
    std::uint16_t address() const;
    bool full() const { return base_[2] & 0x01; }
    std::uint8_t asc() const { return base_[4]; }
    std::uint8_t ascq() const { return base_[5]; }
    std::optional<std::uint16_t> sourceAddress() const;
    // The 32-byte volume identifiers as sent; empty when the page has no such tag.
    std::string_view primaryIdentifier() const;
    std::string_view alternateIdentifier() const;
    // Every field, as parseElementStatus() gives the element.
    Element element() const;

private:
    ElementType type_;
    bool primaryTag_;
    bool alternateTag_;
    std::array<std::uint8_t, 12> base_{};  // the fixed fields, zero-filled past a short descriptor
    std::span<const std::uint8_t> bytes_;
};

// The same checks, quirks and report as parseElementStatus(), but each descriptor is handed to
// `visit` in the order the device sent it instead of being kept (report.elements stays empty).
// On an error `visit` may already have seen some descriptors.
Result<ElementStatusReport> scanElementStatus(
    std::span<const std::uint8_t> data,
    const std::function<void(const ElementDescriptor &)> &visit);

// Bytes one descriptor takes for these options, to size allocation lengths: the SMC-3 layout
// (base 12 + 4-byte identifier header = 16, +36 per volume tag; 52 with a primary tag, as
// tgtd and most libraries send) plus, with deviceId, a 64-byte allowance for the identifier
// (an upper estimate: tgtd's and LTO drives' T10 vendor IDs are 34 bytes).
std::uint32_t elementDescriptorLength(bool primaryTag, bool alternateTag, bool deviceId);

}  // namespace rsm::sg
