#include "src/engine/names.h"

#include <cstdint>
#include <optional>

#include <fmt/format.h>

#include "rsm/uuid.h"

namespace rsm::engine {

namespace {

// One code point decoded from the front of `text`, with its length in bytes; none for an
// invalid sequence (overlong forms, surrogates, values past U+10FFFF, truncated sequences).
struct Decoded {
    char32_t cp = 0;
    std::size_t length = 1;
};

std::optional<Decoded> decode(std::string_view text) {
    const auto byte = [&](std::size_t i) { return static_cast<std::uint8_t>(text[i]); };
    const std::uint8_t lead = byte(0);
    if (lead < 0x80)
        return Decoded{lead, 1};
    std::size_t length = 0;
    char32_t cp = 0;
    char32_t least = 0;
    if ((lead & 0xE0) == 0xC0) {
        length = 2, cp = lead & 0x1F, least = 0x80;
    } else if ((lead & 0xF0) == 0xE0) {
        length = 3, cp = lead & 0x0F, least = 0x800;
    } else if ((lead & 0xF8) == 0xF0) {
        length = 4, cp = lead & 0x07, least = 0x10000;
    } else {
        return std::nullopt;
    }
    if (text.size() < length)
        return std::nullopt;
    for (std::size_t i = 1; i < length; ++i) {
        if ((byte(i) & 0xC0) != 0x80)
            return std::nullopt;
        cp = cp << 6 | (byte(i) & 0x3F);
    }
    if (cp < least || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return std::nullopt;
    return Decoded{cp, length};
}

// Characters that draw nothing or reorder what follows: the C0 and C1 controls, and Unicode's
// format characters (Cf) with the separators and non-characters that act alike.
const char *invisible(char32_t cp) {
    if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F))
        return "a control character";
    if ((cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0x200E ||
        cp == 0x200F || cp == 0x061C)
        return "a bidirectional control";
    if ((cp >= 0x200B && cp <= 0x200D) || cp == 0x2060 || cp == 0xFEFF)
        return "a zero-width character";
    if (cp == 0x00AD || cp == 0x034F || cp == 0x180E || (cp >= 0x2061 && cp <= 0x2064) ||
        (cp >= 0x206A && cp <= 0x206F) || (cp >= 0xFFF9 && cp <= 0xFFFB) ||
        (cp >= 0x0600 && cp <= 0x0605) || cp == 0x06DD || cp == 0x070F || cp == 0x110BD ||
        (cp >= 0x1BCA0 && cp <= 0x1BCA3) || (cp >= 0x1D173 && cp <= 0x1D17A) ||
        (cp >= 0xE0000 && cp <= 0xE007F))
        return "an invisible format character";
    if (cp == 0x2028 || cp == 0x2029)
        return "a line or paragraph separator";
    if ((cp >= 0xFDD0 && cp <= 0xFDEF) || (cp & 0xFFFE) == 0xFFFE)
        return "a non-character";
    if (cp >= 0xE000 && cp <= 0xF8FF)
        return "a private-use character";
    if (cp == 0xFFFD)
        return "the replacement character: the text was not UTF-8 before it was sent";
    return nullptr;
}

bool whitespace(char32_t cp) {
    return cp == ' ' || cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) ||
           cp == 0x202F || cp == 0x205F || cp == 0x3000;
}

}  // namespace

std::size_t codePoints(std::string_view text) {
    std::size_t count = 0;
    while (!text.empty()) {
        auto d = decode(text);
        text.remove_prefix(d ? d->length : 1);
        ++count;
    }
    return count;
}

Result<void> checkName(std::string_view name, const NameRules &rules) {
    const auto refuse = [&](const std::string &why) {
        return Error(
            ErrorCode::InvalidParameter,
            fmt::format("{} {}; give a name of 1 to {} visible characters{}", rules.what, why,
                        kMaxNameCharacters, rules.noSeparators ? " without '/' or ':'" : ""));
    };
    if (name.empty()) {
        if (rules.mayBeEmpty)
            return success();
        return refuse("is empty");
    }
    std::size_t position = 0;  // characters, from 1
    std::size_t offset = 0;    // bytes
    char32_t first = 0, last = 0;
    while (offset < name.size()) {
        ++position;
        auto d = decode(name.substr(offset));
        if (!d)
            return refuse(fmt::format("is not UTF-8 text (byte {} of the name, 0x{:02X})",
                                      offset + 1, static_cast<std::uint8_t>(name[offset])));
        if (const char *kind = invisible(d->cp))
            return refuse(fmt::format("holds U+{:04X} ({}) at character {}",
                                      static_cast<std::uint32_t>(d->cp), kind, position));
        if (rules.noSeparators && (d->cp == '/' || d->cp == ':'))
            return refuse(
                fmt::format("holds '{}' at character {}", static_cast<char>(d->cp), position));
        if (position == 1)
            first = d->cp;
        last = d->cp;
        offset += d->length;
    }
    if (position > kMaxNameCharacters)
        return refuse(fmt::format("has {} characters", position));
    if (whitespace(first))
        return refuse(
            fmt::format("starts with white space (U+{:04X})", static_cast<std::uint32_t>(first)));
    if (whitespace(last))
        return refuse(fmt::format("ends with white space (U+{:04X} at character {})",
                                  static_cast<std::uint32_t>(last), position));
    if (Uuid::parse(name))
        return refuse("has the form of a UUID, and UUIDs name objects by their id");
    return success();
}

}  // namespace rsm::engine
