#include "src/protocol/codec.h"

#include <set>
#include <vector>

namespace rsm::protocol {

using nlohmann::json;

json errorJson(const Error &error) {
    json out = {{"code", errorNumber(error.code())},
                {"name", std::string(errorName(error.code()))},
                {"message", error.message()}};
    if (error.sense())
        out["sense"] = {{"key", error.sense()->key},
                        {"asc", error.sense()->asc},
                        {"ascq", error.sense()->ascq}};
    return out;
}

Error errorFromJson(const json &error) {
    if (!error.is_object() || !error.contains("code") || !error["code"].is_number_integer())
        return Error(ErrorCode::InvalidParameter, "malformed error object: " + error.dump());
    auto number = error["code"].get<std::int64_t>();
    std::string message;
    if (error.contains("message") && error["message"].is_string())
        message = error["message"].get<std::string>();
    std::optional<ErrorCode> found;
    if (number >= 0 && number <= 0xffffffffLL)
        found = errorCodeFromNumber(static_cast<std::uint32_t>(number));
    if (!found)
        return Error(ErrorCode::InvalidParameter,
                     "unknown error code " + error["code"].dump() + ": " + message);
    const ErrorCode code = *found;
    // The sense's members are read only as integers: json::value("key", 0) throws on a string
    // and converts a huge number (1e300) to int with undefined behaviour (found by
    // tests/fuzz/fuzz_protocol_json).
    const json *sense = error.contains("sense") ? &error["sense"] : nullptr;
    const auto byte = [&](const char *name) -> std::optional<std::int64_t> {
        if (!sense->contains(name) || !(*sense)[name].is_number_integer())
            return std::nullopt;
        return (*sense)[name].get<std::int64_t>();
    };
    if (sense && sense->is_object() && byte("key").value_or(-1) >= 0)
        return Error(code, message,
                     SenseRecord{static_cast<std::uint8_t>(*byte("key")),
                                 static_cast<std::uint8_t>(byte("asc").value_or(0)),
                                 static_cast<std::uint8_t>(byte("ascq").value_or(0))});
    return Error(code, message);
}

std::string dumpLine(const json &value) {
    return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string resultLine(const json &id, const json &result) {
    return dumpLine(json{{"id", id}, {"result", result}});
}

std::string errorLine(const json &id, const Error &error) {
    return dumpLine(json{{"id", id}, {"error", errorJson(error)}});
}

ParsedLine parseLine(std::string_view line) {
    ParsedLine out;
    std::vector<std::set<std::string>> open;  // the keys of each object being read, innermost last
    const json::parser_callback_t callback = [&](int, json::parse_event_t event, json &parsed) {
        switch (event) {
            case json::parse_event_t::object_start:
                open.emplace_back();
                break;
            case json::parse_event_t::object_end:
                if (!open.empty())
                    open.pop_back();
                break;
            case json::parse_event_t::key:
                if (!open.empty() && parsed.is_string() &&
                    !open.back().insert(parsed.get<std::string>()).second && !out.duplicateKey)
                    out.duplicateKey = parsed.get<std::string>();
                break;
            default:
                break;
        }
        return true;
    };
    out.value = json::parse(line.begin(), line.end(), callback, false);
    return out;
}

}  // namespace rsm::protocol
