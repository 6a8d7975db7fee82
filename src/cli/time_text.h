#pragma once
// Times for people: rsmd sends every time as RFC 3339 in UTC ("2026-11-21T10:00:00.123Z");
// tables and listings show them in the local time zone (TZ) with the zone's name, to the
// second ("2026-11-21 11:00:00 CET"), or in UTC under --utc. --json prints rsmd's text.
// Thread-safety: pure functions (localtime_r, gmtime_r).

#include <optional>
#include <string>
#include <string_view>

namespace rsm::cli {

// `text` for people when it is an RFC 3339 time (a 'Z' or a ±HH:MM offset, optional
// fraction); nullopt when it is not one.
std::optional<std::string> timeForPeople(std::string_view text, bool utc);

}  // namespace rsm::cli
