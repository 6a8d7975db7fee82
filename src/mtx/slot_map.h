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
//   - Volume tags are kept as mtx prints them: the bytes of the 32-byte identifier up to the
//     first byte outside 32..127 (trailing blanks kept); empty when there is no tag or its
//     first byte is outside that range, and then nothing is printed. They are held in place
//     (PrintedTag), not on the heap: a 10,000-slot library has 10,000 of them.
// Internally slots are indexed from 0 (ordinal - 1), as in mtx.
// Values only; no I/O.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sg/element.h"

namespace rsm::mtx {

// A volume tag as mtx prints it: at most the 32 bytes of a volume identifier.
class PrintedTag {
public:
    static constexpr std::size_t kMaxLength = 32;

    PrintedTag() = default;
    // The first kMaxLength bytes of `text`.
    explicit PrintedTag(std::string_view text);

    std::string_view view() const { return {bytes_.data(), size_}; }
    bool empty() const { return size_ == 0; }
    void clear() { size_ = 0; }

    friend bool operator==(const PrintedTag &a, std::string_view b) { return a.view() == b; }

private:
    std::array<char, kMaxLength> bytes_{};
    std::uint8_t size_ = 0;
};

struct DriveEntry {
    std::uint16_t address = 0;
    bool full = false;
    std::optional<int> source;  // slot index (ordinal - 1)
    PrintedTag tag;             // empty: none
    PrintedTag alternateTag;
};

struct SlotEntry {
    std::uint16_t address = 0;
    bool full = false;
    bool importExport = false;
    PrintedTag tag;
    PrintedTag alternateTag;
};

struct SlotMap {
    std::vector<DriveEntry> drives;
    std::vector<SlotEntry> slots;  // storage slots, then I/E slots
    int importExport = 0;          // how many of `slots` (the last ones) are I/E slots
    std::uint16_t transport = 0;   // the first medium transport's address (0: default)

    int storageCount() const { return static_cast<int>(slots.size()) - importExport; }
    // The slot index whose element has this address.
    std::optional<int> slotIndexOf(std::uint16_t address) const;
};

// The printed form of a volume tag (see above).
PrintedTag printableTag(const std::optional<sg::VolumeTag> &tag);

// From every element of the library (sg::Changer::status()), in any order.
SlotMap buildSlotMap(const std::vector<sg::Element> &elements);

}  // namespace rsm::mtx
