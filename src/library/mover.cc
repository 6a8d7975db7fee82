#include "src/library/mover.h"

#include "src/library/changer_link.h"

#include <fmt/format.h>

#include "src/library/drive_session.h"
#include "src/library/inventory.h"

namespace rsm::library {

std::optional<Place> placeOf(const engine::RobotView &view, const engine::MediaRow &media) {
    if (media.libraryId != view.library.id)
        return std::nullopt;
    auto find = [](const std::vector<engine::ElementRow> &elements, ObjectKind kind,
                   const std::optional<Uuid> &id) -> std::optional<Place> {
        if (id)
            for (const engine::ElementRow &e : elements)
                if (e.id == *id)
                    return Place{kind, e.id, e.address};
        return std::nullopt;
    };
    switch (media.location) {
        case LocationKind::Slot:
            return find(view.slots, ObjectKind::Slot, media.slotId);
        case LocationKind::IePort:
            return find(view.ieports, ObjectKind::IePort, media.ieportId);
        case LocationKind::Drive:
            for (const auto &d : view.drives)
                if (d.row.id == media.driveId && d.row.address)
                    return Place{ObjectKind::Drive, d.row.id, *d.row.address};
            return std::nullopt;
        default:
            return std::nullopt;
    }
}

Mover::Mover(engine::Engine &engine, engine::LibraryRow library, const RobotOptions &options,
             ChangerLink *link)
    : engine_(engine), library_(std::move(library)), options_(options), link_(link) {}

Mover::~Mover() {
    if (auto applied = applyNow(); !applied)
        log(RobotLog::Warning, "recording a move: " + applied.error().toString());
}

Result<void> Mover::applyNow() {
    if (auto intent = takeUnapplied())
        return engine_.completeMove(*intent);
    return success();
}

void Mover::log(RobotLog level, const std::string &message) const {
    if (options_.log)
        options_.log(level, library_.name + ": " + message);
}

Result<sg::Changer *> Mover::changer() {
    if (changer_)
        return changer_.get();
    if (!library_.device)
        return Error(ErrorCode::InvalidLibrary, "library " + library_.name + " has no device");
    if (link_)
        return link_->changer(*library_.device, options_);
    auto opened = openChanger(*library_.device, options_);
    if (!opened)
        return opened.error();
    changer_ = std::move(*opened);
    return changer_.get();
}

Result<std::vector<engine::InventoryElement>> Mover::status() {
    auto c = changer();
    if (!c)
        return c.error();
    auto elements = (*c)->status();
    if (!elements)
        return elements.error().withContext("element status of library " + library_.name);
    if (link_)
        link_->remember(*elements);
    return inventoryOf(*elements);
}

Result<engine::AuditResult> Mover::audit() {
    RSM_TRY_VOID(applyNow());
    auto seen = status();
    if (!seen)
        return seen.error();
    return engine_.resolveMoves(library_.id, *seen);
}

Result<void> Mover::move(const engine::MediaRow &media, const Place &from, const Place &to,
                         const std::optional<Uuid> &request, Applied applied) {
    RSM_TRY_VOID(applyNow());
    auto c = changer();
    if (!c)
        return c.error();
    engine::MoveRow intent;
    intent.libraryId = library_.id;
    intent.mediaId = media.id;
    intent.requestId = request;
    intent.sourceKind = from.kind;
    intent.sourceId = from.id;
    intent.sourceAddress = from.address;
    intent.destinationKind = to.kind;
    intent.destinationId = to.id;
    intent.destinationAddress = to.address;
    auto recorded = engine_.beginMove(intent);
    if (!recorded)
        return recorded.error();
    const std::string what =
        fmt::format("moving {} from {} to {}", cartridgeName(media), from.address, to.address);
    log(RobotLog::Debug, what);
    auto moved = (*c)->move(static_cast<std::uint16_t>(from.address),
                            static_cast<std::uint16_t>(to.address));
    if (moved) {
        if (link_)
            link_->moved(static_cast<std::uint16_t>(from.address),
                         static_cast<std::uint16_t>(to.address));
        if (applied == Applied::WithOutcome) {
            unapplied_ = *recorded;
            return success();
        }
        return engine_.completeMove(*recorded);
    }
    // The robot may have done part of it, or something else: believe its element status. When
    // even that fails the intent stays, and the next audit resolves it.
    Error failed = moved.error().withContext(what);
    log(RobotLog::Warning, failed.toString());
    if (auto audited = audit(); !audited)
        log(RobotLog::Warning, "audit after the failed move: " + audited.error().toString());
    return failed;
}

Result<Place> Mover::putAway(DriveSession &drives, const engine::RobotView &view,
                             const engine::RobotView::Drive &drive,
                             const std::optional<Uuid> &request, Applied applied) {
    if (!drive.media || !drive.row.address)
        return Error(ErrorCode::InvalidState,
                     fmt::format("drive {} holds no cartridge", drive.row.number));
    const engine::MediaRow &media = *drive.media;
    std::optional<Place> to;
    if (const engine::ElementRow *s = view.freeSlotFor(media))
        to = Place{ObjectKind::Slot, s->id, s->address};
    if (!to)
        return Error(ErrorCode::LibraryFull, fmt::format("library {} has no free slot for {}",
                                                         library_.name, cartridgeName(media)));
    if (!view.isCleaner(media.id))
        (void)drives.recordHealth(drive.row, media.id, request, engine::HealthTrigger::Dismount);
    if (auto unloaded = drives.unload(drive.row); !unloaded)
        return unloaded.error().withContext("putting " + cartridgeName(media) + " away");
    RSM_TRY_VOID(move(media, Place{ObjectKind::Drive, drive.row.id, *drive.row.address}, *to,
                      request, applied));
    return *to;
}

}  // namespace rsm::library
