#pragma once
// Health figures of a tape cartridge and the drive that held it, as a drive reports them at a
// dismount or on demand (issue 19): the cartridge's Medium Auxiliary Memory (READ ATTRIBUTE,
// SPC-4), the volume statistics log page (17h, SSC-4), the write and read error counter log
// pages (02h, 03h, SPC-4) and the TapeAlert flags (2Eh). Every figure is optional: a drive
// reports some and not others, and a command the drive refuses leaves its whole part empty and
// is named in DriveHealth::unsupported. These values cross from sg/ (which parses them) through
// src/library to src/engine and src/store; no module adds its own copy.
// Thread-safety: values only.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace rsm {

// MAM attributes (SPC-4 READ ATTRIBUTE, attribute identifiers in brackets).
struct MediumAttributes {
    std::optional<std::uint64_t> remainingCapacityMiB;  // [0000h] in the current partition
    std::optional<std::uint64_t> maximumCapacityMiB;    // [0001h] of the current partition
    std::optional<std::uint64_t> loadCount;             // [0003h]
    std::optional<std::uint64_t> lifetimeWrittenMiB;    // [0220h] total MiB written in medium life
    std::optional<std::uint64_t> lifetimeReadMiB;       // [0221h] total MiB read in medium life
    std::optional<std::string> manufacturer;            // [0400h] ASCII, trailing blanks cut
    std::optional<std::string> serialNumber;            // [0401h]
    std::optional<std::string> manufactureDate;         // [0406h] YYYYMMDD as written
    std::optional<std::uint8_t> mediumType;             // [0408h] 00h data, 01h cleaning, 80h WORM
    bool worm() const { return mediumType && *mediumType == 0x80; }
    bool cleaning() const { return mediumType && *mediumType == 0x01; }
};

// Volume statistics (SSC-4 log page 17h, parameter codes in brackets): the mounted volume's
// life and its last mount, as the drive keeps them.
struct VolumeStatistics {
    std::optional<std::uint64_t> threadCount;             // [0001h] times loaded (threaded)
    std::optional<std::uint64_t> datasetsWritten;         // [0002h]
    std::optional<std::uint64_t> writeRetries;            // [0003h]
    std::optional<std::uint64_t> unrecoveredWriteErrors;  // [0004h]
    std::optional<std::uint64_t> datasetsRead;            // [0007h]
    std::optional<std::uint64_t> readRetries;             // [0008h]
    std::optional<std::uint64_t> unrecoveredReadErrors;   // [0009h]
    std::optional<std::uint64_t> lastMountWrittenMB;      // [000Eh] MB (10^6 bytes)
    std::optional<std::uint64_t> lastMountReadMB;         // [000Fh]
    std::optional<std::uint64_t> lifetimeWrittenMB;       // [0010h]
    std::optional<std::uint64_t> lifetimeReadMB;          // [0011h]
    std::optional<std::uint64_t> nativeCapacityMB;        // [0016h] total native capacity
    std::optional<std::uint64_t> usedNativeCapacityMB;    // [0017h]
    std::optional<std::string> volumeSerial;              // [0040h]
    std::optional<bool> writeProtect;                     // [0080h]
    std::optional<bool> worm;                             // [0081h]
};

// Error counters (SPC-4 log pages 02h write, 03h read; parameter codes in brackets).
struct ErrorCounters {
    std::optional<std::uint64_t> correctedWithoutDelay;  // [0000h]
    std::optional<std::uint64_t> correctedWithDelay;     // [0001h]
    std::optional<std::uint64_t> totalRetries;           // [0002h] rewrites or rereads
    std::optional<std::uint64_t> totalCorrected;         // [0003h]
    std::optional<std::uint64_t> correctionInvocations;  // [0004h] correction algorithm run
    std::optional<std::uint64_t> bytesProcessed;         // [0005h]
    std::optional<std::uint64_t> uncorrected;            // [0006h] total uncorrected errors
};

// What one reading of a drive gave. `unsupported` names each part the drive refused (ILLEGAL
// REQUEST): "attributes", "volume statistics", "write errors", "read errors", "tapealert".
// `failed` names a part that failed otherwise, with the error's text; neither fails a mount.
struct DriveHealth {
    std::optional<MediumAttributes> attributes;
    std::optional<VolumeStatistics> volume;
    std::optional<ErrorCounters> writeErrors;
    std::optional<ErrorCounters> readErrors;
    std::optional<std::uint64_t> tapeAlertFlags;  // bit N-1 is flag N
    std::vector<std::string> unsupported;
    std::vector<std::string> failed;
};

}  // namespace rsm
