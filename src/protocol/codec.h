#pragma once
// The JSON of rsmd's protocol (docs/protocol.md) that both ends share: error objects and
// replies. Server and client build their lines here so they cannot drift apart.
// Thread-safety: pure functions.

#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "rsm/error.h"

namespace rsm::protocol {

constexpr int kVersion = 1;
constexpr std::size_t kMaxLine = 65536;

// {"code": 5023, "name": "ERROR_INVALID_STATE", "message": "...", "sense": {...}?}
nlohmann::json errorJson(const Error &error);
// The Error an error object describes; INVALID_PARAMETER when it is not one.
Error errorFromJson(const nlohmann::json &error);

// {"id": id, "result": result} and {"id": id, "error": {...}} as one line, no newline.
std::string resultLine(const nlohmann::json &id, const nlohmann::json &result);
std::string errorLine(const nlohmann::json &id, const Error &error);
// Any JSON as one line, as the two above write it: text that is not UTF-8 (a device's bytes,
// such as a drive's DVCID identifier) replaced by U+FFFD, where plain dump() would throw.
std::string dumpLine(const nlohmann::json &value);

// A request line as rsmd reads it: the JSON value (discarded when the line is not JSON) and
// the first key found twice in one object, if any. A plain parse keeps the last of two equal
// keys without a word, so {"verb":"show","verb":"delete"} would mean what the second says to
// rsmd but perhaps the first to a proxy or a log reader; rsmd refuses such a line.
struct ParsedLine {
    nlohmann::json value;
    std::optional<std::string> duplicateKey;
};
ParsedLine parseLine(std::string_view line);

}  // namespace rsm::protocol
