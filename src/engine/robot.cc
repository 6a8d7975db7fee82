// Robot work as the library's worker records it: intents before moves, results after, the
// audit that resolves intents a crash left behind, mounted and dismountable drives, and
// requests that wait for a drive.

#include <algorithm>
#include <chrono>

#include <fmt/format.h>

#include "src/engine/engine.h"
#include "src/engine/robot_tx.h"

namespace rsm::engine {

namespace {

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
    // Its home slot when free; else a free slot that is no other cartridge's home (one in a
    // drive goes back to its own); else any free slot.
    const bool cleaner = isCleaner(media.id);
    const ElementRow *first = nullptr, *homeless = nullptr;
    for (const ElementRow &s : slots) {
        if (isOccupied(s.id) || (s.cleaner && !cleaner))
            continue;
        if (media.homeSlotId == s.id || (cleaner && s.cleaner))
            return &s;
        if (!first)
            first = &s;
        if (!homeless && !std::binary_search(homes.begin(), homes.end(), s.id))
            homeless = &s;
    }
    return homeless ? homeless : first;
}

Result<RobotView> Engine::robotView(const Uuid &library) {
    return asDaemon<RobotView>([&](Tx &tx) -> Result<RobotView> {
        auto lib = tx.library(library);
        if (!lib)
            return Error(ErrorCode::InvalidLibrary, "no such library");
        return robotViewIn(tx, *lib);
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
    return asDaemon<void>([&](Tx &tx) { return completeMoveIn(tx, intentId); });
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

Result<void> Engine::markDismountable(const Uuid &driveId, std::int64_t until) {
    return asDaemon<void>([&](Tx &tx) -> Result<void> {
        auto drive = tx.drive(driveId);
        if (!drive)
            return Error(ErrorCode::InvalidDrive, "no such drive");
        endMountIn(tx, *drive);
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
    return asDaemon<Out>([&](Tx &tx) -> Result<Out> { return dueDismountsIn(tx, library, now); });
}

Result<int> Engine::requeueWaiting(const Uuid &library) {
    return asDaemon<int>(
        [&](Tx &tx) -> Result<int> { return requeueIn(tx, library, RequestState::Waiting); });
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
    return asDaemon<int>(
        [&](Tx &tx) -> Result<int> { return requeueIn(tx, library, RequestState::InProcess); });
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
