#pragma once
// Suggestions for mistyped command names: "unknown command 'libary'; did you mean 'library'?".
// A pure function over the command tree CLI11 holds.
// Thread-safety: none needed (called once, on the command's thread).

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rsm/suggest.h"

namespace CLI {
class App;
}

namespace rsm::cli {

// The distance and the choice are rsm's shared ones (include/rsm/suggest.h).
using rsm::closest;
using rsm::editDistance;

// After a failed parse: the message for the first word of argv that names no command where a
// command is expected, with the closest command when there is one; nullopt when every command
// word was known (the error is about options or arguments).
std::optional<std::string> commandHint(const CLI::App &app, int argc, const char *const *argv);

}  // namespace rsm::cli
