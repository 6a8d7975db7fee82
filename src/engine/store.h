#pragma once
// Store and Tx: the engine's only view of the database. The engine states its rules in terms
// of these typed calls; it never sees SQL. The PostgreSQL implementation is src/store/.
//
// Store::transact runs a function in one SERIALIZABLE transaction (or, when asked, READ
// COMMITTED: for operations that lock every row they depend on, see Isolation). It commits
// when the function returns success and rolls back when it returns an Error, so a failed
// operation changes nothing. Serialization failures and deadlocks are retried. Failures of the
// database itself are thrown by Tx calls and turned into RSM codes at the store's boundary
// (DATABASE_FAILURE, DATABASE_FULL, NOT_ENOUGH_MEMORY); nothing else catches them.
// Thread-safety: a Store may be used from many threads at once (each transact uses its own
// connection); a Tx belongs to the thread running the transaction.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "rsm/error.h"
#include "src/engine/health.h"
#include "src/engine/lifecycle.h"
#include "src/engine/object_state.h"
#include "src/engine/rows.h"
#include "src/engine/vault.h"

namespace rsm::engine {

class Tx {
public:
    virtual ~Tx() = default;

    // Who makes this transaction's changes, for the event log ("uid:1000").
    virtual void setPrincipal(const std::string &principal) = 0;

    // sessions
    virtual std::optional<SessionRow> session(const Uuid &id) = 0;
    // The same, and the session's user becomes this transaction's principal (as setPrincipal
    // with Principal::toString(), "uid:1000"), in one round trip: how every caller's
    // transaction starts.
    virtual std::optional<SessionRow> sessionActing(const Uuid &id) = 0;
    virtual void insertSession(const SessionRow &row) = 0;
    virtual void closeSession(const Uuid &id) = 0;
    // Its QUEUED and WAITING library requests become CANCELLED with this message, at once.
    virtual void cancelSessionRequests(const Uuid &session, const std::string &message) = 0;
    // This transaction's session changes go to the event log (they are not logged otherwise).
    virtual void logSessionChanges() = 0;
    // Deletes up to maxRows sessions closed more than keepSeconds ago; how many it deleted.
    virtual std::int64_t purgeSessions(std::int64_t keepSeconds, int maxRows) = 0;

    // access control
    virtual Uuid computerId() = 0;
    virtual ServerPolicy serverPolicy() = 0;
    virtual void setServerPolicy(const ServerPolicy &policy) = 0;
    // The union of the rights granted on the object to the uid and to each of the gids.
    virtual std::uint32_t rights(std::uint32_t uid, const std::vector<std::uint32_t> &gids,
                                 ObjectKind kind, const Uuid &objectId) = 0;
    virtual std::vector<AclRow> acl(const Uuid &objectId) = 0;
    virtual void setAcl(const AclRow &row) = 0;  // insert or replace the principal's entry
    virtual bool deleteAcl(const Uuid &objectId, PrincipalKind kind, std::uint32_t id) = 0;

    // libraries
    virtual std::optional<LibraryRow> library(const Uuid &id) = 0;
    virtual std::optional<LibraryRow> libraryByName(const std::string &name) = 0;
    virtual LibraryRow offlineLibrary() = 0;
    virtual std::vector<LibraryRow> libraries() = 0;
    virtual std::optional<LibraryRow> libraryByDevice(const std::string &device) = 0;
    virtual void insertLibrary(const LibraryRow &row) = 0;
    virtual void updateLibrary(const LibraryRow &row) = 0;  // name, description, device, enabled…
    // The robot's reachability columns only (unreachableSince, robotError, reachableSince).
    virtual void setLibraryReachability(const LibraryRow &row) = 0;
    virtual void deleteLibrary(const Uuid &id) = 0;  // its drives, slots, ports go too
    virtual LibraryCounts libraryCounts(const Uuid &id) = 0;
    virtual std::vector<MediaRow> mediaInLibrary(const Uuid &id) = 0;

    // drives, and the other elements of a library (kind: Slot, IePort or Changer)
    virtual std::optional<DriveRow> drive(const Uuid &id) = 0;
    virtual std::vector<DriveRow> drives(const std::optional<Uuid> &library) = 0;
    virtual void insertDrive(const DriveRow &row) = 0;
    virtual void updateDrive(const DriveRow &row) = 0;
    virtual std::vector<ElementRow> elements(ObjectKind kind, const Uuid &library) = 0;
    virtual void insertElement(ObjectKind kind, const ElementRow &row) = 0;
    virtual std::optional<int> elementAddress(ObjectKind kind, const Uuid &id) = 0;
    // The state of each named drive, in one statement.
    virtual void setDriveStates(const std::vector<std::pair<Uuid, DriveState>> &states) = 0;

    // cleaner cartridges (schema/005_cleaning.sql)
    virtual std::optional<CleanerRow> cleaner(const Uuid &media) = 0;
    // The cleaners in the library, those in its reserved slot first, then by barcode.
    virtual std::vector<CleanerRow> cleaners(const Uuid &library) = 0;
    // Inserts or updates each row, in one statement.
    virtual void setCleaners(const std::vector<CleanerRow> &rows) = 0;
    // Reserves this slot of the library for its cleaner (none: releases the reserved one).
    virtual void setCleanerSlot(const Uuid &library, const std::optional<Uuid> &slot) = 0;

    // barcodes reported in more than one element (schema/009_barcode_conflicts.sql)
    // The library's conflicts become these (an inventory's finding), in two statements.
    virtual void setBarcodeConflicts(const Uuid &library,
                                     const std::vector<BarcodeConflictRow> &rows) = 0;
    // Those of a library (or of every library), by barcode.
    virtual std::vector<BarcodeConflictRow> barcodeConflicts(
        const std::optional<Uuid> &library) = 0;
    virtual std::optional<BarcodeConflictRow> barcodeConflict(const std::string &barcode) = 0;

    // The sides whose label says this type and id (a label read by a full inventory).
    virtual std::vector<SideRow> sidesByLabel(const std::string &type, const std::string &id) = 0;

    // operator requests
    virtual void insertOperatorRequest(const OperatorRequestRow &row) = 0;
    virtual std::optional<OperatorRequestRow> operatorRequest(const Uuid &id) = 0;
    // Unanswered ones only when `unfinishedOnly`; oldest first.
    virtual std::vector<OperatorRequestRow> operatorRequests(bool unfinishedOnly) = 0;
    virtual void setOperatorRequestState(const Uuid &id, OperatorRequestState state) = 0;
    // The same, `note` added to its message (which keeps its first 1,024 characters).
    virtual void endOperatorRequest(const Uuid &id, OperatorRequestState state,
                                    const std::string &note) = 0;

    // robot moves rsmd intends (see schema/003_robot.sql)
    virtual void insertMove(const MoveRow &row) = 0;
    virtual std::optional<MoveRow> move(const Uuid &id) = 0;
    virtual std::vector<MoveRow> moves(const Uuid &library) = 0;
    virtual void deleteMove(const Uuid &id) = 0;

    // library requests
    virtual std::optional<RequestRow> request(const Uuid &id) = 0;
    // Unfinished (queued, in process, waiting, deferred) only when `unfinishedOnly`.
    virtual std::vector<RequestRow> requests(const std::optional<Uuid> &library,
                                             bool unfinishedOnly) = 0;
    virtual std::vector<RequestRow> sessionRequests(const Uuid &session) = 0;  // unfinished
    virtual void insertRequest(const RequestRow &row) = 0;
    // State, error and message; the start and finish times follow the state.
    virtual void updateRequest(const RequestRow &row) = 0;
    // The queued request of the library to run next (highest priority, then oldest), locked.
    // A page of library requests, newest first, without their results (NULL): of `library`
    // (any when none), unfinished ones only when `unfinishedOnly`, of the libraries in
    // `visible` or of `session` when `visible` is given, created before the request `before`.
    struct RequestFilter {
        std::optional<Uuid> library;
        bool unfinishedOnly = true;
        // With `visible`: only requests of these libraries, or of a session of `ownerUid`
        // (a user sees their own requests, whichever rsmctl command's session queued them).
        std::optional<std::vector<Uuid>> visible;
        std::optional<std::uint32_t> ownerUid;
        std::optional<Uuid> before;
        int limit = 100;
    };
    virtual std::vector<RequestRow> requestPage(const RequestFilter &filter) = 0;
    // The next QUEUED request of the library by priority, of an open session or of none.
    virtual std::optional<RequestRow> nextQueuedRequest(const Uuid &library) = 0;

    // the event log
    virtual std::vector<EventRow> events(std::int64_t after, int limit) = 0;
    // The events of an object's own rows and of the library requests that named it (its
    // media_id, or its drive_id when `drive`), newest first, at most `limit`.
    virtual std::vector<HistoryEventRow> historyEvents(const Uuid &object, bool drive,
                                                       int limit) = 0;
    virtual std::int64_t lastEventSeq() = 0;
    // The last sequence number the retention purged (0: none was).
    virtual std::int64_t purgedThrough() = 0;
    // Deletes up to maxRows events older than keepSeconds, oldest first; how many it deleted.
    virtual std::int64_t purgeEvents(std::int64_t keepSeconds, int maxRows) = 0;
    // The metrics' view (object_state.h): every library, drive, slot, I/E port, pool, medium,
    // side and open request as it is now; then the events of those kinds after `after`, at
    // most `limit`, with the position to read from next.
    virtual ObjectStates objectSnapshot() = 0;
    virtual ObjectStates objectEvents(std::int64_t after, int limit) = 0;

    // media types
    virtual std::optional<MediaTypeRow> mediaType(const Uuid &id) = 0;
    // mediaTypeByName: whatever the case of `name` ("lto-5" finds LTO-5).
    virtual std::optional<MediaTypeRow> mediaTypeByName(const std::string &name) = 0;
    virtual void insertMediaType(const MediaTypeRow &row) = 0;
    virtual std::vector<MediaTypeRow> mediaTypes() = 0;

    // pools
    virtual std::optional<PoolRow> pool(const Uuid &id) = 0;
    // The same, the row locked FOR UPDATE: a READ COMMITTED deletion of the pool, which no
    // medium can then come to reference until it ends (schema 21 keeps that key).
    virtual std::optional<PoolRow> poolLocked(const Uuid &id) = 0;
    virtual std::optional<PoolRow> poolChild(const std::optional<Uuid> &parent,
                                             const std::string &name) = 0;
    virtual std::optional<PoolRow> systemPool(const Uuid &mediaTypeId, PoolKind kind) = 0;
    virtual std::vector<PoolRow> pools() = 0;
    virtual void insertPool(const PoolRow &row) = 0;
    virtual void updatePool(const PoolRow &row) = 0;
    virtual void deletePool(const Uuid &id) = 0;
    virtual PoolCounts poolCounts(const Uuid &id) = 0;
    virtual std::int64_t poolChildCount(const Uuid &id) = 0;

    // physical media and sides
    virtual std::optional<MediaRow> media(const Uuid &id) = 0;
    // The same, the row locked FOR UPDATE (READ COMMITTED operations that change a medium
    // after reading its sides: Engine::deallocate).
    virtual std::optional<MediaRow> mediaLocked(const Uuid &id) = 0;
    virtual std::optional<MediaRow> mediaByBarcode(const std::string &barcode) = 0;
    virtual std::vector<MediaRow> mediaInPool(const Uuid &poolId) = 0;
    virtual std::vector<MediaRow> allMedia() = 0;
    // The media the filter selects, by barcode (one statement).
    virtual std::vector<MediaRow> mediaMatching(const MediaFilter &filter) = 0;
    virtual void insertMedia(const MediaRow &row) = 0;
    virtual void updateMedia(const MediaRow &row) = 0;
    // Moves a medium to another pool: the one column written, so that none of the triggers on
    // the medium's type or location runs (an allocation or deallocation through the FREE pool).
    virtual void setMediaPool(const Uuid &mediaId, const Uuid &poolId) = 0;
    virtual void deleteMedia(const Uuid &id) = 0;
    // True when a library request that is not finished names the medium.
    virtual bool mediaHasActiveRequest(const Uuid &mediaId) = 0;
    // Many media at once (an inventory), each call one statement whatever the number of rows:
    // the media of those barcodes that name one; insertMedia and updateMedia for every row.
    // The schema allows one medium per slot, drive or port after each row, so no row of one
    // updateMediaRows call may take an element that another row of the same call gives up.
    virtual std::vector<MediaRow> mediaByBarcodes(const std::vector<std::string> &barcodes) = 0;
    virtual void insertMediaRows(const std::vector<MediaRow> &rows) = 0;
    virtual void updateMediaRows(const std::vector<MediaRow> &rows) = 0;
    // Deletes the media and their sides (and cleaner rows), in two statements; none may have
    // an LMID.
    virtual void deleteMediaRows(const std::vector<Uuid> &ids) = 0;

    virtual std::optional<SideRow> side(const Uuid &id) = 0;
    virtual std::vector<SideRow> sides(const Uuid &mediaId) = 0;
    // The same, the rows locked FOR UPDATE.
    virtual std::vector<SideRow> sidesLocked(const Uuid &mediaId) = 0;
    // The sides of the media a library holds (one statement).
    virtual std::vector<SideRow> sidesInLibrary(const Uuid &library) = 0;
    virtual void insertSide(const SideRow &row) = 0;
    virtual void insertSideRows(const std::vector<SideRow> &rows) = 0;  // one statement
    // Also keeps the side's times (schema/015) in step, in the same statement: completed is
    // stamped when the state becomes COMPLETE and cleared when it leaves it; lastMounted is
    // stamped when mountCount grows. The row's own time fields are not written.
    virtual void updateSide(const SideRow &row) = 0;
    // The side was written to: a mount made for writing ended now (its last_written).
    virtual void sideWritten(const Uuid &side) = 0;
    virtual void deleteSide(const Uuid &id) = 0;
    // An AVAILABLE side of an enabled, idle medium in the pool, or in `freePool` when one is
    // given (one statement): never-allocated sides only when `neverAllocated`; RSM's order is
    // media in online libraries first, then the pool's own before the FREE pool's, then the
    // least allocated. Locks the side and its medium (FOR UPDATE), passing over those another
    // transaction holds (SKIP LOCKED): allocations at once take different sides.
    virtual std::optional<SideRow> allocatableSide(const Uuid &poolId,
                                                   const std::optional<Uuid> &freePool,
                                                   bool neverAllocated) = 0;

    // logical media
    virtual std::optional<LmidRow> lmid(const Uuid &id) = 0;
    // The same, locking the row (FOR SHARE; FOR UPDATE when `forUpdate`) until the transaction
    // ends: for an operation that acts on the LMID's side (see Isolation).
    virtual std::optional<LmidRow> lmidLocked(const Uuid &id, bool forUpdate) = 0;
    virtual std::optional<LmidRow> lmidBySide(const Uuid &sideId) = 0;
    virtual std::vector<LmidRow> lmids() = 0;
    // The LMIDs of the sides of the media a library holds (one statement).
    virtual std::vector<LmidRow> lmidsInLibrary(const Uuid &library) = 0;
    virtual std::vector<LmidRow> lmidsByName(const std::string &name) = 0;
    // The LMIDs with one of these ids or (non-empty) names, each with what holds it, by id: one
    // statement, which locks the LMIDs (FOR UPDATE) and their sides and media (FOR SHARE).
    virtual std::vector<LmidHolding> lmidHoldings(const std::vector<Uuid> &ids,
                                                  const std::vector<std::string> &names) = 0;
    virtual void insertLmid(const LmidRow &row) = 0;
    virtual void updateLmid(const LmidRow &row) = 0;
    virtual void deleteLmid(const Uuid &id) = 0;
    // Points two LMIDs, as this transaction read them (locked), at each other's sides, in one
    // statement (which stamps their allocated time); changes nothing unless both still point
    // at the sides read.
    virtual void swapLmidSides(const LmidRow &a, const LmidRow &b) = 0;

    // Names a mistyped one may be a typo of ("did you mean"), read on the failure path only:
    // the non-empty names of LMIDs (kind LogicalMedia) or the barcodes of media (PhysicalMedia)
    // of `shortest` to `longest` bytes, each with the pool it is in; at most 10,000.
    virtual std::vector<std::pair<std::string, Uuid>> namesNear(ObjectKind kind,
                                                                std::size_t shortest,
                                                                std::size_t longest) = 0;

    // health readings and the suspect flags (schema/016_health.sql)
    // Keeps a reading (its id and taken time are the store's); returns its id.
    virtual std::int64_t insertHealthReading(const HealthReadingRow &row) = 0;
    // The readings of a medium, or of a drive when `drive`, newest first, at most `limit`.
    virtual std::vector<HealthReadingRow> healthReadings(const Uuid &object, bool drive,
                                                         int limit) = 0;
    // A medium's (kind PhysicalMedia) or drive's (Drive) suspect flag: its reason when raised.
    virtual std::optional<std::string> suspect(ObjectKind kind, const Uuid &id) = 0;
    // Raises the flag with this reason, or clears it (none); false when there is no such row.
    virtual bool setSuspect(ObjectKind kind, const Uuid &id,
                            const std::optional<std::string> &reason) = 0;

    // vaults and the media in a rotation (schema/018_vaults.sql)
    virtual std::optional<VaultRow> vault(const Uuid &id) = 0;
    virtual std::optional<VaultRow> vaultByName(const std::string &name) = 0;
    virtual std::vector<VaultRow> vaults() = 0;  // by name
    virtual void insertVault(const VaultRow &row) = 0;
    virtual void deleteVault(const Uuid &id) = 0;
    // The media in a rotation: of one vault, or of any; by barcode.
    virtual std::vector<VaultedMedia> vaultedMedia(const std::optional<Uuid> &vault) = 0;
    // A medium's rotation (none: it is in none).
    virtual MediaVault mediaVault(const Uuid &media) = 0;
    // Sets a medium's rotation columns (a MediaVault without a vault clears them).
    virtual void setMediaVault(const Uuid &media, const MediaVault &place) = 0;
    // Links the cartridges of a send's round to the round's operator request (vault_round).
    virtual void insertVaultRound(const Uuid &request, const std::vector<Uuid> &media) = 0;
    // The cartridges of the rounds whose operator request is unfinished, by request.
    virtual std::vector<VaultRoundMedia> openVaultRounds() = 0;
    // The media of application pools with a side completed or last written at or after
    // `since` (Unix s), with whether each is offsite (in transit out or in a vault).
    virtual std::vector<RecentMedia> recentMedia(std::int64_t since) = 0;
    // the life of media (schema/017_lifecycle.sql)
    virtual PoolPolicy poolPolicy(const Uuid &pool) = 0;
    virtual void setPoolPolicy(const Uuid &pool, const PoolPolicy &policy) = 0;
    // The operator request posted when the pool's free media fell below its low mark.
    virtual std::optional<Uuid> poolLowRequest(const Uuid &pool) = 0;
    // With the free media counted when it was posted (none with no request).
    virtual void setPoolLowRequest(const Uuid &pool, const std::optional<Uuid> &request,
                                   std::optional<std::int64_t> free) = 0;
    // The pools with a retention or a water mark, by id.
    virtual std::vector<Uuid> poolsWithPolicy() = 0;
    // When the pool last allocated a side (its newest LMID's allocated time), Unix seconds.
    virtual std::optional<std::int64_t> lastAllocation(const Uuid &pool) = 0;
    virtual MediaLifeRow mediaLife(const Uuid &media) = 0;
    virtual void setMediaLife(const Uuid &media, MediaLife life) = 0;
    virtual void setMediaWorm(const Uuid &media) = 0;  // a drive reported it WORM
    // The sides with a retention (RetentionRow) the filter selects, by the end of their
    // retention (one statement).
    virtual std::vector<RetentionRow> retentionSides(const RetentionFilter &filter) = 0;

    // any object
    virtual std::optional<ObjectKind> objectKind(const Uuid &id) = 0;
    virtual bool setObjectText(ObjectKind kind, const Uuid &id, const std::string &column,
                               const std::string &value) = 0;  // column: name or description
    virtual std::optional<AttributeRow> attribute(const Uuid &objectId,
                                                  const std::string &name) = 0;
    virtual std::vector<AttributeRow> attributes(const Uuid &objectId) = 0;
    virtual void setAttribute(const AttributeRow &row) = 0;
    virtual bool deleteAttribute(const Uuid &objectId, const std::string &name) = 0;
};

// SERIALIZABLE: PostgreSQL finds the conflicts. READ COMMITTED: the operation takes row locks
// on what it reads and acts on (Tx methods that say "locks"), in one order (LMIDs, then their
// sides and media, each by id), and every SERIALIZABLE operation that acts on an LMID's side
// locks the LMID's row (Tx::lmidLocked), so that it waits for, or fails and is retried after,
// a READ COMMITTED operation that changes it.
enum class Isolation { Serializable, ReadCommitted };

class Store {
public:
    virtual ~Store() = default;

    // `principal` names who makes the change in the event log ("uid:1000"); empty: `fn` names
    // it (Tx::setPrincipal) before it writes anything.
    template <typename T>
    Result<T> transact(const std::string &principal, const std::function<Result<T>(Tx &)> &fn,
                       Isolation isolation = Isolation::Serializable) {
        std::optional<Result<T>> out;
        Result<void> r = run(
            principal,
            [&](Tx &tx) -> Result<void> {
                out.emplace(fn(tx));
                if (!out->ok())
                    return out->error();
                return success();
            },
            isolation);
        if (!r.ok())
            return r.error();
        return std::move(*out);
    }

    Result<void> transact(const std::string &principal, const std::function<Result<void>(Tx &)> &fn,
                          Isolation isolation = Isolation::Serializable) {
        return run(principal, fn, isolation);
    }

protected:
    virtual Result<void> run(const std::string &principal,
                             const std::function<Result<void>(Tx &)> &fn, Isolation isolation) = 0;
};

}  // namespace rsm::engine
