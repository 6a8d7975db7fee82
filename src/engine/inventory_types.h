#pragma once
// What the robot reports to the engine and what the engine makes of it: a library as probed
// at registration (NewLibrary), the elements of an element status (InventoryElement), the
// outcome of an inventory or audit, and a label read from a cartridge. Values only.
// Thread-safety: values; no shared state.

#include <optional>
#include <string>
#include <vector>

#include "src/engine/rows.h"

namespace rsm::engine {

// A robot as probed at registration: what it is and its elements, in address order.
struct NewLibrary {
    std::string name;
    std::string description;
    std::string device;  // /dev/sgN or iscsi://…
    std::optional<std::string> vendor, product, serial;
    std::vector<int> changers, slots, ieports;
    struct Drive {
        int address = 0;
        std::optional<std::string> serial;
        std::optional<std::string> device;        // /dev/nstN, or the drive's iscsi:// URL
        std::optional<std::string> problem = {};  // without a device: why ("no serial match")
    };
    std::vector<Drive> drives;
};

// One element as the robot reported it to an inventory (kind: Slot, Drive or IePort; Changer
// for a picker a failed move left a cartridge in).
struct InventoryElement {
    ObjectKind kind = ObjectKind::Slot;
    int address = 0;
    bool full = false;
    std::optional<std::string> barcode;
    // A volume tag that is no barcode (bytes outside printable ASCII, as SMC requires), escaped
    // ("\xff\xfeAB"): the cartridge counts as one without a barcode, and is reported.
    std::optional<std::string> unreadableBarcode = {};
};

struct InventoryResult {
    int seen = 0;        // full elements
    int added = 0;       // new media
    int moved = 0;       // media found elsewhere than recorded
    int removed = 0;     // media the robot no longer holds: now OFFLINE
    int deleted = 0;     // media the robot no longer holds, deleted by the pool policy
    int unlabelled = 0;  // cartridges without a barcode (not tracked by a FAST inventory)
    // Elements whose volume tag is no barcode: "slot 1003 (\xff\xfeAB)"; counted in unlabelled.
    std::vector<std::string> unreadable;
    // Barcodes reported in more than one element. The medium of such a barcode keeps the place
    // it had when that is one of them (or takes the first); the other copies count as
    // unlabelled; it is not mounted until an inventory finds the barcode once only.
    std::vector<BarcodeConflictRow> duplicates;
    // Recorded robot moves without a result, resolved by this element status.
    int resolved = 0;
};

// An audit: the inventory that made the database match the robot, and how many recorded
// moves (intents without a result) it resolved.
struct AuditResult {
    InventoryResult inventory;
    int resolved = 0;
};

// What a full inventory found at the start of a cartridge's first side: nothing written
// (blank), a label a label library recognized (type, id, info), or neither.
struct LabelRead {
    bool blank = false;
    std::optional<std::string> type, id, info;
};

}  // namespace rsm::engine
