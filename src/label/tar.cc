// tar archives. A 512-byte header per member (offsets from 0): name (100) at 0, size (12,
// octal) at 124, checksum (8, octal) at 148, type flag at 156, magic at 257: "ustar\0" + "00"
// (POSIX), "ustar  \0" (GNU); POSIX puts a path prefix (155) at 345. The checksum is the sum
// of the header's bytes with its own field counted as blanks.
// Headers that carry a name for the next member: GNU 'L' (long name in the data that
// follows), pax 'x' ("<len> path=<name>\n" records); pax 'g' (global) and GNU 'K' (long link
// name) are skipped. GNU 'V' is a volume label (tar -V): the best id a tar tape has.

#include <cstring>

#include <fmt/format.h>

#include "src/label/bytes.h"
#include "src/label/libraries.h"

namespace rsm::label::detail {

namespace {

constexpr std::size_t headerSize = 512;
constexpr int maxHeaders = 8;  // extension headers before the first member

enum class Format { None, Posix, Gnu };

Format formatOf(Bytes header) {
    const auto magic = field(header, 257, 6);
    const auto version = field(header, 263, 2);
    if (magic == std::optional<std::string>("ustar") && version == std::optional<std::string>("00"))
        return Format::Posix;
    if (std::memcmp(header.data() + 257, "ustar  \0", 8) == 0)
        return Format::Gnu;
    return Format::None;
}

// An octal field (leading blanks, digits, then NUL or blank), or GNU's base-256 form.
std::optional<std::uint64_t> number(Bytes header, std::size_t at, std::size_t n) {
    if ((header[at] & 0x80) != 0) {
        std::uint64_t v = header[at] & 0x7F;
        for (std::size_t i = 1; i < n; ++i) {
            if (v > (std::uint64_t{1} << 55))
                return std::nullopt;
            v = v << 8 | header[at + i];
        }
        return v;
    }
    std::size_t i = at;
    while (i < at + n && header[i] == ' ')
        ++i;
    std::uint64_t v = 0;
    bool digits = false;
    for (; i < at + n && header[i] >= '0' && header[i] <= '7'; ++i) {
        v = v * 8 + (header[i] - '0');
        digits = true;
    }
    if (!digits || (i < at + n && header[i] != ' ' && header[i] != '\0'))
        return std::nullopt;
    return v;
}

bool checksumOk(Bytes header) {
    const auto stored = number(header, 148, 8);
    if (!stored)
        return false;
    std::uint64_t unsignedSum = 0;
    std::int64_t signedSum = 0;  // some old tars summed signed chars
    for (std::size_t i = 0; i < headerSize; ++i) {
        const std::uint8_t c = i >= 148 && i < 156 ? ' ' : header[i];
        unsignedSum += c;
        signedSum += static_cast<std::int8_t>(c);
    }
    return *stored == unsignedSum || static_cast<std::int64_t>(*stored) == signedSum;
}

// The "path" record of a pax extended header's data; nullopt when it has none.
std::optional<std::string> paxPath(Bytes data) {
    std::size_t p = 0;
    while (p < data.size()) {
        std::size_t length = 0;
        std::size_t q = p;
        while (q < data.size() && data[q] >= '0' && data[q] <= '9' && length < data.size())
            length = length * 10 + (data[q++] - '0');
        if (q >= data.size() || data[q] != ' ' || length <= q - p || length > data.size() - p)
            return std::nullopt;
        const auto *record = reinterpret_cast<const char *>(data.data());
        std::string_view text(record + q + 1, p + length - (q + 1));
        if (text.empty() || text.back() != '\n')
            return std::nullopt;
        text.remove_suffix(1);
        const auto eq = text.find('=');
        if (eq != std::string_view::npos && text.substr(0, eq) == "path")
            return std::string(text.substr(eq + 1));
        p += length;
    }
    return std::nullopt;
}

std::string_view kindOf(std::uint8_t type) {
    switch (type) {
        case '0':
        case '\0':
        case '7':
            return "file";
        case '1':
            return "hard link";
        case '2':
            return "symbolic link";
        case '3':
        case '4':
            return "device";
        case '5':
            return "directory";
        case '6':
            return "FIFO";
        default:
            return "member";
    }
}

}  // namespace

std::optional<Label> TarLibrary::claim(Bytes b) const {
    std::optional<std::string> pendingName;  // from a GNU 'L' or pax 'x' header
    Format format = Format::None;
    bool pax = false;
    std::size_t pos = 0;
    for (int hop = 0; hop < maxHeaders && pos <= b.size() && b.size() - pos >= headerSize; ++hop) {
        const Bytes header = b.subspan(pos, headerSize);
        const Format f = formatOf(header);
        if (f == Format::None || !checksumOk(header))
            break;
        if (hop == 0)
            format = f;
        const auto size = number(header, 124, 12);
        if (!size)
            break;
        const std::uint8_t type = header[156];
        const std::size_t data = pos + headerSize;
        const Bytes body = b.subspan(data, std::min<std::uint64_t>(*size, b.size() - data));
        if (type == 'V') {
            const auto name = trimRight(field(header, 0, 100).value_or(""));
            if (name.empty())
                return std::nullopt;
            return Label{"tar", cleanText(name), "GNU tar volume label"};
        }
        if (type == 'L' || type == 'K' || type == 'x' || type == 'g') {
            if (type == 'L') {
                auto name = field(body, 0, body.size());
                if (name && !name->empty())
                    pendingName = std::move(name);
            } else if (type == 'x') {
                pax = true;
                if (auto path = paxPath(body))
                    pendingName = std::move(path);
            }
            const std::uint64_t padded = (*size + headerSize - 1) / headerSize * headerSize;
            if (padded > b.size() - data)
                break;
            pos = data + padded;
            continue;
        }
        std::string name = pendingName.value_or(field(header, 0, 100).value_or(""));
        if (!pendingName && f == Format::Posix) {
            const std::string prefix = field(header, 345, 155).value_or("");
            if (!prefix.empty())
                name = prefix + "/" + name;
        }
        if (name.empty())
            return std::nullopt;
        const std::string_view family = format == Format::Gnu ? "GNU tar"
                                        : pax                 ? "POSIX tar (pax)"
                                                              : "POSIX tar (ustar)";
        return Label{"tar", cleanText(name),
                     fmt::format("{} archive, first member a {}", family, kindOf(type))};
    }
    // The member's own header lies past the block, but an extension header named it.
    if (pendingName)
        return Label{"tar", cleanText(*pendingName),
                     format == Format::Gnu ? "GNU tar archive" : "POSIX tar (pax) archive"};
    return std::nullopt;
}

}  // namespace rsm::label::detail
