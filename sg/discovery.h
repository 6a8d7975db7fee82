#pragma once
// Device discovery on a Linux host: medium changers (peripheral type 8) and tape drives
// (type 1) found under /sys/class/scsi_generic, with vendor, model, revision and serial
// number, and each tape drive's /dev/nst* node. Roots are parameters so that tests can point
// it at a sysfs tree of their own making.
// Thread-safety: pure functions of the file system.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rsm/error.h"

namespace rsm::sg {

struct ScsiDevice {
    std::string sgPath;  // /dev/sg3
    std::string hctl;    // 2:0:1:0
    std::uint8_t peripheralType = 0;
    std::string vendor;                   // trimmed
    std::string model;                    // trimmed
    std::string revision;                 // trimmed
    std::string serial;                   // from VPD page 80h in sysfs, trimmed; empty if unknown
    std::optional<std::string> tapePath;  // /dev/nst0 for tape drives
};

struct DiscoveryRoots {
    std::filesystem::path sys = "/sys";
    std::filesystem::path dev = "/dev";
};

// Changers and tape drives, ordered by sg number. Unreadable entries are skipped; a missing
// /sys/class/scsi_generic gives an empty list (a host without SCSI devices).
Result<std::vector<ScsiDevice>> discoverDevices(const DiscoveryRoots &roots = {});

// The tape drive whose serial number appears in a drive element's DVCID identifier
// ("IBM     ULT3580-TD5     1234567890": vendor, product, serial). Nullptr when none matches.
const ScsiDevice *matchDriveByIdentifier(const std::vector<ScsiDevice> &drives,
                                         std::string_view identifier);

}  // namespace rsm::sg
