// libFuzzer target: the first block of a tape side offered to the media label libraries
// (src/label/label.h: label::recognize): Bacula, Bareos, tar, Amanda, VOL1/IBM/LTFS.
//
// Invariants (label.h's promises): no read outside the block (the fuzzer's buffer is exactly
// the block, so AddressSanitizer sees any overread); failures are ERROR_BAD_FORMAT; a label's
// type is one an installed library produces; its id is empty only for LTFS; id and info are
// valid UTF-8 (no overlong forms, surrogates or code points past U+10FFFF) of at most 256
// bytes without control characters (C0, DEL, C1) — they go to PostgreSQL text columns and
// terminals.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "src/label/label.h"
#include "tests/fuzz/fuzz_check.h"

namespace {

// Strict UTF-8 (RFC 3629), written independently of src/label/bytes.cc.
bool validUtf8(std::string_view s) {
    for (std::size_t i = 0; i < s.size();) {
        const auto c = static_cast<unsigned char>(s[i]);
        std::size_t n = 0;
        std::uint32_t cp = 0;
        if (c < 0x80) {
            ++i;
            continue;
        }
        if ((c & 0xE0) == 0xC0) {
            n = 2;
            cp = c & 0x1F;
        } else if ((c & 0xF0) == 0xE0) {
            n = 3;
            cp = c & 0x0F;
        } else if ((c & 0xF8) == 0xF0) {
            n = 4;
            cp = c & 0x07;
        } else {
            return false;
        }
        if (s.size() - i < n)
            return false;
        for (std::size_t k = 1; k < n; ++k) {
            const auto cc = static_cast<unsigned char>(s[i + k]);
            if ((cc & 0xC0) != 0x80)
                return false;
            cp = cp << 6 | (cc & 0x3F);
        }
        const std::uint32_t minimum = n == 2 ? 0x80 : n == 3 ? 0x800 : 0x10000;
        if (cp < minimum || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
            return false;
        i += n;
    }
    return true;
}

// Valid UTF-8 of at most 256 bytes without control characters: C0 (00h-1Fh), DEL, and C1
// (U+0080-U+009F, C2h 80h-9Fh in UTF-8, which terminals may take for ESC sequences: U+009B
// is CSI).
bool fitText(const std::string &s) {
    if (s.size() > 256 || !validUtf8(s))
        return false;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c < 0x20 || c == 0x7F)
            return false;
        if (c == 0xC2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) < 0xA0)
            return false;
    }
    return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
    auto label = rsm::label::recognize(std::span<const std::uint8_t>(data, size));
    if (!label) {
        FUZZ_CHECK(label.error().code() == rsm::ErrorCode::BadFormat);
        return 0;
    }
    const std::string &type = label->type;
    FUZZ_CHECK(type == "VOL1" || type == "LTFS" || type == "Bacula" || type == "Bareos" ||
               type == "Amanda" || type == "tar");
    FUZZ_CHECK(rsm::label::knownType(type));
    FUZZ_CHECK(!label->id.empty() || type == "LTFS");
    FUZZ_CHECK(fitText(label->id));
    FUZZ_CHECK(fitText(label->info));
    return 0;
}
