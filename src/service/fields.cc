#include "src/service/fields.h"

#include <fmt/format.h>

namespace rsm::service {

namespace {

Error wrongType(const char *name, const char *what) {
    return Error(ErrorCode::InvalidParameter, fmt::format("field \"{}\" must be {}", name, what));
}

}  // namespace

bool Fields::has(const char *name) const {
    return request_.contains(name) && !request_.at(name).is_null();
}

Result<void> Fields::present(std::initializer_list<const char *> names) const {
    for (const char *name : names) {
        auto v = text(name);
        if (!v)
            return v.error();
    }
    return success();
}

Result<std::optional<std::string>> Fields::optionalText(const char *name) const {
    if (!has(name))
        return std::optional<std::string>{};
    const auto &v = request_.at(name);
    if (!v.is_string())
        return wrongType(name, "a string");
    // JSON may carry a NUL byte ("\u0000"); PostgreSQL's text cannot, and libpq would cut the
    // string there: "A00001L5\u0000x" would name the medium A00001L5.
    std::string text = v.get<std::string>();
    if (text.find('\0') != std::string::npos)
        return Error(ErrorCode::InvalidParameter,
                     fmt::format("field \"{}\" holds a NUL byte", name));
    return std::optional<std::string>(std::move(text));
}

Result<std::string> Fields::text(const char *name) const {
    auto v = optionalText(name);
    if (!v)
        return v.error();
    if (!*v || (*v)->empty())
        return Error(ErrorCode::InvalidParameter, fmt::format("field \"{}\" is missing", name));
    return **v;
}

Result<std::string> Fields::textOr(const char *name, const std::string &fallback) const {
    auto v = optionalText(name);
    if (!v)
        return v.error();
    return v->value_or(fallback);
}

Result<bool> Fields::flag(const char *name, bool fallback) const {
    if (!has(name))
        return fallback;
    const auto &v = request_.at(name);
    if (!v.is_boolean())
        return wrongType(name, "true or false");
    return v.get<bool>();
}

Result<std::optional<std::int64_t>> Fields::optionalInteger(const char *name, std::int64_t min,
                                                            std::int64_t max) const {
    if (!has(name))
        return std::optional<std::int64_t>{};
    const auto &v = request_.at(name);
    if (!v.is_number_integer())
        return wrongType(name, "an integer");
    std::int64_t n = v.is_number_unsigned() && v.get<std::uint64_t>() > INT64_MAX
                         ? INT64_MAX
                         : v.get<std::int64_t>();
    if (n < min || n > max)
        return Error(ErrorCode::InvalidParameter,
                     fmt::format("field \"{}\" must be between {} and {}", name, min, max));
    return std::optional<std::int64_t>(n);
}

Result<std::int64_t> Fields::integer(const char *name, std::int64_t fallback, std::int64_t min,
                                     std::int64_t max) const {
    auto v = optionalInteger(name, min, max);
    if (!v)
        return v.error();
    return v->value_or(fallback);
}

Result<Uuid> Fields::uuid(const char *name) const {
    auto v = text(name);
    if (!v)
        return v.error();
    auto id = Uuid::parse(*v);
    if (!id)
        return Error(ErrorCode::InvalidParameter,
                     fmt::format("field \"{}\" is not a UUID: {}", name, *v));
    return *id;
}

}  // namespace rsm::service
