#pragma once
// rsmd's log: leveled messages formatted with fmt. When stderr is the journal (systemd sets
// JOURNAL_STREAM to stderr's device:inode), each message goes to the journal with its
// PRIORITY; otherwise to stderr as "rsmd: <level>: message".
// Thread-safety: every function may be called from any thread; lines never interleave.

#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include <fmt/format.h>

namespace rsm::daemon::log {

// Most to least severe; a message is written when its level is at or above the set one.
enum class Level { Error, Warning, Notice, Info, Debug };

void setLevel(Level level);
Level level();
bool enabled(Level level);

// "error", "warning", "notice", "info", "debug".
std::string_view levelName(Level level);
std::optional<Level> parseLevel(std::string_view name);

// Writes one message (no newline) at a level, whatever the set level.
void write(Level level, std::string_view message);

template <typename... Args>
void message(Level level, fmt::format_string<Args...> format, Args &&...args) {
    if (enabled(level))
        write(level, fmt::format(format, std::forward<Args>(args)...));
}

template <typename... Args>
void error(fmt::format_string<Args...> format, Args &&...args) {
    message(Level::Error, format, std::forward<Args>(args)...);
}
template <typename... Args>
void warning(fmt::format_string<Args...> format, Args &&...args) {
    message(Level::Warning, format, std::forward<Args>(args)...);
}
template <typename... Args>
void notice(fmt::format_string<Args...> format, Args &&...args) {
    message(Level::Notice, format, std::forward<Args>(args)...);
}
template <typename... Args>
void info(fmt::format_string<Args...> format, Args &&...args) {
    message(Level::Info, format, std::forward<Args>(args)...);
}
template <typename... Args>
void debug(fmt::format_string<Args...> format, Args &&...args) {
    message(Level::Debug, format, std::forward<Args>(args)...);
}

}  // namespace rsm::daemon::log
