#pragma once
// A FAST inventory as a planner: what the database says of a library (InventorySnapshot) and
// what its robot reports (InventoryElement) become the changes that make the database match
// (InventoryPlan). Pure: no Tx, no SQL, no Engine. Engine::reconcileInventory
// (src/engine/inventory.cc) reads the snapshot and applies the plan in one transaction.
// Thread-safety: plain values and functions without state.

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "rsm/error.h"
#include "src/engine/engine.h"
#include "src/engine/rows.h"

namespace rsm::engine {

// Where the robot has a cartridge: an element of the library (the id of its slot, drive or
// port row), or a picker (Transport: in the library, in no element).
struct InventoryPlace {
    LocationKind location = LocationKind::Slot;
    Uuid element;
};

// Whether the medium's row has it at that place of the library.
bool isAt(const MediaRow &media, const Uuid &library, const InventoryPlace &place);

// A media type new barcodes may be of, and its UNRECOGNIZED pool (none: the type has none).
struct InventoryMediaType {
    MediaTypeRow type;
    std::optional<Uuid> unrecognizedPool;
};

// What the planner knows of the database. The first group is the library's own rows; the
// others are read only when the report needs them (see the helpers below).
struct InventorySnapshot {
    LibraryRow library;
    std::vector<ElementRow> slots, ieports;
    std::vector<DriveRow> drives;
    std::vector<MediaRow> inLibrary;
    std::vector<MoveRow> intents;  // recorded robot moves without a result

    // Media of reported barcodes outside the library (another library, the shelf).
    std::vector<MediaRow> elsewhere;
    // The types of new barcodes (mediaTypeForBarcode), by name.
    std::map<std::string, InventoryMediaType> types;
    // Where media the robot no longer holds go (goneMedia not empty): the pool kinds of their
    // pools (a pool without a row counts as an application pool), the library's cleaner
    // cartridges, the server's policy, and the OFFLINE library (when one goes offline).
    std::map<Uuid, PoolKind> poolKinds;
    std::set<Uuid> cleaners;
    ServerPolicy policy;
    LibraryRow offline;
    // Media the intents name that are neither in the library nor reported, and drives of
    // those media that are not the library's (rows of other places: rare).
    std::vector<MediaRow> otherMedia;
    std::vector<DriveRow> otherDrives;

    // Not from the database: the cleaner barcode prefix (empty: none), the uses of a new
    // cleaner, and now (Unix seconds) for the dismounts the intents' resolution defers.
    std::string cleanerPrefix;
    std::string cleanerType;  // the media type of new cleaners (cleanerTypeFor); empty: by barcode
    int cleanerUses = 0;
    std::int64_t now = 0;
};

// The robot's report read against the library's elements: one place per barcode (a barcode in
// several elements is a conflict: its medium keeps its place when that is one of them, or takes
// the first; the other copies count as cartridges without a barcode), the full drives, and the
// counts of InventoryResult it decides (seen, unlabelled, unreadable, duplicates).
struct InventoryReport {
    std::map<std::string, InventoryPlace> where;
    std::set<int> fullDrives;  // addresses
    InventoryResult result;
};

// A message for the operator, about a medium (when the database has it).
struct InventoryMessage {
    std::string text;
    std::optional<Uuid> media;
};

// One recorded move the element status resolves: the intent goes; a cartridge it left in a
// drive makes that drive DISMOUNTABLE at once; its medium becomes UNLOADED there, IDLE
// elsewhere. No rows when the medium is gone.
struct InventoryResolution {
    Uuid move;
    std::optional<DriveRow> drive;
    std::optional<MediaRow> media;
};

// The changes, in the order they are applied: the library's barcode conflicts become
// result.duplicates (an operator message for each); media the robot no longer holds are deleted
// or leave (offline, or into the transport when they moved), then media arrive at their new
// places and new media are inserted with their sides (and cleaner rows); then the drives' new
// states; then the intents' resolutions.
struct InventoryPlan {
    InventoryResult result;
    std::vector<InventoryMessage> messages;
    std::vector<Uuid> deleted;
    std::vector<MediaRow> leaving, arriving, added;
    std::vector<SideRow> sides;
    std::vector<CleanerRow> cleaners;
    std::vector<std::pair<Uuid, DriveState>> driveStates;
    std::vector<InventoryResolution> resolutions;

    // Whether it changes media, drives or intents (the conflicts are always set, and their
    // messages are not posted twice).
    bool changes() const;
};

// The report against the snapshot's elements and media (library, slots, ieports, drives,
// inLibrary). ERROR_UNABLE_TO_INVENTORY_SLOT when the robot reports a full element the database
// does not have.
Result<InventoryReport> readReport(const InventorySnapshot &snapshot,
                                   const std::vector<InventoryElement> &seen);

// What a snapshot of the library's rows lacks for a report:
// reported barcodes no medium of the library carries (their media, if any, are `elsewhere`);
std::vector<std::string> barcodesOutside(const InventorySnapshot &snapshot,
                                         const InventoryReport &report);
// media of the library the robot no longer holds;
std::vector<MediaRow> goneMedia(const InventorySnapshot &snapshot, const InventoryReport &report);
// the type a new medium of this barcode gets (newMediaTypes, addMedium): a cleaner's is the
// snapshot's cleanerType when set, any other's mediaTypeForBarcode;
std::string newMediumType(const InventorySnapshot &snapshot, const std::string &barcode);
// the type new cleaners get: `libraryType` (most of the library's data cartridges have it)
// when given, else the type most new data barcodes of the report name, else "unknown";
std::string cleanerTypeFor(const InventorySnapshot &snapshot, const InventoryReport &report,
                           const std::optional<std::string> &libraryType);
// the names of the types of reported barcodes no medium carries (given `elsewhere`), in order;
std::vector<std::string> newMediaTypes(const InventorySnapshot &snapshot,
                                       const InventoryReport &report);
// the ids of the media the intents name that the snapshot does not hold (given `elsewhere`).
std::vector<Uuid> intentMediaOutside(const InventorySnapshot &snapshot);

// Whether a medium the robot no longer holds goes to the OFFLINE library (else it is deleted),
// by the snapshot's pool kinds, cleaners and policy.
bool goesOffline(const InventorySnapshot &snapshot, const MediaRow &media);

// The changes. ERROR_INVALID_MEDIA_POOL when a new barcode's type has no UNRECOGNIZED pool (or
// is not in the snapshot).
Result<InventoryPlan> planInventory(const InventorySnapshot &snapshot,
                                    const InventoryReport &report);
// Both steps at once.
Result<InventoryPlan> planInventory(const InventorySnapshot &snapshot,
                                    const std::vector<InventoryElement> &seen);

}  // namespace rsm::engine
