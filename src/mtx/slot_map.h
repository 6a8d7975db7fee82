#pragma once
// SlotMap: a library's elements as mtx 1.3.12 numbers them.
//   - Drives are numbered 0..n-1 in address order.
//   - Slots are numbered 1..m: the storage elements in address order, then the import/export
//     elements in address order (the last `importExport` ordinals).
//   - Storage elements reporting ASC/ASCQ 83h/02h (not installed) and drives reporting 83h/04h
//     are left out, as mtx does.
//   - A full drive's source: the slot whose element address the drive reports as its source,
//     but only if that slot is empty (pass one). Drives still without a source get the empty
//     storage (not I/E) slots in order, one each (pass two: what mtx prints as "Storage
//     Element N Loaded" for a tape it cannot place, and where `unload` puts it); only when
//     those run out is a drive's source unknown ("Unknown Storage Element Loaded"). One
//     deliberate difference: mtx's pass two also hands out a slot that pass one gave another
//     drive (two drives "loaded" from one slot, the second unload fails or goes astray); here
//     it does not.
//   - Volume tags are printed as mtx prints them: the bytes of the 32-byte identifier up to
//     the first byte outside 32..127 (trailing blanks kept); nothing when there is no tag or
//     its first byte is outside that range. The map keeps the elements it was built from and
//     its entries point into them (TagRef), so that a 10,000-slot library's tags are not
//     copied a second time.
// Internally slots are indexed from 0 (ordinal - 1), as in mtx.
// Values only; no I/O.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sg/element.h"

namespace rsm::mtx {

// Where an entry's volume tags come from: an element of SlotMap::elements, and how many bytes
// of its primary and alternate identifiers mtx prints (printableTag()). Moves carry it from
// entry to entry with the cartridge.
struct TagRef {
    static constexpr std::uint32_t kNone = UINT32_MAX;
    std::uint32_t element = kNone;
    std::uint8_t primary = 0;    // bytes printed; 0: no tag
    std::uint8_t alternate = 0;  // bytes printed; 0: no alternate tag
};

struct DriveEntry {
    std::uint16_t address = 0;
    bool full = false;
    std::optional<int> source;  // slot index (ordinal - 1)
    TagRef tags;
};

struct SlotEntry {
    std::uint16_t address = 0;
    bool full = false;
    bool importExport = false;
    TagRef tags;
};

struct SlotMap {
    std::vector<sg::Element> elements;  // as read; what TagRefs point into
    std::vector<DriveEntry> drives;
    std::vector<SlotEntry> slots;  // storage slots, then I/E slots
    int importExport = 0;          // how many of `slots` (the last ones) are I/E slots
    std::uint16_t transport = 0;   // the first medium transport's address (0: default)

    int storageCount() const { return static_cast<int>(slots.size()) - importExport; }
    // The slot index whose element has this address.
    std::optional<int> slotIndexOf(std::uint16_t address) const;
    // The tags an entry prints; empty: none.
    std::string_view tag(const TagRef &ref) const;
    std::string_view alternateTag(const TagRef &ref) const;
};

// The printed form of a volume tag (see above): a view into its identifier.
std::string_view printableTag(const std::optional<sg::VolumeTag> &tag);

// From every element of the library (sg::Changer::status()), in any order; the map keeps them.
SlotMap buildSlotMap(std::vector<sg::Element> elements);

}  // namespace rsm::mtx
