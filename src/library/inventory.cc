#include "src/library/inventory.h"

#include <fmt/format.h>

namespace rsm::library {

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
        if (e.primaryTag && e.primaryTag->present())
            seen.barcode = e.primaryTag->trimmed();
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
    return out;
}

}  // namespace rsm::library
