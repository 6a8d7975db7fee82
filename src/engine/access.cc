// Sessions, callers and rights: who is asking, and may they.

#include <algorithm>

#include <fmt/format.h>

#include "src/engine/engine.h"
#include "src/engine/names.h"
#include "src/engine/robot_tx.h"

namespace rsm::engine {

Engine::Engine(Store &store, EngineConfig config)
    : store_(store),
      adminGid_(config.adminGid ? std::int64_t{*config.adminGid} : -1),
      cleanerPrefix_(std::move(config.cleanerPrefix)),
      cleanerUses_(config.cleanerUses),
      maxQueuedRequests_(config.maxQueuedRequests),
      logSessionEvents_(config.logSessionEvents),
      health_(config.health),
      clock_(config.clock != nullptr ? *config.clock : SystemClock::instance()) {}

void Engine::setAdminGid(std::optional<std::uint32_t> gid) {
    adminGid_ = gid ? std::int64_t{*gid} : -1;
}

Result<Uuid> Engine::openSession(const Principal &principal, const std::string &application) {
    if (codePoints(application) > 64)
        return Error(ErrorCode::InvalidParameter, "application name longer than 64 characters");
    SessionRow row;
    row.id = Uuid::random();
    row.uid = principal.uid;
    row.gids = principal.gids;
    row.application = application;
    return store_.transact<Uuid>("rsm", [&](Tx &tx) -> Result<Uuid> {
        tx.setPrincipal(principal.toString());
        if (logSessionEvents_)
            tx.logSessionChanges();
        tx.insertSession(row);
        return row.id;
    });
}

Result<void> Engine::closeSession(const Uuid &session) {
    // Two statements, however many requests the session queued: the close is short and wins
    // against the workers (a worker takes no request of a closed session either). Robot work
    // under way finishes; its result stays recorded.
    return asCaller<void>(session, [&](Tx &tx, const Caller &) -> Result<void> {
        if (logSessionEvents_)
            tx.logSessionChanges();
        tx.closeSession(session);
        const std::vector<RequestRow> open = tx.sessionRequests(session);
        if (open.empty())
            return success();
        tx.cancelSessionRequests(session, "the session was closed");
        for (const RequestRow &r : open)
            if (r.mediaId)
                withdrawUnwaitedMovesIn(tx, *r.mediaId);
        return success();
    });
}

Result<void> Engine::roomForRequest(Tx &tx, const Uuid &session) const {
    const auto queued = tx.sessionRequests(session).size();
    if (queued >= static_cast<std::size_t>(maxQueuedRequests_))
        return Error(ErrorCode::Busy,
                     fmt::format("this session has {} library requests queued or running, its "
                                 "most (max_queued_requests): wait for them, or cancel some",
                                 queued));
    return success();
}

Result<Engine::Caller> Engine::caller(Tx &tx, const Uuid &session) const {
    if (session.isNil())
        return Error(ErrorCode::InvalidHandle, "the session handle is missing");
    auto row = tx.sessionActing(session);  // names the principal too (Tx::setPrincipal)
    if (!row)
        return Error(ErrorCode::InvalidHandle,
                     fmt::format("session {} is not valid", session.toString()));
    if (!row->open)
        return Error(ErrorCode::InvalidHandle,
                     fmt::format("session {} is closed", session.toString()));
    return Caller{*row, Principal{row->uid, row->gids}};
}

bool Engine::isAdmin(const Principal &p) const {
    if (p.isRoot())
        return true;
    const std::int64_t admin = adminGid_;
    return admin >= 0 && std::find(p.gids.begin(), p.gids.end(),
                                   static_cast<std::uint32_t>(admin)) != p.gids.end();
}

bool Engine::has(Tx &tx, const Caller &c, ObjectKind kind, const Uuid &id,
                 std::uint32_t need) const {
    if (isAdmin(c.principal))
        return true;
    return (tx.rights(c.principal.uid, c.principal.gids, kind, id) & need) == need;
}

namespace {

std::string rightNames(std::uint32_t r) {
    std::string s;
    auto add = [&](std::uint32_t bit, const char *name) {
        if (r & bit)
            s += s.empty() ? name : std::string("+") + name;
    };
    add(rights::Use, "USE");
    add(rights::Modify, "MODIFY");
    add(rights::Control, "CONTROL");
    return s;
}

}  // namespace

Result<void> Engine::require(Tx &tx, const Caller &c, ObjectKind kind, const Uuid &id,
                             std::uint32_t need, const std::string &what) const {
    return require(tx, c, kind, id, need, [&what] { return what; });
}

std::function<std::string()> Engine::poolNamed(Tx &tx, const PoolRow &pool) const {
    return [this, &tx, pool] { return "pool " + poolPath(tx, pool); };
}

Result<void> Engine::require(Tx &tx, const Caller &c, ObjectKind kind, const Uuid &id,
                             std::uint32_t need, const std::function<std::string()> &what) const {
    if (has(tx, c, kind, id, need))
        return success();
    return Error(ErrorCode::AccessDenied,
                 fmt::format("{} lacks {} access to {}; an administrator grants it with rsmctl "
                             "acl grant (rsmctl-acl(1))",
                             c.principal.display(), rightNames(need), what()));
}

std::optional<std::pair<ObjectKind, Uuid>> Engine::governor(Tx &tx, const Uuid &object) const {
    auto kind = tx.objectKind(object);
    if (!kind)
        return std::nullopt;
    switch (*kind) {
        case ObjectKind::Pool:
        case ObjectKind::Library:
        case ObjectKind::Computer:
            return std::pair{*kind, object};
        case ObjectKind::Drive:
            if (auto d = tx.drive(object))
                return std::pair{ObjectKind::Library, d->libraryId};
            return std::nullopt;
        case ObjectKind::PhysicalMedia:
            if (auto m = tx.media(object))
                return std::pair{ObjectKind::Pool, m->poolId};
            return std::nullopt;
        case ObjectKind::Side:
            if (auto s = tx.side(object))
                if (auto m = tx.media(s->mediaId))
                    return std::pair{ObjectKind::Pool, m->poolId};
            return std::nullopt;
        case ObjectKind::LogicalMedia:
            if (auto l = tx.lmid(object))
                if (auto s = tx.side(l->sideId))
                    if (auto m = tx.media(s->mediaId))
                        return std::pair{ObjectKind::Pool, m->poolId};
            return std::nullopt;
        default:
            return std::pair{ObjectKind::Computer, tx.computerId()};
    }
}

Result<Uuid> Engine::computer(const Uuid &session) {
    return asCaller<Uuid>(session,
                          [&](Tx &tx, const Caller &) -> Result<Uuid> { return tx.computerId(); });
}

Result<std::vector<AclRow>> Engine::listAcl(const Uuid &session, const Uuid &object) {
    using Rows = std::vector<AclRow>;
    return asCaller<Rows>(session, [&](Tx &tx, const Caller &c) -> Result<Rows> {
        auto kind = tx.objectKind(object);
        if (!kind || (*kind != ObjectKind::Pool && *kind != ObjectKind::Library &&
                      *kind != ObjectKind::Computer))
            return Error(ErrorCode::ObjectNotFound,
                         "access control applies to pools, libraries and the computer");
        RSM_TRY_VOID(
            require(tx, c, *kind, object, rights::Use, std::string(objectKindName(*kind))));
        return tx.acl(object);
    });
}

Result<void> Engine::grant(const Uuid &session, const Uuid &object, PrincipalKind kind,
                           std::uint32_t id, std::uint32_t rightsToGrant) {
    if (rightsToGrant == 0 || (rightsToGrant & ~rights::All))
        return Error(ErrorCode::InvalidParameter, "rights are USE, MODIFY and CONTROL");
    return asCaller<void>(session, [&](Tx &tx, const Caller &c) -> Result<void> {
        auto objectKind = tx.objectKind(object);
        if (!objectKind || (*objectKind != ObjectKind::Pool && *objectKind != ObjectKind::Library &&
                            *objectKind != ObjectKind::Computer))
            return Error(ErrorCode::ObjectNotFound,
                         "access control applies to pools, libraries and the computer");
        RSM_TRY_VOID(require(tx, c, *objectKind, object, rights::Control,
                             std::string(objectKindName(*objectKind))));
        AclRow row;
        row.id = Uuid::random();
        row.principalKind = kind;
        row.principalId = id;
        row.objectKind = *objectKind;
        row.objectId = object;
        row.rights = rightsToGrant;
        for (const AclRow &existing : tx.acl(object))
            if (existing.principalKind == kind && existing.principalId == id)
                row.rights |= existing.rights;
        tx.setAcl(row);
        return success();
    });
}

Result<void> Engine::revoke(const Uuid &session, const Uuid &object, PrincipalKind kind,
                            std::uint32_t id) {
    return asCaller<void>(session, [&](Tx &tx, const Caller &c) -> Result<void> {
        auto objectKind = tx.objectKind(object);
        if (!objectKind)
            return Error(ErrorCode::ObjectNotFound, "no such object");
        RSM_TRY_VOID(require(tx, c, *objectKind, object, rights::Control,
                             std::string(objectKindName(*objectKind))));
        if (!tx.deleteAcl(object, kind, id))
            return Error(ErrorCode::ObjectNotFound, "no access-control entry for that principal");
        return success();
    });
}

}  // namespace rsm::engine
