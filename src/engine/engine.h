#pragma once
// Engine: the RSM media rules. Every operation checks its session handle, its parameters and
// the caller's rights, then applies the rules of rsm-model.md in ONE store transaction and
// returns an RSM result: all of it happens, or none of it does.
//
// The order of checks, where several could fail: parameters (INVALID_PARAMETER), session
// (INVALID_HANDLE), objects (INVALID_MEDIA / OBJECT_NOT_FOUND), pools (INVALID_MEDIA_POOL),
// rights (ACCESS_DENIED), then state (INVALID_STATE, BUSY, BAD_FORMAT, …).
// Thread-safety: an Engine may be called from many threads at once; the store serialises
// conflicting transactions (SERIALIZABLE, retried).

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "rsm/clock.h"
#include "rsm/error.h"
#include "rsm/principal.h"
#include "rsm/uuid.h"
#include "src/engine/health.h"
#include "src/engine/inventory_types.h"
#include "src/engine/rows.h"
#include "src/engine/store.h"
#include "src/engine/vault.h"

namespace rsm::engine {

struct EngineConfig {
    // Members of this group (and root) hold every right.
    std::optional<std::uint32_t> adminGid;
    // New barcodes with this prefix are cleaner cartridges, with this many uses (rsmd.conf
    // cleaner_prefix, cleaner_uses); an empty prefix: none are.
    std::string cleanerPrefix = "CLN";
    int cleanerUses = 50;
    // Library requests one session may have queued or running at once (rsmd.conf
    // max_queued_requests); one more is ERROR_BUSY.
    int maxQueuedRequests = 64;
    // Sessions opened and closed go to the event log (rsmd.conf log_session_events).
    bool logSessionEvents = false;
    // When a health reading makes a tape or drive suspect (docs/health.md).
    HealthThresholds health;
    // The wall clock of the time-based policies (retention, water marks, transit dates); the
    // system clock when none is given. It must outlive the engine.
    const Clock *clock = nullptr;
};

// Whom an event is for (Engine::eventAudiences). Administrators see every event.
struct EventAudience {
    bool everyone = false;  // whoever may watch
    // Whoever holds USE on this object (a pool, a library or the computer).
    std::optional<std::pair<ObjectKind, Uuid>> object;
    std::optional<std::uint32_t> uid;  // and this user
};

struct PurgeCounts {
    std::int64_t events = 0;
    std::int64_t sessions = 0;
};

// Limits on named attributes (SetNtmsObjectAttribute): what one object may hold.
constexpr std::size_t kMaxAttributeValue = 4096;  // bytes
constexpr std::size_t kMaxAttributeName = 64;     // characters
constexpr std::size_t kMaxAttributes = 64;        // per object

// A cleaner cartridge for a drive of the library, chosen by the worker: the one in the
// reserved cleaner slot first. `spent` counts those with no use left.
struct CleanerChoice {
    std::optional<MediaRow> cleaner;
    int usesLeft = 0;
    int spent = 0;
};

struct PoolOptions {
    std::string mediaType;  // name; required for a root pool, inherited from the parent if empty
    std::string description;
    bool allocateFromFree = true;
    bool deallocateToFree = true;
    std::optional<int> maxAllocations;
};

struct PoolInfo {
    PoolRow row;
    std::string path;       // "backup/daily"; system pools: "free:LTO-5"
    std::string mediaType;  // name
    PoolCounts counts;      // its media, and those free to allocate
    PoolPolicy policy;      // retention, allocation, water marks (docs/lifecycle.md)
};

struct NewMedia {
    std::optional<std::string> barcode;
    std::string mediaType;     // name
    std::optional<Uuid> pool;  // default: the FREE pool of the media type
    std::string name;
    std::string description;
    SideState sideState = SideState::Available;
    std::optional<std::string> labelType;  // for every side
    std::optional<std::string> labelId;
};

struct AllocateOptions {
    bool newSide = false;      // NTMS_ALLOCATE_NEW: a never-used medium; others sides RESERVED
    std::optional<Uuid> next;  // NTMS_ALLOCATE_NEXT: the next side of this LMID's medium
    bool errorIfUnavailable = true;  // NTMS_ALLOCATE_ERROR_IF_UNAVAILABLE
    std::string name;                // of the new LMID
    std::optional<Uuid> media;       // this medium's first AVAILABLE side (RSM's lpPartition)
};

struct SideInfo {
    SideRow row;
    std::optional<Uuid> lmid;
    std::string lmidName;  // its LMID's name ("" when none)
    std::optional<std::int64_t> allocated =
        {};  // when it got its LMID (Unix s): LmidRow::allocated
};

struct MediaInfo {
    MediaRow row;
    std::string pool;            // path
    std::string library;         // name
    std::string mediaType;       // name
    std::optional<int> address;  // of its slot, drive or IE port
    std::vector<SideInfo> sides;
    std::optional<int> cleanerUses;  // a cleaner cartridge's uses left
    MediaLifeRow life;               // full, damaged, retired; WORM (docs/lifecycle.md)
};

struct LmidInfo {
    LmidRow row;
    SideRow side;
    Uuid mediaId;
    std::optional<std::string> barcode;
    std::string pool;  // path
};

// A medium a library holds, as `rsmctl library status` shows it beside the robot's element:
// its pool (path), the names of its sides' LMIDs and the sides' states.
struct LibraryContent {
    MediaRow media;
    std::string pool;
    std::vector<std::string> lmids;
    std::vector<SideState> sides;
};

struct LibraryInfo {
    LibraryRow row;
    LibraryCounts counts;
    // Barcodes the last inventory found in more than one element (getLibrary only).
    std::vector<BarcodeConflictRow> duplicates = {};
};

// One line of a medium's or a drive's history (rsmctl media history, drive history).
struct HistoryEntry {
    std::int64_t seq = 0;
    std::string at;      // ISO 8601, UTC
    std::string what;    // "mount passed", "moved", "created", "cleaned", ...
    std::string who;     // the user who asked ("alice", "uid 1004"), or "rsmd"
    std::string detail;  // where the cartridge went; a request's outcome
};

// The libraries a caller may use, and how many others there are (left out for want of USE).
struct LibraryListing {
    std::vector<LibraryInfo> libraries;
    int hidden = 0;
};

struct DriveInfo {
    DriveRow row;
    std::string library;                 // name
    std::optional<std::string> barcode;  // of the medium in the drive
};

// Whether a medium the robot no longer holds (ejected, or taken out) is deleted instead of
// going to the OFFLINE library: cleaners and UNRECOGNIZED media always, IMPORT media unless
// the server keeps them (keep_offline_import), FREE media when it purges them
// (purge_offline_free); media of application pools never.
bool deletedWhenGone(PoolKind pool, bool cleaner, const ServerPolicy &policy);

// ERROR_OBJECT_NOT_FOUND for a media type name no type has, saying where the names are;
// `hint` ("; did you mean LTO-5?") follows the name.
Error unknownMediaType(const std::string &name, const std::string &hint = {});

// The media type a barcode names: LTO's "…L5" is LTO-5; anything else "unknown".
std::string mediaTypeForBarcode(const std::string &barcode);
// Whether a barcode is a cleaning cartridge's: it starts with the cleaner prefix (rsmd.conf
// cleaner_prefix; empty: none), or ends in LTO's universal cleaning identifier "CU". A
// cleaner's "L1" says nothing of a generation ("CLN001L1" cleans LTO drives of any).
bool cleanerBarcode(const std::string &barcode, const std::string &prefix);

struct RequestInfo {
    RequestRow row;
    std::string library;                 // name
    std::optional<std::string> drive;    // "LIBRARY/NUMBER"
    std::optional<std::string> device;   // the drive's device
    std::optional<std::string> barcode;  // of the medium
};

struct OperatorRequestInfo {
    OperatorRequestRow row;
    std::optional<std::string> library, barcode, drive;  // names of what it is about
};

// Which library requests a listing wants: newest first, a page at a time.
struct RequestListing {
    std::optional<Uuid> library;
    bool all = false;                 // finished ones too
    int limit = 100;                  // 1..1000 a page
    std::optional<Uuid> before = {};  // the page after the one that ended with this request
};

struct RequestPage {
    std::vector<RequestInfo> requests;  // without their results (request show has them)
    std::optional<Uuid> next;           // more are older: list again with before = next
};

// A new library request: `work` says what the robot is to do, `right` what the caller needs on
// the library to ask for it.
struct NewRequest {
    Uuid library;
    RobotWork work;
    int priority = 0;
    std::uint32_t right = rights::Control;
    std::optional<Uuid> media, drive;
};

// A request just queued: its id, and the library whose worker is to run it.
struct QueuedRequest {
    Uuid id;
    Uuid library;
};

// MountNtmsMedia's options for one LMID.
struct MountOptions {
    bool write = false;   // NTMS_MOUNT_WRITE; READ otherwise
    bool nowait = false;  // NTMS_MOUNT_NOWAIT: fail with BUSY instead of waiting
    // NTMS_MOUNT_ERROR_IF_OFFLINE: a cartridge on the shelf is MEDIA_OFFLINE at once; without
    // it the mount waits (an operator request asks for the cartridge) in the chosen drive's
    // library, or the only online one.
    bool errorIfOffline = false;
    std::optional<Uuid> drive;  // NTMS_MOUNT_SPECIFIC_DRIVE
    int priority = 0;           // -15..15
};

// What a library's worker needs to know to move cartridges: its drives with the medium in
// each, its slots and ports, and which of them the database has full.
struct RobotView {
    LibraryRow library;
    struct Drive {
        DriveRow row;
        std::optional<MediaRow> media;
    };
    std::vector<Drive> drives;
    std::vector<ElementRow> slots, ieports;
    std::vector<MediaRow> inPorts;  // media in the IE ports
    std::vector<Uuid> occupied;     // slots and ports holding a medium, sorted
    std::vector<Uuid> homes;        // home slots of the library's media not in them, sorted
    std::vector<Uuid> cleaners;     // cleaner cartridges, sorted
    bool isOccupied(const Uuid &element) const;
    bool isCleaner(const Uuid &media) const;
    const Drive *drive(const Uuid &id) const;
    // The first free slot for the medium: its home slot when free (kept while it was on the
    // shelf), else one that is no other medium's home; a cleaner goes to the reserved cleaner
    // slot when free, and nothing else ever does.
    const ElementRow *freeSlotFor(const MediaRow &media) const;
};

class Engine {
public:
    Engine(Store &store, EngineConfig config = {});

    // Changes who administers (rsmd's reload); takes effect for the next operation.
    void setAdminGid(std::optional<std::uint32_t> gid);
    // Root or a member of the admin group: holds every right. From any thread.
    bool isAdministrator(const Principal &p) const { return isAdmin(p); }
    // The media a library holds (USE on it), with their pools and LMIDs: a few statements,
    // whatever the number of media.
    Result<std::vector<LibraryContent>> libraryContents(const Uuid &session, const Uuid &library);
    // The library named `nameOrId` (or with that id), when `principal` holds `need` on it; for
    // a look at the robot that records nothing (mtx.status). One read transaction.
    Result<LibraryRow> libraryFor(const Principal &principal, const std::string &nameOrId,
                                  std::uint32_t need);

    // sessions (OpenNtmsSession / CloseNtmsSession)
    Result<Uuid> openSession(const Principal &principal, const std::string &application);
    Result<void> closeSession(const Uuid &session);

    // media types (each gets its FREE, IMPORT and UNRECOGNIZED pools)
    // `worm`: media of the type are WORM (docs/lifecycle.md).
    Result<Uuid> createMediaType(const Uuid &session, const std::string &name, int sides,
                                 const std::string &description = {}, bool worm = false);

    // pools, named by paths: "backup/daily"
    Result<Uuid> createPool(const Uuid &session, const std::string &path,
                            const PoolOptions &options);
    Result<void> deletePool(const Uuid &session, const Uuid &pool);
    Result<std::vector<PoolInfo>> listPools(const Uuid &session);
    Result<PoolInfo> getPool(const Uuid &session, const Uuid &pool);
    // A pool by path (or UUID text).
    Result<Uuid> findPool(const Uuid &session, const std::string &pathOrId);

    // media
    Result<Uuid> createOfflineMedia(const Uuid &session, const NewMedia &media);
    Result<void> deleteMedia(const Uuid &session, const Uuid &media);  // DeleteNtmsMedia
    Result<void> moveToPool(const Uuid &session, const Uuid &media, const Uuid &pool);
    Result<void> decommission(const Uuid &session, const Uuid &side);
    // Those the caller may read (USE on their pool) that the filter selects.
    Result<std::vector<MediaInfo>> listMedia(const Uuid &session, const MediaFilter &filter = {});
    Result<MediaInfo> getMedia(const Uuid &session, const Uuid &media);
    // A medium by barcode (or UUID text).
    Result<Uuid> findMedia(const Uuid &session, const std::string &barcodeOrId);

    // logical media
    Result<Uuid> allocate(const Uuid &session, const Uuid &pool, const AllocateOptions &options);
    // The same, answering with the new LMID (its allocator may read it without USE).
    Result<LmidInfo> allocateLmid(const Uuid &session, const Uuid &pool,
                                  const AllocateOptions &options);
    // The same, of the pool a client names (path or UUID), looked up in the allocation's own
    // transaction.
    Result<LmidInfo> allocateLmid(const Uuid &session, const std::string &pool,
                                  const AllocateOptions &options);
    Result<void> deallocate(const Uuid &session, const Uuid &lmid);
    // The same, of the LMID a client names (UUID or name), looked up in its own transaction.
    Result<void> deallocate(const Uuid &session, const std::string &lmid);
    Result<void> setComplete(const Uuid &session, const Uuid &lmid);
    // SwapNtmsMedia. The ids of the two LMIDs (named by UUID or name), in the order given.
    using SwapResult = std::array<Uuid, 2>;
    Result<SwapResult> swap(const Uuid &session, const Uuid &lmid1, const Uuid &lmid2);
    // The same, of the LMIDs a client names (UUID or name): the names looked up, the LMIDs,
    // their sides, media and pools read, in the swap's own transaction (one statement).
    Result<SwapResult> swap(const Uuid &session, const std::string &lmid1,
                            const std::string &lmid2);
    Result<std::vector<LmidInfo>> listLmids(const Uuid &session);
    Result<LmidInfo> getLmid(const Uuid &session, const Uuid &lmid);

    // any object
    Result<void> setName(const Uuid &session, const Uuid &object, const std::string &name);
    Result<void> setDescription(const Uuid &session, const Uuid &object,
                                const std::string &description);
    Result<std::string> getAttribute(const Uuid &session, const Uuid &object,
                                     const std::string &name);
    Result<void> setAttribute(const Uuid &session, const Uuid &object, const std::string &name,
                              const std::string &value);

    // access control (CONTROL on the object, or an administrator)
    Result<std::vector<AclRow>> listAcl(const Uuid &session, const Uuid &object);
    Result<void> grant(const Uuid &session, const Uuid &object, PrincipalKind kind,
                       std::uint32_t id, std::uint32_t rights);
    Result<void> revoke(const Uuid &session, const Uuid &object, PrincipalKind kind,
                        std::uint32_t id);

    // The computer object (server-wide policy and ACL).
    Result<Uuid> computer(const Uuid &session);
    Result<std::vector<MediaTypeRow>> listMediaTypes(const Uuid &session);
    Result<Uuid> findMediaType(const Uuid &session, const std::string &nameOrId);
    // A logical medium by name (or UUID text).
    Result<Uuid> findLmid(const Uuid &session, const std::string &nameOrId);
    // The side of a medium by its number (0, 1).
    Result<Uuid> findSide(const Uuid &session, const Uuid &media, int number);
    // Any object: UUID text, "computer", or KIND:NAME (library, drive, pool, media, lmid,
    // media_type).
    Result<Uuid> findObject(const Uuid &session, const std::string &reference);

    // libraries and drives
    // Whether the caller may register a library by this name and device (CONTROL on the
    // computer, name and device not taken): checked before rsmd touches the device.
    Result<void> mayAddLibrary(const Uuid &session, const std::string &name,
                               const std::string &device);
    Result<Uuid> addLibrary(const Uuid &session, const NewLibrary &library);
    // MODIFY on the library. Refused while requests run; with media in it, refused unless
    // `force`, which moves them to the OFFLINE library (the shelf).
    Result<void> removeLibrary(const Uuid &session, const Uuid &library, bool force);
    Result<void> setLibraryEnabled(const Uuid &session, const Uuid &library, bool enabled);
    Result<LibraryListing> listLibraries(const Uuid &session);
    // History (src/engine/history.cc), newest first, at most `limit` events read: the library
    // requests that named the medium (drive) with who asked and what came of them, and where
    // the cartridge went (the drive's cleanings). USE on the medium's pool (drive's library).
    Result<std::vector<HistoryEntry>> mediaHistory(const Uuid &session, const Uuid &media,
                                                   int limit);
    Result<std::vector<HistoryEntry>> driveHistory(const Uuid &session, const Uuid &drive,
                                                   int limit);
    Result<LibraryInfo> getLibrary(const Uuid &session, const Uuid &library);
    Result<Uuid> findLibrary(const Uuid &session, const std::string &nameOrId);
    Result<std::vector<DriveInfo>> listDrives(const Uuid &session,
                                              const std::optional<Uuid> &library);
    Result<void> setDriveEnabled(const Uuid &session, const Uuid &drive, bool enabled);
    // The drive's device set by hand (CONTROL on its library): probes keep it. Empty `device`:
    // back to what probes find (the drive has none until the next probe).
    Result<void> setDriveDevice(const Uuid &session, const Uuid &drive, const std::string &device);
    // A drive by LIBRARY/NUMBER, name, or UUID text.
    Result<Uuid> findDrive(const Uuid &session, const std::string &reference);

    // library requests (the robot's queue)
    Result<QueuedRequest> submitRequest(const Uuid &session, const NewRequest &request);
    Result<void> cancelRequest(const Uuid &session, const Uuid &request);
    // Those of the caller's session and of the libraries it may USE, a page at a time.
    Result<RequestPage> listRequests(const Uuid &session, const RequestListing &listing);
    Result<RequestInfo> getRequest(const Uuid &session, const Uuid &request);

    // Mount and dismount (MountNtmsMedia, DismountNtmsMedia): USE on the medium's pool or its
    // library. Checked here, then queued for the library's worker; the request's outcome says
    // which drive (and its device) or why not.
    // The LMID by its UUID or its name, looked up in the mount's own transaction.
    Result<QueuedRequest> submitMount(const Uuid &session, const std::string &lmid,
                                      const MountOptions &options);
    Result<QueuedRequest> submitMount(const Uuid &session, const Uuid &lmid,
                                      const MountOptions &options) {
        return submitMount(session, lmid.toString(), options);
    }
    // The medium in a drive: IMMEDIATE (back to its slot now) or DEFERRED (left DISMOUNTABLE).
    Result<QueuedRequest> submitDismount(const Uuid &session, const Uuid &media, bool deferred);
    // The same for the medium of an LMID (by its UUID or name, looked up in this transaction).
    Result<QueuedRequest> submitDismountOf(const Uuid &session, const std::string &lmid,
                                           bool deferred);

    // Eject (EjectNtmsMedia): CONTROL on the medium's library; the cartridge goes to a free IE
    // port, where the operator takes it; the next inventory that finds the port empty puts it
    // in the OFFLINE library (or deletes it: deletedWhenGone).
    // With every port full the request fails with ERROR_BUSY, or, with `queue`, waits until a
    // port is free.
    Result<QueuedRequest> submitEject(const Uuid &session, const Uuid &media, bool queue = false);

    // Operator requests (SubmitNtmsOperatorRequest and the operator's answers), in
    // src/engine/operator.cc. Submitting and reading need USE on the computer; satisfying or
    // refusing needs CONTROL on the request's library (on the computer when it names none).
    Result<Uuid> submitOperatorRequest(const Uuid &session, OperatorRequestKind kind,
                                       const std::string &message,
                                       const std::optional<Uuid> &library);
    Result<std::vector<OperatorRequestInfo>> listOperatorRequests(const Uuid &session, bool all);
    Result<OperatorRequestInfo> getOperatorRequest(const Uuid &session, const Uuid &request);
    // COMPLETE when satisfied, REFUSED otherwise; an answered request is INVALID_STATE. The
    // request as answered (the right to answer does not include reading the others).
    Result<OperatorRequestInfo> answerOperatorRequest(const Uuid &session, const Uuid &request,
                                                      bool satisfied);
    // What rsmd asked for has happened (the cartridge is in the library, a cleaning passed):
    // its unanswered requests of this kind, library and medium become COMPLETE.
    Result<int> completeOperatorRequests(OperatorRequestKind kind, const Uuid &library,
                                         const std::optional<Uuid> &media);
    // The unanswered MOVEMEDIA request asking for this medium, if any (for rsmd's workers).
    Result<std::optional<Uuid>> moveMediaRequestFor(const Uuid &media);
    // rsmd's own (a full library, a cartridge to bring).
    Result<Uuid> postOperatorRequest(OperatorRequestKind kind, const std::string &message,
                                     const std::optional<Uuid> &library,
                                     const std::optional<Uuid> &media = {});

    // The library worker's side: rsmd itself, no session (taking, finishing and waiting a
    // request are the Ledger's: src/engine/ledger.h).
    // At start-up: requests left INPROCESS by a daemon that stopped become FAILED, and the
    // queued or waiting requests of its clients (gone with it) CANCELLED.
    Result<int> failInterruptedRequests(const Uuid &library);
    // After a probe: what the robot said it is, and elements it has that the database lacks.
    Result<void> updateLibraryProbe(const Uuid &library, const NewLibrary &probe);
    // Whether the library's robot answers: `error` set, it stopped (recorded the first time,
    // with `now`); empty, it answers (recorded when it was unreachable). True when that changed
    // the library's state.
    Result<bool> setRobotReachable(const Uuid &library, const std::optional<std::string> &error,
                                   std::int64_t now);
    // A FAST inventory's report reconciled with the database, in one transaction. A full
    // element status is the robot's word on where every cartridge is: the recorded moves of
    // the library (intents without a result: a robot or rsmd that failed in the middle) are
    // resolved by it in the same transaction. Only the library's worker calls it, between moves.
    Result<InventoryResult> reconcileInventory(const Uuid &library,
                                               const std::vector<InventoryElement> &seen);
    // Robot work (src/engine/robot.cc). A move is recorded before the robot makes it
    // (beginMove: the medium is IN USE, the intent saved) and applied after (completeMove);
    // resolveMoves makes the database match an element status the robot reported, and drops
    // the intents: after a failed move, or at start-up when rsmd stopped in the middle of one.
    Result<RobotView> robotView(const Uuid &library);
    Result<MediaRow> mediaRow(const Uuid &media);
    Result<Uuid> beginMove(const MoveRow &intent);
    Result<void> completeMove(const Uuid &intent);
    Result<AuditResult> resolveMoves(const Uuid &library,
                                     const std::vector<InventoryElement> &seen);
    Result<int> pendingMoves(const Uuid &library);
    // A deferred dismount: the drive keeps the medium, DISMOUNTABLE until `until` (Unix s).
    Result<void> markDismountable(const Uuid &drive, std::int64_t until);
    // DISMOUNTABLE drives whose deferral has ended by `now` (Unix s), and drives that hold a
    // cleaner (a cleaning that did not finish: no cleaning runs while the worker is idle).
    Result<std::vector<DriveRow>> dueDismounts(const Uuid &library, std::int64_t now);
    // Waiting requests (WAITING: no drive free) queued again, to try again.
    Result<int> requeueWaiting(const Uuid &library);
    // Robot work rsmd asks for itself (the audit after a restart).
    Result<Uuid> queueDaemonRequest(const Uuid &library, const RobotWork &work, int priority);
    // The worker's recovery after losing the database: requests of the library left INPROCESS
    // while no request runs (the worker took one and never learnt it had) are QUEUED again.
    Result<int> requeueStrayRequests(const Uuid &library);
    // Robot moves left without a result (a robot or a database that failed in the middle)
    // queue an audit at priority 15, unless one is queued or running already. Whether it did.
    Result<bool> auditIfMovesPending(const Uuid &library);

    // A full inventory (src/engine/labels.cc): the idle cartridges in the library's slots
    // with a side never read (UNKNOWN), and what reading one found. A label already known on
    // another medium makes this cartridge that medium (its pool, sides and LMIDs); a recognized
    // label rsm does not know puts it in the IMPORT pool; a blank tape goes to the FREE pool,
    // AVAILABLE; anything else to the UNRECOGNIZED pool (side FOREIGN). Media in application
    // pools keep their pool; only the label is recorded. The answer says what happened.
    Result<std::vector<MediaRow>> unreadMedia(const Uuid &library);
    Result<std::string> classifyLabel(const Uuid &media, const LabelRead &read);

    Result<LibraryRow> libraryRow(const Uuid &library);    // for rsmd's workers
    Result<RequestInfo> requestInfo(const Uuid &request);  // for rsmd's workers
    // Of these library requests, those that ended without a worker's word (CANCELLED: by
    // request.cancel, a closed session, another rsmd) or are gone, and those in any final
    // state whose library is not among `worked` (no worker of this rsmd will say).
    Result<std::vector<Uuid>> endedRequests(const std::vector<Uuid> &requests,
                                            const std::vector<Uuid> &worked);
    Result<std::vector<LibraryRow>> onlineLibraries();  // for rsmd's workers

    // Cleaning (src/engine/cleaning.cc): CONTROL on the library. A clean request for a drive
    // (CleanNtmsDrive); the library's cleaner slot (Reserve/ReleaseNtmsCleanerSlot: none
    // releases it); a medium made a cleaner cartridge with so many uses left (a cartridge
    // without the cleaner prefix, or a new count).
    Result<QueuedRequest> submitClean(const Uuid &session, const Uuid &drive);
    // Health on demand (src/engine/health_requests.cc): USE on the library. A request that has
    // the library's worker read the drive's health and record it (trigger Demand).
    Result<QueuedRequest> submitHealth(const Uuid &session, const Uuid &drive);
    Result<void> setCleanerSlot(const Uuid &session, const Uuid &library,
                                const std::optional<int> &address);
    // (setCleaner answers the medium as it now is, in its UNRECOGNIZED pool, which the caller
    // may have no right to read.)
    Result<MediaInfo> setCleaner(const Uuid &session, const Uuid &media, int uses);
    // The worker's side: the cleaner to use; after a cleaning, one use fewer and the drive
    // cleaned (answers the uses left; a spent cleaner posts a CLEANER operator request); a
    // drive that asks to be cleaned gets a clean request unless one is queued already.
    Result<CleanerChoice> chooseCleaner(const Uuid &library);
    Result<int> cleaned(const Uuid &drive, const Uuid &cleaner);
    Result<std::optional<Uuid>> cleaningRequested(const Uuid &drive);

    // Health (src/engine/health.cc): the worker's side. Keeps one reading per mount (at the
    // dismount) or per demand, and raises the derived flags (suspect tape, suspect drive,
    // cleaning due) in the same transaction.
    Result<HealthOutcome> recordHealth(const HealthRecord &record);
    // The readings kept of a medium (or of a drive), newest first, at most `limit` (1..1000),
    // with its suspect flag: needs USE on the medium's pool (the drive's library).
    Result<HealthReport> mediaHealth(const Uuid &session, const Uuid &media, int limit);
    Result<HealthReport> driveHealthReadings(const Uuid &session, const Uuid &drive, int limit);
    // Clears a medium's (kind PhysicalMedia) or drive's (Drive) suspect flag: administrators
    // only. Clearing a flag that is not raised succeeds.
    Result<void> clearSuspect(const Uuid &session, ObjectKind kind, const Uuid &id);
    const HealthThresholds &healthThresholds() const { return health_; }
    // The engine's wall clock (EngineConfig::clock).
    WallTime now() const { return clock_.now(); }

    // Vaults (src/engine/vaults.cc, docs/vaulting.md), named by name or UUID. Create and
    // delete: MODIFY on the computer (a vault holding media is NOT_EMPTY); list, show: USE on
    // it. Send: pools (their media in a library's slots) or media, each ejected (rsmd's own eject,
    // waiting for a free I/E port) and in transit out; rounds of as many as the library has
    // ports, an operator request each; CONTROL on the library, USE on the pool. Arrived: those
    // in transit out that left their library. Recall: those named, or the return list (no
    // side ALLOCATED, COMPLETE or RESERVED); `listOnly` marks nothing. Overdue: in transit
    // for `days` or more by the engine's clock. Report: pools with media written in the last
    // `days` none of which is offsite.
    Result<Uuid> createVault(const Uuid &session, const std::string &name,
                             const std::string &description);
    Result<void> deleteVault(const Uuid &session, const std::string &vault);
    Result<std::vector<VaultInfo>> listVaults(const Uuid &session);
    Result<VaultContents> getVault(const Uuid &session, const std::string &vault);
    Result<std::vector<VaultEntry>> vaultSend(const Uuid &session,
                                              const std::vector<std::string> &refs,
                                              const std::string &vault);
    Result<std::vector<VaultEntry>> vaultArrived(const Uuid &session, const std::string &vault,
                                                 const std::vector<std::string> &barcodes);
    Result<std::vector<VaultEntry>> vaultRecall(const Uuid &session, const std::string &vault,
                                                const std::vector<std::string> &barcodes,
                                                bool listOnly);
    Result<std::vector<VaultEntry>> vaultOverdue(const Uuid &session, int days);
    Result<std::vector<UncoveredPool>> vaultReport(const Uuid &session, int days);
    // The life of media (src/engine/lifecycle.cc; docs/lifecycle.md). A pool's policy
    // changes with MODIFY on the pool: retention and allocation on application pools only,
    // water marks on any pool; the policy as it now is.
    Result<PoolPolicy> setPoolPolicy(const Uuid &session, const Uuid &pool,
                                     const PoolPolicyChange &change);
    // A medium's state beyond RSM's (full, damaged, retired, or active again): CONTROL on its
    // pool, as decommissioning needs.
    Result<void> setMediaLife(const Uuid &session, const Uuid &media, MediaLife life);
    // The sides with a retention the filter selects, of the pools the caller may use (USE),
    // by the end of their retention.
    Result<std::vector<SweepSide>> retentionList(const Uuid &session,
                                                 const RetentionFilter &filter);
    // The sweep at the engine's clock: sides whose retention ended are deallocated (each in
    // a transaction of its own, through the deallocation's own rules) or reported, WORM
    // media kept; then each pool's free media against its water marks, one NEWMEDIA operator
    // request open per pool below its low mark, completed when it is back at its high mark.
    // As rsmd itself, or for an administrator (CONTROL on the computer).
    Result<SweepReport> applyLifecycle();
    Result<SweepReport> applyLifecycle(const Uuid &session);
    // The media a pool may allocate now: its own available media and, when it draws from
    // FREE, those of its type's FREE pool.
    std::int64_t freeMedia(Tx &tx, const PoolRow &pool) const;

    // The event log (src/engine/events.cc). Watching needs USE on the computer; each event
    // then reaches only the watchers who may read what it is about, as list and show decide:
    // a pool's media, sides and LMIDs need USE on the pool; a library and its elements USE on
    // the library; a library request that or being the user of its session; an attribute or
    // an access entry USE on the object's governor; a session row is its own user's. Media
    // types, operator requests and the computer are everyone's; administrators see all, and
    // an event whose object cannot be placed any more (deleted with its parents) only they.
    Result<std::int64_t> mayWatch(const Uuid &session);  // the last sequence number
    Result<EventBatch> events(std::int64_t after, int limit);
    // rsmd's metrics (no rights: rsmd's own, never a client's): the objects as they are now,
    // then the events after a position (object_state.h). READ COMMITTED reads, which take no
    // predicate locks that writers would meet.
    Result<ObjectStates> objectSnapshot();
    Result<ObjectStates> objectEvents(std::int64_t after, int limit);
    Result<std::int64_t> lastEventSeq();  // for rsmd's notifications: where to start
    // Whom each event of a batch is for (one transaction for the batch, for all watchers).
    Result<std::vector<EventAudience>> eventAudiences(const std::vector<EventRow> &events);
    // Which of those events the session's caller may see; fails (ACCESS_DENIED,
    // INVALID_HANDLE) when the caller may no longer watch at all. Rights are read anew on each
    // call, once per object.
    Result<std::vector<bool>> mayRead(const Uuid &session,
                                      const std::vector<EventAudience> &audiences);
    // The retention: deletes events older than `events` and sessions closed before `sessions`
    // (zero: keeps them all), in transactions of at most `batch` rows each.
    Result<PurgeCounts> purge(std::chrono::seconds events, std::chrono::seconds sessions,
                              int batch = 10000);

private:
    struct Caller {
        SessionRow session;
        Principal principal;
    };

    // An LMID with its side and medium; ERROR_INVALID_MEDIA when it names none.
    struct Held {
        LmidRow lmid;
        SideRow side;
        MediaRow media;
    };
    // The LMID with its side and medium, the LMID's row locked FOR SHARE (owned() locks it for
    // an operation that changes it): a swap, READ COMMITTED, waits for this transaction, or this
    // one for the swap and then fails with a serialization failure and is retried.
    Result<Held> held(Tx &tx, const Uuid &lmid) const;
    // The LMID a client names by UUID or name; ERROR_INVALID_MEDIA when none.
    Result<Uuid> lmidIn(Tx &tx, const Caller &c, const std::string &nameOrId) const;
    // ERROR_INVALID_MEDIA for an LMID name no LMID has (with a suggestion).
    Error noLmid(Tx &tx, const Caller &c, const std::string &name) const;
    // The LMIDs clients name (UUID or name, as lmidIn), each with what holds it, in the order
    // named: one read.
    Result<std::vector<LmidHolding>> holdingsOf(Tx &tx, const Caller &c,
                                                const std::vector<std::string> &refs) const;
    // held() of the LMID so named.
    Result<Held> heldNamed(Tx &tx, const Caller &c, const std::string &nameOrId) const;
    // The pool a client names by path or UUID; ERROR_INVALID_MEDIA_POOL when none.
    Result<Uuid> poolIn(Tx &tx, const Caller &c, const std::string &pathOrId) const;
    // The same, the pool's row.
    Result<PoolRow> poolRowIn(Tx &tx, const Caller &c, const std::string &pathOrId) const;
    // An allocation from the pool, whose row this transaction read.
    Result<LmidInfo> allocateLmidIn(Tx &tx, const Caller &c, const PoolRow &pool,
                                    const AllocateOptions &options);
    Result<LmidInfo> allocateLmidIn(Tx &tx, const Caller &c, const Uuid &pool,
                                    const AllocateOptions &options);
    // An LMID to deallocate: its row locked FOR UPDATE and its side as read, not locked —
    // deallocateOwned locks the side's medium and sides itself, so the medium is read once.
    struct Owned {
        LmidRow lmid;
        SideRow side;
    };
    // `locked`: the LMID's row when this transaction locked it already.
    Result<Owned> owned(Tx &tx, const Uuid &lmid, std::optional<LmidRow> locked = {}) const;
    // `c` none: rsmd itself (the lifecycle sweep), which needs no right.
    Result<void> deallocateOwned(Tx &tx, const Caller *c, const Owned &owned);
    // A never-used medium for this allocation, by the pool's allocation policy.
    bool wantsNewMedium(Tx &tx, const PoolRow &pool) const;
    // One side's retention ended: what the sweep did with it.
    std::string expireSide(const RetentionRow &side);
    // The pool's free media against its water marks.
    SweepPool checkMarks(Tx &tx, const PoolRow &pool, const PoolPolicy &policy);
    Result<QueuedRequest> dismountIn(Tx &tx, const Caller &c, const Uuid &session,
                                     const Uuid &media, bool deferred);
    OperatorRequestInfo operatorInfo(Tx &tx, const OperatorRequestRow &row) const;
    static Result<void> validOperatorMessage(const std::string &message);
    // Posts an operator request in this transaction (the same unanswered one is not repeated).
    static Uuid operatorRequestIn(Tx &tx, OperatorRequestKind kind, const std::string &message,
                                  const std::optional<Uuid> &library,
                                  const std::optional<Uuid> &media,
                                  const std::optional<Uuid> &drive);
    // A medium with its pool and library, when the caller holds `right` on its library — or,
    // with poolToo, on its library or its pool (on its pool when it is on the shelf). Without
    // poolToo, a medium on the shelf needs no right: the caller then fails on its state.
    struct MediaPlace {
        MediaRow media;
        PoolRow pool;
        LibraryRow library;
    };
    Result<MediaPlace> mediaPlace(Tx &tx, const Caller &c, const Uuid &media, std::uint32_t right,
                                  bool poolToo) const;
    // A physical medium; ERROR_INVALID_MEDIA when it names none.
    Result<MediaRow> physical(Tx &tx, const Uuid &media) const;

    // The session behind a handle, or INVALID_HANDLE.
    Result<Caller> caller(Tx &tx, const Uuid &session) const;
    // Runs fn(tx, caller) in one store transaction, after checking the session handle.
    template <typename T, typename Fn>
    Result<T> asCaller(const Uuid &session, Fn &&fn) {
        // caller() names the session's principal before fn writes anything.
        return store_.transact<T>("", [&](Tx &tx) -> Result<T> {
            auto c = caller(tx, session);
            if (!c)
                return c.error();
            return fn(tx, *c);
        });
    }
    // asCaller in READ COMMITTED, for an operation that locks what it depends on (Isolation).
    template <typename T, typename Fn>
    Result<T> asCallerLocking(const Uuid &session, Fn &&fn) {
        return store_.transact<T>(
            "",
            [&](Tx &tx) -> Result<T> {
                auto c = caller(tx, session);
                if (!c)
                    return c.error();
                return fn(tx, *c);
            },
            Isolation::ReadCommitted);
    }
    bool isAdmin(const Principal &p) const;
    // The drive needs cleaning (its row updated unless it said so already) and gets a clean
    // request unless one is queued: the new request's id, or none.
    std::optional<Uuid> requestCleaning(Tx &tx, DriveRow &drive) const;
    // "; did you mean vtl?" when `name`, which names no object of `kind` (a library, drive,
    // pool, media type, LMID or medium), is probably a typo of one the caller may see; ""
    // otherwise. Reads the names: for failures only (src/engine/suggestions.cc).
    std::string suggestion(Tx &tx, const Caller &c, ObjectKind kind, const std::string &name) const;
    // ERROR_BUSY when the session has its most library requests queued or running already.
    Result<void> roomForRequest(Tx &tx, const Uuid &session) const;
    bool has(Tx &tx, const Caller &c, ObjectKind kind, const Uuid &id, std::uint32_t need) const;
    Result<void> require(Tx &tx, const Caller &c, ObjectKind kind, const Uuid &id,
                         std::uint32_t need, const std::string &what) const;
    // The same, `what` made only for the refusal (a pool's path reads its parents).
    Result<void> require(Tx &tx, const Caller &c, ObjectKind kind, const Uuid &id,
                         std::uint32_t need, const std::function<std::string()> &what) const;
    // "pool PATH", as require's `what` for a pool: read only when access is refused.
    std::function<std::string()> poolNamed(Tx &tx, const PoolRow &pool) const;
    struct DriveInLibrary {
        DriveRow drive;
        LibraryRow library;
    };
    // The drive and its library, when the caller holds `need` on the library:
    // ERROR_INVALID_DRIVE when there is no such drive, ERROR_ACCESS_DENIED without the right.
    Result<DriveInLibrary> driveAndLibrary(Tx &tx, const Caller &c, const Uuid &drive,
                                           std::uint32_t need) const;
    // The object whose ACL governs an object, and its kind: a pool, library or the computer
    // itself; media, sides and LMIDs -> their pool; a drive -> its library; anything else
    // (media types, slots, ports, requests) -> the computer.
    std::optional<std::pair<ObjectKind, Uuid>> governor(Tx &tx, const Uuid &object) const;
    Result<PoolRow> validPool(Tx &tx, const Uuid &pool) const;
    // ERROR_INVALID_MEDIA_POOL when the pool is disabled.
    Result<void> poolEnabled(Tx &tx, const PoolRow &pool) const;
    std::string poolPath(Tx &tx, const PoolRow &pool) const;
    PoolInfo poolInfo(Tx &tx, const PoolRow &pool) const;
    MediaInfo mediaInfo(Tx &tx, const MediaRow &media) const;
    Result<LmidInfo> lmidInfo(Tx &tx, const LmidRow &lmid) const;
    bool mediaBusy(Tx &tx, const MediaRow &media) const;
    // The same, with whether a library request that has not finished names it already read.
    static bool mediaBusy(const MediaRow &media, bool requested);
    Result<LmidInfo> allocateIn(Tx &tx, const Caller &c, const PoolRow &pool,
                                const AllocateOptions &options);
    // A media type with its FREE, IMPORT and UNRECOGNIZED pools.
    MediaTypeRow addMediaType(Tx &tx, const std::string &name, int sides,
                              const std::string &description, bool worm = false) const;
    Result<void> updateElements(Tx &tx, const Uuid &library, const NewLibrary &probe);
    // Runs fn(tx) in one transaction on rsmd's own behalf (the library workers).
    template <typename T, typename Fn>
    Result<T> asDaemon(Fn &&fn) {
        return store_.transact<T>("rsmd", [&](Tx &tx) -> Result<T> {
            tx.setPrincipal("rsmd");
            return fn(tx);
        });
    }
    Result<VaultRow> vaultIn(Tx &tx, const std::string &nameOrId) const;
    // The vault and its media in `state`; ERROR_INVALID_MEDIA when a barcode named is not one.
    Result<VaultHolding> vaultMediaIn(Tx &tx, const std::string &vault, VaultState state,
                                      const std::vector<std::string> &barcodes) const;
    VaultEntry vaultEntry(Tx &tx, const MediaRow &m, const MediaVault &place,
                          const std::string &vault) const;
    Result<void> setText(const Uuid &session, const Uuid &object, const char *column,
                         const std::string &text);
    // Success when no other object of `kind` that commands find by bare name (an LMID, a drive,
    // a library, a media type, a sibling pool) is called `name`; else ERROR_ALREADY_EXISTS.
    // `self` is the object being named (nil for a new one).
    Result<void> nameFree(Tx &tx, ObjectKind kind, const Uuid &self, const std::string &name) const;

    Store &store_;
    std::atomic<std::int64_t> adminGid_;  // -1: none
    const std::string cleanerPrefix_;
    const int cleanerUses_;
    const int maxQueuedRequests_;
    const bool logSessionEvents_;
    const HealthThresholds health_;
    const Clock &clock_;
};

}  // namespace rsm::engine
