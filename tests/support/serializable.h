#pragma once
// The tests' own SQL in SERIALIZABLE transactions, as rsm writes a medium's references (schema
// 21 refuses the other levels), retried on a serialization failure as rsm retries its own.
// Thread-safety: one connection per thread, as libpqxx wants.

#include <pqxx/connection>
#include <pqxx/except>
#include <pqxx/transaction>

namespace rsm::test {

// fn(tx) in a SERIALIZABLE transaction on `c`, committed: its result. Up to 50 attempts.
template <typename Fn>
auto serializable(pqxx::connection &c, Fn &&fn) {
    for (int attempt = 1;; ++attempt) {
        try {
            pqxx::transaction<pqxx::serializable> tx(c);
            auto result = fn(tx);
            tx.commit();
            return result;
        } catch (const pqxx::serialization_failure &) {
            if (attempt == 50)
                throw;
        }
    }
}

}  // namespace rsm::test
