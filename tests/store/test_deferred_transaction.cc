// DeferredTransaction against a real server: the BEGIN goes with the first statement, what
// follows runs in the same transaction, commit and rollback do what they say, and a
// transaction that ran nothing sends nothing (no COMMIT outside a transaction block).

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include <pqxx/errorhandler>
#include <pqxx/nontransaction>

#include "src/store/deferred_transaction.h"
#include "src/store/pg_tx.h"
#include "tests/store/store_fixture.h"

using namespace rsm;
using namespace rsm::test;
using rsm::store::DeferredTransaction;

namespace {

// The server's notices on a connection (a COMMIT without BEGIN is one: "there is no
// transaction in progress").
struct Notices : pqxx::errorhandler {
    explicit Notices(pqxx::connection_base &c) : pqxx::errorhandler(c) {}
    bool operator()(const char message[]) noexcept override {
        seen.emplace_back(message);
        return false;
    }
    std::vector<std::string> seen;
};

long long count(pqxx::connection &c, const std::string &table) {
    pqxx::nontransaction n(c);
    return n.exec("SELECT count(*) FROM " + table)[0][0].as<long long>();
}

}  // namespace

TEST_CASE(
    "DeferredTransaction: the BEGIN goes with the first statement, the rest follows in "
    "the same transaction") {
    TestStore t = openTestStore();
    pqxx::connection c(t.connectionString);
    Notices notices(c);
    {
        pqxx::nontransaction n(c);
        n.exec("CREATE TABLE deferred_rows (x int)");
    }
    {
        DeferredTransaction tx(c, false);
        CHECK(tx.pending());
        const auto txid = tx.begin("SELECT txid_current()")[0][0].as<long long>();
        CHECK_FALSE(tx.pending());
        tx.exec("INSERT INTO deferred_rows VALUES (1)");
        CHECK(tx.exec("SELECT txid_current()")[0][0].as<long long>() == txid);
        CHECK(tx.exec("SHOW transaction_isolation")[0][0].as<std::string>() == "read committed");
        tx.commit();
    }
    CHECK(count(c, "deferred_rows") == 1);
    {
        DeferredTransaction tx(c, false);
        tx.begin("INSERT INTO deferred_rows VALUES (2)");
        tx.abort();
    }
    {
        DeferredTransaction tx(c, false);
        tx.begin();
        tx.exec("INSERT INTO deferred_rows VALUES (3)");
    }  // neither committed nor aborted: rolled back
    CHECK(count(c, "deferred_rows") == 1);
    {
        DeferredTransaction tx(c, true);
        CHECK(tx.begin("SHOW transaction_isolation")[0][0].as<std::string>() == "serializable");
        tx.commit();
    }
    // Nothing run: nothing sent, neither COMMIT nor ROLLBACK.
    {
        DeferredTransaction tx(c, false);
        tx.commit();
    }
    {
        DeferredTransaction tx(c, false);
        tx.abort();
    }
    { DeferredTransaction tx(c, true); }
    CHECK(notices.seen.empty());
    // A statement that fails after the BEGIN leaves the transaction to roll back, and the
    // connection serves the next one.
    {
        DeferredTransaction tx(c, false);
        CHECK_THROWS(tx.begin("INSERT INTO deferred_rows VALUES ('not a number')"));
    }
    {
        DeferredTransaction tx(c, false);
        tx.begin("INSERT INTO deferred_rows VALUES (4)");
        tx.commit();
    }
    CHECK(count(c, "deferred_rows") == 2);
    CHECK(notices.seen.empty());
}

TEST_CASE(
    "DeferredTransaction under PgTx: the session's check is the first statement, sent with "
    "the BEGIN; any other first statement sends the BEGIN first") {
    TestStore t = openTestStore();
    engine::SessionRow s;
    s.id = Uuid::random();
    s.uid = 1000;
    s.application = "deferred";
    write(*t.store, [&](engine::Tx &tx) { tx.insertSession(s); });
    pqxx::connection c(t.connectionString);
    for (int round = 0; round < 2; ++round) {  // the statement prepared anew, then kept
        DeferredTransaction tx(c, false);
        store::PgTx ptx(tx);
        auto got = ptx.sessionActing(s.id);
        CHECK_FALSE(tx.pending());
        REQUIRE(got);
        CHECK(got->uid == 1000);
        CHECK(got->open);
        // set_config(..., true) of the same transaction: the event log's principal.
        CHECK(tx.exec("SELECT current_setting('rsm.principal')")[0][0].as<std::string>() ==
              "uid:1000");
        tx.commit();
    }
    {
        DeferredTransaction tx(c, false);
        store::PgTx ptx(tx);
        CHECK_FALSE(ptx.sessionActing(Uuid::random()));
        tx.commit();
    }
    {
        DeferredTransaction tx(c, false);
        store::PgTx ptx(tx);
        ptx.insertSession(engine::SessionRow{Uuid::random(), 7, {}, "second", true});
        CHECK_FALSE(tx.pending());
        const auto txid = tx.exec("SELECT txid_current()")[0][0].as<long long>();
        CHECK(ptx.sessionActing(s.id));  // not first: a prepared statement as any other
        CHECK(tx.exec("SELECT txid_current()")[0][0].as<long long>() == txid);
        tx.abort();
    }
}
