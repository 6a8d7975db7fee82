#pragma once
// Suggestions for mistyped command names: "unknown command 'libary'; did you mean 'library'?".
// Pure functions over the command tree CLI11 holds.
// Thread-safety: none needed (called once, on the command's thread).

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace CLI {
class App;
}

namespace rsm::cli {

// The edit distance of two words (insertions, deletions, substitutions, transpositions).
std::size_t editDistance(std::string_view a, std::string_view b);
// The candidate closest to `word` when it is close enough to be a typo of it (at most a third
// of its letters, at least 1, at most 3 edits, or `word` a prefix of it); nullopt otherwise.
std::optional<std::string> closest(std::string_view word,
                                   const std::vector<std::string> &candidates);
// After a failed parse: the message for the first word of argv that names no command where a
// command is expected, with the closest command when there is one; nullopt when every command
// word was known (the error is about options or arguments).
std::optional<std::string> commandHint(const CLI::App &app, int argc, const char *const *argv);

}  // namespace rsm::cli
