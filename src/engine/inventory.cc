// Inventory (FAST): what the robot reports — which elements hold which barcodes — reconciled
// with the database in one transaction: a snapshot of the library's rows (and of the rows the
// report names), the plan of src/engine/inventory_plan.h (the rules: pure), and the plan
// applied. The store writes the rows a group at a time, so the number of statements does not
// grow with the number of cartridges (a handful, plus a few per media type first seen).

#include <algorithm>
#include <map>
#include <set>

#include "src/engine/engine.h"
#include "src/engine/inventory_plan.h"
#include "src/engine/robot_tx.h"

namespace rsm::engine {

namespace {

// The library's own rows.
InventorySnapshot libraryRows(Tx &tx, const LibraryRow &lib) {
    InventorySnapshot s;
    s.library = lib;
    s.slots = tx.elements(ObjectKind::Slot, lib.id);
    s.ieports = tx.elements(ObjectKind::IePort, lib.id);
    s.drives = tx.drives(lib.id);
    s.inLibrary = tx.mediaInLibrary(lib.id);
    s.intents = tx.moves(lib.id);
    return s;
}

// The rows the report names besides (media types aside): media of its barcodes elsewhere; for
// media the robot no longer holds, what decides where they go; media and drives of the intents
// that are neither in the library nor reported.
void reportedRows(Tx &tx, InventorySnapshot &s, const InventoryReport &report) {
    if (auto barcodes = barcodesOutside(s, report); !barcodes.empty())
        s.elsewhere = tx.mediaByBarcodes(barcodes);
    if (const auto gone = goneMedia(s, report); !gone.empty()) {
        for (const CleanerRow &c : tx.cleaners(s.library.id))
            s.cleaners.insert(c.mediaId);
        s.policy = tx.serverPolicy();
        for (const MediaRow &m : gone)
            if (!s.poolKinds.count(m.poolId)) {
                auto pool = tx.pool(m.poolId);
                s.poolKinds[m.poolId] = pool ? pool->kind : PoolKind::Application;
            }
        if (std::any_of(gone.begin(), gone.end(),
                        [&](const MediaRow &m) { return goesOffline(s, m); }))
            s.offline = tx.offlineLibrary();
    }
    for (const Uuid &id : intentMediaOutside(s))
        if (auto m = tx.media(id)) {
            const bool ours = std::any_of(s.drives.begin(), s.drives.end(),
                                          [&](const DriveRow &d) { return d.id == m->driveId; });
            if (m->location == LocationKind::Drive && m->driveId && !ours)
                if (auto d = tx.drive(*m->driveId))
                    s.otherDrives.push_back(*d);
            s.otherMedia.push_back(*m);
        }
}

// The media type most of the library's data cartridges have (its cleaners aside), read only
// when the report has a cleaner cartridge new to the database; nullopt when there is none such
// or the library holds no data cartridge.
std::optional<std::string> libraryDataType(Tx &tx, const InventorySnapshot &s,
                                           const InventoryReport &report) {
    const auto known = [&](const std::string &barcode) {
        for (const auto *rows : {&s.inLibrary, &s.elsewhere})
            for (const MediaRow &m : *rows)
                if (m.barcode == barcode)
                    return true;
        return false;
    };
    bool newCleaner = false;
    for (const auto &entry : report.where)
        newCleaner =
            newCleaner || (cleanerBarcode(entry.first, s.cleanerPrefix) && !known(entry.first));
    if (!newCleaner)
        return std::nullopt;
    std::set<Uuid> cleaners;
    for (const CleanerRow &c : tx.cleaners(s.library.id))
        cleaners.insert(c.mediaId);
    std::map<Uuid, int> counts;
    for (const MediaRow &m : s.inLibrary)
        if (!cleaners.count(m.id) && !(m.barcode && cleanerBarcode(*m.barcode, s.cleanerPrefix)))
            ++counts[m.mediaTypeId];
    const auto most =
        std::max_element(counts.begin(), counts.end(),
                         [](const auto &a, const auto &b) { return a.second < b.second; });
    if (most == counts.end())
        return std::nullopt;
    auto type = tx.mediaType(most->first);
    return type ? std::optional(type->name) : std::nullopt;
}

// The plan's rows, in its order (the conflicts and their messages aside).
void applyRows(Tx &tx, const InventoryPlan &plan) {
    if (!plan.deleted.empty())
        tx.deleteMediaRows(plan.deleted);
    if (!plan.leaving.empty())
        tx.updateMediaRows(plan.leaving);
    if (!plan.arriving.empty())
        tx.updateMediaRows(plan.arriving);
    if (!plan.added.empty()) {
        tx.insertMediaRows(plan.added);
        tx.insertSideRows(plan.sides);
        if (!plan.cleaners.empty())
            tx.setCleaners(plan.cleaners);
    }
    if (!plan.driveStates.empty())
        tx.setDriveStates(plan.driveStates);
    for (const InventoryResolution &r : plan.resolutions) {
        tx.deleteMove(r.move);
        if (r.drive)
            tx.updateDrive(*r.drive);
        if (r.media)
            tx.updateMedia(*r.media);
    }
}

}  // namespace

Result<InventoryResult> Engine::reconcileInventory(const Uuid &library,
                                                   const std::vector<InventoryElement> &seen) {
    return asDaemon<InventoryResult>([&](Tx &tx) -> Result<InventoryResult> {
        auto lib = tx.library(library);
        if (!lib || lib->kind == LibraryKind::Offline)
            return Error(ErrorCode::InvalidLibrary, "inventory needs an online library");
        InventorySnapshot s = libraryRows(tx, *lib);
        auto report = readReport(s, seen);
        if (!report)
            return report.error();
        reportedRows(tx, s, *report);
        s.cleanerPrefix = cleanerPrefix_;
        s.cleanerType = cleanerTypeFor(s, *report, libraryDataType(tx, s, *report));
        // The types of new barcodes: a type first seen is added, with its pools.
        for (const std::string &name : newMediaTypes(s, *report)) {
            auto type = tx.mediaTypeByName(name);
            if (!type)
                type = addMediaType(tx, name, 1, "found by inventory");
            auto pool = tx.systemPool(type->id, PoolKind::Unrecognized);
            s.types[name] = {*type, pool ? std::optional(pool->id) : std::nullopt};
        }
        s.cleanerUses = cleanerUses_;
        s.now = unixNow();

        auto plan = planInventory(s, *report);
        if (!plan)
            return plan.error();
        tx.setBarcodeConflicts(library, plan->result.duplicates);
        for (const InventoryMessage &m : plan->messages)
            operatorRequestIn(tx, OperatorRequestKind::Message, m.text, library, m.media,
                              std::nullopt);
        applyRows(tx, *plan);
        completeArrivedMovesIn(tx, library);
        completeLeftVaultRoundsIn(tx);
        return plan->result;
    });
}

}  // namespace rsm::engine
