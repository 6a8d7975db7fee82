// VOL1 labels. ANSI X3.27-1987 / ISO 1001 (ASCII), 80 bytes, offsets from 0:
//   0 "VOL1", 4 volume identifier (6), 10 accessibility, 11 reserved (13),
//   24 implementation identifier (13), 37 owner identifier (14), 51 reserved (28),
//   79 label standard version ('3', '4').
// IBM standard labels (EBCDIC): 0 "VOL1", 4 volume serial (6), 10 reserved, 11 VTOC pointer
// and reserved, 41 owner name and address (10), 51 reserved.
// LTFS writes the ANSI form on each partition: the first six characters of the barcode (blanks
// when it has none), accessibility 'L', implementation "LTFS", version '4'.

#include <array>
#include <cstring>

#include <fmt/format.h>

#include "src/label/bytes.h"
#include "src/label/libraries.h"

namespace rsm::label::detail {

namespace {

constexpr std::size_t recordLength = 80;

// EBCDIC (code page 037) for the characters a VOL1 label uses; '?' for the rest.
char fromEbcdic(std::uint8_t c) {
    if (c == 0x40)
        return ' ';
    if (c >= 0xC1 && c <= 0xC9)
        return static_cast<char>('A' + (c - 0xC1));
    if (c >= 0xD1 && c <= 0xD9)
        return static_cast<char>('J' + (c - 0xD1));
    if (c >= 0xE2 && c <= 0xE9)
        return static_cast<char>('S' + (c - 0xE2));
    if (c >= 0xF0 && c <= 0xF9)
        return static_cast<char>('0' + (c - 0xF0));
    switch (c) {
        case 0x4B:
            return '.';
        case 0x60:
            return '-';
        case 0x61:
            return '/';
        case 0x6D:
            return '_';
        case 0x7B:
            return '#';
        case 0x7C:
            return '@';
        case 0x5B:
            return '$';
        default:
            return '?';
    }
}

std::string slice(const std::string &record, std::size_t at, std::size_t n) {
    return trimRight(record.substr(at, n));
}

}  // namespace

std::optional<Label> Vol1Library::claim(Bytes b) const {
    static constexpr std::array<std::uint8_t, 4> ebcdicVol1 = {0xE5, 0xD6, 0xD3, 0xF1};
    if (b.size() < recordLength)
        return std::nullopt;
    std::string record(reinterpret_cast<const char *>(b.data()), recordLength);
    const bool ebcdic = std::memcmp(b.data(), ebcdicVol1.data(), ebcdicVol1.size()) == 0;
    if (ebcdic) {
        for (std::size_t i = 0; i < recordLength; ++i)
            record[i] = fromEbcdic(b[i]);
    } else if (record.compare(0, 4, "VOL1") != 0) {
        return std::nullopt;
    }
    const std::string volser = slice(record, 4, 6);
    if (!printableAscii(volser))
        return std::nullopt;

    if (ebcdic) {
        if (volser.empty())
            return std::nullopt;
        const std::string owner = slice(record, 41, 10);
        std::string info = "IBM standard label (EBCDIC)";
        if (!owner.empty() && printableAscii(owner))
            info += ", owner " + owner;
        return Label{"VOL1", volser, info};
    }

    const std::string implementation = slice(record, 24, 13);
    const std::string owner = slice(record, 37, 14);
    const char version = record[79];
    if (implementation.starts_with("LTFS")) {
        // An LTFS volume without a barcode has a blank volume identifier: still LTFS.
        return Label{"LTFS", volser,
                     volser.empty() ? "LTFS volume label, no volume serial" : "LTFS volume label"};
    }
    if (volser.empty())
        return std::nullopt;
    std::string info = "ANSI label";
    if (version >= '1' && version <= '9')
        info += fmt::format(" version {}", version);
    if (!implementation.empty() && printableAscii(implementation))
        info += ", implementation " + implementation;
    if (!owner.empty() && printableAscii(owner))
        info += ", owner " + owner;
    return Label{"VOL1", volser, info};
}

}  // namespace rsm::label::detail
