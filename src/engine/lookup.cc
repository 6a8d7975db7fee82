// Finding objects by name: media types, LMIDs, and any object by KIND:NAME.

#include <algorithm>

#include <fmt/format.h>

#include "src/engine/engine.h"

namespace rsm::engine {

Result<std::vector<MediaTypeRow>> Engine::listMediaTypes(const Uuid &session) {
    using Out = std::vector<MediaTypeRow>;
    return asCaller<Out>(session,
                         [&](Tx &tx, const Caller &) -> Result<Out> { return tx.mediaTypes(); });
}

Result<Uuid> Engine::findMediaType(const Uuid &session, const std::string &nameOrId) {
    return asCaller<Uuid>(session, [&](Tx &tx, const Caller &c) -> Result<Uuid> {
        if (auto id = Uuid::parse(nameOrId))
            if (tx.mediaType(*id))
                return *id;
        if (auto t = tx.mediaTypeByName(nameOrId))
            return t->id;
        return unknownMediaType(nameOrId, suggestion(tx, c, ObjectKind::MediaType, nameOrId));
    });
}

Error unknownMediaType(const std::string &name, const std::string &hint) {
    return Error(ErrorCode::ObjectNotFound,
                 fmt::format("no media type {}{}: rsmctl mediatype list lists them (names in any "
                             "case), rsmctl mediatype create adds one",
                             name, hint));
}

Result<Uuid> Engine::lmidIn(Tx &tx, const Caller &c, const std::string &nameOrId) const {
    if (auto id = Uuid::parse(nameOrId))
        if (tx.lmid(*id))
            return *id;
    std::vector<LmidRow> named = tx.lmidsByName(nameOrId);
    if (named.size() > 1)
        return Error(ErrorCode::InvalidParameter,
                     fmt::format("several LMIDs are named {}; use the UUID", nameOrId));
    if (named.size() == 1)
        return named.front().id;
    return noLmid(tx, c, nameOrId);
}

Error Engine::noLmid(Tx &tx, const Caller &c, const std::string &name) const {
    return Error(ErrorCode::InvalidMedia,
                 fmt::format("no logical medium {}{} (rsmctl lmid list lists them)", name,
                             suggestion(tx, c, ObjectKind::LogicalMedia, name)));
}

Result<std::vector<LmidHolding>> Engine::holdingsOf(Tx &tx, const Caller &c,
                                                    const std::vector<std::string> &refs) const {
    std::vector<Uuid> ids;
    for (const std::string &ref : refs)
        if (auto id = Uuid::parse(ref))
            ids.push_back(*id);
    const std::vector<LmidHolding> found = tx.lmidHoldings(ids, refs);
    std::vector<LmidHolding> out;
    for (const std::string &ref : refs) {
        // As lmidIn: the LMID with that id, else the one LMID with that name.
        const auto id = Uuid::parse(ref);
        auto byId = std::find_if(found.begin(), found.end(),
                                 [&](const LmidHolding &h) { return id && h.lmid.id == *id; });
        if (byId != found.end()) {
            out.push_back(*byId);
            continue;
        }
        const auto named = std::count_if(found.begin(), found.end(), [&](const LmidHolding &h) {
            return !h.lmid.name.empty() && h.lmid.name == ref;
        });
        if (named > 1)
            return Error(ErrorCode::InvalidParameter,
                         fmt::format("several LMIDs are named {}; use the UUID", ref));
        if (named == 0)
            return noLmid(tx, c, ref);
        out.push_back(*std::find_if(found.begin(), found.end(),
                                    [&](const LmidHolding &h) { return h.lmid.name == ref; }));
    }
    return out;
}

Result<Engine::Held> Engine::heldNamed(Tx &tx, const Caller &c, const std::string &nameOrId) const {
    auto lmid = lmidIn(tx, c, nameOrId);
    if (!lmid)
        return lmid.error();
    return held(tx, *lmid);
}

Result<Uuid> Engine::findLmid(const Uuid &session, const std::string &nameOrId) {
    return asCaller<Uuid>(
        session, [&](Tx &tx, const Caller &c) -> Result<Uuid> { return lmidIn(tx, c, nameOrId); });
}

Result<Uuid> Engine::findSide(const Uuid &session, const Uuid &media, int number) {
    return asCaller<Uuid>(session, [&](Tx &tx, const Caller &) -> Result<Uuid> {
        auto m = physical(tx, media);
        if (!m)
            return m.error();
        for (const SideRow &s : tx.sides(media))
            if (s.number == number)
                return s.id;
        return Error(
            ErrorCode::InvalidParameter,
            fmt::format("medium {} has no side {}", m->barcode.value_or(media.toString()), number));
    });
}

Result<Uuid> Engine::findObject(const Uuid &session, const std::string &reference) {
    if (auto id = Uuid::parse(reference))
        return *id;
    if (reference == "computer")
        return computer(session);
    std::size_t colon = reference.find(':');
    if (colon == std::string::npos)
        return Error(
            ErrorCode::InvalidParameter,
            fmt::format("object \"{}\": give a UUID, \"computer\" or KIND:NAME", reference));
    std::string kind = reference.substr(0, colon);
    std::string name = reference.substr(colon + 1);
    if (kind == "library")
        return findLibrary(session, name);
    if (kind == "drive")
        return findDrive(session, name);
    if (kind == "pool")
        return findPool(session, name);
    if (kind == "media")
        return findMedia(session, name);
    if (kind == "lmid")
        return findLmid(session, name);
    if (kind == "media_type")
        return findMediaType(session, name);
    return Error(ErrorCode::InvalidParameter,
                 fmt::format("object \"{}\": unknown kind \"{}\" (library, drive, pool, media, "
                             "lmid, media_type)",
                             reference, kind));
}

}  // namespace rsm::engine
