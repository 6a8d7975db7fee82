#include "src/library/inventory.h"

#include <fmt/format.h>

namespace rsm::library {

namespace {

// SMC's volume identifiers are printable ASCII; anything else is no barcode to keep.
bool isBarcode(std::string_view tag) {
    for (unsigned char c : tag)
        if (c < 0x20 || c > 0x7e)
            return false;
    return true;
}

std::string escaped(std::string_view tag) {
    std::string out;
    for (unsigned char c : tag)
        if (c < 0x20 || c > 0x7e || c == '\\')
            out += fmt::format("\\x{:02x}", c);
        else
            out += static_cast<char>(c);
    return out;
}

}  // namespace

std::vector<engine::InventoryElement> inventoryOf(const std::vector<sg::Element> &elements) {
    std::vector<engine::InventoryElement> out;
    for (const sg::Element &e : elements) {
        engine::InventoryElement seen;
        switch (e.type) {
            case sg::ElementType::Storage:
                seen.kind = ObjectKind::Slot;
                break;
            case sg::ElementType::DataTransfer:
                seen.kind = ObjectKind::Drive;
                break;
            case sg::ElementType::ImportExport:
                seen.kind = ObjectKind::IePort;
                break;
            case sg::ElementType::Transport:
                // Empty between moves; full when a failed move left a cartridge in it.
                if (!e.full)
                    continue;
                seen.kind = ObjectKind::Changer;
                break;
            default:
                continue;
        }
        seen.address = e.address;
        seen.full = e.full;
        if (e.primaryTag && e.primaryTag->present()) {
            std::string tag = e.primaryTag->trimmed();
            if (isBarcode(tag))
                seen.barcode = std::move(tag);
            else
                seen.unreadableBarcode = escaped(tag);
        }
        out.push_back(seen);
    }
    return out;
}

std::string describe(const engine::InventoryResult &r) {
    std::string out =
        fmt::format("{} cartridges: {} new, {} moved, {} gone offline, {} without barcode", r.seen,
                    r.added, r.moved, r.removed, r.unlabelled);
    if (r.deleted)
        out += fmt::format(", {} gone and deleted (pool policy)", r.deleted);
    if (r.resolved)
        out +=
            fmt::format("; {} unfinished move{} resolved", r.resolved, r.resolved == 1 ? "" : "s");
    for (const std::string &u : r.unreadable)
        out += fmt::format("; {}: a volume tag that is no barcode, taken as none", u);
    for (const engine::BarcodeConflictRow &d : r.duplicates)
        out += fmt::format(
            "; barcode {} is in {}: not mounted until one is taken out and the "
            "library inventoried",
            d.barcode, d.places);
    return out;
}

}  // namespace rsm::library
