#include "src/cli/terminal_text.h"

#include <fmt/format.h>

namespace rsm::cli {

namespace {

// The code point of the UTF-8 sequence at text[i] and its length; length 0 when the bytes
// there are not valid UTF-8 (a stray continuation byte, a cut sequence, an overlong form, a
// surrogate, beyond U+10FFFF).
struct Decoded {
    char32_t code = 0;
    std::size_t length = 0;
};

Decoded decode(std::string_view text, std::size_t i) {
    const auto lead = static_cast<unsigned char>(text[i]);
    if (lead < 0x80)
        return {lead, 1};
    std::size_t length = 0;
    char32_t code = 0;
    if (lead >= 0xC2 && lead <= 0xDF) {
        length = 2;
        code = lead & 0x1F;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
        length = 3;
        code = lead & 0x0F;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        length = 4;
        code = lead & 0x07;
    } else {
        return {};
    }
    if (text.size() - i < length)
        return {};
    for (std::size_t k = 1; k < length; ++k) {
        const auto next = static_cast<unsigned char>(text[i + k]);
        if ((next & 0xC0) != 0x80)
            return {};
        code = code << 6 | (next & 0x3F);
    }
    if ((length == 3 && code < 0x800) || (length == 4 && code < 0x10000) ||
        (code >= 0xD800 && code <= 0xDFFF) || code > 0x10FFFF)
        return {};
    return {code, length};
}

// A character above ASCII that terminals act on or that changes the order or the lines of
// what is shown.
bool unsafeAboveAscii(char32_t code) {
    return (code >= 0x80 && code <= 0x9F) || code == 0x061C || code == 0x200E || code == 0x200F ||
           (code >= 0x2028 && code <= 0x202E) || (code >= 0x2066 && code <= 0x2069);
}

}  // namespace

std::string terminalText(std::string_view text) {
    std::string shown;
    shown.reserve(text.size());
    for (std::size_t i = 0; i < text.size();) {
        const Decoded d = decode(text, i);
        if (d.length == 0) {
            shown += fmt::format("\\x{:02x}", static_cast<unsigned char>(text[i]));
            ++i;
            continue;
        }
        if (d.code == '\t')
            shown += "\\t";
        else if (d.code == '\n')
            shown += "\\n";
        else if (d.code == '\r')
            shown += "\\r";
        else if (d.code < 0x20 || d.code == 0x7F)
            shown += fmt::format("\\x{:02x}", static_cast<unsigned>(d.code));
        else if (unsafeAboveAscii(d.code))
            shown += fmt::format("\\u{:04x}", static_cast<unsigned>(d.code));
        else
            shown.append(text.substr(i, d.length));
        i += d.length;
    }
    return shown;
}

std::size_t terminalWidth(std::string_view shown) {
    std::size_t width = 0;
    for (char c : shown)
        if ((static_cast<unsigned char>(c) & 0xC0) != 0x80)  // not a continuation byte
            ++width;
    return width;
}

std::string jsonForTerminal(std::string_view json) {
    std::string out;
    out.reserve(json.size());
    for (std::size_t i = 0; i < json.size();) {
        const Decoded d = decode(json, i);
        if (d.length == 0) {  // not from nlohmann's dump; kept as it is
            out += json[i++];
            continue;
        }
        // Outside strings a JSON text is ASCII without DEL: these are inside strings.
        if (d.code == 0x7F || unsafeAboveAscii(d.code))
            out += fmt::format("\\u{:04x}", static_cast<unsigned>(d.code));
        else
            out.append(json.substr(i, d.length));
        i += d.length;
    }
    return out;
}

}  // namespace rsm::cli
