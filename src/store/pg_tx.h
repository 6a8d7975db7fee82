#pragma once
// PgTx: engine::Tx over one open libpqxx transaction. Every call is one parameterised,
// prepared statement (registered on the connection on first use, kept for the connection's
// life); values never become SQL text. Database failures are thrown as libpqxx exceptions and
// turned into RSM errors by PgStore::run, the only place that catches them.
// Thread-safety: belongs to the thread running the transaction.

#include <pqxx/transaction_base>

#include "src/engine/store.h"

namespace rsm::store {

class PgTx : public engine::Tx {
public:
    explicit PgTx(pqxx::transaction_base &tx) : tx_(tx) {}
    PgTx(const PgTx &) = delete;
    PgTx &operator=(const PgTx &) = delete;

    void setPrincipal(const std::string &principal) override;

    std::optional<engine::SessionRow> session(const Uuid &id) override;
    std::optional<engine::SessionRow> sessionActing(const Uuid &id) override;
    void insertSession(const engine::SessionRow &row) override;
    void closeSession(const Uuid &id) override;
    void cancelSessionRequests(const Uuid &session, const std::string &message) override;
    void logSessionChanges() override;
    std::int64_t purgeSessions(std::int64_t keepSeconds, int maxRows) override;

    Uuid computerId() override;
    engine::ServerPolicy serverPolicy() override;
    void setServerPolicy(const engine::ServerPolicy &policy) override;
    std::uint32_t rights(std::uint32_t uid, const std::vector<std::uint32_t> &gids, ObjectKind kind,
                         const Uuid &objectId) override;
    std::vector<engine::AclRow> acl(const Uuid &objectId) override;
    void setAcl(const engine::AclRow &row) override;
    bool deleteAcl(const Uuid &objectId, engine::PrincipalKind kind, std::uint32_t id) override;

    std::optional<engine::LibraryRow> library(const Uuid &id) override;
    std::optional<engine::LibraryRow> libraryByName(const std::string &name) override;
    engine::LibraryRow offlineLibrary() override;
    std::vector<engine::LibraryRow> libraries() override;
    std::optional<engine::LibraryRow> libraryByDevice(const std::string &device) override;
    void insertLibrary(const engine::LibraryRow &row) override;
    void updateLibrary(const engine::LibraryRow &row) override;
    void setLibraryReachability(const engine::LibraryRow &row) override;
    void deleteLibrary(const Uuid &id) override;
    engine::LibraryCounts libraryCounts(const Uuid &id) override;
    std::vector<engine::MediaRow> mediaInLibrary(const Uuid &id) override;

    std::optional<engine::DriveRow> drive(const Uuid &id) override;
    std::vector<engine::DriveRow> drives(const std::optional<Uuid> &library) override;
    void insertDrive(const engine::DriveRow &row) override;
    void updateDrive(const engine::DriveRow &row) override;
    std::vector<engine::ElementRow> elements(ObjectKind kind, const Uuid &library) override;
    void insertElement(ObjectKind kind, const engine::ElementRow &row) override;
    std::optional<int> elementAddress(ObjectKind kind, const Uuid &id) override;
    void setDriveStates(const std::vector<std::pair<Uuid, DriveState>> &states) override;

    std::optional<engine::CleanerRow> cleaner(const Uuid &media) override;
    std::vector<engine::CleanerRow> cleaners(const Uuid &library) override;
    void setCleaners(const std::vector<engine::CleanerRow> &rows) override;
    void setCleanerSlot(const Uuid &library, const std::optional<Uuid> &slot) override;
    void setBarcodeConflicts(const Uuid &library,
                             const std::vector<engine::BarcodeConflictRow> &rows) override;
    std::vector<engine::BarcodeConflictRow> barcodeConflicts(
        const std::optional<Uuid> &library) override;
    std::optional<engine::BarcodeConflictRow> barcodeConflict(const std::string &barcode) override;
    std::vector<engine::SideRow> sidesByLabel(const std::string &type,
                                              const std::string &id) override;
    void insertOperatorRequest(const engine::OperatorRequestRow &row) override;
    std::optional<engine::OperatorRequestRow> operatorRequest(const Uuid &id) override;
    std::vector<engine::OperatorRequestRow> operatorRequests(bool unfinishedOnly) override;
    void setOperatorRequestState(const Uuid &id, OperatorRequestState state) override;
    void endOperatorRequest(const Uuid &id, OperatorRequestState state,
                            const std::string &note) override;
    std::vector<engine::HistoryEventRow> historyEvents(const Uuid &object, bool drive,
                                                       int limit) override;
    void insertMove(const engine::MoveRow &row) override;
    std::optional<engine::MoveRow> move(const Uuid &id) override;
    std::vector<engine::MoveRow> moves(const Uuid &library) override;
    void deleteMove(const Uuid &id) override;

    std::optional<engine::RequestRow> request(const Uuid &id) override;
    std::vector<engine::RequestRow> requests(const std::optional<Uuid> &library,
                                             bool unfinishedOnly) override;
    std::vector<engine::RequestRow> sessionRequests(const Uuid &session) override;
    std::vector<engine::RequestRow> requestPage(const RequestFilter &filter) override;
    void insertRequest(const engine::RequestRow &row) override;
    void updateRequest(const engine::RequestRow &row) override;
    std::optional<engine::RequestRow> nextQueuedRequest(const Uuid &library) override;

    std::vector<engine::EventRow> events(std::int64_t after, int limit) override;
    engine::ObjectStates objectSnapshot() override;
    engine::ObjectStates objectEvents(std::int64_t after, int limit) override;
    std::int64_t lastEventSeq() override;
    std::int64_t purgedThrough() override;
    std::int64_t purgeEvents(std::int64_t keepSeconds, int maxRows) override;

    std::optional<engine::MediaTypeRow> mediaType(const Uuid &id) override;
    std::optional<engine::MediaTypeRow> mediaTypeByName(const std::string &name) override;
    void insertMediaType(const engine::MediaTypeRow &row) override;
    std::vector<engine::MediaTypeRow> mediaTypes() override;

    std::optional<engine::PoolRow> pool(const Uuid &id) override;
    std::optional<engine::PoolRow> poolLocked(const Uuid &id) override;
    std::optional<engine::PoolRow> poolChild(const std::optional<Uuid> &parent,
                                             const std::string &name) override;
    std::optional<engine::PoolRow> systemPool(const Uuid &mediaTypeId, PoolKind kind) override;
    std::vector<engine::PoolRow> pools() override;
    void insertPool(const engine::PoolRow &row) override;
    void updatePool(const engine::PoolRow &row) override;
    void deletePool(const Uuid &id) override;
    engine::PoolCounts poolCounts(const Uuid &id) override;
    std::int64_t poolChildCount(const Uuid &id) override;

    std::optional<engine::MediaRow> media(const Uuid &id) override;
    std::optional<engine::MediaRow> mediaLocked(const Uuid &id) override;
    std::optional<engine::MediaRow> mediaByBarcode(const std::string &barcode) override;
    std::vector<engine::MediaRow> mediaInPool(const Uuid &poolId) override;
    std::vector<engine::MediaRow> allMedia() override;
    std::vector<engine::MediaRow> mediaMatching(const engine::MediaFilter &filter) override;
    void insertMedia(const engine::MediaRow &row) override;
    void updateMedia(const engine::MediaRow &row) override;
    void setMediaPool(const Uuid &mediaId, const Uuid &poolId) override;
    void deleteMedia(const Uuid &id) override;
    bool mediaHasActiveRequest(const Uuid &mediaId) override;
    std::vector<engine::MediaRow> mediaByBarcodes(
        const std::vector<std::string> &barcodes) override;
    void insertMediaRows(const std::vector<engine::MediaRow> &rows) override;
    void updateMediaRows(const std::vector<engine::MediaRow> &rows) override;
    void deleteMediaRows(const std::vector<Uuid> &ids) override;

    std::optional<engine::SideRow> side(const Uuid &id) override;
    std::vector<engine::SideRow> sides(const Uuid &mediaId) override;
    std::vector<engine::SideRow> sidesLocked(const Uuid &mediaId) override;
    std::vector<engine::SideRow> sidesInLibrary(const Uuid &library) override;
    void insertSide(const engine::SideRow &row) override;
    void insertSideRows(const std::vector<engine::SideRow> &rows) override;
    void updateSide(const engine::SideRow &row) override;
    void sideWritten(const Uuid &side) override;
    void deleteSide(const Uuid &id) override;
    std::optional<engine::SideRow> allocatableSide(const Uuid &poolId,
                                                   const std::optional<Uuid> &freePool,
                                                   bool neverAllocated) override;

    std::optional<engine::LmidRow> lmid(const Uuid &id) override;
    std::optional<engine::LmidRow> lmidLocked(const Uuid &id, bool forUpdate) override;
    std::optional<engine::LmidRow> lmidBySide(const Uuid &sideId) override;
    std::vector<engine::LmidRow> lmids() override;
    std::vector<engine::LmidRow> lmidsInLibrary(const Uuid &library) override;
    std::vector<engine::LmidRow> lmidsByName(const std::string &name) override;
    std::vector<engine::LmidHolding> lmidHoldings(const std::vector<Uuid> &ids,
                                                  const std::vector<std::string> &names) override;
    void insertLmid(const engine::LmidRow &row) override;
    void updateLmid(const engine::LmidRow &row) override;
    void deleteLmid(const Uuid &id) override;
    void swapLmidSides(const engine::LmidRow &a, const engine::LmidRow &b) override;
    std::vector<std::pair<std::string, Uuid>> namesNear(ObjectKind kind, std::size_t shortest,
                                                        std::size_t longest) override;

    std::int64_t insertHealthReading(const engine::HealthReadingRow &row) override;
    std::vector<engine::HealthReadingRow> healthReadings(const Uuid &object, bool drive,
                                                         int limit) override;
    std::optional<engine::VaultRow> vault(const Uuid &id) override;
    std::optional<engine::VaultRow> vaultByName(const std::string &name) override;
    std::vector<engine::VaultRow> vaults() override;
    void insertVault(const engine::VaultRow &row) override;
    void deleteVault(const Uuid &id) override;
    std::vector<engine::VaultedMedia> vaultedMedia(const std::optional<Uuid> &vault) override;
    engine::MediaVault mediaVault(const Uuid &media) override;
    void setMediaVault(const Uuid &media, const engine::MediaVault &place) override;
    void insertVaultRound(const Uuid &request, const std::vector<Uuid> &media) override;
    std::vector<engine::VaultRoundMedia> openVaultRounds() override;
    std::vector<engine::RecentMedia> recentMedia(std::int64_t since) override;

    std::optional<std::string> suspect(ObjectKind kind, const Uuid &id) override;
    bool setSuspect(ObjectKind kind, const Uuid &id,
                    const std::optional<std::string> &reason) override;

    engine::PoolPolicy poolPolicy(const Uuid &pool) override;
    void setPoolPolicy(const Uuid &pool, const engine::PoolPolicy &policy) override;
    std::optional<Uuid> poolLowRequest(const Uuid &pool) override;
    void setPoolLowRequest(const Uuid &pool, const std::optional<Uuid> &request,
                           std::optional<std::int64_t> free) override;
    std::vector<Uuid> poolsWithPolicy() override;
    std::optional<std::int64_t> lastAllocation(const Uuid &pool) override;
    engine::MediaLifeRow mediaLife(const Uuid &media) override;
    void setMediaLife(const Uuid &media, engine::MediaLife life) override;
    void setMediaWorm(const Uuid &media) override;
    std::vector<engine::RetentionRow> retentionSides(
        const engine::RetentionFilter &filter) override;

    std::optional<ObjectKind> objectKind(const Uuid &id) override;
    bool setObjectText(ObjectKind kind, const Uuid &id, const std::string &column,
                       const std::string &value) override;
    std::optional<engine::AttributeRow> attribute(const Uuid &objectId,
                                                  const std::string &name) override;
    std::vector<engine::AttributeRow> attributes(const Uuid &objectId) override;
    void setAttribute(const engine::AttributeRow &row) override;
    bool deleteAttribute(const Uuid &objectId, const std::string &name) override;

private:
    // Runs the statement prepared under `name` (defining it on this connection first if
    // needed).
    template <typename... Args>
    pqxx::result exec(const char *name, const char *sql, Args &&...args) {
        tx_.conn().prepare(name, sql);
        return tx_.exec_prepared(name, std::forward<Args>(args)...);
    }

    // The same for a statement whose text depends on how many keys it takes (one per
    // parameter, all text).
    pqxx::result execKeys(const std::string &name, const std::string &sql,
                          const std::vector<std::string> &keys) {
        tx_.conn().prepare(name, sql);
        return tx_.exec_prepared(name, pqxx::prepare::make_dynamic_params(keys));
    }

    pqxx::transaction_base &tx_;
};

}  // namespace rsm::store
