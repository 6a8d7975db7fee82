#pragma once
// The rules for names people give objects (pools, libraries, drives, media types, media,
// LMIDs): at most 64 characters, counted as Unicode code points of valid UTF-8, not bytes; no
// control or invisible format characters (zero-width, bidi controls), no whitespace at either
// end, so that two names that look alike are alike; and never text that parses as a UUID,
// since every kind is found by "name or UUID" and a UUID-shaped name could not be reached.
// Thread-safety: pure functions.

#include <cstddef>
#include <string_view>

#include "rsm/error.h"

namespace rsm::engine {

constexpr std::size_t kMaxNameCharacters = 64;

struct NameRules {
    std::string_view what;      // "a pool name", for messages
    bool mayBeEmpty = false;    // an empty name removes it (drives, media, LMIDs)
    bool noSeparators = false;  // no '/' or ':' (pool paths, LIBRARY/NUMBER, KIND:NAME)
};

// Success, or ERROR_INVALID_PARAMETER saying which character at which position breaks which
// rule ("a pool name holds U+200B (zero-width or format character) at character 6 ...").
Result<void> checkName(std::string_view name, const NameRules &rules);

// The number of code points of valid UTF-8 text (bytes of invalid text count one each).
std::size_t codePoints(std::string_view text);

}  // namespace rsm::engine
