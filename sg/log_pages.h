#pragma once
// LOG SENSE pages (SPC-4 7.3): a walker over a page's parameters, and the parsers of the pages
// rsm reads for drive and tape health (issue 19): volume statistics (SSC-4 page 17h) and the
// write and read error counters (SPC-4 pages 02h, 03h). TapeAlert (2Eh) is tape_alert.h, over
// the same walker. Pure parsers; no I/O.
// Thread-safety: values only.

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "rsm/error.h"
#include "rsm/health.h"

namespace rsm::sg {

constexpr std::uint8_t kWriteErrorCounterPage = 0x02;
constexpr std::uint8_t kReadErrorCounterPage = 0x03;
constexpr std::uint8_t kVolumeStatisticsPage = 0x17;

// One log parameter: its code, control byte and value (a view into the page's bytes).
struct LogParameter {
    std::uint16_t code = 0;
    std::uint8_t control = 0;
    std::span<const std::uint8_t> value;
};

// The parameters of a log page: header of 4 bytes (page code in byte 0 bits 0-5, page length in
// bytes 2-3), then parameters of code (2 bytes), control byte, length and value. A page cut by
// the allocation length is read as far as it goes. ERROR_BAD_FORMAT when the page is not
// `expectedPage`, shorter than its header, or a parameter overruns the page; `what` names the
// page in those messages ("volume statistics").
Result<std::vector<LogParameter>> logParameters(std::span<const std::uint8_t> page,
                                                std::uint8_t expectedPage, const char *what);

// A counter parameter's value: big-endian of its length (1 to 8 bytes); nullopt for another
// length.
std::optional<std::uint64_t> counterValue(const LogParameter &parameter);

// Page 17h. Parameters not in rsm::VolumeStatistics are skipped; a counter of another length
// than 1..8 bytes is left empty.
Result<VolumeStatistics> parseVolumeStatistics(std::span<const std::uint8_t> page);
// Page 02h (write) or 03h (read), as `expectedPage` says.
Result<ErrorCounters> parseErrorCounters(std::span<const std::uint8_t> page,
                                         std::uint8_t expectedPage);

}  // namespace rsm::sg
