// PgStore: transactions, retries, the connection pool, and failures of the database itself
// (server stopped and restarted, memory exhausted, disk full).

#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <random>
#include <thread>
#include <vector>

#include <pqxx/except>
#include <pqxx/nontransaction>

#include "tests/store/store_fixture.h"
#include "tests/support/run.h"
#include "tests/support/small_tablespace.h"

using namespace rsm;
using namespace rsm::engine;
using namespace rsm::test;

namespace {

PoolRow newPool(const World &w, const std::string &name) {
    PoolRow p;
    p.id = Uuid::random();
    p.name = name;
    p.mediaTypeId = w.mediaType;
    return p;
}

}  // namespace

TEST_CASE("PgStore: an Error from the function rolls the transaction back") {
    TestStore t = openTestStore();
    World w = makeWorld(t);
    PoolRow p = newPool(w, "never");
    Result<void> r = t.store->transact("uid:0", [&](Tx &tx) -> Result<void> {
        tx.insertPool(p);
        return Error(ErrorCode::AccessDenied, "no");
    });
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code() == ErrorCode::AccessDenied);
    CHECK(r.error().message() == "no");
    write(*t.store, [&](Tx &tx) { CHECK_FALSE(tx.pool(p.id)); });

    Result<int> value = t.store->transact<int>(
        "uid:0", [&](Tx &tx) -> Result<int> { return static_cast<int>(tx.pools().size()); });
    REQUIRE(value.ok());
    CHECK(*value == 2);
}

TEST_CASE("PgStore: serialization failures are retried until every transaction lands") {
    store::PgStoreOptions options;
    options.poolSize = 4;
    options.maxRetries = 200;
    TestStore t = openTestStore(PgCluster::shared(), options);
    World w = makeWorld(t);
    write(*t.store, [&](Tx &tx) { tx.setAttribute({w.appPool, ObjectKind::Pool, "n", "0"}); });
    constexpr int kThreads = 4, kIncrements = 25;
    std::atomic<int> failures{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < kThreads; ++i) {
        threads.emplace_back([&] {
            for (int j = 0; j < kIncrements; ++j) {
                Result<void> r = attempt(*t.store, [&](Tx &tx) {
                    int n = std::stoi(tx.attribute(w.appPool, "n")->value);
                    tx.setAttribute({w.appPool, ObjectKind::Pool, "n", std::to_string(n + 1)});
                });
                if (!r.ok())
                    ++failures;
            }
        });
    }
    for (auto &th : threads)
        th.join();
    CHECK(failures == 0);
    write(*t.store, [&](Tx &tx) {
        CHECK(tx.attribute(w.appPool, "n")->value == std::to_string(kThreads * kIncrements));
    });
    CHECK(t.store->openConnections() <= 4);
}

TEST_CASE("PgStore: retries are bounded and then reported as DATABASE_FAILURE") {
    store::PgStoreOptions options;
    options.maxRetries = 2;
    TestStore t = openTestStore(PgCluster::shared(), options);
    int calls = 0;
    Result<void> r = t.store->transact("uid:0", [&](Tx &) -> Result<void> {
        ++calls;
        throw pqxx::serialization_failure("ERROR:  could not serialize access\n");
    });
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code() == ErrorCode::DatabaseFailure);
    CHECK(calls == 3);
    CHECK(r.error().message().find("SQLSTATE 40001") != std::string::npos);
    CHECK(r.error().message().find("gave up after 3 attempts") != std::string::npos);
}

TEST_CASE("PgStore: the pool holds at most poolSize connections") {
    store::PgStoreOptions options;
    options.poolSize = 2;
    TestStore t = openTestStore(PgCluster::shared(), options);
    std::atomic<int> inside{0}, most{0}, failures{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < 8; ++i) {
        threads.emplace_back([&] {
            Result<void> r = attempt(*t.store, [&](Tx &tx) {
                int now = ++inside;
                int seen = most;
                while (now > seen && !most.compare_exchange_weak(seen, now)) {
                }
                tx.computerId();
                std::this_thread::sleep_for(std::chrono::milliseconds(20));
                --inside;
            });
            if (!r.ok())
                ++failures;
        });
    }
    for (auto &th : threads)
        th.join();
    CHECK(failures == 0);
    CHECK(most <= 2);
    CHECK(t.store->openConnections() <= 2);
}

TEST_CASE("PgStore: open reports an unreachable server as DATABASE_FAILURE") {
    store::PgStoreOptions options;
    options.schemaDir = schemaDir();
    auto r =
        store::PgStore::open("host=/nonexistent-rsm-socket-dir port=1 user=rsm dbname=x", options);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code() == ErrorCode::DatabaseFailure);
    CHECK(r.error().message().starts_with("database: "));
}

TEST_CASE("PgStore: a stopped server is DATABASE_FAILURE, and after a restart it works again") {
    PgCluster cluster;  // its own server: stopping it disturbs no other test
    store::PgStoreOptions options;
    options.poolSize = 3;
    TestStore t = openTestStore(cluster, options);
    World w = makeWorld(t);

    // Fill the pool with three connections.
    std::vector<std::thread> threads;
    for (int i = 0; i < 3; ++i)
        threads.emplace_back([&] {
            write(*t.store, [&](Tx &tx) {
                tx.computerId();
                std::this_thread::sleep_for(std::chrono::milliseconds(100));
            });
        });
    for (auto &th : threads)
        th.join();
    CHECK(t.store->openConnections() == 3);

    cluster.stop(true);
    PoolRow lost = newPool(w, "lost");
    Result<void> r = attempt(*t.store, [&](Tx &tx) { tx.insertPool(lost); });
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code() == ErrorCode::DatabaseFailure);
    CHECK(r.error().message().starts_with("database: "));
    r = attempt(*t.store, [&](Tx &tx) { tx.insertPool(lost); });
    CHECK(r.error().code() == ErrorCode::DatabaseFailure);

    cluster.start();
    PoolRow back = newPool(w, "back");
    r = attempt(*t.store, [&](Tx &tx) { tx.insertPool(back); });
    REQUIRE_MESSAGE(r.ok(), r.error().toString());
    write(*t.store, [&](Tx &tx) {
        CHECK(tx.pool(back.id));
        CHECK_FALSE(tx.pool(lost.id));
    });

    // A restart nobody noticed: the pooled connections are stale, the next operation works.
    for (int i = 0; i < 3; ++i)
        threads[i] = std::thread([&] {
            write(*t.store, [&](Tx &tx) {
                tx.computerId();
                std::this_thread::sleep_for(std::chrono::milliseconds(100));
            });
        });
    for (auto &th : threads)
        th.join();
    cluster.stop(true);
    cluster.start();
    PoolRow after = newPool(w, "after");
    r = attempt(*t.store, [&](Tx &tx) { tx.insertPool(after); });
    REQUIRE_MESSAGE(r.ok(), r.error().toString());
    write(*t.store, [&](Tx &tx) { CHECK(tx.pool(after.id)); });
}

TEST_CASE("PgStore: std::bad_alloc before commit is NOT_ENOUGH_MEMORY and commits nothing") {
    TestStore t = openTestStore();
    World w = makeWorld(t);
    PoolRow p = newPool(w, "unlucky");
    t.store->setFaultHook([] { throw std::bad_alloc(); });
    Result<void> r = attempt(*t.store, [&](Tx &tx) { tx.insertPool(p); });
    t.store->setFaultHook(nullptr);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code() == ErrorCode::NotEnoughMemory);
    write(*t.store, [&](Tx &tx) { CHECK_FALSE(tx.pool(p.id)); });

    t.store->setFaultHook([] { throw std::runtime_error("the disk controller caught fire"); });
    r = attempt(*t.store, [&](Tx &tx) { tx.insertPool(p); });
    t.store->setFaultHook(nullptr);
    CHECK(r.error().code() == ErrorCode::DatabaseFailure);
    CHECK(r.error().message() == "database: the disk controller caught fire");
    write(*t.store, [&](Tx &tx) { CHECK_FALSE(tx.pool(p.id)); });
}

TEST_CASE("PgStore: a full disk is DATABASE_FULL") {
    PgCluster &cluster = PgCluster::shared();
    SmallTablespace space(cluster, "rsm_small");
    TestStore t = openTestStore(cluster);
    space.dropDatabaseLater(t.database);
    World w = makeWorld(t);
    // The attribute table and the event log, with their indexes, move to the 2 MiB tablespace.
    Result<void> moved = t.store->execForTests(space.moveLogAndAttributesSql());
    REQUIRE_MESSAGE(moved.ok(), moved.error().toString());

    std::mt19937 random(42);
    std::optional<Error> failure;
    int written = 0;
    for (int i = 0; i < 500 && !failure; ++i) {
        std::string blob(60000, '\0');
        for (auto &b : blob)
            b = static_cast<char>(random());
        Result<void> r = attempt(*t.store, [&](Tx &tx) {
            tx.setAttribute({w.appPool, ObjectKind::Pool, "blob" + std::to_string(i), blob});
        });
        if (r.ok())
            ++written;
        else
            failure = r.error();
    }
    REQUIRE_MESSAGE(failure.has_value(), "2 MiB took " << written << " attributes of 60 kB");
    CHECK_MESSAGE(failure->code() == ErrorCode::DatabaseFull, failure->toString());
    CHECK(failure->message().find("SQLSTATE 53100") != std::string::npos);
    CHECK(written > 0);
    // The failed transaction left nothing; the ones before it are all there.
    write(*t.store, [&](Tx &tx) {
        CHECK(tx.attributes(w.appPool).size() == static_cast<std::size_t>(written));
    });
    // Outside the full tablespace the store carries on.
    write(*t.store, [&](Tx &tx) { CHECK(tx.pools().size() == 2); });
    t.store.reset();  // no connections left to the database the clean-up drops
}
