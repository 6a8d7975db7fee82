#pragma once
// Parsers of INQUIRY data: the standard page and VPD page 80h (unit serial number).
// Pure; never read out of bounds; malformed data -> ERROR_BAD_FORMAT.

#include <cstdint>
#include <span>
#include <string>

#include "rsm/error.h"

namespace rsm::sg {

namespace peripheral {
constexpr std::uint8_t Disk = 0x00;
constexpr std::uint8_t Tape = 0x01;
constexpr std::uint8_t MediumChanger = 0x08;
}  // namespace peripheral

// A peripheral device type in words, with its article: "a tape drive", "a disk",
// "a medium changer"; "a device of SCSI peripheral type 12h" for the others.
std::string peripheralTypeName(std::uint8_t type);

struct InquiryData {
    std::uint8_t peripheralQualifier = 0;
    std::uint8_t peripheralType = 0;
    bool removable = false;
    std::uint8_t version = 0;
    bool mediumChanger = false;  // MCHNGR: an attached changer (mtx: "Attached Changer API")
    std::string vendor;          // 8 bytes as sent (blanks kept)
    std::string product;         // 16 bytes as sent
    std::string revision;        // 4 bytes as sent
};

// Needs the first 8 bytes; a reply shorter than 36 bytes leaves the string fields with only
// the bytes that arrived. ADDITIONAL LENGTH is not used to cut the strings (mtx does not).
Result<InquiryData> parseInquiry(std::span<const std::uint8_t> data);

// VPD page 80h: the unit serial number, leading and trailing blanks removed. A page length
// beyond the received bytes (a cut serial number) is ERROR_BAD_FORMAT.
Result<std::string> parseUnitSerialNumber(std::span<const std::uint8_t> data);

// Trims trailing blanks and NULs (and leading blanks): a field as mtx and rsmctl show it.
std::string trimField(std::string_view field);

// Trims spaces, tabs and NULs at both ends: an identity rsm records (a library's vendor,
// product and serial numbers). Unlike trimField, a leading NUL or tab goes too, so that no
// NUL reaches the database's text.
std::string trimBlanksAndNuls(std::string_view field);

// A text field a drive reports about a tape (MAM attributes, log parameters), as rsm keeps it:
// trimmed as trimBlanksAndNuls, each byte outside printable ASCII written as '?', so that the
// database's text and the protocol's JSON take it (no NUL, valid UTF-8).
std::string printableField(std::string_view field);

}  // namespace rsm::sg
