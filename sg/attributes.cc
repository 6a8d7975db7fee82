#include "sg/attributes.h"

#include <algorithm>
#include <optional>
#include <string>

#include <fmt/format.h>

#include "sg/inquiry.h"

namespace rsm::sg {

namespace {

std::optional<std::uint64_t> binary(std::span<const std::uint8_t> value) {
    if (value.empty() || value.size() > 8)
        return std::nullopt;
    std::uint64_t out = 0;
    for (std::uint8_t byte : value)
        out = (out << 8) | byte;
    return out;
}

std::optional<std::string> ascii(std::span<const std::uint8_t> value) {
    std::string text = printableField(
        std::string_view(reinterpret_cast<const char *>(value.data()), value.size()));
    if (text.empty())
        return std::nullopt;
    return text;
}

void fill(MediumAttributes &out, std::uint16_t id, std::span<const std::uint8_t> value) {
    switch (id) {
        case 0x0000:
            out.remainingCapacityMiB = binary(value);
            break;
        case 0x0001:
            out.maximumCapacityMiB = binary(value);
            break;
        case 0x0003:
            out.loadCount = binary(value);
            break;
        case 0x0220:
            out.lifetimeWrittenMiB = binary(value);
            break;
        case 0x0221:
            out.lifetimeReadMiB = binary(value);
            break;
        case 0x0400:
            out.manufacturer = ascii(value);
            break;
        case 0x0401:
            out.serialNumber = ascii(value);
            break;
        case 0x0406:
            out.manufactureDate = ascii(value);
            break;
        case 0x0408:
            if (auto type = binary(value); type && *type <= 0xFF)
                out.mediumType = static_cast<std::uint8_t>(*type);
            break;
        default:
            break;
    }
}

}  // namespace

Result<MediumAttributes> parseAttributes(std::span<const std::uint8_t> data) {
    if (data.size() < 4)
        return Error(ErrorCode::BadFormat,
                     fmt::format("attribute data: {} bytes, not even a header", data.size()));
    const std::size_t available = (std::size_t{data[0]} << 24) | (std::size_t{data[1]} << 16) |
                                  (std::size_t{data[2]} << 8) | data[3];
    const std::size_t end = 4 + available;  // what the device says it has
    const std::size_t have = std::min(data.size(), end);
    MediumAttributes out;
    std::size_t at = 4;
    while (at + 5 <= have) {
        const auto id = static_cast<std::uint16_t>((data[at] << 8) | data[at + 1]);
        const std::size_t length = (std::size_t{data[at + 3]} << 8) | data[at + 4];
        if (at + 5 + length > end)
            return Error(ErrorCode::BadFormat,
                         fmt::format("attribute {:04X}h overruns the attribute data", id));
        if (at + 5 + length > have)
            break;  // cut by the allocation length
        fill(out, id, data.subspan(at + 5, length));
        at += 5 + length;
    }
    return out;
}

}  // namespace rsm::sg
