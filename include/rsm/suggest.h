#pragma once
// "Did you mean …?": how close a mistyped name is to the names that exist. Pure functions,
// shared by rsmctl (command names) and the engine (object names it cannot find).
// Thread-safety: none needed (no state).

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rsm {

// The edit distance of two words (insertions, deletions, substitutions, transpositions).
std::size_t editDistance(std::string_view a, std::string_view b);
// The candidate closest to `word` when it is close enough to be a typo of it (at most a third
// of its letters, at least 1, at most 3 edits, or `word` a prefix of it); nullopt otherwise.
// For command words.
std::optional<std::string> closest(std::string_view word,
                                   const std::vector<std::string> &candidates);
// The one name among `names` that `name` is probably a typo of: the same but for case, or at
// most 2 edits away (case ignored) — the nearest; nullopt when none is, when two are equally
// near, or when `name` is itself one of them.
std::optional<std::string> nearName(std::string_view name, const std::vector<std::string> &names);

}  // namespace rsm
