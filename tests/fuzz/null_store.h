#pragma once
// NullStore: the engine's Store without a database, for the request fuzz target. Sessions are
// kept (so that session.open, the session checks and session.close work); every other table is
// empty and every write is dropped, so each verb runs its field checks and its parameter
// checks, then finds nothing. No thread, no I/O. A new Tx method must be added here (the
// compiler says so: NullTx would be abstract).
// Thread-safety: one thread at a time (libFuzzer runs one input at a time).

#include <map>

#include "src/engine/store.h"

namespace rsm::fuzz {

class NullTx : public engine::Tx {
public:
    using SessionRow = engine::SessionRow;
    explicit NullTx(std::map<Uuid, engine::SessionRow> &sessions) : sessions_(sessions) {}

    void setPrincipal(const std::string &) override {}
    std::optional<SessionRow> session(const Uuid &id) override {
        auto it = sessions_.find(id);
        return it == sessions_.end() ? std::nullopt : std::optional<SessionRow>(it->second);
    }
    std::optional<SessionRow> sessionActing(const Uuid &id) override { return session(id); }
    void insertSession(const SessionRow &row) override { sessions_[row.id] = row; }
    void cancelSessionRequests(const Uuid &, const std::string &) override {}
    void logSessionChanges() override {}
    std::int64_t purgeSessions(std::int64_t, int) override { return {}; }
    void closeSession(const Uuid &id) override {
        if (auto it = sessions_.find(id); it != sessions_.end())
            it->second.open = false;
    }
    Uuid computerId() override { return *Uuid::parse("6f2d1c3e-0000-4000-8000-00000000f022"); }
    std::uint32_t rights(std::uint32_t, const std::vector<std::uint32_t> &, ObjectKind,
                         const Uuid &) override {
        return 0;
    }
    engine::LibraryRow offlineLibrary() override {
        engine::LibraryRow row;
        row.id = *Uuid::parse("6f2d1c3e-0000-4000-8000-0000000000ff");
        row.name = "offline";
        row.kind = LibraryKind::Offline;
        return row;
    }

    engine::ServerPolicy serverPolicy() override { return {}; }
    void setServerPolicy(const engine::ServerPolicy &) override {}
    std::vector<engine::AclRow> acl(const Uuid &) override { return {}; }
    void setAcl(const engine::AclRow &) override {}
    bool deleteAcl(const Uuid &, engine::PrincipalKind, std::uint32_t) override { return {}; }
    std::optional<engine::LibraryRow> library(const Uuid &) override { return {}; }
    std::optional<engine::LibraryRow> libraryByName(const std::string &) override { return {}; }
    std::vector<engine::LibraryRow> libraries() override { return {}; }
    std::optional<engine::LibraryRow> libraryByDevice(const std::string &) override { return {}; }
    void insertLibrary(const engine::LibraryRow &) override {}
    void updateLibrary(const engine::LibraryRow &) override {}
    void setLibraryReachability(const engine::LibraryRow &) override {}
    void deleteLibrary(const Uuid &) override {}
    engine::LibraryCounts libraryCounts(const Uuid &) override { return {}; }
    std::vector<engine::MediaRow> mediaInLibrary(const Uuid &) override { return {}; }
    std::optional<engine::DriveRow> drive(const Uuid &) override { return {}; }
    std::vector<engine::DriveRow> drives(const std::optional<Uuid> &) override { return {}; }
    void insertDrive(const engine::DriveRow &) override {}
    void updateDrive(const engine::DriveRow &) override {}
    std::vector<engine::ElementRow> elements(ObjectKind, const Uuid &) override { return {}; }
    void insertElement(ObjectKind, const engine::ElementRow &) override {}
    std::optional<int> elementAddress(ObjectKind, const Uuid &) override { return {}; }
    void setDriveStates(const std::vector<std::pair<Uuid, DriveState>> &) override {}
    std::optional<engine::CleanerRow> cleaner(const Uuid &) override { return {}; }
    std::vector<engine::CleanerRow> cleaners(const Uuid &) override { return {}; }
    void setCleaners(const std::vector<engine::CleanerRow> &) override {}
    void setCleanerSlot(const Uuid &, const std::optional<Uuid> &) override {}
    void setBarcodeConflicts(const Uuid &,
                             const std::vector<engine::BarcodeConflictRow> &) override {}
    std::vector<engine::BarcodeConflictRow> barcodeConflicts(const std::optional<Uuid> &) override {
        return {};
    }
    std::optional<engine::BarcodeConflictRow> barcodeConflict(const std::string &) override {
        return {};
    }
    std::vector<engine::SideRow> sidesByLabel(const std::string &, const std::string &) override {
        return {};
    }
    void insertOperatorRequest(const engine::OperatorRequestRow &) override {}
    std::optional<engine::OperatorRequestRow> operatorRequest(const Uuid &) override { return {}; }
    std::vector<engine::OperatorRequestRow> operatorRequests(bool) override { return {}; }
    void setOperatorRequestState(const Uuid &, OperatorRequestState) override {}
    void endOperatorRequest(const Uuid &, OperatorRequestState, const std::string &) override {}
    std::vector<engine::HistoryEventRow> historyEvents(const Uuid &, bool, int) override {
        return {};
    }
    void insertMove(const engine::MoveRow &) override {}
    std::optional<engine::MoveRow> move(const Uuid &) override { return {}; }
    std::vector<engine::MoveRow> moves(const Uuid &) override { return {}; }
    void deleteMove(const Uuid &) override {}
    std::optional<engine::RequestRow> request(const Uuid &) override { return {}; }
    std::vector<engine::RequestRow> requests(const std::optional<Uuid> &, bool) override {
        return {};
    }
    std::vector<engine::RequestRow> sessionRequests(const Uuid &) override { return {}; }
    std::vector<engine::RequestRow> requestPage(const RequestFilter &) override { return {}; }
    void insertRequest(const engine::RequestRow &) override {}
    void updateRequest(const engine::RequestRow &) override {}
    std::optional<engine::RequestRow> nextQueuedRequest(const Uuid &) override { return {}; }
    std::vector<engine::EventRow> events(std::int64_t, int) override { return {}; }
    engine::ObjectStates objectSnapshot() override { return {}; }
    engine::ObjectStates objectEvents(std::int64_t, int) override { return {}; }
    std::int64_t lastEventSeq() override { return {}; }
    std::int64_t purgedThrough() override { return {}; }
    std::int64_t purgeEvents(std::int64_t, int) override { return {}; }
    std::optional<engine::MediaTypeRow> mediaType(const Uuid &) override { return {}; }
    std::optional<engine::MediaTypeRow> mediaTypeByName(const std::string &) override { return {}; }
    void insertMediaType(const engine::MediaTypeRow &) override {}
    std::vector<engine::MediaTypeRow> mediaTypes() override { return {}; }
    std::optional<engine::PoolRow> pool(const Uuid &) override { return {}; }
    std::optional<engine::PoolRow> poolLocked(const Uuid &) override { return {}; }
    std::optional<engine::PoolRow> poolChild(const std::optional<Uuid> &,
                                             const std::string &) override {
        return {};
    }
    std::optional<engine::PoolRow> systemPool(const Uuid &, PoolKind) override { return {}; }
    std::vector<engine::PoolRow> pools() override { return {}; }
    void insertPool(const engine::PoolRow &) override {}
    void updatePool(const engine::PoolRow &) override {}
    void deletePool(const Uuid &) override {}
    engine::PoolCounts poolCounts(const Uuid &) override { return {}; }
    std::int64_t poolChildCount(const Uuid &) override { return {}; }
    std::optional<engine::MediaRow> media(const Uuid &) override { return {}; }
    std::optional<engine::MediaRow> mediaLocked(const Uuid &) override { return {}; }
    std::optional<engine::MediaRow> mediaByBarcode(const std::string &) override { return {}; }
    std::vector<engine::MediaRow> mediaInPool(const Uuid &) override { return {}; }
    std::vector<engine::MediaRow> allMedia() override { return {}; }
    std::vector<engine::MediaRow> mediaMatching(const engine::MediaFilter &) override { return {}; }
    void insertMedia(const engine::MediaRow &) override {}
    void updateMedia(const engine::MediaRow &) override {}
    void setMediaPool(const Uuid &, const Uuid &) override {}
    void deleteMedia(const Uuid &) override {}
    bool mediaHasActiveRequest(const Uuid &) override { return {}; }
    std::vector<engine::MediaRow> mediaByBarcodes(const std::vector<std::string> &) override {
        return {};
    }
    void insertMediaRows(const std::vector<engine::MediaRow> &) override {}
    void updateMediaRows(const std::vector<engine::MediaRow> &) override {}
    void deleteMediaRows(const std::vector<Uuid> &) override {}
    std::optional<engine::SideRow> side(const Uuid &) override { return {}; }
    std::vector<engine::SideRow> sides(const Uuid &) override { return {}; }
    std::vector<engine::SideRow> sidesLocked(const Uuid &) override { return {}; }
    std::vector<engine::SideRow> sidesInLibrary(const Uuid &) override { return {}; }
    void insertSide(const engine::SideRow &) override {}
    void insertSideRows(const std::vector<engine::SideRow> &) override {}
    void updateSide(const engine::SideRow &) override {}
    void sideWritten(const Uuid &) override {}
    void deleteSide(const Uuid &) override {}
    std::optional<engine::SideRow> allocatableSide(const Uuid &, const std::optional<Uuid> &,
                                                   bool) override {
        return {};
    }
    std::optional<engine::LmidRow> lmid(const Uuid &) override { return {}; }
    std::optional<engine::LmidRow> lmidLocked(const Uuid &, bool) override { return {}; }
    std::optional<engine::LmidRow> lmidBySide(const Uuid &) override { return {}; }
    std::vector<engine::LmidRow> lmids() override { return {}; }
    std::vector<engine::LmidRow> lmidsInLibrary(const Uuid &) override { return {}; }
    std::vector<engine::LmidRow> lmidsByName(const std::string &) override { return {}; }
    std::vector<engine::LmidHolding> lmidHoldings(const std::vector<Uuid> &,
                                                  const std::vector<std::string> &) override {
        return {};
    }
    void insertLmid(const engine::LmidRow &) override {}
    void updateLmid(const engine::LmidRow &) override {}
    void deleteLmid(const Uuid &) override {}
    void swapLmidSides(const engine::LmidRow &, const engine::LmidRow &) override {}
    std::vector<std::pair<std::string, Uuid>> namesNear(ObjectKind, std::size_t,
                                                        std::size_t) override {
        return {};
    }
    std::int64_t insertHealthReading(const engine::HealthReadingRow &) override { return 0; }
    std::vector<engine::HealthReadingRow> healthReadings(const Uuid &, bool, int) override {
        return {};
    }
    std::optional<engine::VaultRow> vault(const Uuid &) override { return {}; }
    std::optional<engine::VaultRow> vaultByName(const std::string &) override { return {}; }
    std::vector<engine::VaultRow> vaults() override { return {}; }
    void insertVault(const engine::VaultRow &) override {}
    void deleteVault(const Uuid &) override {}
    std::vector<engine::VaultedMedia> vaultedMedia(const std::optional<Uuid> &) override {
        return {};
    }
    engine::MediaVault mediaVault(const Uuid &) override { return {}; }
    void setMediaVault(const Uuid &, const engine::MediaVault &) override {}
    void insertVaultRound(const Uuid &, const std::vector<Uuid> &) override {}
    std::vector<engine::VaultRoundMedia> openVaultRounds() override { return {}; }
    std::vector<engine::RecentMedia> recentMedia(std::int64_t) override { return {}; }
    std::optional<std::string> suspect(ObjectKind, const Uuid &) override { return {}; }
    bool setSuspect(ObjectKind, const Uuid &, const std::optional<std::string> &) override {
        return false;
    }
    std::optional<ObjectKind> objectKind(const Uuid &) override { return {}; }
    bool setObjectText(ObjectKind, const Uuid &, const std::string &,
                       const std::string &) override {
        return {};
    }
    std::optional<engine::AttributeRow> attribute(const Uuid &, const std::string &) override {
        return {};
    }
    std::vector<engine::AttributeRow> attributes(const Uuid &) override { return {}; }
    void setAttribute(const engine::AttributeRow &) override {}
    bool deleteAttribute(const Uuid &, const std::string &) override { return {}; }

    engine::PoolPolicy poolPolicy(const Uuid &) override { return {}; }
    void setPoolPolicy(const Uuid &, const engine::PoolPolicy &) override {}
    std::optional<Uuid> poolLowRequest(const Uuid &) override { return {}; }
    void setPoolLowRequest(const Uuid &, const std::optional<Uuid> &,
                           std::optional<std::int64_t>) override {}
    std::vector<Uuid> poolsWithPolicy() override { return {}; }
    std::optional<std::int64_t> lastAllocation(const Uuid &) override { return {}; }
    engine::MediaLifeRow mediaLife(const Uuid &) override { return {}; }
    void setMediaLife(const Uuid &, engine::MediaLife) override {}
    void setMediaWorm(const Uuid &) override {}
    std::vector<engine::RetentionRow> retentionSides(const engine::RetentionFilter &) override {
        return {};
    }

private:
    std::map<Uuid, engine::SessionRow> &sessions_;
};

class NullStore : public engine::Store {
public:
    void reset() { sessions_.clear(); }

protected:
    Result<void> run(const std::string &, const std::function<Result<void>(engine::Tx &)> &fn,
                     engine::Isolation) override {
        NullTx tx(sessions_);
        return fn(tx);
    }

private:
    std::map<Uuid, engine::SessionRow> sessions_;
};

}  // namespace rsm::fuzz
