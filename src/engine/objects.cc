// Any object: names, descriptions, named attributes.

#include <fmt/format.h>

#include "src/engine/engine.h"

namespace rsm::engine {

namespace {

Result<void> checkText(const std::string &text, std::size_t max, const char *what) {
    if (text.size() > max)
        return Error(ErrorCode::InvalidParameter,
                     fmt::format("{} longer than {} characters", what, max));
    for (unsigned char ch : text)
        if (ch == 0)
            return Error(ErrorCode::InvalidParameter, fmt::format("{} holds a NUL byte", what));
    return success();
}

bool referenceName(const std::string &name) {
    if (name.empty())
        return false;
    for (unsigned char ch : name)
        if (ch < 0x20 || ch == 0x7F || ch == '/' || ch == ':')
            return false;
    return true;
}

}  // namespace

Result<void> Engine::setText(const Uuid &session, const Uuid &object, const char *column,
                             const std::string &text) {
    const bool isName = std::string_view(column) == "name";
    RSM_TRY_VOID(checkText(text, isName ? 64 : 256, isName ? "a name" : "a description"));
    if (object.isNil())
        return Error(ErrorCode::InvalidParameter, "the object id is missing");
    return asCaller<void>(session, [&](Tx &tx, const Caller &c) -> Result<void> {
        auto kind = tx.objectKind(object);
        auto gov = governor(tx, object);
        if (!kind || !gov)
            return Error(ErrorCode::ObjectNotFound, fmt::format("no object {}", object.toString()));
        // Pools, libraries and media types are found by name (pool paths, "library:NAME",
        // "free:LTO-5"): a new name follows the rules of the first one.
        if (isName &&
            (*kind == ObjectKind::Pool || *kind == ObjectKind::Library ||
             *kind == ObjectKind::MediaType) &&
            !referenceName(text))
            return Error(ErrorCode::InvalidParameter,
                         fmt::format("a {} name is 1 to 64 printable characters without '/' or "
                                     "':'",
                                     objectKindName(*kind)));
        RSM_TRY_VOID(require(tx, c, gov->first, gov->second, rights::Modify,
                             std::string(objectKindName(*kind))));
        if (!tx.setObjectText(*kind, object, column, text))
            return Error(ErrorCode::InvalidOperation,
                         fmt::format("a {} has no {}", objectKindName(*kind), column));
        return success();
    });
}

Result<void> Engine::setName(const Uuid &session, const Uuid &object, const std::string &name) {
    return setText(session, object, "name", name);
}

Result<void> Engine::setDescription(const Uuid &session, const Uuid &object,
                                    const std::string &description) {
    return setText(session, object, "description", description);
}

Result<std::string> Engine::getAttribute(const Uuid &session, const Uuid &object,
                                         const std::string &name) {
    return asCaller<std::string>(session, [&](Tx &tx, const Caller &c) -> Result<std::string> {
        auto gov = governor(tx, object);
        if (!gov)
            return Error(ErrorCode::ObjectNotFound, fmt::format("no object {}", object.toString()));
        RSM_TRY_VOID(require(tx, c, gov->first, gov->second, rights::Use, "the object"));
        auto a = tx.attribute(object, name);
        if (!a)
            return Error(ErrorCode::ObjectNotFound, fmt::format("no attribute {}", name));
        return a->value;
    });
}

Result<void> Engine::setAttribute(const Uuid &session, const Uuid &object, const std::string &name,
                                  const std::string &value) {
    if (name.empty() || name.size() > kMaxAttributeName)
        return Error(ErrorCode::InvalidParameter,
                     fmt::format("an attribute name has 1 to {} bytes; this one has {}",
                                 kMaxAttributeName, name.size()));
    if (value.size() > kMaxAttributeValue)
        return Error(ErrorCode::InvalidParameter,
                     fmt::format("attribute {} would hold {} bytes; an attribute holds at most {} "
                                 "bytes (keep larger data elsewhere and store a reference)",
                                 name, value.size(), kMaxAttributeValue));
    return asCaller<void>(session, [&](Tx &tx, const Caller &c) -> Result<void> {
        auto kind = tx.objectKind(object);
        auto gov = governor(tx, object);
        if (!kind || !gov)
            return Error(ErrorCode::ObjectNotFound, fmt::format("no object {}", object.toString()));
        RSM_TRY_VOID(require(tx, c, gov->first, gov->second, rights::Modify, "the object"));
        if (!tx.attribute(object, name) && tx.attributes(object).size() >= kMaxAttributes)
            return Error(ErrorCode::InvalidParameter,
                         fmt::format("object {} has {} attributes, the most an object may have; "
                                     "set one of those instead of adding attribute {}",
                                     object.toString(), kMaxAttributes, name));
        tx.setAttribute({object, *kind, name, value});
        return success();
    });
}

}  // namespace rsm::engine
