#include "rsm/error.h"

#include <array>

namespace rsm {

namespace {

struct Entry {
    ErrorCode code;
    std::string_view name;
};

constexpr std::array kEntries = {
#define RSM_X(id, num, name) Entry{ErrorCode::id, "ERROR_" #name},
    RSM_ERROR_CODES(RSM_X)
#undef RSM_X
};

}  // namespace

std::string_view errorName(ErrorCode code) {
    for (const auto &e : kEntries)
        if (e.code == code)
            return e.name;
    return "ERROR_UNKNOWN";
}

std::uint32_t errorNumber(ErrorCode code) {
    return static_cast<std::uint32_t>(code);
}

std::optional<ErrorCode> errorCodeFromNumber(std::uint32_t number) {
    for (const auto &e : kEntries)
        if (static_cast<std::uint32_t>(e.code) == number)
            return e.code;
    return std::nullopt;
}

std::optional<ErrorCode> errorCodeFromName(std::string_view name) {
    for (const auto &e : kEntries)
        if (e.name == name || e.name.substr(6) == name)
            return e.code;
    return std::nullopt;
}

std::string Error::toString() const {
    std::string s(errorName(code_));
    s += " (" + std::to_string(errorNumber(code_)) + "): " + message_;
    return s;
}

Error Error::withContext(const std::string &context) const {
    Error e = *this;
    e.message_ = context + ": " + message_;
    return e;
}

}  // namespace rsm
