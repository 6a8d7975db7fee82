// Inventory (FAST): what the robot reports — which elements hold which barcodes — reconciled
// with the database in one transaction. Known cartridges get their new place; new barcodes
// become media in the UNRECOGNIZED pool of their media type (no label has been read); media
// the robot no longer holds go to the OFFLINE library.

#include <cctype>
#include <map>

#include <fmt/format.h>

#include "src/engine/engine.h"

namespace rsm::engine {

std::string mediaTypeForBarcode(const std::string &barcode) {
    // LTO: six characters, then L and the generation ("A00001L5"), or M8 (LTO-7 type M).
    if (barcode.size() == 8 && barcode[6] == 'L' &&
        std::isdigit(static_cast<unsigned char>(barcode[7])))
        return fmt::format("LTO-{}", barcode[7]);
    if (barcode.size() == 8 && barcode.compare(6, 2, "M8") == 0)
        return "LTO-M8";
    return "unknown";
}

namespace {

struct Place {
    LocationKind location = LocationKind::Slot;
    Uuid element;
};

bool samePlace(const MediaRow &m, const Uuid &library, const Place &p) {
    if (m.libraryId != library || m.location != p.location)
        return false;
    switch (p.location) {
        case LocationKind::Slot:
            return m.slotId == p.element;
        case LocationKind::Drive:
            return m.driveId == p.element;
        case LocationKind::IePort:
            return m.ieportId == p.element;
        default:
            return false;
    }
}

void placeAt(MediaRow &m, const LibraryRow &lib, const Place &p) {
    m.libraryId = lib.id;
    m.libraryKind = lib.kind;
    m.location = p.location;
    m.slotId = m.driveId = m.ieportId = std::nullopt;
    if (p.location == LocationKind::Slot) {
        m.slotId = p.element;
        m.homeSlotId = p.element;
    } else if (p.location == LocationKind::Drive) {
        m.driveId = p.element;
    } else {
        m.ieportId = p.element;
    }
    m.state = p.location == LocationKind::Drive ? MediaState::Loaded : MediaState::Idle;
}

}  // namespace

Result<InventoryResult> Engine::reconcileInventory(const Uuid &library,
                                                   const std::vector<InventoryElement> &seen) {
    return asDaemon<InventoryResult>([&](Tx &tx) -> Result<InventoryResult> {
        auto lib = tx.library(library);
        if (!lib || lib->kind == LibraryKind::Offline)
            return Error(ErrorCode::InvalidLibrary, "inventory needs an online library");
        // The database's elements by address.
        std::map<std::pair<ObjectKind, int>, Uuid> elements;
        for (ObjectKind kind : {ObjectKind::Slot, ObjectKind::IePort})
            for (const ElementRow &e : tx.elements(kind, library))
                elements[{kind, e.address}] = e.id;
        for (const DriveRow &d : tx.drives(library))
            if (d.address)
                elements[{ObjectKind::Drive, *d.address}] = d.id;

        InventoryResult result;
        std::map<std::string, Place> where;  // barcode -> where the robot has it
        for (const InventoryElement &e : seen) {
            if (!e.full)
                continue;
            ++result.seen;
            auto id = elements.find({e.kind, e.address});
            if (id == elements.end())
                return Error(ErrorCode::UnableToInventorySlot,
                             fmt::format("element {} is not in the database's map of library {}; "
                                         "probe the library first",
                                         e.address, lib->name));
            if (!e.barcode || e.barcode->empty()) {
                ++result.unlabelled;
                continue;
            }
            LocationKind location = e.kind == ObjectKind::Slot    ? LocationKind::Slot
                                    : e.kind == ObjectKind::Drive ? LocationKind::Drive
                                                                  : LocationKind::IePort;
            where[*e.barcode] = Place{location, id->second};
        }

        // Media whose place changed first leave their old one (the transport), so that no two
        // rows claim one element in between; those the robot no longer holds go offline.
        const LibraryRow offline = tx.offlineLibrary();
        std::vector<MediaRow> toPlace;
        for (MediaRow m : tx.mediaInLibrary(library)) {
            auto w = m.barcode ? where.find(*m.barcode) : where.end();
            if (w != where.end() && samePlace(m, library, w->second))
                continue;
            m.slotId = m.driveId = m.ieportId = std::nullopt;
            if (w == where.end()) {
                m.libraryId = offline.id;
                m.libraryKind = LibraryKind::Offline;
                m.location = LocationKind::Shelf;
                m.homeSlotId = std::nullopt;
                m.state = MediaState::Idle;
                tx.updateMedia(m);
                ++result.removed;
            } else {
                m.location = LocationKind::Transport;
                tx.updateMedia(m);
            }
        }
        for (const auto &[barcode, place] : where) {
            auto known = tx.mediaByBarcode(barcode);
            if (known) {
                if (samePlace(*known, library, place))
                    continue;
                placeAt(*known, *lib, place);
                tx.updateMedia(*known);
                ++result.moved;
                continue;
            }
            const std::string typeName = mediaTypeForBarcode(barcode);
            auto type = tx.mediaTypeByName(typeName);
            if (!type)
                type = addMediaType(tx, typeName, 1, "found by inventory");
            auto pool = tx.systemPool(type->id, PoolKind::Unrecognized);
            if (!pool)
                return Error(ErrorCode::InvalidMediaPool,
                             "media type " + typeName + " has no UNRECOGNIZED pool");
            MediaRow m;
            m.id = Uuid::random();
            m.barcode = barcode;
            m.mediaTypeId = type->id;
            m.poolId = pool->id;
            m.sideCount = type->sides;
            placeAt(m, *lib, place);
            tx.insertMedia(m);
            for (int n = 0; n < type->sides; ++n)
                tx.insertSide(
                    SideRow{Uuid::random(), m.id, n, SideState::Unknown, {}, {}, {}, 0, 0});
            ++result.added;
        }
        // Drives: loaded when the robot reports a cartridge in them.
        for (DriveRow d : tx.drives(library)) {
            bool full = false;
            for (const InventoryElement &e : seen)
                full = full || (e.kind == ObjectKind::Drive && d.address == e.address && e.full);
            // A full drive keeps what rsm knows of it (mounted, loaded, dismountable); a drive
            // found full that rsm had empty is LOADED (someone's: rsm does not take it away).
            DriveState state = d.state;
            if (!full)
                state = DriveState::Dismounted;
            else if (state == DriveState::Dismounted)
                state = DriveState::Loaded;
            if (d.state != state) {
                d.state = state;
                if (state != DriveState::Dismountable)
                    d.dismountAfter = std::nullopt;
                tx.updateDrive(d);
            }
        }
        return result;
    });
}

}  // namespace rsm::engine
