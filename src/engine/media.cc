// Physical media: create on the shelf, delete (DeleteNtmsMedia), move to a pool, decommission.

#include <map>

#include <fmt/format.h>

#include "src/engine/engine.h"
#include "src/engine/names.h"

namespace rsm::engine {

namespace {

std::string describe(const MediaRow &m) {
    return m.barcode ? fmt::format("medium {}", *m.barcode)
                     : fmt::format("medium {}", m.id.toString());
}

}  // namespace

bool Engine::mediaBusy(Tx &tx, const MediaRow &media) const {
    return mediaBusy(media, false) || tx.mediaHasActiveRequest(media.id);
}

bool Engine::mediaBusy(const MediaRow &media, bool requested) {
    // A cartridge left in a drive by a deferred dismount (UNLOADED) is nobody's now.
    return (media.state != MediaState::Idle && media.state != MediaState::Unloaded) || requested;
}

MediaInfo Engine::mediaInfo(Tx &tx, const MediaRow &media) const {
    MediaInfo info;
    info.row = media;
    if (auto pool = tx.pool(media.poolId))
        info.pool = poolPath(tx, *pool);
    if (auto library = tx.library(media.libraryId))
        info.library = library->name;
    if (auto type = tx.mediaType(media.mediaTypeId))
        info.mediaType = type->name;
    if (media.slotId)
        info.address = tx.elementAddress(ObjectKind::Slot, *media.slotId);
    else if (media.driveId)
        info.address = tx.elementAddress(ObjectKind::Drive, *media.driveId);
    else if (media.ieportId)
        info.address = tx.elementAddress(ObjectKind::IePort, *media.ieportId);
    for (const SideRow &side : tx.sides(media.id)) {
        SideInfo s{side, std::nullopt, {}, std::nullopt};
        if (auto l = tx.lmidBySide(side.id)) {
            s.lmid = l->id;
            s.lmidName = l->name;
            s.allocated = l->allocated;
        }
        info.sides.push_back(s);
    }
    if (auto cleaner = tx.cleaner(media.id))
        info.cleanerUses = cleaner->usesLeft;
    info.life = tx.mediaLife(media.id);
    return info;
}

Result<MediaRow> Engine::physical(Tx &tx, const Uuid &id) const {
    auto media = tx.media(id);
    if (!media)
        return Error(ErrorCode::InvalidMedia, fmt::format("no physical medium {}", id.toString()));
    return *media;
}

Result<Uuid> Engine::createOfflineMedia(const Uuid &session, const NewMedia &spec) {
    if (spec.barcode && (spec.barcode->empty() || spec.barcode->size() > 32))
        return Error(ErrorCode::InvalidParameter, "a barcode has 1 to 32 characters");
    RSM_TRY_VOID(checkName(spec.name, {"a medium's name", true, false}));
    if (codePoints(spec.description) > 256)
        return Error(ErrorCode::InvalidParameter,
                     "a medium's description has at most 256 characters");
    return asCaller<Uuid>(session, [&](Tx &tx, const Caller &c) -> Result<Uuid> {
        auto type = tx.mediaTypeByName(spec.mediaType);
        if (!type)
            return unknownMediaType(spec.mediaType,
                                    suggestion(tx, c, ObjectKind::MediaType, spec.mediaType));
        PoolRow pool;
        if (spec.pool) {
            auto p = validPool(tx, *spec.pool);
            if (!p)
                return p.error();
            pool = *p;
        } else {
            auto p = tx.systemPool(type->id, PoolKind::Free);
            if (!p)
                return Error(ErrorCode::InvalidMediaPool, "the media type has no FREE pool");
            pool = *p;
        }
        if (pool.mediaTypeId != type->id)
            return Error(ErrorCode::MediaIncompatible,
                         fmt::format("pool {} holds another media type", poolPath(tx, pool)));
        const LibraryRow offline = tx.offlineLibrary();
        RSM_TRY_VOID(
            require(tx, c, ObjectKind::Pool, pool.id, rights::Modify, poolNamed(tx, pool)));
        RSM_TRY_VOID(
            require(tx, c, ObjectKind::Library, offline.id, rights::Modify, "the OFFLINE library"));
        if (spec.barcode && tx.mediaByBarcode(*spec.barcode))
            return Error(ErrorCode::AlreadyExists,
                         fmt::format("a medium with barcode {} exists", *spec.barcode));
        if (sideIsOwned(spec.sideState))
            return Error(ErrorCode::InvalidParameter,
                         "new media have no allocated sides; allocate them");
        MediaRow m;
        m.id = Uuid::random();
        m.name = spec.name;
        m.description = spec.description;
        m.barcode = spec.barcode;
        m.mediaTypeId = type->id;
        m.poolId = pool.id;
        m.libraryId = offline.id;
        m.libraryKind = LibraryKind::Offline;
        m.location = LocationKind::Shelf;
        m.sideCount = type->sides;
        tx.insertMedia(m);
        for (int n = 0; n < type->sides; ++n) {
            SideRow s;
            s.id = Uuid::random();
            s.mediaId = m.id;
            s.number = n;
            s.state = spec.sideState;
            s.labelType = spec.labelType;
            s.labelId = spec.labelId;
            tx.insertSide(s);
        }
        return m.id;
    });
}

Result<void> Engine::deleteMedia(const Uuid &session, const Uuid &mediaId) {
    if (mediaId.isNil())
        return Error(ErrorCode::InvalidParameter, "the media identifier is missing");
    return asCaller<void>(session, [&](Tx &tx, const Caller &c) -> Result<void> {
        auto media = physical(tx, mediaId);
        if (!media)
            return media.error();
        auto pool = validPool(tx, media->poolId);
        if (!pool)
            return pool.error();
        if (!has(tx, c, ObjectKind::Computer, tx.computerId(), rights::Modify) &&
            !has(tx, c, ObjectKind::Pool, pool->id, rights::Modify))
            return Error(ErrorCode::AccessDenied,
                         fmt::format("{} lacks MODIFY access to the computer and to pool {}",
                                     c.principal.display(), poolPath(tx, *pool)));
        if (media->libraryKind != LibraryKind::Offline)
            return Error(ErrorCode::InvalidState,
                         fmt::format("{} is not offline: eject it first", describe(*media)));
        const auto sides = tx.sides(media->id);
        for (const SideRow &s : sides)
            if (sideIsOwned(s.state))
                return Error(ErrorCode::InvalidState,
                             fmt::format("side {} of {} is {}", s.number, describe(*media),
                                         sideStateName(s.state)));
        for (const SideRow &s : sides) {
            if (auto l = tx.lmidBySide(s.id))
                tx.deleteLmid(l->id);
            tx.deleteSide(s.id);
        }
        tx.deleteMedia(media->id);
        return success();
    });
}

Result<void> Engine::moveToPool(const Uuid &session, const Uuid &mediaId, const Uuid &poolId) {
    if (mediaId.isNil() || poolId.isNil())
        return Error(ErrorCode::InvalidParameter, "a medium and a pool are needed");
    return asCaller<void>(session, [&](Tx &tx, const Caller &c) -> Result<void> {
        auto media = physical(tx, mediaId);
        if (!media)
            return media.error();
        auto from = tx.pool(media->poolId);
        auto to = validPool(tx, poolId);
        if (!to)
            return to.error();
        const std::string toPath = poolPath(tx, *to);
        RSM_TRY_VOID(require(tx, c, ObjectKind::Pool, media->poolId, rights::Control,
                             [&] { return "pool " + (from ? poolPath(tx, *from) : "?"); }));
        RSM_TRY_VOID(require(tx, c, ObjectKind::Pool, to->id, rights::Control, "pool " + toPath));
        if (to->mediaTypeId != media->mediaTypeId)
            return Error(ErrorCode::MediaIncompatible,
                         fmt::format("pool {} holds another media type", toPath));
        if (mediaBusy(tx, *media))
            return Error(ErrorCode::Busy, fmt::format("{} is in use", describe(*media)));
        if (tx.cleaner(media->id))
            return Error(
                ErrorCode::MediaIncompatible,
                fmt::format("{} is a cleaner cartridge: it holds no data", describe(*media)));
        if (to->kind == PoolKind::Import || to->kind == PoolKind::Unrecognized)
            return Error(ErrorCode::InvalidMediaPool,
                         fmt::format("media enter {} only through inventory or inject", toPath));
        if (from && (from->kind == PoolKind::Import || from->kind == PoolKind::Unrecognized) &&
            to->kind != PoolKind::Free)
            return Error(
                ErrorCode::InvalidMediaPool,
                fmt::format("{} media may only move to a FREE pool", poolKindName(from->kind)));
        if (to->kind == PoolKind::Free)
            for (const SideRow &s : tx.sides(media->id))
                if (sideIsOwned(s.state))
                    return Error(ErrorCode::InvalidMediaPool,
                                 fmt::format("side {} of {} is {}: it cannot go to the FREE pool",
                                             s.number, describe(*media), sideStateName(s.state)));
        if (to->kind == PoolKind::Free && tx.mediaLife(media->id).worm)
            for (const SideRow &s : tx.sides(media->id))
                if (s.allocateCount > 0)
                    return Error(ErrorCode::InvalidOperation,
                                 fmt::format("{} is WORM and was written: it cannot be scratch "
                                             "again; retire it (rsmctl media state {} retired) "
                                             "or move it to an application pool",
                                             describe(*media), cartridgeName(*media)));
        // Media leaving IMPORT/UNRECOGNIZED for FREE become scratch.
        if (to->kind == PoolKind::Free && from && from->kind != PoolKind::Free &&
            from->kind != PoolKind::Application)
            for (SideRow s : tx.sides(media->id))
                if (s.state == SideState::Import || s.state == SideState::Foreign ||
                    s.state == SideState::Unknown || s.state == SideState::Unprepared) {
                    s.state = SideState::Available;
                    tx.updateSide(s);
                }
        media->poolId = to->id;
        tx.updateMedia(*media);
        return success();
    });
}

Result<void> Engine::decommission(const Uuid &session, const Uuid &sideId) {
    if (sideId.isNil())
        return Error(ErrorCode::InvalidParameter, "the side identifier is missing");
    return asCaller<void>(session, [&](Tx &tx, const Caller &c) -> Result<void> {
        auto side = tx.side(sideId);
        if (!side)
            return Error(ErrorCode::InvalidMedia, fmt::format("no side {}", sideId.toString()));
        auto media = tx.media(side->mediaId);
        RSM_TRY_VOID(
            require(tx, c, ObjectKind::Pool, media->poolId, rights::Control, "the medium's pool"));
        if (side->state != SideState::Available)
            return Error(ErrorCode::InvalidState,
                         fmt::format("side {} of {} is {}, not AVAILABLE", side->number,
                                     describe(*media), sideStateName(side->state)));
        side->state = SideState::Decommissioned;
        tx.updateSide(*side);
        return success();
    });
}

Result<std::vector<MediaInfo>> Engine::listMedia(const Uuid &session, const MediaFilter &filter) {
    using Out = std::vector<MediaInfo>;
    return asCaller<Out>(session, [&](Tx &tx, const Caller &c) -> Result<Out> {
        Out out;
        std::map<Uuid, bool> readable;  // per pool, asked once
        for (const MediaRow &m : tx.mediaMatching(filter)) {
            auto known = readable.find(m.poolId);
            if (known == readable.end())
                known =
                    readable.emplace(m.poolId, has(tx, c, ObjectKind::Pool, m.poolId, rights::Use))
                        .first;
            if (known->second)
                out.push_back(mediaInfo(tx, m));
        }
        return out;
    });
}

Result<MediaInfo> Engine::getMedia(const Uuid &session, const Uuid &mediaId) {
    return asCaller<MediaInfo>(session, [&](Tx &tx, const Caller &c) -> Result<MediaInfo> {
        auto media = physical(tx, mediaId);
        if (!media)
            return media.error();
        RSM_TRY_VOID(
            require(tx, c, ObjectKind::Pool, media->poolId, rights::Use, "the medium's pool"));
        return mediaInfo(tx, *media);
    });
}

Result<Uuid> Engine::findMedia(const Uuid &session, const std::string &barcodeOrId) {
    return asCaller<Uuid>(session, [&](Tx &tx, const Caller &c) -> Result<Uuid> {
        if (auto id = Uuid::parse(barcodeOrId))
            if (tx.media(*id))
                return *id;
        if (auto m = tx.mediaByBarcode(barcodeOrId))
            return m->id;
        return Error(ErrorCode::InvalidMedia,
                     fmt::format("no medium {}{} (rsmctl media list lists them)", barcodeOrId,
                                 suggestion(tx, c, ObjectKind::PhysicalMedia, barcodeOrId)));
    });
}

}  // namespace rsm::engine
