// The FAST inventory's rules (src/engine/inventory_plan.h): the changes that make the library's
// rows match the robot's report. Known cartridges get their new place; new barcodes become media
// in the UNRECOGNIZED pool of their media type (no label has been read; those with the cleaner
// prefix are cleaner cartridges); media the robot no longer holds go to the OFFLINE library, or
// are deleted when the pool policy says so (deletedWhenGone). Every row is decided here; the
// store writes each group in one statement, so the number of statements does not grow with the
// number of cartridges.

#include "src/engine/inventory_plan.h"

#include <fmt/format.h>

namespace rsm::engine {

namespace {

void placeAt(MediaRow &m, const LibraryRow &lib, const InventoryPlace &p) {
    m.libraryId = lib.id;
    m.libraryKind = lib.kind;
    m.location = p.location;
    m.slotId = m.driveId = m.ieportId = std::nullopt;
    if (p.location == LocationKind::Slot) {
        m.slotId = p.element;
        m.homeSlotId = p.element;
    } else if (p.location == LocationKind::Drive) {
        m.driveId = p.element;
    } else if (p.location == LocationKind::IePort) {
        m.ieportId = p.element;
    }  // a picker: in the library, in no element (its home slot kept)
    m.state = p.location == LocationKind::Drive ? MediaState::Loaded : MediaState::Idle;
}

// The operator is told of each barcode in more than one element.
void conflictMessages(const InventorySnapshot &s, InventoryPlan &plan) {
    for (const BarcodeConflictRow &d : plan.result.duplicates) {
        std::optional<Uuid> media;
        for (const auto *rows : {&s.inLibrary, &s.elsewhere})
            for (const MediaRow &m : *rows)
                if (m.barcode == d.barcode)
                    media = m.id;
        plan.messages.push_back(InventoryMessage{
            fmt::format("library {}: two cartridges carry barcode {} ({}); take the one that "
                        "does not belong out (or relabel it), then run an inventory: until "
                        "then {} is not mounted",
                        s.library.name, d.barcode, d.places, d.barcode),
            media});
    }
}

// A medium without a barcode on record: a new row of the barcode's type, in its UNRECOGNIZED
// pool, with its sides (a cleaner cartridge, by its barcode's prefix, holds no data: nothing
// allocates, mounts or labels its side).
Result<void> addMedium(const InventorySnapshot &s, const std::string &barcode,
                       const InventoryPlace &place, InventoryPlan &plan) {
    const std::string typeName = newMediumType(s, barcode);
    auto t = s.types.find(typeName);
    if (t == s.types.end() || !t->second.unrecognizedPool)
        return Error(ErrorCode::InvalidMediaPool,
                     "media type " + typeName + " has no UNRECOGNIZED pool");
    const MediaTypeRow &type = t->second.type;
    MediaRow m;
    m.id = Uuid::random();
    m.barcode = barcode;
    m.mediaTypeId = type.id;
    m.poolId = *t->second.unrecognizedPool;
    m.sideCount = type.sides;
    placeAt(m, s.library, place);
    const bool cleaner = cleanerBarcode(barcode, s.cleanerPrefix);
    if (cleaner)
        plan.cleaners.push_back(CleanerRow{m.id, s.cleanerUses});
    for (int n = 0; n < type.sides; ++n)
        plan.sides.push_back(SideRow{Uuid::random(),
                                     m.id,
                                     n,
                                     cleaner ? SideState::Incompatible : SideState::Unknown,
                                     {},
                                     {},
                                     {},
                                     0,
                                     0});
    plan.added.push_back(std::move(m));
    ++plan.result.added;
    return success();
}

// Drives: a full drive keeps what rsm knows of it (mounted, loaded, dismountable); a drive
// found full that rsm had empty is LOADED (someone's: rsm does not take it away); an empty
// drive is DISMOUNTED.
void driveStates(const InventorySnapshot &s, const std::set<int> &fullDrives, InventoryPlan &plan) {
    for (const DriveRow &d : s.drives) {
        const bool full = d.address && fullDrives.count(*d.address);
        DriveState state = d.state;
        if (!full)
            state = DriveState::Dismounted;
        else if (state == DriveState::Dismounted)
            state = DriveState::Loaded;
        if (d.state != state)
            plan.driveStates.emplace_back(d.id, state);
    }
}

// The media of the library's recorded moves are no longer being moved: the element status just
// planned says where they are. A cartridge an interrupted mount or dismount left in a drive
// belongs to no one now: its drive is DISMOUNTABLE at once, so that it goes home. The rows are
// those the plan leaves (a medium it deletes has none; Tx::setDriveStates forgets a drive's
// deferral unless it stays DISMOUNTABLE, and its holder once it is DISMOUNTED).
void resolveIntents(const InventorySnapshot &s, InventoryPlan &plan) {
    const std::set<Uuid> deleted(plan.deleted.begin(), plan.deleted.end());
    // The intents' media as the plan leaves them (none: gone, or unknown).
    std::map<Uuid, std::optional<MediaRow>> media;
    std::map<Uuid, DriveRow> drives;
    for (const MoveRow &intent : s.intents)
        if (intent.mediaId && !deleted.count(*intent.mediaId))
            media.emplace(*intent.mediaId, std::nullopt);
    auto take = [&](const std::vector<MediaRow> &rows, bool replace) {
        for (const MediaRow &m : rows)
            if (auto i = media.find(m.id); i != media.end() && (replace || !i->second))
                i->second = m;
    };
    if (!media.empty()) {
        take(plan.leaving, true);
        take(plan.arriving, true);  // after leaving: the place it arrives at
        for (const auto *rows : {&s.inLibrary, &s.elsewhere, &s.otherMedia})
            take(*rows, false);
        for (const auto *rows : {&s.drives, &s.otherDrives})
            for (const DriveRow &d : *rows)
                drives.emplace(d.id, d);
        for (const auto &[id, state] : plan.driveStates) {
            DriveRow &d = drives.at(id);
            d.state = state;
            if (state != DriveState::Dismountable)
                d.dismountAfter = std::nullopt;
            if (state == DriveState::Dismounted)
                d.mountedBy = std::nullopt;
        }
    }
    for (const MoveRow &intent : s.intents) {
        InventoryResolution r{intent.id, std::nullopt, std::nullopt};
        auto m = intent.mediaId ? media.find(*intent.mediaId) : media.end();
        if (m != media.end() && m->second) {
            MediaRow &row = *m->second;
            if (row.location == LocationKind::Drive && row.driveId) {
                row.state = MediaState::Unloaded;
                if (auto d = drives.find(*row.driveId); d != drives.end()) {
                    d->second.state = DriveState::Dismountable;
                    d->second.dismountAfter = s.now;
                    r.drive = d->second;
                }
            } else {
                row.state = MediaState::Idle;
            }
            r.media = row;
        }
        plan.resolutions.push_back(std::move(r));
    }
    plan.result.resolved = static_cast<int>(s.intents.size());
}

}  // namespace

bool InventoryPlan::changes() const {
    return !deleted.empty() || !leaving.empty() || !arriving.empty() || !added.empty() ||
           !driveStates.empty() || !resolutions.empty();
}

Result<InventoryPlan> planInventory(const InventorySnapshot &s, const InventoryReport &report) {
    InventoryPlan plan;
    plan.result = report.result;
    conflictMessages(s, plan);

    // Media whose place changed first leave their old one (the transport), so that no two rows
    // claim one element in between; those the robot no longer holds go offline or are deleted.
    const Uuid &library = s.library.id;
    std::map<std::string, MediaRow> known;  // by barcode: media the robot reported, as now
    std::set<std::string> moving;           // those of them in the transport in between
    for (MediaRow m : s.inLibrary) {
        auto w = m.barcode ? report.where.find(*m.barcode) : report.where.end();
        if (w != report.where.end() && isAt(m, library, w->second)) {
            known.emplace(*m.barcode, std::move(m));
            continue;
        }
        m.slotId = m.driveId = m.ieportId = std::nullopt;
        if (w == report.where.end() && !goesOffline(s, m)) {
            plan.deleted.push_back(m.id);
            ++plan.result.deleted;
            continue;
        }
        if (w == report.where.end()) {
            m.libraryId = s.offline.id;
            m.libraryKind = LibraryKind::Offline;
            m.location = LocationKind::Shelf;
            m.state = MediaState::Idle;  // its home slot is kept: injected again, it goes home
            ++plan.result.removed;
        } else {
            m.location = LocationKind::Transport;
            known.emplace(*m.barcode, m);
            moving.insert(*m.barcode);
        }
        plan.leaving.push_back(std::move(m));
    }
    // Barcodes of media elsewhere (another library, the shelf).
    for (const MediaRow &m : s.elsewhere)
        if (m.barcode && report.where.count(*m.barcode))
            known.emplace(*m.barcode, m);

    // Media arrive at their new places; barcodes of no medium are new media.
    for (const auto &[barcode, place] : report.where) {
        auto k = known.find(barcode);
        if (k == known.end()) {
            if (auto added = addMedium(s, barcode, place, plan); !added)
                return added.error();
            continue;
        }
        if (!moving.count(barcode) && isAt(k->second, library, place))
            continue;
        placeAt(k->second, s.library, place);
        plan.arriving.push_back(k->second);
        ++plan.result.moved;
    }
    driveStates(s, report.fullDrives, plan);
    resolveIntents(s, plan);
    return plan;
}

Result<InventoryPlan> planInventory(const InventorySnapshot &snapshot,
                                    const std::vector<InventoryElement> &seen) {
    auto report = readReport(snapshot, seen);
    if (!report)
        return report.error();
    return planInventory(snapshot, *report);
}

}  // namespace rsm::engine
