// Robot work as the library's worker records it: intents before moves, results after, the
// audit that resolves intents a crash left behind, mounted and dismountable drives, and
// requests that wait for a drive.

#include <algorithm>
#include <chrono>

#include <fmt/format.h>

#include "src/engine/engine.h"

namespace rsm::engine {

namespace {

LocationKind locationOf(ObjectKind kind) {
    switch (kind) {
        case ObjectKind::Drive:
            return LocationKind::Drive;
        case ObjectKind::IePort:
            return LocationKind::IePort;
        default:
            return LocationKind::Slot;
    }
}

bool isAt(const MediaRow &m, ObjectKind kind, const Uuid &element) {
    switch (kind) {
        case ObjectKind::Drive:
            return m.location == LocationKind::Drive && m.driveId == element;
        case ObjectKind::IePort:
            return m.location == LocationKind::IePort && m.ieportId == element;
        default:
            return m.location == LocationKind::Slot && m.slotId == element;
    }
}

bool validElementKind(ObjectKind k) {
    return k == ObjectKind::Drive || k == ObjectKind::Slot || k == ObjectKind::IePort;
}

}  // namespace

bool RobotView::isOccupied(const Uuid &element) const {
    return std::binary_search(occupied.begin(), occupied.end(), element);
}

bool RobotView::isCleaner(const Uuid &media) const {
    return std::binary_search(cleaners.begin(), cleaners.end(), media);
}

const RobotView::Drive *RobotView::drive(const Uuid &id) const {
    for (const Drive &d : drives)
        if (d.row.id == id)
            return &d;
    return nullptr;
}

const ElementRow *RobotView::freeSlotFor(const MediaRow &media) const {
    const bool cleaner = isCleaner(media.id);
    const ElementRow *first = nullptr;
    for (const ElementRow &s : slots) {
        if (isOccupied(s.id) || (s.cleaner && !cleaner))
            continue;
        if (media.homeSlotId == s.id || (cleaner && s.cleaner))
            return &s;
        if (!first)
            first = &s;
    }
    return first;
}

Result<RobotView> Engine::robotView(const Uuid &library) {
    return asDaemon<RobotView>([&](Tx &tx) -> Result<RobotView> {
        auto lib = tx.library(library);
        if (!lib)
            return Error(ErrorCode::InvalidLibrary, "no such library");
        RobotView view;
        view.library = *lib;
        view.slots = tx.elements(ObjectKind::Slot, library);
        view.ieports = tx.elements(ObjectKind::IePort, library);
        std::vector<MediaRow> media = tx.mediaInLibrary(library);
        for (const DriveRow &d : tx.drives(library)) {
            RobotView::Drive drive{d, std::nullopt};
            for (const MediaRow &m : media)
                if (m.driveId == d.id)
                    drive.media = m;
            view.drives.push_back(std::move(drive));
        }
        for (const MediaRow &m : media) {
            if (m.slotId)
                view.occupied.push_back(*m.slotId);
            if (m.ieportId) {
                view.occupied.push_back(*m.ieportId);
                view.inPorts.push_back(m);
            }
        }
        std::sort(view.occupied.begin(), view.occupied.end());
        for (const CleanerRow &c : tx.cleaners(library))
            view.cleaners.push_back(c.mediaId);
        std::sort(view.cleaners.begin(), view.cleaners.end());
        return view;
    });
}

Result<MediaRow> Engine::mediaRow(const Uuid &media) {
    return asDaemon<MediaRow>([&](Tx &tx) -> Result<MediaRow> { return physical(tx, media); });
}

Result<Uuid> Engine::beginMove(const MoveRow &intent) {
    if (!validElementKind(intent.sourceKind) || !validElementKind(intent.destinationKind) ||
        !intent.mediaId)
        return Error(ErrorCode::InvalidParameter, "a move names a medium and two elements");
    return asDaemon<Uuid>([&](Tx &tx) -> Result<Uuid> {
        auto media = physical(tx, *intent.mediaId);
        if (!media)
            return media.error();
        if (media->libraryId != intent.libraryId ||
            !isAt(*media, intent.sourceKind, intent.sourceId))
            return Error(ErrorCode::InvalidState,
                         fmt::format("the database does not have the cartridge at element {}; "
                                     "audit the library",
                                     intent.sourceAddress));
        if (media->state == MediaState::InUse)
            return Error(ErrorCode::Busy, "the cartridge is being moved already");
        MoveRow row = intent;
        row.id = Uuid::random();
        tx.insertMove(row);
        media->state = MediaState::InUse;
        tx.updateMedia(*media);
        return row.id;
    });
}

Result<void> Engine::completeMove(const Uuid &intentId) {
    return asDaemon<void>([&](Tx &tx) -> Result<void> {
        auto intent = tx.move(intentId);
        if (!intent)
            return Error(ErrorCode::ObjectNotFound, "no such robot move");
        tx.deleteMove(intent->id);
        auto media = intent->mediaId ? tx.media(*intent->mediaId) : std::nullopt;
        if (!media)
            return success();  // deleted meanwhile: nothing to place
        if (intent->sourceKind == ObjectKind::Drive)
            if (auto d = tx.drive(intent->sourceId)) {
                d->state = DriveState::Dismounted;
                d->dismountAfter = std::nullopt;
                d->mountedBy = std::nullopt;
                tx.updateDrive(*d);
            }
        media->location = locationOf(intent->destinationKind);
        media->slotId = media->driveId = media->ieportId = std::nullopt;
        switch (intent->destinationKind) {
            case ObjectKind::Drive:
                media->driveId = intent->destinationId;
                media->state = MediaState::Mounted;
                if (auto d = tx.drive(intent->destinationId)) {
                    d->state =
                        tx.cleaner(media->id) ? DriveState::BeingCleaned : DriveState::Mounted;
                    d->dismountAfter = std::nullopt;
                    tx.updateDrive(*d);
                }
                break;
            case ObjectKind::IePort:
                media->ieportId = intent->destinationId;
                media->state = MediaState::Idle;
                break;
            default:
                media->slotId = intent->destinationId;
                media->homeSlotId = intent->destinationId;
                media->state = MediaState::Idle;
                break;
        }
        tx.updateMedia(*media);
        return success();
    });
}

Result<AuditResult> Engine::resolveMoves(const Uuid &library,
                                         const std::vector<InventoryElement> &seen) {
    // reconcileInventory resolves the intents too: every full element status does.
    auto reconciled = reconcileInventory(library, seen);
    if (!reconciled)
        return reconciled.error();
    return AuditResult{*reconciled, reconciled->resolved};
}

Result<int> Engine::pendingMoves(const Uuid &library) {
    return asDaemon<int>(
        [&](Tx &tx) -> Result<int> { return static_cast<int>(tx.moves(library).size()); });
}

Result<void> Engine::markMounted(const Uuid &requestId, const Uuid &driveId) {
    return asDaemon<void>([&](Tx &tx) -> Result<void> {
        auto request = tx.request(requestId);
        auto drive = tx.drive(driveId);
        if (!request || !drive || !request->mediaId)
            return Error(ErrorCode::ObjectNotFound, "the mount or its drive is gone");
        auto media = tx.media(*request->mediaId);
        if (!media || media->driveId != drive->id)
            return Error(ErrorCode::InvalidState, "the cartridge is not in the drive");
        media->state = MediaState::Loaded;
        tx.updateMedia(*media);
        drive->state = DriveState::Loaded;
        drive->dismountAfter = std::nullopt;
        drive->mountedBy = request->id;
        ++drive->mountCount;
        tx.updateDrive(*drive);
        if (request->sideId)
            if (auto side = tx.side(*request->sideId)) {
                ++side->mountCount;
                tx.updateSide(*side);
            }
        request->driveId = drive->id;
        tx.updateRequest(*request);
        return success();
    });
}

Result<void> Engine::markDismountable(const Uuid &driveId, std::int64_t until) {
    return asDaemon<void>([&](Tx &tx) -> Result<void> {
        auto drive = tx.drive(driveId);
        if (!drive)
            return Error(ErrorCode::InvalidDrive, "no such drive");
        drive->state = DriveState::Dismountable;
        drive->dismountAfter = until;
        drive->mountedBy = std::nullopt;  // the application let it go
        tx.updateDrive(*drive);
        for (MediaRow m : tx.mediaInLibrary(drive->libraryId))
            if (m.driveId == drive->id) {
                m.state = MediaState::Unloaded;
                tx.updateMedia(m);
            }
        return success();
    });
}

Result<std::vector<DriveRow>> Engine::dueDismounts(const Uuid &library, std::int64_t now) {
    using Out = std::vector<DriveRow>;
    return asDaemon<Out>([&](Tx &tx) -> Result<Out> {
        Out due;
        // A drive that holds a cleaner when the worker is idle has it from a cleaning that was
        // cut short (rsmd stopped): it goes back too.
        std::vector<Uuid> cleaning;
        for (const CleanerRow &c : tx.cleaners(library))
            if (auto m = tx.media(c.mediaId); m && m->driveId)
                cleaning.push_back(*m->driveId);
        for (const DriveRow &d : tx.drives(library))
            if ((d.state == DriveState::Dismountable && d.dismountAfter &&
                 *d.dismountAfter <= now) ||
                std::find(cleaning.begin(), cleaning.end(), d.id) != cleaning.end())
                due.push_back(d);
        return due;
    });
}

Result<void> Engine::waitRequest(const Uuid &requestId, const std::string &why) {
    return asDaemon<void>([&](Tx &tx) -> Result<void> {
        auto request = tx.request(requestId);
        if (!request)
            return Error(ErrorCode::ObjectNotFound, "no such library request");
        if (requestFinished(request->state))
            return success();
        request->state = RequestState::Waiting;
        request->message = why;
        tx.updateRequest(*request);
        return success();
    });
}

Result<int> Engine::requeueWaiting(const Uuid &library) {
    return asDaemon<int>([&](Tx &tx) -> Result<int> {
        int n = 0;
        for (RequestRow r : tx.requests(library, true))
            if (r.state == RequestState::Waiting) {
                r.state = RequestState::Queued;
                tx.updateRequest(r);
                ++n;
            }
        return n;
    });
}

namespace {

// A request of rsmd's own (no session): it runs whoever is connected.
Uuid insertDaemonRequest(Tx &tx, const Uuid &library, RobotWork work, int priority) {
    RequestRow row;
    row.id = Uuid::random();
    row.libraryId = library;
    row.work = std::move(work);
    row.priority = priority;
    tx.insertRequest(row);
    return row.id;
}

}  // namespace

Result<Uuid> Engine::queueDaemonRequest(const Uuid &library, const RobotWork &work, int priority) {
    return asDaemon<Uuid>([&](Tx &tx) -> Result<Uuid> {
        if (!tx.library(library))
            return Error(ErrorCode::InvalidLibrary, "no such library");
        return insertDaemonRequest(tx, library, work, priority);
    });
}

Result<int> Engine::requeueStrayRequests(const Uuid &library) {
    return asDaemon<int>([&](Tx &tx) -> Result<int> {
        int n = 0;
        for (RequestRow r : tx.requests(library, true))
            if (r.state == RequestState::InProcess) {
                r.state = RequestState::Queued;
                tx.updateRequest(r);
                ++n;
            }
        return n;
    });
}

Result<bool> Engine::auditIfMovesPending(const Uuid &library) {
    return asDaemon<bool>([&](Tx &tx) -> Result<bool> {
        if (tx.moves(library).empty())
            return false;
        for (const RequestRow &r : tx.requests(library, true))
            if (std::holds_alternative<work::Audit>(r.work) && !requestFinished(r.state))
                return false;
        insertDaemonRequest(tx, library, work::Audit{}, 15);
        return true;
    });
}

}  // namespace rsm::engine
