#include "src/label/bytes.h"

#include <algorithm>
#include <cstring>

namespace rsm::label::detail {

bool startsWith(Bytes b, std::string_view prefix) {
    return b.size() >= prefix.size() && std::memcmp(b.data(), prefix.data(), prefix.size()) == 0;
}

std::optional<std::uint32_t> be32(Bytes b, std::size_t at) {
    if (at > b.size() || b.size() - at < 4)
        return std::nullopt;
    return static_cast<std::uint32_t>(b[at]) << 24 | static_cast<std::uint32_t>(b[at + 1]) << 16 |
           static_cast<std::uint32_t>(b[at + 2]) << 8 | static_cast<std::uint32_t>(b[at + 3]);
}

std::optional<std::string> field(Bytes b, std::size_t at, std::size_t n) {
    if (at > b.size() || b.size() - at < n)
        return std::nullopt;
    const auto *begin = reinterpret_cast<const char *>(b.data() + at);
    const auto *nul = static_cast<const char *>(std::memchr(begin, 0, n));
    return std::string(begin, nul != nullptr ? static_cast<std::size_t>(nul - begin) : n);
}

std::optional<std::string> cString(Bytes b, std::size_t at, std::size_t end) {
    end = std::min(end, b.size());
    if (at >= end)
        return std::nullopt;
    const auto *begin = reinterpret_cast<const char *>(b.data() + at);
    const auto *nul = static_cast<const char *>(std::memchr(begin, 0, end - at));
    if (nul == nullptr)
        return std::nullopt;
    return std::string(begin, static_cast<std::size_t>(nul - begin));
}

std::string trimRight(std::string s) {
    while (!s.empty() && (s.back() == ' ' || s.back() == '\0'))
        s.pop_back();
    return s;
}

bool printableAscii(std::string_view s) {
    return std::all_of(s.begin(), s.end(), [](unsigned char c) { return c >= 0x20 && c < 0x7F; });
}

namespace {

// Length of the UTF-8 sequence starting at s[i] (1 to 4), or 0 when it is not valid UTF-8
// (overlong forms, surrogates and code points past U+10FFFF included).
std::size_t utf8Length(std::string_view s, std::size_t i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80)
        return 1;
    std::size_t n = 0;
    std::uint32_t cp = 0;
    if (c >= 0xC2 && c <= 0xDF) {
        n = 2;
        cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        cp = c & 0x07;
    } else {
        return 0;
    }
    if (s.size() - i < n)
        return 0;
    for (std::size_t k = 1; k < n; ++k) {
        const auto cc = static_cast<unsigned char>(s[i + k]);
        if ((cc & 0xC0) != 0x80)
            return 0;
        cp = cp << 6 | (cc & 0x3F);
    }
    const bool overlong = (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000);
    if (overlong || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
        return 0;
    return n;
}

}  // namespace

std::string cleanText(std::string_view s) {
    std::string out;
    for (std::size_t i = 0; i < s.size();) {
        const std::size_t n = utf8Length(s, i);
        const auto c = static_cast<unsigned char>(s[i]);
        const std::size_t step = n == 0 ? 1 : n;
        if (out.size() + (n == 0 ? 1 : n) > maxTextBytes)
            break;
        // Control characters: C0, DEL, and C1 (U+0080-U+009F, C2h 80h-9Fh: terminals may act on
        // them, U+009B is CSI; a Bareos pool name with U+008B got through, found by
        // tests/fuzz/fuzz_label).
        const bool c1 = n == 2 && c == 0xC2 && static_cast<unsigned char>(s[i + 1]) < 0xA0;
        if (n == 0 || (n == 1 && (c < 0x20 || c == 0x7F)) || c1)
            out += '?';
        else
            out.append(s.substr(i, n));
        i += step;
    }
    return out;
}

}  // namespace rsm::label::detail
