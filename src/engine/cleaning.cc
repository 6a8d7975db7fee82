// Cleaning: cleaner cartridges (media with a row in `cleaner`: uses left), the library's
// reserved cleaner slot, clean requests for drives (CleanNtmsDrive) and the worker's record
// of each cleaning. The worker does the moves (src/library/cleaning.cc).

#include <algorithm>
#include <chrono>

#include <fmt/format.h>

#include "src/engine/engine.h"

namespace rsm::engine {

namespace {

constexpr int kMaxCleanerUses = 10'000;

bool cleanQueued(Tx &tx, const DriveRow &drive) {
    for (const RequestRow &r : tx.requests(drive.libraryId, true))
        if (std::holds_alternative<work::Clean>(r.work) && r.driveId == drive.id)
            return true;
    return false;
}

}  // namespace

Result<QueuedRequest> Engine::submitClean(const Uuid &session, const Uuid &driveId) {
    if (driveId.isNil())
        return Error(ErrorCode::InvalidParameter, "the drive is missing");
    return asCaller<QueuedRequest>(session, [&](Tx &tx, const Caller &c) -> Result<QueuedRequest> {
        auto found = driveAndLibrary(tx, c, driveId, rights::Control);
        if (!found)
            return found.error();
        const DriveRow *drive = &found->drive;
        const LibraryRow *lib = &found->library;
        const std::string name = fmt::format("{}/{}", lib->name, drive->number);
        if (!lib->enabled || !drive->enabled)
            return Error(ErrorCode::ResourceDisabled,
                         fmt::format("{} {} is disabled", lib->enabled ? "drive" : "library",
                                     lib->enabled ? name : lib->name));
        if (!drive->address)
            return Error(ErrorCode::UnableToClean,
                         fmt::format("drive {} has no element address: probe the library", name));
        if (cleanQueued(tx, *drive))
            return Error(ErrorCode::Busy, fmt::format("drive {} is to be cleaned already", name));
        RequestRow row;
        row.id = Uuid::random();
        row.libraryId = lib->id;
        row.work = work::Clean{};
        row.sessionId = session;
        row.driveId = drive->id;
        RSM_TRY_VOID(roomForRequest(tx, session));
        tx.insertRequest(row);
        return QueuedRequest{row.id, row.libraryId};
    });
}

Result<void> Engine::setCleanerSlot(const Uuid &session, const Uuid &library,
                                    const std::optional<int> &address) {
    return asCaller<void>(session, [&](Tx &tx, const Caller &c) -> Result<void> {
        auto lib = tx.library(library);
        if (!lib || lib->kind == LibraryKind::Offline)
            return Error(ErrorCode::InvalidLibrary, "no such online library");
        RSM_TRY_VOID(
            require(tx, c, ObjectKind::Library, lib->id, rights::Control, "library " + lib->name));
        const std::vector<ElementRow> slots = tx.elements(ObjectKind::Slot, library);
        const ElementRow *reserved = nullptr, *wanted = nullptr;
        for (const ElementRow &s : slots) {
            if (s.cleaner)
                reserved = &s;
            if (address && s.address == *address)
                wanted = &s;
        }
        if (!address) {
            if (!reserved)
                return Error(ErrorCode::CleanerSlotNotSet,
                             "library " + lib->name + " has no cleaner slot to release");
            tx.setCleanerSlot(library, std::nullopt);
            return success();
        }
        if (!wanted)
            return Error(ErrorCode::InvalidParameter,
                         fmt::format("library {} has no slot {}", lib->name, *address));
        if (reserved && reserved != wanted)
            return Error(ErrorCode::CleanerSlotSet,
                         fmt::format("slot {} of library {} is its cleaner slot already: release "
                                     "it first",
                                     reserved->address, lib->name));
        for (const MediaRow &m : tx.mediaInLibrary(library))
            if ((m.slotId == wanted->id || m.homeSlotId == wanted->id) && !tx.cleaner(m.id))
                return Error(ErrorCode::NotEmpty,
                             fmt::format("slot {} is the home of {}, which is no cleaner: move "
                                         "it elsewhere first",
                                         *address, ("cartridge " + cartridgeName(m))));
        tx.setCleanerSlot(library, wanted->id);
        return success();
    });
}

Result<MediaInfo> Engine::setCleaner(const Uuid &session, const Uuid &mediaId, int uses) {
    if (uses < 0 || uses > kMaxCleanerUses)
        return Error(ErrorCode::InvalidParameter,
                     fmt::format("a cleaner has 0 to {} uses left", kMaxCleanerUses));
    return asCaller<MediaInfo>(session, [&](Tx &tx, const Caller &c) -> Result<MediaInfo> {
        auto place = mediaPlace(tx, c, mediaId, rights::Control, true);
        if (!place)
            return place.error();
        MediaRow media = place->media;
        if (!tx.cleaner(media.id)) {
            if (mediaBusy(tx, media))
                return Error(ErrorCode::Busy, ("cartridge " + cartridgeName(media)) + " is in use");
            std::vector<SideRow> sides = tx.sides(media.id);
            for (const SideRow &s : sides)
                if (sideIsOwned(s.state) || tx.lmidBySide(s.id))
                    return Error(
                        ErrorCode::InvalidState,
                        fmt::format("side {} of {} is {}: it holds data, not a cleaner", s.number,
                                    ("cartridge " + cartridgeName(media)), sideStateName(s.state)));
            auto pool = tx.systemPool(media.mediaTypeId, PoolKind::Unrecognized);
            if (!pool)
                return Error(ErrorCode::InvalidMediaPool,
                             "the media type has no UNRECOGNIZED pool");
            for (SideRow &s : sides) {
                s.state = SideState::Incompatible;
                tx.updateSide(s);
            }
            media.poolId = pool->id;
            tx.updateMedia(media);
        }
        tx.setCleaners({CleanerRow{media.id, uses}});
        return mediaInfo(tx, media);
    });
}

Result<CleanerChoice> Engine::chooseCleaner(const Uuid &library) {
    return asDaemon<CleanerChoice>([&](Tx &tx) -> Result<CleanerChoice> {
        CleanerChoice choice;
        for (const CleanerRow &c : tx.cleaners(library)) {
            auto media = tx.media(c.mediaId);
            if (!media)
                continue;
            if (c.usesLeft == 0) {
                ++choice.spent;
                continue;
            }
            if (!choice.cleaner && media->location == LocationKind::Slot &&
                media->state == MediaState::Idle && media->enabled) {
                choice.cleaner = *media;
                choice.usesLeft = c.usesLeft;
            }
        }
        return choice;
    });
}

Result<int> Engine::cleaned(const Uuid &driveId, const Uuid &cleanerId) {
    return asDaemon<int>([&](Tx &tx) -> Result<int> {
        auto drive = tx.drive(driveId);
        auto cleaner = tx.cleaner(cleanerId);
        auto media = tx.media(cleanerId);
        if (!drive || !cleaner || !media)
            return Error(ErrorCode::ObjectNotFound, "the drive or the cleaner is gone");
        drive->needsCleaning = false;
        drive->lastCleaned = unixNow();
        tx.updateDrive(*drive);
        cleaner->usesLeft = std::max(0, cleaner->usesLeft - 1);
        tx.setCleaners({*cleaner});
        if (cleaner->usesLeft == 0) {
            auto lib = tx.library(media->libraryId);
            operatorRequestIn(
                tx, OperatorRequestKind::Cleaner,
                fmt::format("{} is spent: eject it from library {} and inject a "
                            "new cleaner",
                            ("cartridge " + cartridgeName(*media)), lib ? lib->name : "?"),
                media->libraryId, media->id, std::nullopt);
        }
        return cleaner->usesLeft;
    });
}

Result<std::optional<Uuid>> Engine::cleaningRequested(const Uuid &driveId) {
    return asDaemon<std::optional<Uuid>>([&](Tx &tx) -> Result<std::optional<Uuid>> {
        auto drive = tx.drive(driveId);
        if (!drive)
            return Error(ErrorCode::InvalidDrive, "no such drive");
        return requestCleaning(tx, *drive);
    });
}

std::optional<Uuid> Engine::requestCleaning(Tx &tx, DriveRow &drive) const {
    if (!drive.needsCleaning) {
        drive.needsCleaning = true;
        tx.updateDrive(drive);
    }
    if (cleanQueued(tx, drive))
        return std::nullopt;
    RequestRow row;
    row.id = Uuid::random();
    row.libraryId = drive.libraryId;
    row.work = work::Clean{};
    row.driveId = drive.id;
    row.priority = 5;
    tx.insertRequest(row);
    return row.id;
}

}  // namespace rsm::engine
