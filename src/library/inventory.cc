#include "src/library/inventory.h"

#include <fmt/format.h>

#include "sg/changer.h"
#include "sg/open.h"

namespace rsm::library {

Result<std::vector<engine::InventoryElement>> readInventory(const std::string &device,
                                                            const ProbeOptions &options) {
    sg::IscsiOptions iscsi;
    iscsi.connectTimeout = options.commandTimeout;
    auto transport = sg::openTransport(device, iscsi);
    if (!transport)
        return transport.error().withContext("library device " + device);
    sg::Changer changer(std::move(*transport));
    auto elements = changer.status();
    if (!elements)
        return elements.error().withContext("inventory of " + device);
    return inventoryOf(*elements);
}

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
    return fmt::format("{} cartridges: {} new, {} moved, {} gone offline, {} without barcode",
                       r.seen, r.added, r.moved, r.removed, r.unlabelled);
}

}  // namespace rsm::library
