// A FAST inventory's report read against a snapshot of the library's rows, and what else the
// planner needs to know (src/engine/inventory_plan.h). Pure.

#include "src/engine/inventory_plan.h"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

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

bool cleanerBarcode(const std::string &barcode, const std::string &prefix) {
    if (!prefix.empty() && barcode.compare(0, prefix.size(), prefix) == 0)
        return true;
    return barcode.size() == 8 && barcode.compare(6, 2, "CU") == 0;
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

bool isAt(const MediaRow &m, const Uuid &library, const InventoryPlace &p) {
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

namespace {

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

using Reported = std::map<std::string, std::vector<std::pair<InventoryPlace, std::string>>>;

// One place per barcode. The database never claims an element for a barcode the robot does not
// report there.
void placesOf(const Reported &reported, const InventorySnapshot &s, InventoryReport &report) {
    for (const auto &[barcode, places] : reported) {
        InventoryPlace chosen = places.front().first;
        if (places.size() > 1) {
            std::string names;
            for (const auto &[place, name] : places) {
                names += (names.empty() ? "" : ", ") + name;
                for (const MediaRow &m : s.inLibrary)
                    if (m.barcode == barcode && isAt(m, s.library.id, place))
                        chosen = place;
            }
            report.result.duplicates.push_back(BarcodeConflictRow{s.library.id, barcode, names});
            report.result.unlabelled += static_cast<int>(places.size()) - 1;
        }
        report.where.emplace(barcode, chosen);
    }
}

// The media rows the snapshot holds, by barcode: the library's and those elsewhere.
std::map<std::string, const MediaRow *> byBarcode(const InventorySnapshot &s) {
    std::map<std::string, const MediaRow *> out;
    for (const auto *rows : {&s.inLibrary, &s.elsewhere})
        for (const MediaRow &m : *rows)
            if (m.barcode)
                out.emplace(*m.barcode, &m);
    return out;
}

}  // namespace

Result<InventoryReport> readReport(const InventorySnapshot &s,
                                   const std::vector<InventoryElement> &seen) {
    // The database's elements by address.
    std::map<std::pair<ObjectKind, int>, Uuid> elements;
    for (const ElementRow &e : s.slots)
        elements[{ObjectKind::Slot, e.address}] = e.id;
    for (const ElementRow &e : s.ieports)
        elements[{ObjectKind::IePort, e.address}] = e.id;
    for (const DriveRow &d : s.drives)
        if (d.address)
            elements[{ObjectKind::Drive, *d.address}] = d.id;

    InventoryReport report;
    InventoryResult &result = report.result;
    Reported reported;  // barcode -> every place the robot has it, and a name for each
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
                                     e.address, s.library.name));
        if (e.kind == ObjectKind::Drive)
            report.fullDrives.insert(e.address);
        if (e.unreadableBarcode)
            result.unreadable.push_back(
                fmt::format("{} ({})", elementName(e), *e.unreadableBarcode));
        if (!e.barcode || e.barcode->empty()) {
            ++result.unlabelled;
            continue;
        }
        reported[*e.barcode].emplace_back(
            InventoryPlace{locationOfElement(e.kind), picker ? Uuid() : id->second},
            elementName(e));
    }
    placesOf(reported, s, report);
    return report;
}

std::vector<std::string> barcodesOutside(const InventorySnapshot &s,
                                         const InventoryReport &report) {
    std::set<std::string> inside;
    for (const MediaRow &m : s.inLibrary)
        if (m.barcode)
            inside.insert(*m.barcode);
    std::vector<std::string> out;
    for (const auto &entry : report.where)
        if (!inside.count(entry.first))
            out.push_back(entry.first);
    return out;
}

std::vector<MediaRow> goneMedia(const InventorySnapshot &s, const InventoryReport &report) {
    std::vector<MediaRow> out;
    for (const MediaRow &m : s.inLibrary)
        if (!m.barcode || !report.where.count(*m.barcode))
            out.push_back(m);
    return out;
}

std::string newMediumType(const InventorySnapshot &s, const std::string &barcode) {
    if (cleanerBarcode(barcode, s.cleanerPrefix) && !s.cleanerType.empty())
        return s.cleanerType;
    return mediaTypeForBarcode(barcode);
}

std::string cleanerTypeFor(const InventorySnapshot &s, const InventoryReport &report,
                           const std::optional<std::string> &libraryType) {
    if (libraryType)
        return *libraryType;
    const auto known = byBarcode(s);
    std::map<std::string, int> counts;
    for (const auto &entry : report.where)
        if (!known.count(entry.first) && !cleanerBarcode(entry.first, s.cleanerPrefix))
            ++counts[mediaTypeForBarcode(entry.first)];
    std::string best = "unknown";
    int most = 0;
    for (const auto &[name, n] : counts)
        if (n > most) {
            best = name;
            most = n;
        }
    return best;
}

std::vector<std::string> newMediaTypes(const InventorySnapshot &s, const InventoryReport &report) {
    const auto known = byBarcode(s);
    std::vector<std::string> out;
    for (const auto &entry : report.where) {
        if (known.count(entry.first))
            continue;
        std::string type = newMediumType(s, entry.first);
        if (std::find(out.begin(), out.end(), type) == out.end())
            out.push_back(std::move(type));
    }
    return out;
}

std::vector<Uuid> intentMediaOutside(const InventorySnapshot &s) {
    std::vector<Uuid> out;
    for (const MoveRow &intent : s.intents) {
        if (!intent.mediaId)
            continue;
        auto holds = [&](const std::vector<MediaRow> &rows) {
            return std::any_of(rows.begin(), rows.end(),
                               [&](const MediaRow &m) { return m.id == *intent.mediaId; });
        };
        if (!holds(s.inLibrary) && !holds(s.elsewhere) && !holds(s.otherMedia))
            out.push_back(*intent.mediaId);
    }
    return out;
}

bool goesOffline(const InventorySnapshot &s, const MediaRow &m) {
    auto kind = s.poolKinds.find(m.poolId);
    return !deletedWhenGone(kind == s.poolKinds.end() ? PoolKind::Application : kind->second,
                            s.cleaners.count(m.id) > 0, s.policy);
}

}  // namespace rsm::engine
