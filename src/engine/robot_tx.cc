#include "src/engine/robot_tx.h"

#include <algorithm>
#include <variant>

#include <fmt/format.h>

namespace rsm::engine {

RobotView robotViewIn(Tx &tx, const LibraryRow &library) {
    RobotView view;
    view.library = library;
    view.slots = tx.elements(ObjectKind::Slot, library.id);
    view.ieports = tx.elements(ObjectKind::IePort, library.id);
    std::vector<MediaRow> media = tx.mediaInLibrary(library.id);
    for (const DriveRow &d : tx.drives(library.id)) {
        RobotView::Drive drive{d, std::nullopt};
        for (const MediaRow &m : media)
            if (m.driveId == d.id)
                drive.media = m;
        view.drives.push_back(std::move(drive));
    }
    for (const MediaRow &m : media) {
        if (m.homeSlotId && m.slotId != m.homeSlotId)
            view.homes.push_back(*m.homeSlotId);
        if (m.slotId)
            view.occupied.push_back(*m.slotId);
        if (m.ieportId) {
            view.occupied.push_back(*m.ieportId);
            view.inPorts.push_back(m);
        }
    }
    std::sort(view.occupied.begin(), view.occupied.end());
    std::sort(view.homes.begin(), view.homes.end());
    for (const CleanerRow &c : tx.cleaners(library.id))
        view.cleaners.push_back(c.mediaId);
    std::sort(view.cleaners.begin(), view.cleaners.end());
    return view;
}

RequestInfo requestInfoIn(Tx &tx, const RequestRow &r, const std::string &library) {
    RequestInfo info{r, library, std::nullopt, std::nullopt, std::nullopt};
    if (r.driveId)
        if (auto d = tx.drive(*r.driveId)) {
            info.drive = fmt::format("{}/{}", library, d->number);
            info.device = d->devicePath;
        }
    if (r.mediaId)
        if (auto m = tx.media(*r.mediaId))
            info.barcode = m->barcode;
    return info;
}

Result<void> markMountedIn(Tx &tx, RequestRow &request, const Uuid &driveId) {
    auto drive = tx.drive(driveId);
    if (!drive || !request.mediaId)
        return Error(ErrorCode::ObjectNotFound, "the mount or its drive is gone");
    auto media = tx.media(*request.mediaId);
    if (!media || media->driveId != drive->id)
        return Error(ErrorCode::InvalidState, "the cartridge is not in the drive");
    media->state = MediaState::Loaded;
    tx.updateMedia(*media);
    drive->state = DriveState::Loaded;
    drive->dismountAfter = std::nullopt;
    drive->mountedBy = request.id;
    ++drive->mountCount;
    tx.updateDrive(*drive);
    if (request.sideId)
        if (auto side = tx.side(*request.sideId)) {
            ++side->mountCount;
            tx.updateSide(*side);
        }
    request.driveId = drive->id;
    return success();
}

void endMountIn(Tx &tx, const DriveRow &drive) {
    if (!drive.mountedBy)
        return;
    auto request = tx.request(*drive.mountedBy);
    if (!request || !request->sideId)
        return;
    if (const auto *mount = std::get_if<work::Mount>(&request->work); mount && mount->write)
        tx.sideWritten(*request->sideId);
}

int requeueIn(Tx &tx, const Uuid &library, RequestState state) {
    int n = 0;
    for (RequestRow r : tx.requests(library, true))
        if (r.state == state) {
            r.state = RequestState::Queued;
            tx.updateRequest(r);
            ++n;
        }
    return n;
}

std::vector<DriveRow> dueDismountsIn(Tx &tx, const Uuid &library, std::int64_t now) {
    std::vector<DriveRow> due;
    // A drive that holds a cleaner when the worker is idle has it from a cleaning that was
    // cut short (rsmd stopped): it goes back too.
    std::vector<Uuid> cleaning;
    for (const CleanerRow &c : tx.cleaners(library))
        if (auto m = tx.media(c.mediaId); m && m->driveId)
            cleaning.push_back(*m->driveId);
    for (const DriveRow &d : tx.drives(library))
        if ((d.state == DriveState::Dismountable && d.dismountAfter && *d.dismountAfter <= now) ||
            std::find(cleaning.begin(), cleaning.end(), d.id) != cleaning.end())
            due.push_back(d);
    return due;
}

Result<void> completeMoveIn(Tx &tx, const Uuid &intentId) {
    auto intent = tx.move(intentId);
    if (!intent)
        return Error(ErrorCode::ObjectNotFound, "no such robot move");
    tx.deleteMove(intent->id);
    auto media = intent->mediaId ? tx.media(*intent->mediaId) : std::nullopt;
    if (!media)
        return success();  // deleted meanwhile: nothing to place
    if (intent->sourceKind == ObjectKind::Drive)
        if (auto d = tx.drive(intent->sourceId)) {
            endMountIn(tx, *d);
            d->state = DriveState::Dismounted;
            d->dismountAfter = std::nullopt;
            d->mountedBy = std::nullopt;
            tx.updateDrive(*d);
        }
    media->location = locationOfElement(intent->destinationKind);  // never a picker
    media->slotId = media->driveId = media->ieportId = std::nullopt;
    switch (intent->destinationKind) {
        case ObjectKind::Drive:
            media->driveId = intent->destinationId;
            media->state = MediaState::Mounted;
            if (auto d = tx.drive(intent->destinationId)) {
                d->state = tx.cleaner(media->id) ? DriveState::BeingCleaned : DriveState::Mounted;
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
}

void withdrawUnwaitedMovesIn(Tx &tx, const Uuid &media) {
    if (tx.mediaHasActiveRequest(media))
        return;
    for (const OperatorRequestRow &r : tx.operatorRequests(true))
        if (r.kind == OperatorRequestKind::MoveMedia && r.mediaId == media && r.libraryId)
            tx.endOperatorRequest(r.id, OperatorRequestState::Refused,
                                  " (withdrawn: no mount waits for it any more)");
}

bool undoUnsentVaultIn(Tx &tx, const Uuid &media) {
    const MediaVault place = tx.mediaVault(media);
    if (!place.vault || place.state != VaultState::InTransitOut || tx.mediaHasActiveRequest(media))
        return false;
    const auto row = tx.media(media);
    if (!row || row->libraryKind == LibraryKind::Offline ||
        (row->location != LocationKind::Slot && row->location != LocationKind::Drive))
        return false;
    tx.setMediaVault(media, MediaVault{});
    completeLeftVaultRoundsIn(tx);  // its round may have nothing left to wait for
    return true;
}

void completeArrivedMovesIn(Tx &tx, const Uuid &library) {
    for (const OperatorRequestRow &r : tx.operatorRequests(true)) {
        if (r.kind != OperatorRequestKind::MoveMedia || !r.mediaId ||
            (r.libraryId && *r.libraryId != library))
            continue;
        if (auto media = tx.media(*r.mediaId); media && media->libraryId == library)
            tx.endOperatorRequest(r.id, OperatorRequestState::Complete,
                                  " (done: the cartridge is in the library)");
    }
}

void completeLeftVaultRoundsIn(Tx &tx) {
    // By request (the store groups them), oldest first. A cartridge is gone when it left its
    // library (the OFFLINE library, or deleted), dropped when it is in a library and no longer
    // in a rotation (its send undone, or back before the round was done).
    struct Round {
        Uuid request;
        bool ended = true, anyGone = false;
    };
    std::vector<Round> rounds;
    for (const VaultRoundMedia &m : tx.openVaultRounds()) {
        if (rounds.empty() || rounds.back().request != m.request)
            rounds.push_back(Round{m.request});
        const bool gone = !m.libraryKind || *m.libraryKind == LibraryKind::Offline;
        rounds.back().anyGone = rounds.back().anyGone || gone;
        rounds.back().ended = rounds.back().ended && (gone || !m.rotating);
    }
    for (const Round &r : rounds) {
        if (!r.ended)
            continue;
        if (r.anyGone)
            tx.endOperatorRequest(r.request, OperatorRequestState::Complete,
                                  " (done: the cartridges left the library)");
        else
            tx.endOperatorRequest(r.request, OperatorRequestState::Refused,
                                  " (withdrawn: its ejects failed or were cancelled; none of "
                                  "its cartridges goes out)");
    }
}

}  // namespace rsm::engine
