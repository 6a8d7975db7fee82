#include "sg/tape_alert.h"

#include <fmt/format.h>

#include "sg/log_pages.h"

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
    auto parameters = logParameters(page, kTapeAlertPage, "TapeAlert");
    if (!parameters)
        return parameters.error();
    TapeAlerts alerts;
    for (const LogParameter &p : *parameters)
        if (p.code >= 1 && p.code <= 64 && !p.value.empty())
            alerts.flags[p.code - 1U] = (p.value[0] & 0x01) != 0;
    return alerts;
}

}  // namespace rsm::sg
