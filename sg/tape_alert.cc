#include "sg/tape_alert.h"

#include <fmt/format.h>

namespace rsm::sg {

namespace {

const char *flagName(int flag) {
    switch (flag) {
        case 20:
            return "clean now";
        case 21:
            return "clean periodic";
        case 22:
            return "expired cleaning media";
        case 23:
            return "invalid cleaning tape";
        default:
            return nullptr;
    }
}

}  // namespace

std::string TapeAlerts::describe() const {
    std::string out;
    for (int flag = 1; flag <= 64; ++flag) {
        if (!has(flag))
            continue;
        out += out.empty() ? "" : ", ";
        out += std::to_string(flag);
        if (const char *name = flagName(flag))
            out += fmt::format(" ({})", name);
    }
    return out;
}

Result<TapeAlerts> parseTapeAlerts(std::span<const std::uint8_t> page) {
    if (page.size() < 4)
        return Error(ErrorCode::BadFormat,
                     fmt::format("TapeAlert page: {} bytes, not even a header", page.size()));
    if ((page[0] & 0x3F) != kTapeAlertPage)
        return Error(ErrorCode::BadFormat,
                     fmt::format("log page {:02X}h returned for TapeAlert (2Eh)", page[0] & 0x3F));
    const std::size_t length = (std::size_t{page[2]} << 8) | page[3];
    // A page cut by the allocation length is read as far as it goes.
    const std::size_t end = std::min(page.size(), 4 + length);
    TapeAlerts alerts;
    std::size_t at = 4;
    while (at + 4 <= end) {
        const int code = (page[at] << 8) | page[at + 1];
        const std::size_t size = page[at + 3];
        if (at + 4 + size > end)
            return Error(ErrorCode::BadFormat,
                         fmt::format("TapeAlert parameter {:04X}h overruns the page", code));
        if (code >= 1 && code <= 64 && size >= 1)
            alerts.flags[static_cast<std::size_t>(code - 1)] = (page[at + 4] & 0x01) != 0;
        at += 4 + size;
    }
    return alerts;
}

}  // namespace rsm::sg
