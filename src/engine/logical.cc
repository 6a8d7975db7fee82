// Logical media: allocate, deallocate, complete, and SwapNtmsMedia.

#include <algorithm>

#include <fmt/format.h>

#include "src/engine/engine.h"
#include "src/engine/names.h"
#include "src/label/label.h"

namespace rsm::engine {

Result<LmidInfo> Engine::lmidInfo(Tx &tx, const LmidRow &lmid) const {
    auto side = tx.side(lmid.sideId);
    if (!side)
        return Error(ErrorCode::InvalidMedia, "the LMID has no side");
    auto media = tx.media(side->mediaId);
    if (!media)
        return Error(ErrorCode::InvalidMedia, "the LMID's side has no medium");
    LmidInfo info{lmid, *side, media->id, media->barcode, {}};
    if (auto pool = tx.pool(media->poolId))
        info.pool = poolPath(tx, *pool);
    return info;
}

Result<Engine::Held> Engine::held(Tx &tx, const Uuid &id) const {
    auto lmid = tx.lmidLocked(id, false);
    if (!lmid)
        return Error(ErrorCode::InvalidMedia, fmt::format("no logical medium {}", id.toString()));
    auto side = tx.side(lmid->sideId);
    auto media = side ? tx.media(side->mediaId) : std::nullopt;
    if (!media)
        return Error(ErrorCode::InvalidMedia,
                     fmt::format("logical medium {} has no side", id.toString()));
    return Held{*lmid, *side, *media};
}

Result<Engine::Owned> Engine::owned(Tx &tx, const Uuid &id, std::optional<LmidRow> locked) const {
    if (!locked)
        locked = tx.lmidLocked(id, true);
    if (!locked)
        return Error(ErrorCode::InvalidMedia, fmt::format("no logical medium {}", id.toString()));
    auto side = tx.side(locked->sideId);
    if (!side)
        return Error(ErrorCode::InvalidMedia,
                     fmt::format("logical medium {} has no side", id.toString()));
    return Owned{*locked, *side};
}

Result<Uuid> Engine::allocate(const Uuid &session, const Uuid &poolId,
                              const AllocateOptions &options) {
    auto info = allocateLmid(session, poolId, options);
    if (!info)
        return info.error();
    return info->row.id;
}

Result<LmidInfo> Engine::allocateLmid(const Uuid &session, const Uuid &poolId,
                                      const AllocateOptions &options) {
    if (poolId.isNil() && !options.next)
        return Error(ErrorCode::InvalidParameter, "the pool is missing");
    RSM_TRY_VOID(checkName(options.name, {"an LMID's name", true, false}));
    // READ COMMITTED: the side taken is locked with its medium (Tx::allocatableSide, or the
    // prior LMID's row and the unique side of an LMID for `next`); a name or a side another
    // allocation took first is a unique violation, and the allocation runs again.
    return asCallerLocking<LmidInfo>(session, [&](Tx &tx, const Caller &c) -> Result<LmidInfo> {
        return allocateLmidIn(tx, c, poolId, options);
    });
}

Result<LmidInfo> Engine::allocateLmid(const Uuid &session, const std::string &poolRef,
                                      const AllocateOptions &options) {
    if (poolRef.empty())
        return Error(ErrorCode::InvalidParameter, "the pool is missing");
    RSM_TRY_VOID(checkName(options.name, {"an LMID's name", true, false}));
    return asCallerLocking<LmidInfo>(session, [&](Tx &tx, const Caller &c) -> Result<LmidInfo> {
        auto pool = poolRowIn(tx, c, poolRef);
        if (!pool)
            return pool.error();
        return allocateLmidIn(tx, c, *pool, options);
    });
}

Result<LmidInfo> Engine::allocateLmidIn(Tx &tx, const Caller &c, const Uuid &poolId,
                                        const AllocateOptions &options) {
    auto pool = validPool(tx, poolId);
    if (!pool)
        return pool.error();
    return allocateLmidIn(tx, c, *pool, options);
}

Result<LmidInfo> Engine::allocateLmidIn(Tx &tx, const Caller &c, const PoolRow &pool,
                                        const AllocateOptions &options) {
    RSM_TRY_VOID(poolEnabled(tx, pool));
    if (pool.kind != PoolKind::Application)
        return Error(ErrorCode::InvalidMediaPool,
                     fmt::format("{} is a system pool: allocate from an application pool",
                                 poolPath(tx, pool)));
    RSM_TRY_VOID(require(tx, c, ObjectKind::Pool, pool.id, rights::Control, poolNamed(tx, pool)));
    return allocateIn(tx, c, pool, options);
}

namespace {

// The name of an LMID allocated without one: its cartridge's barcode (with the side's number
// when the medium has more than one side), or the pool's name and a short id; "-2", "-3"...
// when another LMID has it already.
std::string generatedLmidName(Tx &tx, const PoolRow &pool, const SideRow &side,
                              const std::optional<MediaRow> &media) {
    std::string base;
    if (media && media->barcode && !media->barcode->empty()) {
        base = *media->barcode;
        if (side.number > 1 || tx.sides(side.mediaId).size() > 1)
            base += fmt::format("-{}", side.number);
    } else {
        base = pool.name + "-" + side.id.toString().substr(0, 8);
    }
    std::string name = base;
    for (int n = 2; !tx.lmidsByName(name).empty(); ++n)
        name = fmt::format("{}-{}", base, n);
    return name;
}

}  // namespace

Result<LmidInfo> Engine::allocateIn(Tx &tx, const Caller &c, const PoolRow &pool,
                                    const AllocateOptions &options) {
    RSM_TRY_VOID(nameFree(tx, ObjectKind::LogicalMedia, Uuid(), options.name));
    std::optional<SideRow> side;
    std::optional<MediaRow> taken;  // the side's medium, when read already
    if (options.next) {
        auto prior = tx.lmidLocked(*options.next, false);  // the side after the prior's
        if (!prior)
            return Error(ErrorCode::InvalidMedia,
                         fmt::format("no logical medium {}", options.next->toString()));
        auto priorSide = tx.side(prior->sideId);
        auto media = tx.media(priorSide->mediaId);
        if (media->poolId != pool.id)
            return Error(ErrorCode::InvalidMediaPool, "the prior LMID is in another pool");
        for (const SideRow &s : tx.sides(media->id))
            if (s.number > priorSide->number &&
                (s.state == SideState::Reserved || s.state == SideState::Available)) {
                side = s;
                break;
            }
        if (!side)
            return Error(ErrorCode::MediaUnavailable, "the medium has no next side to allocate");
    } else if (options.media) {
        auto media = tx.media(*options.media);
        if (!media)
            return Error(ErrorCode::InvalidMedia, "no such medium");
        std::optional<PoolRow> free;
        if (media->poolId != pool.id) {
            if (pool.allocateFromFree)
                free = tx.systemPool(pool.mediaTypeId, PoolKind::Free);
            if (!free || free->id != media->poolId ||
                !has(tx, c, ObjectKind::Pool, free->id, rights::Use))
                return Error(ErrorCode::InvalidMediaPool,
                             fmt::format("cartridge {} is not in pool {} (nor in a FREE pool it "
                                         "may draw from)",
                                         cartridgeName(*media), poolPath(tx, pool)));
        }
        for (const SideRow &s : tx.sides(media->id))
            if (s.state == SideState::Available && (!options.newSide || s.allocateCount == 0)) {
                side = s;
                break;
            }
        if (!side || !media->enabled || media->state != MediaState::Idle ||
            tx.mediaLife(media->id).life != MediaLife::Active)
            return Error(ErrorCode::MediaUnavailable,
                         fmt::format("cartridge {} has no available side to allocate",
                                     cartridgeName(*media)));
        if (free) {
            media->poolId = pool.id;
            tx.setMediaPool(media->id, pool.id);
        }
        taken = media;
    } else {
        const bool newSide = options.newSide || wantsNewMedium(tx, pool);
        // RSM's order, in one statement (Tx::allocatableSide): a medium in a library before
        // one on the shelf, then the pool's own before the FREE pool's. A side of the FREE
        // pool brings its medium into the pool.
        std::optional<Uuid> freeId;
        if (pool.allocateFromFree)
            if (auto free = tx.systemPool(pool.mediaTypeId, PoolKind::Free);
                free && has(tx, c, ObjectKind::Pool, free->id, rights::Use))
                freeId = free->id;
        side = tx.allocatableSide(pool.id, freeId, newSide);
        if (!side)
            return Error(ErrorCode::MediaUnavailable,
                         fmt::format("pool {} has no available media", poolPath(tx, pool)));
        taken = tx.media(side->mediaId);
        if (taken && taken->poolId != pool.id) {
            taken->poolId = pool.id;
            tx.setMediaPool(taken->id, pool.id);
        }
    }
    side->state = SideState::Allocated;
    side->allocateCount += 1;
    tx.updateSide(*side);
    if (options.newSide)
        for (SideRow other : tx.sides(side->mediaId))
            if (other.id != side->id && other.state == SideState::Available) {
                other.state = SideState::Reserved;
                tx.updateSide(other);
            }
    // Answered from the rows written (the medium is in `pool` now), not read back.
    const auto media = taken ? taken : tx.media(side->mediaId);
    LmidRow lmid{Uuid::random(),
                 side->id,
                 options.name.empty() ? generatedLmidName(tx, pool, *side, media) : options.name,
                 {}};
    tx.insertLmid(lmid);
    lmid.created = lmid.allocated = unixNow();  // as the store stamped them (to the second)
    return LmidInfo{lmid, *side, side->mediaId, media ? media->barcode : std::nullopt,
                    poolPath(tx, pool)};
}

Result<void> Engine::deallocate(const Uuid &session, const Uuid &lmidId) {
    if (lmidId.isNil())
        return Error(ErrorCode::InvalidParameter, "the LMID is missing");
    return asCallerLocking<void>(session, [&](Tx &tx, const Caller &c) -> Result<void> {
        auto o = owned(tx, lmidId);
        if (!o)
            return o.error();
        return deallocateOwned(tx, &c, *o);
    });
}

Result<void> Engine::deallocate(const Uuid &session, const std::string &lmid) {
    if (lmid.empty())
        return Error(ErrorCode::InvalidParameter, "the LMID is missing");
    return asCallerLocking<void>(session, [&](Tx &tx, const Caller &c) -> Result<void> {
        // An LMID's UUID locks it at once; a name (or a UUID no LMID has) is looked up first.
        const std::optional<Uuid> byId = Uuid::parse(lmid);
        std::optional<LmidRow> locked = byId ? tx.lmidLocked(*byId, true) : std::nullopt;
        Uuid id = locked ? locked->id : Uuid();
        if (!locked) {
            auto named = lmidIn(tx, c, lmid);
            if (!named)
                return named.error();
            id = *named;
        }
        auto o = owned(tx, id, locked);
        if (!o)
            return o.error();
        return deallocateOwned(tx, &c, *o);
    });
}

Result<void> Engine::deallocateOwned(Tx &tx, const Caller *c, const Owned &o) {
    // READ COMMITTED (asCallerLocking): the LMID is locked FOR UPDATE (Engine::owned), then the
    // medium's sides and the medium, and read as they are once locked — an allocation of the
    // other side locks it and its medium too (Tx::allocatableSide), so the sides that decide
    // the medium's fate (back to the free pool or not) cannot change under this transaction,
    // and no write to the side is lost. Sides before their medium, as a swap locks them
    // (Tx::lmidHoldings), so that the two never wait for each other in a circle.
    const LmidRow &lmid = o.lmid;
    auto sides = tx.sidesLocked(o.side.mediaId);
    auto locked = tx.mediaLocked(o.side.mediaId);
    auto own = std::find_if(sides.begin(), sides.end(),
                            [&](const SideRow &s) { return s.id == o.side.id; });
    if (!locked || own == sides.end())
        return Error(ErrorCode::InvalidMedia,
                     fmt::format("logical medium {} has no side", lmid.id.toString()));
    MediaRow media = *locked;
    SideRow side = *own;
    auto pool = tx.pool(media.poolId);
    if (c)
        RSM_TRY_VOID(
            require(tx, *c, ObjectKind::Pool, pool->id, rights::Control, poolNamed(tx, *pool)));
    if (mediaBusy(tx, media))
        return Error(ErrorCode::Busy, "the medium is in use");
    if (tx.mediaLife(media.id).worm)
        return Error(ErrorCode::InvalidOperation,
                     fmt::format("cartridge {} is WORM: its side cannot go back to scratch or be "
                                 "written again; keep its LMID, or retire the cartridge (rsmctl "
                                 "media state {} retired)",
                                 cartridgeName(media), cartridgeName(media)));
    tx.deleteLmid(lmid.id);
    const bool spent = pool->maxAllocations && side.allocateCount >= *pool->maxAllocations;
    side.state = spent ? SideState::Decommissioned : SideState::Available;
    tx.updateSide(side);
    *own = side;  // the medium's sides as they are now: locked, so none else changed

    bool owned = false;
    for (const SideRow &s : sides)
        owned = owned || s.state == SideState::Allocated || s.state == SideState::Complete;
    if (owned)
        return success();
    bool allAvailable = true;
    for (SideRow s : sides) {
        if (s.state == SideState::Reserved) {
            s.state = SideState::Available;
            tx.updateSide(s);
        }
        allAvailable = allAvailable && s.state == SideState::Available;
    }
    if (pool->deallocateToFree && allAvailable)
        if (auto free = tx.systemPool(media.mediaTypeId, PoolKind::Free))
            tx.setMediaPool(media.id, free->id);
    return success();
}

Result<void> Engine::setComplete(const Uuid &session, const Uuid &lmidId) {
    if (lmidId.isNil())
        return Error(ErrorCode::InvalidParameter, "the LMID is missing");
    return asCaller<void>(session, [&](Tx &tx, const Caller &c) -> Result<void> {
        auto h = held(tx, lmidId);
        if (!h)
            return h.error();
        SideRow side = h->side;
        MediaRow media = h->media;
        RSM_TRY_VOID(
            require(tx, c, ObjectKind::Pool, media.poolId, rights::Control, "the medium's pool"));
        if (side.state != SideState::Allocated)
            return Error(ErrorCode::InvalidState,
                         fmt::format("the side is {}, not ALLOCATED", sideStateName(side.state)));
        side.state = SideState::Complete;
        tx.updateSide(side);
        return success();
    });
}

Result<Engine::SwapResult> Engine::swap(const Uuid &session, const Uuid &lmid1, const Uuid &lmid2) {
    if (lmid1.isNil() || lmid2.isNil())
        return Error(ErrorCode::InvalidParameter, "a media identifier is missing");
    return swap(session, lmid1.toString(), lmid2.toString());
}

Result<Engine::SwapResult> Engine::swap(const Uuid &session, const std::string &lmid1,
                                        const std::string &lmid2) {
    if (lmid1.empty() || lmid2.empty())
        return Error(ErrorCode::InvalidParameter, "a media identifier is missing");
    // READ COMMITTED: the LMIDs locked with their sides and media (Tx::lmidHoldings); every
    // operation that acts on an LMID's side locks it too (Engine::held).
    return asCallerLocking<SwapResult>(session, [&](Tx &tx, const Caller &c) -> Result<SwapResult> {
        auto parts = holdingsOf(tx, c, {lmid1, lmid2});
        if (!parts)
            return parts.error();
        const LmidHolding &first = (*parts)[0], &second = (*parts)[1];
        if (first.lmid.id == second.lmid.id)
            return Error(ErrorCode::InvalidParameter, "the two LMIDs are the same");
        for (const LmidHolding &p : *parts) {
            if (!p.pool.enabled)
                return Error(ErrorCode::InvalidMediaPool,
                             fmt::format("media pool {} is disabled", poolPath(tx, p.pool)));
            if (p.pool.kind != PoolKind::Application)
                return Error(ErrorCode::InvalidMediaPool,
                             fmt::format("logical medium {} sits in system pool {}",
                                         p.lmid.id.toString(), poolPath(tx, p.pool)));
        }
        for (const LmidHolding &p : *parts)
            RSM_TRY_VOID(
                require(tx, c, ObjectKind::Pool, p.pool.id, rights::Modify, poolNamed(tx, p.pool)));
        if (first.pool.id != second.pool.id)
            return Error(ErrorCode::InvalidMediaPool,
                         fmt::format("the LMIDs are in different pools ({} and {})",
                                     poolPath(tx, first.pool), poolPath(tx, second.pool)));
        for (const LmidHolding &p : *parts)
            if (mediaBusy(p.media, p.mediaRequested))
                return Error(
                    ErrorCode::Busy,
                    fmt::format("the medium of logical medium {} is in use", p.lmid.id.toString()));
        for (const LmidHolding &p : *parts)
            if (!p.side.labelType || !label::knownType(*p.side.labelType))
                return Error(ErrorCode::BadFormat,
                             fmt::format("no media label library recognizes the label of "
                                         "logical medium {} ({}); swap moves labelled data: "
                                         "rsmctl inventory --full reads the labels",
                                         p.lmid.name.empty() ? p.lmid.id.toString() : p.lmid.name,
                                         p.side.labelType ? "type " + *p.side.labelType
                                                          : std::string("no label")));
        tx.swapLmidSides(first.lmid, second.lmid);
        return SwapResult{first.lmid.id, second.lmid.id};
    });
}

Result<std::vector<LmidInfo>> Engine::listLmids(const Uuid &session) {
    using Out = std::vector<LmidInfo>;
    return asCaller<Out>(session, [&](Tx &tx, const Caller &c) -> Result<Out> {
        Out out;
        for (const LmidRow &l : tx.lmids()) {
            auto info = lmidInfo(tx, l);
            if (!info)
                return info.error();
            auto media = tx.media(info->mediaId);
            if (has(tx, c, ObjectKind::Pool, media->poolId, rights::Use))
                out.push_back(*info);
        }
        return out;
    });
}

Result<LmidInfo> Engine::getLmid(const Uuid &session, const Uuid &lmidId) {
    return asCaller<LmidInfo>(session, [&](Tx &tx, const Caller &c) -> Result<LmidInfo> {
        auto lmid = tx.lmid(lmidId);
        if (!lmid)
            return Error(ErrorCode::InvalidMedia,
                         fmt::format("no logical medium {}", lmidId.toString()));
        auto info = lmidInfo(tx, *lmid);
        if (!info)
            return info.error();
        auto media = tx.media(info->mediaId);
        RSM_TRY_VOID(
            require(tx, c, ObjectKind::Pool, media->poolId, rights::Use, "the medium's pool"));
        return *info;
    });
}

}  // namespace rsm::engine
