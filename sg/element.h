#pragma once
// The typed vocabulary of a medium changer (SMC-3): element types, element descriptors as read
// by READ ELEMENT STATUS, and the element address assignment of mode page 1Dh.
// Values only; no I/O.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace rsm::sg {

enum class ElementType : std::uint8_t {
    All = 0,
    Transport = 1,     // medium transport (picker)
    Storage = 2,       // storage slot
    ImportExport = 3,  // import/export (mail slot)
    DataTransfer = 4,  // drive
};

// "transport", "slot", "ieport", "drive" ("all" for All): the names of the JSON output.
std::string_view elementTypeName(ElementType type);

// A primary or alternate volume tag as the library returns it: the 32-byte volume identifier
// exactly as sent (trailing blanks kept, so mtx-compatible output can reproduce it byte for
// byte) and the volume sequence number.
struct VolumeTag {
    std::string identifier;  // 32 bytes as sent
    std::uint16_t sequence = 0;

    // The identifier without trailing blanks and NULs.
    std::string trimmed() const;
    // True when the identifier's first byte is not NUL (mtx prints a tag exactly then).
    bool present() const { return !identifier.empty() && identifier[0] != '\0'; }
};

struct Element {
    ElementType type = ElementType::Storage;
    std::uint16_t address = 0;
    bool full = false;
    bool exception = false;  // EXCEPT: asc/ascq say why
    bool accessible = true;  // ACCESS (drives, IE ports)
    // The three IE flags below are read for IE ports only (false for other types).
    bool importExport = false;   // IMPEXP (IE ports): placed by an operator, not the robot
    bool importEnabled = false;  // INENAB (IE ports)
    bool exportEnabled = false;  // EXENAB (IE ports)
    std::uint8_t asc = 0;
    std::uint8_t ascq = 0;
    std::optional<std::uint16_t> sourceAddress;  // SVALID: where the medium came from
    bool invert = false;
    std::optional<VolumeTag> primaryTag;
    std::optional<VolumeTag> alternateTag;
    // DVCID device identifier (drives): text code sets trimmed (trimField); the binary code
    // set as lowercase hex. Absent when the identifier length is 0.
    std::optional<std::string> identifier;
    std::optional<std::uint8_t> scsiLun;  // LU VALID (drives)
    std::optional<std::uint8_t> scsiId;   // ID VALID (drives)
};

struct ElementRange {
    std::uint16_t first = 0;
    std::uint16_t count = 0;

    bool contains(std::uint16_t address) const {
        return address >= first &&
               static_cast<std::uint32_t>(address) < first + std::uint32_t{count};
    }
};

// Mode page 1Dh: where each element type's addresses start and how many there are.
struct ElementAddressAssignment {
    ElementRange transport;
    ElementRange storage;
    ElementRange importExport;
    ElementRange dataTransfer;

    // The range of one type; ElementType::All (which has none) yields the storage range.
    const ElementRange &range(ElementType type) const;
    ElementRange &range(ElementType type);
    // The type whose range holds this address, if any (empty ranges hold nothing; overlapping
    // ranges resolve in the order transport, storage, IE, drive).
    std::optional<ElementType> typeOf(std::uint16_t address) const;
};

}  // namespace rsm::sg
