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
//     its first byte is outside that range. The map holds the printed bytes of all of them in
//     one string, and each entry where its own are (TagRef).
// SlotMapBuilder takes the elements one at a time, as sg::Changer::scan() hands them over, so
// that a 10,000-slot library's status needs no sg::Element for each slot (2 MB of memory).
// Internally slots are indexed from 0 (ordinal - 1), as in mtx.
// Values only; no I/O.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sg/element.h"
#include "sg/element_status.h"

namespace rsm::mtx {

// Where an entry's volume tags are in SlotMap::tagBytes: `primary` bytes from `offset`, then
// `alternate` bytes; 0: none. Moves carry it from entry to entry with the cartridge.
struct TagRef {
    std::uint32_t offset = 0;
    std::uint8_t primary = 0;
    std::uint8_t alternate = 0;
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

    std::string tagBytes;  // the printed tags of every entry, one after the other
};

// The printed form of a volume identifier (see above): a view into it, at most 32 bytes.
std::string_view printableTag(std::string_view identifier);
std::string_view printableTag(const std::optional<sg::VolumeTag> &tag);

// A library's elements, added one at a time in any order, numbered as mtx numbers them.
class SlotMapBuilder {
public:
    // Room for this many elements (the library's, when known).
    void reserve(std::size_t elements);
    void add(const sg::Element &e);
    void add(const sg::ElementDescriptor &d);

    // `knownSources`: drive address -> slot address, the source of a full drive that reports
    // none (one loaded earlier on the command line).
    SlotMap build(const std::map<std::uint16_t, std::uint16_t> &knownSources = {}) &&;

private:
    struct Record {
        sg::ElementType type = sg::ElementType::Storage;
        std::uint16_t address = 0;
        bool full = false;
        std::uint8_t asc = 0;
        std::uint8_t ascq = 0;
        std::optional<std::uint16_t> source;
        TagRef tags;
    };
    void add(Record record, std::string_view tag, std::string_view alternateTag);

    std::vector<Record> records_;
    std::string tagBytes_;
};

// From every element of the library (sg::Changer::status()), in any order.
SlotMap buildSlotMap(const std::vector<sg::Element> &elements);

}  // namespace rsm::mtx
