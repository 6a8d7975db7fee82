// PgStore: the connection pool, the transaction loop and the exception boundary.

#include "src/store/pg_store.h"

#include <chrono>
#include <random>
#include <thread>

#include <fmt/format.h>
#include <pqxx/transaction>

#include "src/store/error_map.h"
#include "src/store/migrations.h"
#include "src/store/pg_tx.h"

namespace rsm::store {

// A connection on loan for one transaction; goes back to the pool (or is closed when broken)
// when the lease ends.
class PgStore::Lease {
public:
    explicit Lease(PgStore &store) : store_(store) {}
    ~Lease() { reset(); }
    Lease(const Lease &) = delete;
    Lease &operator=(const Lease &) = delete;

    pqxx::connection &acquire() {
        connection_ = store_.acquire(reused_);
        return *connection_;
    }
    bool reused() const { return reused_; }
    bool isOpen() const { return connection_ && connection_->is_open(); }
    void markBroken() { broken_ = true; }
    void reset() {
        if (connection_)
            store_.release(std::move(connection_), broken_ || !connection_->is_open());
        connection_.reset();
    }

private:
    PgStore &store_;
    std::unique_ptr<pqxx::connection> connection_;
    bool reused_ = false;
    bool broken_ = false;
};

namespace {

// A short random pause before running a transaction again, growing with the attempts.
void backoff(int attempt) {
    thread_local std::minstd_rand random{std::random_device{}()};
    const int ceilingMs = std::min(1 << std::min(attempt, 6), 50);
    std::uniform_int_distribution<int> pick(100, ceilingMs * 1000);
    std::this_thread::sleep_for(std::chrono::microseconds(pick(random)));
}

// A new connection of the pool. Its statements are prepared once and planned once
// (plan_cache_mode = force_generic_plan): PostgreSQL would otherwise plan the multi-table
// reads (a swap's holdings, their = ANY (array) keys) anew at every execution, and planning
// was a third of the server's time under many swapping clients (docs/benchmarks.md). So a
// statement must be one whose single plan serves every value: no "= ANY (array)" among the
// keys of a join (the plan is made for ten keys; PgTx::lmidHoldings prepares one statement
// per number of keys), no "$1 IS NULL OR ..." where an index matters (PgTx::requests has a
// statement per case).
std::unique_ptr<pqxx::connection> newConnection(const std::string &connectionString) {
    auto connection = std::make_unique<pqxx::connection>(connectionString);
    connection->set_variable("plan_cache_mode", "force_generic_plan");
    return connection;
}

}  // namespace

PgStore::PgStore(std::string connectionString, PgStoreOptions options)
    : connectionString_(std::move(connectionString)), options_(std::move(options)) {}

PgStore::~PgStore() = default;

Result<std::unique_ptr<PgStore>> PgStore::open(const std::string &connectionString,
                                               const PgStoreOptions &options) {
    if (options.poolSize < 1 || options.maxRetries < 0)
        return Error(ErrorCode::InvalidParameter,
                     "database: the pool needs at least one connection and retries >= 0");
    try {
        std::unique_ptr<PgStore> store(new PgStore(connectionString, options));
        auto connection = newConnection(connectionString);
        if (options.migrate) {
            Result<int> version = migrate(*connection, options.schemaDir);
            if (!version.ok())
                return version.error();
        }
        {
            std::lock_guard lock(store->mutex_);
            ++store->open_;
        }
        store->release(std::move(connection), false);
        return store;
    } catch (...) {
        return errorFromException(std::current_exception());
    }
}

void PgStore::setFaultHook(std::function<void()> hook) {
    std::lock_guard lock(mutex_);
    faultHook_ = std::move(hook);
}

int PgStore::openConnections() const {
    std::lock_guard lock(mutex_);
    return open_;
}

std::unique_ptr<pqxx::connection> PgStore::acquire(bool &reused) {
    {
        std::unique_lock lock(mutex_);
        available_.wait(lock, [&] { return !idle_.empty() || open_ < options_.poolSize; });
        if (!idle_.empty()) {
            auto connection = std::move(idle_.back());
            idle_.pop_back();
            reused = true;
            return connection;
        }
        ++open_;
    }
    reused = false;
    try {
        return newConnection(connectionString_);
    } catch (...) {
        {
            std::lock_guard lock(mutex_);
            --open_;
        }
        available_.notify_one();
        throw;
    }
}

void PgStore::release(std::unique_ptr<pqxx::connection> connection, bool broken) {
    std::vector<std::unique_ptr<pqxx::connection>> closing;
    {
        std::lock_guard lock(mutex_);
        if (broken) {
            closing.swap(idle_);
            closing.push_back(std::move(connection));
            open_ -= static_cast<int>(closing.size());
        } else {
            idle_.push_back(std::move(connection));
        }
    }
    available_.notify_all();
    closing.clear();  // closes them outside the lock
}

namespace {

// One attempt of PgStore::run: fn in a transaction of isolation level L on `connection`;
// fnStarted when fn was called, abortFailed when rolling back fn's failure failed (the
// connection is broken). Throws what the database threw.
template <pqxx::isolation_level L>
Result<void> attempt(pqxx::connection &connection, const std::string &principal,
                     const std::function<Result<void>(engine::Tx &)> &fn, bool &fnStarted,
                     bool &abortFailed, const std::function<void()> &beforeCommit) {
    pqxx::transaction<L> tx(connection, "rsm");
    PgTx ptx(tx);
    if (!principal.empty())
        ptx.setPrincipal(principal);
    fnStarted = true;
    Result<void> r = fn(ptx);
    if (!r.ok()) {
        try {
            tx.abort();
        } catch (...) {
            abortFailed = true;
        }
        return r;
    }
    if (beforeCommit)
        beforeCommit();
    tx.commit();
    return success();
}

}  // namespace

Result<void> PgStore::run(const std::string &principal,
                          const std::function<Result<void>(engine::Tx &)> &fn,
                          engine::Isolation isolation) {
    int retries = 0;
    bool reconnected = false;
    for (;;) {
        Lease lease(*this);
        bool fnStarted = false;
        std::exception_ptr failure;
        try {
            std::function<void()> hook;
            {
                std::lock_guard lock(mutex_);
                hook = faultHook_;
            }
            pqxx::connection &connection = lease.acquire();
            bool abortFailed = false;
            Result<void> r = isolation == engine::Isolation::ReadCommitted
                                 ? attempt<pqxx::read_committed>(connection, principal, fn,
                                                                 fnStarted, abortFailed, hook)
                                 : attempt<pqxx::serializable>(connection, principal, fn, fnStarted,
                                                               abortFailed, hook);
            if (abortFailed)
                lease.markBroken();
            if (r && options_.onCommit)
                options_.onCommit();
            return r;
        } catch (...) {
            failure = std::current_exception();
        }
        // The transaction has been rolled back (its destructor ran).
        const bool lost = isConnectionLost(failure) || !lease.isOpen();
        if (lost)
            lease.markBroken();
        const bool reused = lease.reused();
        lease.reset();
        // READ COMMITTED: a unique key a concurrent transaction took first (two allocations of
        // one name, of one side) is a conflict too — SERIALIZABLE reports those as
        // serialization failures.
        const bool conflict =
            isRetryable(failure) ||
            (isolation == engine::Isolation::ReadCommitted && isUniqueViolation(failure));
        if (conflict && retries < options_.maxRetries) {
            ++retries_;
            backoff(++retries);
            continue;
        }
        // A pooled connection that died while idle (say, the server restarted): nothing was
        // done yet, so try once more on a new connection.
        if (lost && !fnStarted && reused && !reconnected) {
            reconnected = true;
            continue;
        }
        Error error = errorFromException(failure);
        if (isRetryable(failure))
            return Error(error.code(), fmt::format("{} (gave up after {} attempts)",
                                                   error.message(), retries + 1));
        return error;
    }
}

Result<void> PgStore::execForTests(const std::string &sql) {
    Lease lease(*this);
    try {
        // SERIALIZABLE, as rsm writes a medium's references (schema 21 refuses the other
        // levels), and retried as transact() retries.
        for (int attempt = 0;; ++attempt) {
            try {
                pqxx::transaction<pqxx::serializable> tx(lease.acquire(), "rsm-test");
                tx.exec(sql);
                tx.commit();
                return success();
            } catch (const pqxx::serialization_failure &) {
                if (attempt >= options_.maxRetries)
                    throw;
            }
        }
    } catch (...) {
        std::exception_ptr failure = std::current_exception();
        if (isConnectionLost(failure) || !lease.isOpen())
            lease.markBroken();
        return errorFromException(failure);
    }
}

}  // namespace rsm::store
