#pragma once
// Device discovery on a Linux host: medium changers (peripheral type 8) and tape drives
// (type 1) found under /sys/class/scsi_generic, with vendor, model, revision, serial number and
// designators, and each tape drive's /dev/nst* node. Roots are parameters so that tests can
// point it at a sysfs tree of their own making. Also: which of these devices a library's drive
// element is, from the DVCID identifier the library reports for it.
// Thread-safety: pure functions of the file system; matchDrive is pure.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rsm/error.h"
#include "sg/vpd.h"

namespace rsm::sg {

struct ScsiDevice {
    std::string sgPath;  // /dev/sg3
    std::string hctl;    // 2:0:1:0
    std::uint8_t peripheralType = 0;
    std::string vendor;                   // trimmed
    std::string model;                    // trimmed
    std::string revision;                 // trimmed
    std::string serial;                   // from VPD page 80h in sysfs, trimmed; empty if unknown
    std::vector<Designator> designators;  // from VPD page 83h in sysfs; empty if unknown
    std::optional<std::string> tapePath;  // /dev/nst0 for tape drives
};

struct DiscoveryRoots {
    std::filesystem::path sys = "/sys";
    std::filesystem::path dev = "/dev";
};

// Changers and tape drives, ordered by sg number. Unreadable entries are skipped; a missing
// /sys/class/scsi_generic gives an empty list (a host without SCSI devices).
Result<std::vector<ScsiDevice>> discoverDevices(const DiscoveryRoots &roots = {});

// The device a drive element's DVCID identifier designates, or why there is none.
struct DriveMatch {
    const ScsiDevice *device = nullptr;  // into the vector searched; nullptr when none matched
    std::string how;  // when one matched: "serial", "t10 designator", "naa designator", ...
    // When none matched: why, in words for an operator, with the identifier quoted (bytes
    // outside printable ASCII as \xNN, so that the text is always valid UTF-8).
    std::string reason;
};

// Which of `devices` (medium changers never; any other type) a library's DVCID identifier
// (Element::identifier: text trimmed, binary as lowercase hex) designates. A device matches
// when, after trimming blanks and NULs at both ends of each,
//   - its serial number (VPD 80h) is the identifier ("1234567890"), ends it after a blank or
//     NUL ("IBM ULT3580-TD5 1234567890"), or completes a T10 vendor identification of its
//     vendor (8 bytes) and model (16 bytes) ("IBM     ULT3580-TD5     1234567890");
//   - or one of its designators (VPD 83h) has the identifier as its text (designatorText;
//     binary ones compared as hex without regard to case). Port numbers (relative target
//     port, target port group, logical unit group) are not identities and never match.
// Never by prefix: an identifier the library cut short ("DR" for serial "DRV002") matches
// nothing. Two devices matching is no match either: reason `several devices match "<id>"
// (/dev/sg1 by serial, /dev/sg3 by naa designator)`.
DriveMatch matchDrive(const std::vector<ScsiDevice> &devices, std::string_view identifier);

// matchDrive(...).device, for callers that need no reason.
const ScsiDevice *matchDriveByIdentifier(const std::vector<ScsiDevice> &drives,
                                         std::string_view identifier);

}  // namespace rsm::sg
