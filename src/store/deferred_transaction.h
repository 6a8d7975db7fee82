#pragma once
// DeferredTransaction: a libpqxx transaction whose BEGIN waits for the transaction's first
// statement and goes to the server with it, in one round trip (rsmd's transactions each start
// with the caller's session: PgTx::sessionActing). A transaction that runs no statement sends
// nothing, not even its COMMIT or ROLLBACK. Commit and rollback are libpqxx's: a COMMIT whose
// outcome was lost with the connection is reported as pqxx::in_doubt_error.
// Thread-safety: belongs to the thread running the transaction, as any libpqxx transaction.

#include <string>

#include <pqxx/dbtransaction>

namespace rsm::store {

class DeferredTransaction final : public pqxx::dbtransaction {
public:
    DeferredTransaction(pqxx::connection_base &connection, bool serializable);
    DeferredTransaction(const DeferredTransaction &) = delete;
    DeferredTransaction &operator=(const DeferredTransaction &) = delete;
    ~DeferredTransaction() noexcept override;

    // True until the BEGIN is sent.
    bool pending() const { return pending_; }
    // Sends the BEGIN, with `first` (SQL text) after it in the same round trip when given:
    // the result of `first`. Only while pending().
    pqxx::result begin(const std::string &first = {});

private:
    void do_begin() override;
    void do_commit() override;
    void do_abort() override;

    std::string start_;
    bool pending_ = false;
};

}  // namespace rsm::store
