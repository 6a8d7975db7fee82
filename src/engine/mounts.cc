// Mount and dismount as a session asks for them (MountNtmsMedia, DismountNtmsMedia): the
// checks that need no robot, then a library request for the medium's library. The worker does
// the moves (src/library/jobs/).

#include <fmt/format.h>

#include "src/engine/engine.h"

namespace rsm::engine {

namespace {

bool inDrive(const MediaRow &m) {
    return m.location == LocationKind::Drive;
}

// A request of the session for the medium's library.
RequestRow mediaRequest(const LibraryRow &lib, RobotWork work, const Uuid &session,
                        const MediaRow &media) {
    RequestRow row;
    row.id = Uuid::random();
    row.libraryId = lib.id;
    row.work = std::move(work);
    row.sessionId = session;
    row.mediaId = media.id;
    return row;
}

// The library a mount of a shelved cartridge waits in: the chosen drive's, or the only
// enabled online library.
std::optional<LibraryRow> libraryToWaitIn(Tx &tx, const MountOptions &options) {
    if (options.drive) {
        auto drive = tx.drive(*options.drive);
        auto lib = drive ? tx.library(drive->libraryId) : std::nullopt;
        if (lib && lib->kind != LibraryKind::Offline && lib->enabled)
            return lib;
        return std::nullopt;
    }
    std::optional<LibraryRow> only;
    for (const LibraryRow &l : tx.libraries()) {
        if (l.kind == LibraryKind::Offline || !l.enabled)
            continue;
        if (only)
            return std::nullopt;
        only = l;
    }
    return only;
}

}  // namespace

Result<Engine::MediaPlace> Engine::mediaPlace(Tx &tx, const Caller &c, const Uuid &mediaId,
                                              std::uint32_t right, bool poolToo) const {
    auto media = physical(tx, mediaId);
    if (!media)
        return media.error();
    auto pool = validPool(tx, media->poolId);
    if (!pool)
        return pool.error();
    auto lib = tx.library(media->libraryId);
    if (!lib)
        return Error(ErrorCode::InvalidLibrary, "the medium's library is gone");
    const bool offline = lib->kind == LibraryKind::Offline;
    if (poolToo && (offline || !has(tx, c, ObjectKind::Library, lib->id, right)))
        RSM_TRY_VOID(require(tx, c, ObjectKind::Pool, pool->id, right, [&] {
            return "pool " + poolPath(tx, *pool) +
                   (offline ? "" : " (or library " + lib->name + ")");
        }));
    if (!poolToo && !offline)
        RSM_TRY_VOID(require(tx, c, ObjectKind::Library, lib->id, right, "library " + lib->name));
    return MediaPlace{*media, *pool, *lib};
}

Result<QueuedRequest> Engine::submitMount(const Uuid &session, const std::string &lmidRef,
                                          const MountOptions &options) {
    if (lmidRef.empty() || Uuid::parse(lmidRef) == Uuid())
        return Error(ErrorCode::InvalidParameter, "the LMID is missing");
    if (options.priority < -15 || options.priority > 15)
        return Error(ErrorCode::InvalidParameter,
                     fmt::format("priority {} is outside -15..15", options.priority));
    std::optional<MediaRow> offline;  // a cartridge on the shelf: someone must bring it
    std::optional<LibraryRow> waitIn;
    auto submitted =
        asCaller<QueuedRequest>(session, [&](Tx &tx, const Caller &c) -> Result<QueuedRequest> {
            offline.reset();
            waitIn.reset();
            auto h = heldNamed(tx, c, lmidRef);
            if (!h)
                return h.error();
            auto place = mediaPlace(tx, c, h->media.id, rights::Use, true);
            if (!place)
                return place.error();
            const MediaRow &media = place->media;
            const LibraryRow *lib = &place->library;
            if (h->side.state != SideState::Allocated && h->side.state != SideState::Complete)
                return Error(ErrorCode::InvalidState,
                             fmt::format("side {} of {} is {}; only an allocated or complete side "
                                         "is mounted",
                                         h->side.number, ("cartridge " + cartridgeName(media)),
                                         sideStateName(h->side.state)));
            if (options.write && h->side.state == SideState::Complete)
                return Error(
                    ErrorCode::WriteProtect,
                    fmt::format("side {} of {} is COMPLETE: it is mounted for reading only",
                                h->side.number, ("cartridge " + cartridgeName(media))));
            if (!media.enabled)
                return Error(ErrorCode::ResourceDisabled,
                             ("cartridge " + cartridgeName(media)) + " is disabled");
            if (media.barcode)
                if (auto conflict = tx.barcodeConflict(*media.barcode)) {
                    auto where = tx.library(conflict->libraryId);
                    return Error(
                        ErrorCode::MediumNotAccessible,
                        fmt::format("two cartridges carry barcode {} in library {} ({}): "
                                    "take the one that does not belong out (or relabel it) "
                                    "and run an inventory, then mount again",
                                    *media.barcode, where ? where->name : "?", conflict->places));
                }
            if (lib->kind == LibraryKind::Offline) {
                // The mount waits in the library it will happen in — the chosen drive's, or the
                // only online one — until someone puts the cartridge there.
                offline = media;
                waitIn = libraryToWaitIn(tx, options);
                if (options.errorIfOffline || options.nowait || !waitIn)
                    return Error(
                        ErrorCode::MediaOffline,
                        ("cartridge " + cartridgeName(media)) +
                            " is on the shelf (the Offline library)" +
                            (waitIn ? "" : "; name a drive to say which library it goes to"));
                lib = &*waitIn;
            }
            if (!lib->enabled)
                return Error(ErrorCode::ResourceDisabled,
                             fmt::format("library {} is disabled", lib->name));
            if (options.drive) {
                auto drive = tx.drive(*options.drive);
                if (!drive)
                    return Error(ErrorCode::InvalidDrive, "no such drive");
                if (drive->libraryId != lib->id)
                    return Error(ErrorCode::DriveMediaMismatch,
                                 fmt::format("{} is in library {}; the drive is not",
                                             ("cartridge " + cartridgeName(media)), lib->name));
                if (!drive->enabled)
                    return Error(ErrorCode::ResourceDisabled,
                                 fmt::format("drive {}/{} is disabled", lib->name, drive->number));
            }
            if (media.state == MediaState::Mounted || media.state == MediaState::Loaded ||
                media.state == MediaState::InUse || tx.mediaHasActiveRequest(media.id))
                return Error(ErrorCode::Busy, ("cartridge " + cartridgeName(media)) +
                                                  (inDrive(media) ? " is mounted already"
                                                                  : " is being moved or mounted"));
            RequestRow row = mediaRequest(
                *lib, work::Mount{options.write, options.nowait, options.errorIfOffline}, session,
                media);
            row.priority = options.priority;
            row.sideId = h->side.id;
            row.lmid = h->lmid.id;
            row.driveId = options.drive;
            RSM_TRY_VOID(roomForRequest(tx, session));
            tx.insertRequest(row);
            return QueuedRequest{row.id, row.libraryId};
        });
    // Nobody is asked for a cartridge no mount will wait for (ERROR_IF_OFFLINE, NOWAIT).
    if (!offline || options.errorIfOffline || options.nowait)
        return submitted;
    auto asked = postOperatorRequest(
        OperatorRequestKind::MoveMedia,
        submitted ? fmt::format("put {} into library {}: a mount waits for it",
                                ("cartridge " + cartridgeName(*offline)), waitIn->name)
                  : fmt::format("put {} into a library (rsmctl inject)",
                                ("cartridge " + cartridgeName(*offline))),
        submitted ? std::optional<Uuid>(waitIn->id) : std::nullopt, offline->id);
    if (!submitted && asked)
        return Error(ErrorCode::MediaOffline, submitted.error().message() + "; operator request " +
                                                  asked->toString() + " asks for it");
    return submitted;
}

Result<QueuedRequest> Engine::submitDismount(const Uuid &session, const Uuid &mediaId,
                                             bool deferred) {
    if (mediaId.isNil())
        return Error(ErrorCode::InvalidParameter, "the medium is missing");
    return asCaller<QueuedRequest>(session, [&](Tx &tx, const Caller &c) -> Result<QueuedRequest> {
        return dismountIn(tx, c, session, mediaId, deferred);
    });
}

Result<QueuedRequest> Engine::submitDismountOf(const Uuid &session, const std::string &lmidRef,
                                               bool deferred) {
    if (lmidRef.empty())
        return Error(ErrorCode::InvalidParameter, "the LMID is missing");
    return asCaller<QueuedRequest>(session, [&](Tx &tx, const Caller &c) -> Result<QueuedRequest> {
        auto h = heldNamed(tx, c, lmidRef);
        if (!h)
            return h.error();
        return dismountIn(tx, c, session, h->media.id, deferred);
    });
}

Result<QueuedRequest> Engine::dismountIn(Tx &tx, const Caller &c, const Uuid &session,
                                         const Uuid &mediaId, bool deferred) {
    {
        auto place = mediaPlace(tx, c, mediaId, rights::Use, true);
        if (!place)
            return place.error();
        const MediaRow *media = &place->media;
        if (!inDrive(*media))
            return Error(ErrorCode::InvalidState,
                         ("cartridge " + cartridgeName(*media)) + " is not in a drive");
        if (media->state == MediaState::InUse || tx.mediaHasActiveRequest(media->id))
            return Error(ErrorCode::Busy,
                         ("cartridge " + cartridgeName(*media)) + " is being moved or mounted");
        if (deferred && media->state == MediaState::Unloaded)
            return Error(ErrorCode::InvalidState, ("cartridge " + cartridgeName(*media)) +
                                                      " is dismounted already (deferred)");
        RequestRow row = mediaRequest(place->library, work::Dismount{deferred}, session, *media);
        row.driveId = media->driveId;
        RSM_TRY_VOID(roomForRequest(tx, session));
        tx.insertRequest(row);
        return QueuedRequest{row.id, row.libraryId};
    }
}

Result<QueuedRequest> Engine::submitEject(const Uuid &session, const Uuid &mediaId, bool queue) {
    if (mediaId.isNil())
        return Error(ErrorCode::InvalidParameter, "the medium is missing");
    return asCaller<QueuedRequest>(session, [&](Tx &tx, const Caller &c) -> Result<QueuedRequest> {
        auto place = mediaPlace(tx, c, mediaId, rights::Control, false);
        if (!place)
            return place.error();
        const MediaRow *media = &place->media;
        const LibraryRow *lib = &place->library;
        if (lib->kind == LibraryKind::Offline)
            return Error(ErrorCode::MediaOffline,
                         ("cartridge " + cartridgeName(*media)) + " is on the shelf already");
        if (!lib->enabled)
            return Error(ErrorCode::ResourceDisabled,
                         fmt::format("library {} is disabled", lib->name));
        if (inDrive(*media))
            return Error(
                ErrorCode::UnableToEjectMountedMedia,
                ("cartridge " + cartridgeName(*media)) + " is in a drive: dismount it first");
        if (media->location == LocationKind::IePort)
            return Error(ErrorCode::InvalidState,
                         ("cartridge " + cartridgeName(*media)) + " is in an IE port already");
        if (media->state != MediaState::Idle || tx.mediaHasActiveRequest(media->id))
            return Error(ErrorCode::Busy,
                         ("cartridge " + cartridgeName(*media)) + " is being moved or mounted");
        RequestRow row = mediaRequest(*lib, work::Eject{queue}, session, *media);
        RSM_TRY_VOID(roomForRequest(tx, session));
        tx.insertRequest(row);
        return QueuedRequest{row.id, row.libraryId};
    });
}

}  // namespace rsm::engine
