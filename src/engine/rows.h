#pragma once
// The rows the engine reads and writes through the Store: plain values, one struct per table
// of schema/. No SQL here; the PostgreSQL store maps them.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "rsm/error.h"
#include "rsm/model.h"
#include "rsm/uuid.h"
#include "src/engine/lifecycle.h"
#include "src/engine/request.h"

namespace rsm::engine {

struct SessionRow {
    Uuid id;
    std::uint32_t uid = 0;
    std::vector<std::uint32_t> gids;
    std::string application;
    bool open = true;
};

struct LibraryRow {
    Uuid id;
    std::string name;
    std::string description;
    LibraryKind kind = LibraryKind::Online;
    std::optional<std::string> device;
    bool enabled = true;
    std::optional<std::string> vendor, product, serial;  // what the robot said it is
    // The robot's reachability (Unix seconds): unreachableSince while its commands get no
    // answer, with the failure; reachableSince when it answered again after one.
    std::optional<std::int64_t> unreachableSince = {}, reachableSince = {};
    std::optional<std::string> robotError = {};
};

// What a library holds, counted.
struct LibraryCounts {
    std::int64_t drives = 0, slots = 0, ieports = 0, media = 0;
};

// A pool's media: all of them; those with an AVAILABLE side that may be allocated (enabled,
// idle: the scratch level); of those, how many are in a library rather than on the shelf.
struct PoolCounts {
    std::int64_t media = 0, available = 0, availableOnline = 0;
};

struct DriveRow {
    Uuid id;
    Uuid libraryId;
    int number = 0;  // 0, 1, … in element address order
    std::optional<int> address;
    std::string name;
    std::string description;
    std::optional<std::string> devicePath, serial;
    bool deviceManual = false;                      // set by hand: probes keep it
    std::optional<std::string> deviceProblem = {};  // why the last probe found no device
    DriveState state = DriveState::Dismounted;
    bool enabled = true;
    std::int64_t mountCount = 0;
    // A DISMOUNTABLE drive's deferred dismount is due at this time (Unix seconds).
    std::optional<std::int64_t> dismountAfter;
    std::optional<Uuid> mountedBy;            // the mount request holding it for an application
    bool needsCleaning = false;               // the drive asked to be cleaned
    std::optional<std::int64_t> lastCleaned;  // Unix seconds
};

// An operator request: a message for a person (NTMS operator requests).
struct OperatorRequestRow {
    Uuid id;
    OperatorRequestKind kind = OperatorRequestKind::Message;
    OperatorRequestState state = OperatorRequestState::Submitted;
    std::string message;
    std::optional<Uuid> libraryId, mediaId, driveId;
    std::string created, modified;  // ISO 8601
};

// A robot move rsmd intends (or intended, when rsmd stopped before recording its result).
// Kinds: Drive, Slot or IePort.
struct MoveRow {
    Uuid id;
    Uuid libraryId;
    std::optional<Uuid> mediaId, requestId;
    ObjectKind sourceKind = ObjectKind::Slot;
    Uuid sourceId;
    int sourceAddress = 0;
    ObjectKind destinationKind = ObjectKind::Slot;
    Uuid destinationId;
    int destinationAddress = 0;
};

// A slot, an import/export port or a changer (transport) of a library: where it is.
struct ElementRow {
    Uuid id;
    Uuid libraryId;
    int address = 0;
    bool cleaner = false;  // a slot reserved for the library's cleaner cartridge
};

// The server's policy flags (the computer object): ejected FREE media are deleted
// (purgeOfflineFree); ejected IMPORT media stay on the shelf (keepOfflineImport) or are deleted.
struct ServerPolicy {
    bool purgeOfflineFree = false;
    bool keepOfflineImport = true;
};

// A cleaner cartridge: its medium and how many cleanings it has left (0: spent).
struct CleanerRow {
    Uuid mediaId;
    int usesLeft = 0;
};

// A barcode the robot reports in more than one element of a library (schema/009), and where:
// "slot 1003, IE port 10".
struct BarcodeConflictRow {
    Uuid libraryId;
    std::string barcode;
    std::string places;
};

struct MediaTypeRow {
    Uuid id;
    std::string name;
    std::string description;
    int sides = 1;
    bool worm = false;  // its media are WORM (schema/017)
};

struct PoolRow {
    Uuid id;
    std::string name;  // the leaf; the path is built from the parents
    std::string description;
    std::optional<Uuid> parentId;
    Uuid mediaTypeId;
    PoolKind kind = PoolKind::Application;
    bool enabled = true;
    bool allocateFromFree = true;
    bool deallocateToFree = true;
    std::optional<int> maxAllocations;
};

struct MediaRow {
    Uuid id;
    std::string name;
    std::string description;
    std::optional<std::string> barcode;
    Uuid mediaTypeId;
    Uuid poolId;
    Uuid libraryId;
    LibraryKind libraryKind = LibraryKind::Offline;
    LocationKind location = LocationKind::Shelf;
    std::optional<Uuid> slotId, driveId, ieportId, homeSlotId;
    MediaState state = MediaState::Idle;
    int sideCount = 1;
    bool enabled = true;
    // When it was added (Unix seconds); read for showing it, never written.
    std::optional<std::int64_t> created = {};
};

// Which media a listing wants (rsmctl media list): every condition given must hold. A state
// is a side state (a medium with a side in it) or a medium state; a location a place of the
// medium, or `online` (in a library, not on the shelf).
struct MediaFilter {
    std::optional<Uuid> pool = {}, library = {};
    std::optional<SideState> sideState = {};
    std::optional<MediaState> mediaState = {};
    std::optional<LocationKind> location = {};
    std::optional<bool> online = {};
    std::optional<MediaLife> life = {};  // full, damaged, retired, active (schema 017)
    std::optional<bool> worm = {};
};

// How messages name a medium: its barcode, or its UUID when it has none.
inline std::string cartridgeName(const MediaRow &m) {
    return m.barcode ? *m.barcode : m.id.toString();
}

// Now, in whole seconds since the Unix epoch: how the rows keep times rsmd sets (a deferred
// dismount's end, a cleaning).
inline std::int64_t unixNow() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

struct SideRow {
    Uuid id;
    Uuid mediaId;
    int number = 0;
    SideState state = SideState::Unknown;
    std::optional<std::string> labelType, labelId, labelInfo;
    std::int64_t mountCount = 0;
    int allocateCount = 0;
    // Its times (Unix seconds; schema/015), read for showing them. The store keeps them in
    // step with the row (Tx::updateSide): completed while it is COMPLETE, lastMounted when its
    // mount count grows; lastWritten by Tx::sideWritten.
    std::optional<std::int64_t> completed = {}, lastMounted = {}, lastWritten = {};
};

struct LmidRow {
    Uuid id;
    Uuid sideId;
    std::string name;
    std::string description;
    // When it was made, and when it got its current side (its allocation or the last swap;
    // Unix seconds), read for showing them; the store sets both.
    std::optional<std::int64_t> created = {}, allocated = {};
};

// An LMID with what holds it, as Tx::lmidHoldings reads it: its side and medium (the keys
// guarantee both), the medium's pool, and whether a library request that has not finished
// names the medium.
struct LmidHolding {
    LmidRow lmid;
    SideRow side;
    MediaRow media;
    PoolRow pool;
    bool mediaRequested = false;
};

// A library request: robot work queued for a library's worker. Times are ISO 8601 text.
struct RequestRow {
    Uuid id;
    Uuid libraryId;
    RobotWork work;  // what it asks for (its kind and parameters)
    RequestState state = RequestState::Queued;
    int priority = 0;  // -15..15, higher first
    std::optional<Uuid> sessionId, mediaId, sideId, lmid, driveId;
    std::optional<std::uint32_t> errorCode;
    std::optional<std::string> message;
    std::string created;
    std::optional<std::string> started, finished;
    std::optional<SenseRecord> sense;  // the SCSI sense of its failure, when the robot gave one

    std::string_view kind() const { return kindOf(work); }  // "probe", "mount", …
};

// One row of the event log: a change to an object, in commit order.
struct EventRow {
    std::int64_t seq = 0;
    std::string at;    // ISO 8601
    std::string kind;  // the table: "physical_media", "pool", …
    Uuid objectId;
    std::string op;  // insert, update, delete
    std::string principal;
    std::string data;  // the row as JSON text
    // Columns of the row that say whom it concerns (absent when the row has none): for
    // deciding which watchers may see it.
    std::optional<Uuid> poolId, libraryId, mediaId, sideId, sessionId;
    std::optional<Uuid> ownerObject;   // attribute, acl: the object they belong to
    std::optional<std::uint32_t> uid;  // session: its user
    // What people call the object, for an event about a medium, a side or an LMID (and the
    // barcode for a request about a medium): its barcode and its LMID's name (a medium's LMIDs
    // by side, comma-separated). The row's own when it has them, else the current ones.
    std::optional<std::string> barcode = {}, lmidName = {};
};

// An event of a medium's or a drive's history, with the columns of its row that the history
// reads (from the logged row: absent when the row has no such column or it was NULL).
struct HistoryEventRow {
    std::int64_t seq = 0;
    std::string at;    // ISO 8601, UTC
    std::string kind;  // "physical_media", "drive", "library_request"
    Uuid objectId;
    std::string op;
    std::string principal;  // who made the change ("uid:1000")
    std::optional<std::string> requestKind, message, lastCleaned;
    std::optional<int> state, location, errorCode;
    std::optional<Uuid> libraryId, slotId, driveId, ieportId, poolId;
    std::optional<bool> needsCleaning;
};

// A batch of the event log, and the last sequence number the retention purged (0: none).
struct EventBatch {
    std::vector<EventRow> events;
    std::int64_t purgedThrough = 0;
};

enum class PrincipalKind : std::int16_t { User = 0, Group = 1 };

struct AclRow {
    Uuid id;
    PrincipalKind principalKind = PrincipalKind::User;
    std::uint32_t principalId = 0;
    ObjectKind objectKind = ObjectKind::Pool;
    Uuid objectId;
    std::uint32_t rights = 0;
};

struct AttributeRow {
    Uuid objectId;
    ObjectKind objectKind = ObjectKind::PhysicalMedia;
    std::string name;
    std::string value;  // bytes
};

}  // namespace rsm::engine
