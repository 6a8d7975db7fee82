#include "src/store/deferred_transaction.h"

#include <pqxx/except>

namespace rsm::store {

DeferredTransaction::DeferredTransaction(pqxx::connection_base &connection, bool serializable)
    : pqxx::internal::namedclass("transaction", "rsm"),
      pqxx::dbtransaction(connection, serializable ? "SERIALIZABLE" : "READ COMMITTED",
                          pqxx::read_write),
      start_(serializable ? "BEGIN ISOLATION LEVEL SERIALIZABLE" : "BEGIN") {
    Begin();  // libpqxx's state: active; the server's BEGIN waits (do_begin)
}

DeferredTransaction::~DeferredTransaction() noexcept {
    End();
}

pqxx::result DeferredTransaction::begin(const std::string &first) {
    pending_ = false;
    return direct_exec((first.empty() ? start_ : start_ + "; " + first).c_str());
}

void DeferredTransaction::do_begin() {
    pending_ = true;
}

void DeferredTransaction::do_commit() {
    if (pending_)
        return;  // nothing was sent
    try {
        direct_exec("COMMIT");
    } catch (const pqxx::statement_completion_unknown &) {
        throw pqxx::in_doubt_error("the COMMIT's outcome is unknown: the server did not answer");
    } catch (const std::exception &) {
        if (!conn().is_open())
            throw pqxx::in_doubt_error(
                "the connection was lost during the COMMIT: its outcome is unknown");
        throw;
    }
}

void DeferredTransaction::do_abort() {
    if (pending_)
        return;
    pqxx::dbtransaction::do_abort();
}

}  // namespace rsm::store
