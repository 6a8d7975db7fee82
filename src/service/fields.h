#pragma once
// Fields: typed, strict access to the fields of one protocol request. A missing required
// field, a field of the wrong type, a value out of range, or text holding a NUL byte is
// ERROR_INVALID_PARAMETER naming the field. Values only; one request at a time.

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "rsm/error.h"
#include "rsm/uuid.h"

namespace rsm::service {

class Fields {
public:
    explicit Fields(const nlohmann::json &request) : request_(request) {}

    bool has(const char *name) const;
    // Each named field is there and a non-empty string: checked before any is looked up, so
    // that a missing one is INVALID_PARAMETER whatever the others name.
    Result<void> present(std::initializer_list<const char *> names) const;
    Result<std::string> text(const char *name) const;  // required, non-empty
    Result<std::optional<std::string>> optionalText(const char *name) const;
    Result<std::string> textOr(const char *name, const std::string &fallback) const;
    Result<bool> flag(const char *name, bool fallback) const;
    Result<std::int64_t> integer(const char *name, std::int64_t fallback, std::int64_t min,
                                 std::int64_t max) const;
    Result<std::optional<std::int64_t>> optionalInteger(const char *name, std::int64_t min,
                                                        std::int64_t max) const;
    Result<Uuid> uuid(const char *name) const;  // required UUID text
    const nlohmann::json &raw(const char *name) const { return request_.at(name); }

private:
    const nlohmann::json &request_;
};

}  // namespace rsm::service
