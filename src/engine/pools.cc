// Media types and media pools: system pools per media type, application pools by path.

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

#include "src/engine/engine.h"
#include "src/engine/names.h"

namespace rsm::engine {

namespace {

std::vector<std::string> splitPath(const std::string &path) {
    std::vector<std::string> parts;
    std::string part;
    for (char ch : path) {
        if (ch == '/') {
            parts.push_back(part);
            part.clear();
        } else {
            part += ch;
        }
    }
    parts.push_back(part);
    return parts;
}

std::string systemPoolName(PoolKind kind, const std::string &mediaType) {
    switch (kind) {
        case PoolKind::Free:
            return "free:" + mediaType;
        case PoolKind::Import:
            return "import:" + mediaType;
        case PoolKind::Unrecognized:
            return "unrecognized:" + mediaType;
        case PoolKind::Application:
            break;
    }
    return mediaType;
}

// The system pool "KIND:TYPE" names, TYPE in any case; nullopt when there is none.
std::optional<PoolRow> systemPoolNamed(Tx &tx, const std::string &name) {
    const auto colon = name.find(':');
    if (colon == std::string::npos)
        return std::nullopt;
    std::string kind = name.substr(0, colon);
    std::transform(kind.begin(), kind.end(), kind.begin(),
                   [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
    for (PoolKind k : {PoolKind::Free, PoolKind::Import, PoolKind::Unrecognized})
        if (kind + ":" == systemPoolName(k, ""))
            if (auto type = tx.mediaTypeByName(name.substr(colon + 1)))
                return tx.systemPool(type->id, k);
    return std::nullopt;
}

}  // namespace

Result<Uuid> Engine::createMediaType(const Uuid &session, const std::string &name, int sides,
                                     const std::string &description, bool worm) {
    RSM_TRY_VOID(checkName(name, {"a media type name", false, true}));
    if (sides != 1 && sides != 2)
        return Error(ErrorCode::InvalidParameter, "a medium has 1 or 2 sides");
    return asCaller<Uuid>(session, [&](Tx &tx, const Caller &c) -> Result<Uuid> {
        RSM_TRY_VOID(
            require(tx, c, ObjectKind::Computer, tx.computerId(), rights::Modify, "the computer"));
        if (tx.mediaTypeByName(name))
            return Error(ErrorCode::AlreadyExists,
                         fmt::format("media type {} already exists", name));
        return addMediaType(tx, name, sides, description, worm).id;
    });
}

MediaTypeRow Engine::addMediaType(Tx &tx, const std::string &name, int sides,
                                  const std::string &description, bool worm) const {
    MediaTypeRow type{Uuid::random(), name, description, sides, worm};
    tx.insertMediaType(type);
    for (PoolKind kind : {PoolKind::Free, PoolKind::Import, PoolKind::Unrecognized}) {
        PoolRow pool;
        pool.id = Uuid::random();
        pool.name = systemPoolName(kind, name);
        pool.mediaTypeId = type.id;
        pool.kind = kind;
        pool.description = fmt::format("{} media of type {}", poolKindName(kind), name);
        tx.insertPool(pool);
    }
    return type;
}

std::string Engine::poolPath(Tx &tx, const PoolRow &pool) const {
    std::string path = pool.name;
    std::optional<Uuid> parent = pool.parentId;
    for (int depth = 0; parent && depth < 64; ++depth) {
        auto p = tx.pool(*parent);
        if (!p)
            break;
        path = p->name + "/" + path;
        parent = p->parentId;
    }
    return path;
}

PoolInfo Engine::poolInfo(Tx &tx, const PoolRow &pool) const {
    PoolInfo info;
    info.row = pool;
    info.path = poolPath(tx, pool);
    if (auto type = tx.mediaType(pool.mediaTypeId))
        info.mediaType = type->name;
    info.counts = tx.poolCounts(pool.id);
    info.policy = tx.poolPolicy(pool.id);
    return info;
}

Result<PoolRow> Engine::validPool(Tx &tx, const Uuid &id) const {
    auto pool = tx.pool(id);
    if (!pool)
        return Error(ErrorCode::InvalidMediaPool, fmt::format("no media pool {}", id.toString()));
    RSM_TRY_VOID(poolEnabled(tx, *pool));
    return *pool;
}

Result<void> Engine::poolEnabled(Tx &tx, const PoolRow &pool) const {
    if (!pool.enabled)
        return Error(ErrorCode::InvalidMediaPool,
                     fmt::format("media pool {} is disabled", poolPath(tx, pool)));
    return success();
}

Result<Uuid> Engine::createPool(const Uuid &session, const std::string &path,
                                const PoolOptions &options) {
    const auto parts = splitPath(path);
    for (const auto &part : parts)
        if (auto bad = checkName(part, {"a pool name", false, true}); !bad)
            return Error(ErrorCode::InvalidParameter,
                         fmt::format("'{}' is not a pool path (names separated by '/'): {}", path,
                                     bad.error().message()));
    if (options.maxAllocations && *options.maxAllocations <= 0)
        return Error(ErrorCode::InvalidParameter, "max allocations must be positive");
    return asCaller<Uuid>(session, [&](Tx &tx, const Caller &c) -> Result<Uuid> {
        std::optional<PoolRow> parent;
        for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
            auto next = tx.poolChild(parent ? std::optional(parent->id) : std::nullopt, parts[i]);
            if (!next || next->kind != PoolKind::Application)
                return Error(ErrorCode::InvalidMediaPool,
                             fmt::format("parent pool {} does not exist", parts[i]));
            parent = next;
        }
        if (parent)
            RSM_TRY_VOID(require(tx, c, ObjectKind::Pool, parent->id, rights::Control,
                                 poolNamed(tx, *parent)));
        else
            RSM_TRY_VOID(require(tx, c, ObjectKind::Computer, tx.computerId(), rights::Control,
                                 "the computer (to create a root pool)"));
        if (tx.poolChild(parent ? std::optional(parent->id) : std::nullopt, parts.back()))
            return Error(ErrorCode::AlreadyExists, fmt::format("pool {} already exists", path));
        Uuid mediaTypeId;
        if (!options.mediaType.empty()) {
            auto type = tx.mediaTypeByName(options.mediaType);
            if (!type)
                return unknownMediaType(
                    options.mediaType, suggestion(tx, c, ObjectKind::MediaType, options.mediaType));
            mediaTypeId = type->id;
        } else if (parent) {
            mediaTypeId = parent->mediaTypeId;
        } else {
            return Error(ErrorCode::InvalidParameter, "a root pool needs a media type");
        }
        PoolRow pool;
        pool.id = Uuid::random();
        pool.name = parts.back();
        pool.description = options.description;
        pool.parentId = parent ? std::optional(parent->id) : std::nullopt;
        pool.mediaTypeId = mediaTypeId;
        pool.kind = PoolKind::Application;
        pool.allocateFromFree = options.allocateFromFree;
        pool.deallocateToFree = options.deallocateToFree;
        pool.maxAllocations = options.maxAllocations;
        tx.insertPool(pool);
        // The creator may use what it made.
        AclRow acl;
        acl.id = Uuid::random();
        acl.principalKind = PrincipalKind::User;
        acl.principalId = c.principal.uid;
        acl.objectKind = ObjectKind::Pool;
        acl.objectId = pool.id;
        acl.rights = rights::All;
        tx.setAcl(acl);
        return pool.id;
    });
}

Result<void> Engine::deletePool(const Uuid &session, const Uuid &id) {
    if (id.isNil())
        return Error(ErrorCode::InvalidParameter, "the pool id is missing");
    // READ COMMITTED, the pool locked first: an allocation moving a medium into it (READ
    // COMMITTED too) either ended before, and its medium is counted below, or waits and then
    // finds the pool gone. Schema 21 checks the key so, and refuses a SERIALIZABLE deletion.
    return asCallerLocking<void>(session, [&](Tx &tx, const Caller &c) -> Result<void> {
        auto pool = tx.poolLocked(id);
        if (!pool)
            return Error(ErrorCode::InvalidMediaPool,
                         fmt::format("no media pool {}", id.toString()));
        const std::string path = poolPath(tx, *pool);
        if (pool->kind != PoolKind::Application)
            return Error(ErrorCode::InvalidMediaPool,
                         fmt::format("{} is a system pool; system pools cannot be deleted", path));
        RSM_TRY_VOID(require(tx, c, ObjectKind::Pool, id, rights::Modify, "pool " + path));
        if (tx.poolCounts(id).media > 0)
            return Error(ErrorCode::NotEmpty, fmt::format("pool {} still holds media", path));
        if (tx.poolChildCount(id) > 0)
            return Error(ErrorCode::NotEmpty, fmt::format("pool {} still has child pools", path));
        tx.deletePool(id);
        return success();
    });
}

Result<std::vector<PoolInfo>> Engine::listPools(const Uuid &session) {
    using Out = std::vector<PoolInfo>;
    return asCaller<Out>(session, [&](Tx &tx, const Caller &c) -> Result<Out> {
        Out out;
        for (const PoolRow &p : tx.pools())
            if (has(tx, c, ObjectKind::Pool, p.id, rights::Use))
                out.push_back(poolInfo(tx, p));
        return out;
    });
}

Result<PoolInfo> Engine::getPool(const Uuid &session, const Uuid &id) {
    return asCaller<PoolInfo>(session, [&](Tx &tx, const Caller &c) -> Result<PoolInfo> {
        auto pool = tx.pool(id);
        if (!pool)
            return Error(ErrorCode::InvalidMediaPool,
                         fmt::format("no media pool {}", id.toString()));
        RSM_TRY_VOID(require(tx, c, ObjectKind::Pool, id, rights::Use, poolNamed(tx, *pool)));
        return poolInfo(tx, *pool);
    });
}

Result<Uuid> Engine::findPool(const Uuid &session, const std::string &pathOrId) {
    return asCaller<Uuid>(
        session, [&](Tx &tx, const Caller &c) -> Result<Uuid> { return poolIn(tx, c, pathOrId); });
}

Result<Uuid> Engine::poolIn(Tx &tx, const Caller &c, const std::string &pathOrId) const {
    auto pool = poolRowIn(tx, c, pathOrId);
    if (!pool)
        return pool.error();
    return pool->id;
}

Result<PoolRow> Engine::poolRowIn(Tx &tx, const Caller &c, const std::string &pathOrId) const {
    const auto none = [&] {
        return Error(ErrorCode::InvalidMediaPool,
                     fmt::format("no media pool {}{} (rsmctl pool list lists them)", pathOrId,
                                 suggestion(tx, c, ObjectKind::Pool, pathOrId)));
    };
    if (auto id = Uuid::parse(pathOrId)) {
        if (auto pool = tx.pool(*id))
            return *pool;
    }
    std::optional<PoolRow> at;
    bool root = true;
    for (const auto &part : splitPath(pathOrId)) {
        at = tx.poolChild(at ? std::optional(at->id) : std::nullopt, part);
        if (!at && root)
            at = systemPoolNamed(tx, part);
        root = false;  // "free:lto-5": the type's name in any case
        if (!at)
            return none();
    }
    if (!at)
        return none();
    return *at;
}

}  // namespace rsm::engine
