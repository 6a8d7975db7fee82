#include "sg/log_pages.h"

#include <algorithm>
#include <string>

#include <fmt/format.h>

#include "sg/inquiry.h"

namespace rsm::sg {

Result<std::vector<LogParameter>> logParameters(std::span<const std::uint8_t> page,
                                                std::uint8_t expectedPage, const char *what) {
    if (page.size() < 4)
        return Error(ErrorCode::BadFormat,
                     fmt::format("{} page: {} bytes, not even a header", what, page.size()));
    if ((page[0] & 0x3F) != expectedPage)
        return Error(ErrorCode::BadFormat, fmt::format("log page {:02X}h returned for {} ({:02X}h)",
                                                       page[0] & 0x3F, what, expectedPage));
    const std::size_t length = (std::size_t{page[2]} << 8) | page[3];
    const std::size_t end = std::min(page.size(), 4 + length);
    std::vector<LogParameter> parameters;
    std::size_t at = 4;
    while (at + 4 <= end) {
        const auto code = static_cast<std::uint16_t>((page[at] << 8) | page[at + 1]);
        const std::size_t size = page[at + 3];
        if (at + 4 + size > end)
            return Error(ErrorCode::BadFormat,
                         fmt::format("{} parameter {:04X}h overruns the page", what, code));
        parameters.push_back({code, page[at + 2], page.subspan(at + 4, size)});
        at += 4 + size;
    }
    return parameters;
}

std::optional<std::uint64_t> counterValue(const LogParameter &parameter) {
    if (parameter.value.empty() || parameter.value.size() > 8)
        return std::nullopt;
    std::uint64_t value = 0;
    for (std::uint8_t byte : parameter.value)
        value = (value << 8) | byte;
    return value;
}

namespace {

// ASCII with trailing blanks and NULs cut; nullopt when nothing is left.
std::optional<std::string> asciiValue(const LogParameter &parameter) {
    std::string text = printableField(std::string_view(
        reinterpret_cast<const char *>(parameter.value.data()), parameter.value.size()));
    if (text.empty())
        return std::nullopt;
    return text;
}

std::optional<bool> flagValue(const LogParameter &parameter) {
    if (auto value = counterValue(parameter))
        return *value != 0;
    return std::nullopt;
}

// A counter parameter's code and the field it fills.
template <typename T>
struct Counter {
    std::uint16_t code;
    std::optional<std::uint64_t> T::*field;
};

// SSC-4, volume statistics log parameter codes.
constexpr Counter<VolumeStatistics> kVolumeCounters[] = {
    {0x0001, &VolumeStatistics::threadCount},
    {0x0002, &VolumeStatistics::datasetsWritten},
    {0x0003, &VolumeStatistics::writeRetries},
    {0x0004, &VolumeStatistics::unrecoveredWriteErrors},
    {0x0007, &VolumeStatistics::datasetsRead},
    {0x0008, &VolumeStatistics::readRetries},
    {0x0009, &VolumeStatistics::unrecoveredReadErrors},
    {0x000E, &VolumeStatistics::lastMountWrittenMB},
    {0x000F, &VolumeStatistics::lastMountReadMB},
    {0x0010, &VolumeStatistics::lifetimeWrittenMB},
    {0x0011, &VolumeStatistics::lifetimeReadMB},
    {0x0016, &VolumeStatistics::nativeCapacityMB},
    {0x0017, &VolumeStatistics::usedNativeCapacityMB},
};

// SPC-4, error counter log parameter codes (the same for pages 02h to 05h).
constexpr Counter<ErrorCounters> kErrorCounters[] = {
    {0x0000, &ErrorCounters::correctedWithoutDelay}, {0x0001, &ErrorCounters::correctedWithDelay},
    {0x0002, &ErrorCounters::totalRetries},          {0x0003, &ErrorCounters::totalCorrected},
    {0x0004, &ErrorCounters::correctionInvocations}, {0x0005, &ErrorCounters::bytesProcessed},
    {0x0006, &ErrorCounters::uncorrected},
};

// Fills `out`'s counter for `parameter`; false when no counter has its code.
template <typename T, std::size_t N>
bool fillCounter(T &out, const Counter<T> (&table)[N], const LogParameter &parameter) {
    for (const Counter<T> &counter : table) {
        if (counter.code == parameter.code) {
            out.*counter.field = counterValue(parameter);
            return true;
        }
    }
    return false;
}

}  // namespace

Result<VolumeStatistics> parseVolumeStatistics(std::span<const std::uint8_t> page) {
    auto parameters = logParameters(page, kVolumeStatisticsPage, "volume statistics");
    if (!parameters)
        return parameters.error();
    VolumeStatistics v;
    for (const LogParameter &p : *parameters) {
        if (fillCounter(v, kVolumeCounters, p))
            continue;
        if (p.code == 0x0040)
            v.volumeSerial = asciiValue(p);
        else if (p.code == 0x0080)
            v.writeProtect = flagValue(p);
        else if (p.code == 0x0081)
            v.worm = flagValue(p);
    }
    return v;
}

Result<ErrorCounters> parseErrorCounters(std::span<const std::uint8_t> page,
                                         std::uint8_t expectedPage) {
    auto parameters = logParameters(
        page, expectedPage,
        expectedPage == kWriteErrorCounterPage ? "write error counter" : "read error counter");
    if (!parameters)
        return parameters.error();
    ErrorCounters c;
    for (const LogParameter &p : *parameters)
        fillCounter(c, kErrorCounters, p);
    return c;
}

}  // namespace rsm::sg
