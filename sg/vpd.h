#pragma once
// VPD page 83h (device identification, SPC-4 7.8.6): the designators by which a logical unit,
// its target port or its target device are known — NAA and EUI-64 names, T10 vendor
// identifications ("IBM     ULT3580-TD5     1234567890"), SCSI name strings. A library's
// DVCID drive identifier is one of them. Pure parser; values only; no I/O.
// Thread-safety: values only.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "rsm/error.h"

namespace rsm::sg {

constexpr std::uint8_t kDeviceIdentificationPage = 0x83;

namespace code_set {
constexpr std::uint8_t Binary = 1;
constexpr std::uint8_t Ascii = 2;
constexpr std::uint8_t Utf8 = 3;
}  // namespace code_set

namespace designator_type {
constexpr std::uint8_t VendorSpecific = 0;
constexpr std::uint8_t T10VendorId = 1;
constexpr std::uint8_t Eui64 = 2;
constexpr std::uint8_t Naa = 3;
constexpr std::uint8_t RelativeTargetPort = 4;
constexpr std::uint8_t TargetPortGroup = 5;
constexpr std::uint8_t LogicalUnitGroup = 6;
constexpr std::uint8_t Md5LogicalUnit = 7;
constexpr std::uint8_t ScsiName = 8;
constexpr std::uint8_t ProtocolSpecificPort = 9;
constexpr std::uint8_t Uuid = 0x0A;
}  // namespace designator_type

namespace association {
constexpr std::uint8_t LogicalUnit = 0;
constexpr std::uint8_t TargetPort = 1;
constexpr std::uint8_t TargetDevice = 2;
}  // namespace association

// One designation descriptor.
struct Designator {
    std::uint8_t codeSet = 0;      // code_set::*: how `value` is encoded (0..15)
    std::uint8_t association = 0;  // association::*: what it designates (0..3)
    std::uint8_t type = 0;         // designator_type::* (0..15)
    std::vector<std::uint8_t> value;

    friend bool operator==(const Designator &, const Designator &) = default;
};

// The designator as text, in the form a library's DVCID identifier takes: the ASCII and UTF-8
// code sets as the text, leading blanks and trailing blanks and NULs removed (trimField); the
// binary and reserved code sets as lowercase hex ("5000e11156c40001").
std::string designatorText(const Designator &designator);

// The designator type's short name: "vendor", "t10", "eui64", "naa", "relative-port",
// "port-group", "lu-group", "md5", "scsi-name", "protocol-port", "uuid"; "reserved" for the
// others.
std::string_view designatorTypeName(std::uint8_t type);

// Parses VPD page 83h as received: a 4-byte header (byte 1 the page code 83h, bytes 2-3 the
// page length), then designation descriptors of a 4-byte header and their designator. Bytes
// after the page length are ignored. ERROR_BAD_FORMAT when the page is shorter than its
// header, is another page, is cut short of its page length (a cut identity is a wrong one), or
// holds a descriptor that runs past the page length (a cut descriptor header or designator).
// A page length of 0 is an empty list.
Result<std::vector<Designator>> parseDeviceIdentification(std::span<const std::uint8_t> page);

}  // namespace rsm::sg
