#pragma once
// PgStore: engine::Store on PostgreSQL through libpqxx. Each transact runs the engine's
// function in one SERIALIZABLE transaction on a pooled connection, with rsm.principal set for
// the event log; it commits on success, rolls back on an Error, and runs again after a
// serialization failure or deadlock. Every exception is caught here (and in open()) and turned
// into an RSM error by error_map; a connection found broken is dropped, and the next
// operation connects afresh, so rsm survives a database restart.
// Thread-safety: a PgStore may be used from many threads at once; at most poolSize
// transactions run together, the others wait for a connection.

#include <atomic>
#include <condition_variable>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <pqxx/connection>

#include "src/engine/store.h"

namespace rsm::store {

struct PgStoreOptions {
    std::filesystem::path schemaDir;  // the migrations (schema/ of the source tree)
    int poolSize = 8;
    int maxRetries = 20;  // runs again after a serialization failure or deadlock
    bool migrate = true;  // apply missing migrations in open()
    // Called after every transaction that committed (from the thread that ran it).
    std::function<void()> onCommit;
};

class PgStore : public engine::Store {
public:
    // Connects (the first pooled connection) and, with options.migrate, migrates the schema.
    static Result<std::unique_ptr<PgStore>> open(const std::string &connectionString,
                                                 const PgStoreOptions &options);
    ~PgStore() override;

    PgStore(const PgStore &) = delete;
    PgStore &operator=(const PgStore &) = delete;

    // Test seam: called in every transaction just before commit. A hook that throws makes
    // the transaction fail as the exception says (std::bad_alloc: NOT_ENOUGH_MEMORY).
    void setFaultHook(std::function<void()> hook);

    // Runs `sql` (no parameters; several statements allowed) in its own SERIALIZABLE
    // transaction. For administration and test set-up only, never for values from users.
    Result<void> execForTests(const std::string &sql);

    // How many connections are open now (idle and in use).
    int openConnections() const;
    // Transactions run again after a serialization failure, deadlock or (READ COMMITTED) a
    // unique key taken first, since the store opened.
    std::uint64_t retries() const { return retries_.load(); }

protected:
    Result<void> run(const std::string &principal,
                     const std::function<Result<void>(engine::Tx &)> &fn,
                     engine::Isolation isolation) override;

private:
    class Lease;

    PgStore(std::string connectionString, PgStoreOptions options);

    // A connection from the pool (waiting while poolSize are in use); `reused` tells whether it
    // served an earlier transaction. Throws when a new connection cannot be made.
    std::unique_ptr<pqxx::connection> acquire(bool &reused);
    // Back to the pool, or closed when `broken` (then the idle ones are closed too: after a
    // server restart they are all stale).
    void release(std::unique_ptr<pqxx::connection> connection, bool broken);

    const std::string connectionString_;
    const PgStoreOptions options_;

    std::atomic<std::uint64_t> retries_{0};
    mutable std::mutex mutex_;
    std::condition_variable available_;
    std::vector<std::unique_ptr<pqxx::connection>> idle_;
    int open_ = 0;  // idle and leased
    std::function<void()> faultHook_;
};

}  // namespace rsm::store
