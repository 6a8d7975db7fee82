// Any object: names, descriptions, named attributes.

#include <fmt/format.h>

#include "src/engine/engine.h"
#include "src/engine/names.h"

namespace rsm::engine {

namespace {

Result<void> checkText(const std::string &text, std::size_t max, const char *what) {
    if (codePoints(text) > max)
        return Error(ErrorCode::InvalidParameter,
                     fmt::format("{} longer than {} characters", what, max));
    for (unsigned char ch : text)
        if (ch == 0)
            return Error(ErrorCode::InvalidParameter, fmt::format("{} holds a NUL byte", what));
    return success();
}

NameRules nameRules(ObjectKind kind) {
    switch (kind) {
        case ObjectKind::Pool:
            return {"a pool name", false, true};
        case ObjectKind::Library:
            return {"a library name", false, true};
        case ObjectKind::MediaType:
            return {"a media type name", false, true};
        case ObjectKind::Drive:
            return {"a drive name", true, true};
        case ObjectKind::Computer:
            return {"the computer's name", false, false};
        default:
            return {"a name", true, false};
    }
}

}  // namespace

Result<void> Engine::setText(const Uuid &session, const Uuid &object, const char *column,
                             const std::string &text) {
    const bool isName = std::string_view(column) == "name";
    if (!isName)
        RSM_TRY_VOID(checkText(text, 256, "a description"));
    if (object.isNil())
        return Error(ErrorCode::InvalidParameter, "the object id is missing");
    return asCaller<void>(session, [&](Tx &tx, const Caller &c) -> Result<void> {
        auto kind = tx.objectKind(object);
        auto gov = governor(tx, object);
        if (!kind || !gov)
            return Error(ErrorCode::ObjectNotFound, fmt::format("no object {}", object.toString()));
        if (isName)
            RSM_TRY_VOID(checkName(text, nameRules(*kind)));
        RSM_TRY_VOID(require(tx, c, gov->first, gov->second, rights::Modify,
                             std::string(objectKindName(*kind))));
        // Only after the right to rename it: whether the name is taken elsewhere.
        if (isName)
            RSM_TRY_VOID(nameFree(tx, *kind, object, text));
        if (!tx.setObjectText(*kind, object, column, text))
            return Error(ErrorCode::InvalidOperation,
                         fmt::format("a {} has no {}", objectKindName(*kind), column));
        return success();
    });
}

Result<void> Engine::nameFree(Tx &tx, ObjectKind kind, const Uuid &self,
                              const std::string &name) const {
    if (name.empty())
        return success();
    bool taken = false;
    const char *scope = "";
    switch (kind) {
        case ObjectKind::LogicalMedia:
            for (const LmidRow &l : tx.lmidsByName(name))
                taken = taken || l.id != self;
            scope = "LMID names are unique";
            break;
        case ObjectKind::Drive:
            for (const DriveRow &d : tx.drives(std::nullopt))
                taken = taken || (d.name == name && d.id != self);
            scope = "drive names are unique";
            break;
        case ObjectKind::Library:
            if (auto l = tx.libraryByName(name))
                taken = l->id != self;
            scope = "library names are unique";
            break;
        case ObjectKind::MediaType:
            if (auto t = tx.mediaTypeByName(name))
                taken = t->id != self;
            scope = "media type names are unique";
            break;
        case ObjectKind::Pool:
            if (auto p = tx.pool(self))
                if (auto sibling = tx.poolChild(p->parentId, name))
                    taken = sibling->id != self;
            scope = "pools with the same parent have different names";
            break;
        default:
            break;
    }
    // Names are found without rights (a command names an LMID before its rights are checked),
    // so that a name is taken is no secret; which object holds it, and where, is not said.
    if (taken)
        return Error(ErrorCode::AlreadyExists,
                     fmt::format("the name \"{}\" is taken ({}, as commands find them by "
                                 "name); choose another name",
                                 name, scope));
    return success();
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
    if (name.empty() || codePoints(name) > kMaxAttributeName)
        return Error(ErrorCode::InvalidParameter,
                     fmt::format("an attribute name has 1 to {} characters; this one has {}",
                                 kMaxAttributeName, codePoints(name)));
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
