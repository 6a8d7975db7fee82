// Inventory (FAST): what the robot reports — which elements hold which barcodes — reconciled
// with the database in one transaction. Known cartridges get their new place; new barcodes
// become media in the UNRECOGNIZED pool of their media type (no label has been read; those with
// the cleaner prefix are cleaner cartridges); media the robot no longer holds go to the
// OFFLINE library, or are deleted when the pool policy says so (deletedWhenGone). The rules decide
// every row here; the store writes them a group at a time, so the number of statements does not
// grow with the number of cartridges (a handful, plus a few per media type first seen).

#include <cctype>
#include <chrono>
#include <map>
#include <set>

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

bool deletedWhenGone(PoolKind pool, bool cleaner, const ServerPolicy &policy) {
    if (cleaner || pool == PoolKind::Unrecognized)
        return true;
    if (pool == PoolKind::Import)
        return !policy.keepOfflineImport;
    if (pool == PoolKind::Free)
        return policy.purgeOfflineFree;
    return false;
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
        case LocationKind::Transport:
            return true;  // in a picker of the library
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
    } else if (p.location == LocationKind::IePort) {
        m.ieportId = p.element;
    }  // a picker: in the library, in no element (its home slot kept)
    m.state = p.location == LocationKind::Drive ? MediaState::Loaded : MediaState::Idle;
}

std::string elementName(const InventoryElement &e) {
    switch (e.kind) {
        case ObjectKind::Slot:
            return fmt::format("slot {}", e.address);
        case ObjectKind::Drive:
            return fmt::format("drive {}", e.address);
        case ObjectKind::IePort:
            return fmt::format("IE port {}", e.address);
        default:
            return fmt::format("picker {}", e.address);
    }
}

// One place per barcode. A barcode in several elements is a conflict: its medium keeps its
// place when that is one of them, or takes the first; the other copies count as cartridges
// without a barcode. The database never claims an element for a barcode the robot does not
// report there.
std::map<std::string, Place> placesOf(
    const std::map<std::string, std::vector<std::pair<Place, std::string>>> &reported,
    const std::vector<MediaRow> &inLibrary, const LibraryRow &lib,
    std::vector<BarcodeConflictRow> &conflicts, int &unlabelled) {
    std::map<std::string, Place> where;
    for (const auto &[barcode, places] : reported) {
        Place chosen = places.front().first;
        if (places.size() > 1) {
            std::string names;
            for (const auto &[place, name] : places) {
                names += (names.empty() ? "" : ", ") + name;
                for (const MediaRow &m : inLibrary)
                    if (m.barcode == barcode && samePlace(m, lib.id, place))
                        chosen = place;
            }
            conflicts.push_back(BarcodeConflictRow{lib.id, barcode, names});
            unlabelled += static_cast<int>(places.size()) - 1;
        }
        where.emplace(barcode, chosen);
    }
    return where;
}

// The media of the library's recorded moves are no longer being moved: the element status
// just applied says where they are. A cartridge an interrupted mount or dismount left in a
// drive belongs to no one now: its drive is DISMOUNTABLE at once, so that it goes home.
int resolveIntents(Tx &tx, const Uuid &library) {
    const auto intents = tx.moves(library);
    const std::int64_t now = unixNow();
    for (const MoveRow &intent : intents) {
        tx.deleteMove(intent.id);
        auto media = intent.mediaId ? tx.media(*intent.mediaId) : std::nullopt;
        if (!media)
            continue;
        if (media->location == LocationKind::Drive && media->driveId) {
            media->state = MediaState::Unloaded;
            if (auto d = tx.drive(*media->driveId)) {
                d->state = DriveState::Dismountable;
                d->dismountAfter = now;
                tx.updateDrive(*d);
            }
        } else {
            media->state = MediaState::Idle;
        }
        tx.updateMedia(*media);
    }
    return static_cast<int>(intents.size());
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
        const std::vector<DriveRow> drives = tx.drives(library);
        for (const DriveRow &d : drives)
            if (d.address)
                elements[{ObjectKind::Drive, *d.address}] = d.id;

        InventoryResult result;
        // barcode -> where the robot has it: every place, and a name for each
        std::map<std::string, std::vector<std::pair<Place, std::string>>> reported;
        std::set<int> fullDrives;  // addresses
        for (const InventoryElement &e : seen) {
            if (!e.full)
                continue;
            ++result.seen;
            // A picker (a failed move left a cartridge in it) is no element of the database's.
            const bool picker = e.kind == ObjectKind::Changer;
            auto id = elements.find({e.kind, e.address});
            if (!picker && id == elements.end())
                return Error(ErrorCode::UnableToInventorySlot,
                             fmt::format("element {} is not in the database's map of library {}; "
                                         "probe the library first",
                                         e.address, lib->name));
            if (e.kind == ObjectKind::Drive)
                fullDrives.insert(e.address);
            if (e.unreadableBarcode)
                result.unreadable.push_back(
                    fmt::format("{} ({})", elementName(e), *e.unreadableBarcode));
            if (!e.barcode || e.barcode->empty()) {
                ++result.unlabelled;
                continue;
            }
            LocationKind location = picker                        ? LocationKind::Transport
                                    : e.kind == ObjectKind::Slot  ? LocationKind::Slot
                                    : e.kind == ObjectKind::Drive ? LocationKind::Drive
                                                                  : LocationKind::IePort;
            reported[*e.barcode].emplace_back(Place{location, picker ? Uuid() : id->second},
                                              elementName(e));
        }
        const std::vector<MediaRow> inLibrary = tx.mediaInLibrary(library);
        const std::map<std::string, Place> where =
            placesOf(reported, inLibrary, *lib, result.duplicates, result.unlabelled);
        tx.setBarcodeConflicts(library, result.duplicates);
        for (const BarcodeConflictRow &d : result.duplicates) {
            const auto m = tx.mediaByBarcode(d.barcode);
            operatorRequestIn(
                tx, OperatorRequestKind::Message,
                fmt::format("library {}: two cartridges carry barcode {} ({}); take the one that "
                            "does not belong out (or relabel it), then run an inventory: until "
                            "then {} is not mounted",
                            lib->name, d.barcode, d.places, d.barcode),
                library, m ? std::optional<Uuid>(m->id) : std::nullopt, std::nullopt);
        }

        // Media whose place changed first leave their old one (the transport), so that no two
        // rows claim one element in between; those the robot no longer holds go offline.
        // Every row is decided here; the store writes each group in one statement.
        const LibraryRow offline = tx.offlineLibrary();
        const ServerPolicy policy = tx.serverPolicy();
        std::set<Uuid> cleanerIds;
        for (const CleanerRow &c : tx.cleaners(library))
            cleanerIds.insert(c.mediaId);
        std::map<Uuid, PoolKind> poolKinds;
        auto poolKind = [&](const Uuid &pool) {
            auto k = poolKinds.find(pool);
            if (k == poolKinds.end()) {
                auto row = tx.pool(pool);
                k = poolKinds.emplace(pool, row ? row->kind : PoolKind::Application).first;
            }
            return k->second;
        };
        std::vector<MediaRow> leaving;
        std::vector<Uuid> deleted;
        std::map<std::string, MediaRow> known;  // by barcode: media the robot reported, as now
        std::set<std::string> moving;           // those of them in the transport in between
        for (MediaRow m : inLibrary) {
            auto w = m.barcode ? where.find(*m.barcode) : where.end();
            if (w != where.end() && samePlace(m, library, w->second)) {
                known.emplace(*m.barcode, std::move(m));
                continue;
            }
            m.slotId = m.driveId = m.ieportId = std::nullopt;
            if (w == where.end() &&
                deletedWhenGone(poolKind(m.poolId), cleanerIds.count(m.id) > 0, policy)) {
                deleted.push_back(m.id);
                ++result.deleted;
                continue;
            }
            if (w == where.end()) {
                m.libraryId = offline.id;
                m.libraryKind = LibraryKind::Offline;
                m.location = LocationKind::Shelf;
                m.homeSlotId = std::nullopt;
                m.state = MediaState::Idle;
                ++result.removed;
            } else {
                m.location = LocationKind::Transport;
                known.emplace(*m.barcode, m);
                moving.insert(*m.barcode);
            }
            leaving.push_back(std::move(m));
        }
        // Barcodes of media elsewhere (another library, the shelf), or of none: new media.
        std::vector<std::string> others;
        for (const auto &entry : where)
            if (!known.count(entry.first))
                others.push_back(entry.first);
        if (!others.empty())
            for (MediaRow &m : tx.mediaByBarcodes(others))
                known.emplace(*m.barcode, std::move(m));

        std::vector<MediaRow> arriving, added;
        std::vector<SideRow> sides;
        std::vector<CleanerRow> cleaners;
        std::map<std::string, std::pair<MediaTypeRow, Uuid>> types;  // name -> type, its pool
        for (const auto &[barcode, place] : where) {
            auto k = known.find(barcode);
            if (k != known.end()) {
                if (!moving.count(barcode) && samePlace(k->second, library, place))
                    continue;
                placeAt(k->second, *lib, place);
                arriving.push_back(k->second);
                ++result.moved;
                continue;
            }
            const std::string typeName = mediaTypeForBarcode(barcode);
            auto t = types.find(typeName);
            if (t == types.end()) {
                auto type = tx.mediaTypeByName(typeName);
                if (!type)
                    type = addMediaType(tx, typeName, 1, "found by inventory");
                auto pool = tx.systemPool(type->id, PoolKind::Unrecognized);
                if (!pool)
                    return Error(ErrorCode::InvalidMediaPool,
                                 "media type " + typeName + " has no UNRECOGNIZED pool");
                t = types.emplace(typeName, std::pair(*type, pool->id)).first;
            }
            const auto &[type, pool] = t->second;
            MediaRow m;
            m.id = Uuid::random();
            m.barcode = barcode;
            m.mediaTypeId = type.id;
            m.poolId = pool;
            m.sideCount = type.sides;
            placeAt(m, *lib, place);
            // A cleaner cartridge (by its barcode's prefix) holds no data: nothing allocates,
            // mounts or labels its side.
            const bool cleaner = !cleanerPrefix_.empty() &&
                                 barcode.compare(0, cleanerPrefix_.size(), cleanerPrefix_) == 0;
            if (cleaner)
                cleaners.push_back(CleanerRow{m.id, cleanerUses_});
            for (int n = 0; n < type.sides; ++n)
                sides.push_back(SideRow{Uuid::random(),
                                        m.id,
                                        n,
                                        cleaner ? SideState::Incompatible : SideState::Unknown,
                                        {},
                                        {},
                                        {},
                                        0,
                                        0});
            added.push_back(std::move(m));
            ++result.added;
        }
        if (!deleted.empty())
            tx.deleteMediaRows(deleted);
        if (!leaving.empty())
            tx.updateMediaRows(leaving);
        if (!arriving.empty())
            tx.updateMediaRows(arriving);
        if (!added.empty()) {
            tx.insertMediaRows(added);
            tx.insertSideRows(sides);
            if (!cleaners.empty())
                tx.setCleaners(cleaners);
        }
        // Drives: a full drive keeps what rsm knows of it (mounted, loaded, dismountable); a
        // drive found full that rsm had empty is LOADED (someone's: rsm does not take it away);
        // an empty drive is DISMOUNTED.
        std::vector<std::pair<Uuid, DriveState>> driveStates;
        for (const DriveRow &d : drives) {
            const bool full = d.address && fullDrives.count(*d.address);
            DriveState state = d.state;
            if (!full)
                state = DriveState::Dismounted;
            else if (state == DriveState::Dismounted)
                state = DriveState::Loaded;
            if (d.state != state)
                driveStates.emplace_back(d.id, state);
        }
        if (!driveStates.empty())
            tx.setDriveStates(driveStates);
        result.resolved = resolveIntents(tx, library);
        return result;
    });
}

}  // namespace rsm::engine
