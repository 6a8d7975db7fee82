// The schema's own integrity rules, seen through the store: what the database refuses and
// the event log it keeps.

#include <doctest/doctest.h>

#include <fmt/format.h>
#include <pqxx/nontransaction>
#include <pqxx/pqxx>

#include "tests/store/store_fixture.h"

using namespace rsm;
using namespace rsm::engine;
using namespace rsm::test;

TEST_CASE("schema: a slot holds at most one medium") {
    TestStore t = openTestStore();
    World w = makeWorld(t);
    write(*t.store, [&](Tx &tx) { addMedium(tx, w, "A", w.slots[0], w.appPool); });
    Result<void> r =
        attempt(*t.store, [&](Tx &tx) { addMedium(tx, w, "B", w.slots[0], w.appPool); });
    checkRefused(r, "physical_media_slot_id_key");
    write(*t.store, [&](Tx &tx) { CHECK(tx.allMedia().size() == 1); });
}

TEST_CASE("schema: a side belongs to at most one LMID") {
    TestStore t = openTestStore();
    World w = makeWorld(t);
    Medium m;
    write(*t.store, [&](Tx &tx) {
        m = addMedium(tx, w, "A", w.slots[0], w.appPool, SideState::Allocated);
        tx.insertLmid({Uuid::random(), m.side, "first", ""});
    });
    Result<void> r = attempt(*t.store, [&](Tx &tx) {
        tx.insertLmid({Uuid::random(), m.side, "second", ""});
    });
    checkRefused(r, "logical_media_one_per_side");
    write(*t.store, [&](Tx &tx) { CHECK(tx.lmids().size() == 1); });
}

TEST_CASE("schema: the OFFLINE library cannot be deleted") {
    TestStore t = openTestStore();
    Result<void> r = t.store->execForTests("DELETE FROM library WHERE kind = 0");
    checkRefused(r, "the OFFLINE library cannot be deleted");
    r = t.store->execForTests("UPDATE library SET kind = 1 WHERE kind = 0");
    checkRefused(r, "the OFFLINE library stays OFFLINE");
    r = t.store->execForTests("INSERT INTO library (name, kind) VALUES ('second shelf', 0)");
    checkRefused(r, "library_one_offline");
    write(*t.store, [&](Tx &tx) { CHECK(tx.offlineLibrary().name == "Offline"); });
}

TEST_CASE("schema: a medium is on a shelf only in the OFFLINE library") {
    TestStore t = openTestStore();
    World w = makeWorld(t);
    Result<void> r = attempt(*t.store, [&](Tx &tx) {
        MediaRow row;
        row.id = Uuid::random();
        row.mediaTypeId = w.mediaType;
        row.poolId = w.appPool;
        row.libraryId = w.online;
        row.libraryKind = LibraryKind::Online;
        row.location = LocationKind::Shelf;
        tx.insertMedia(row);
    });
    checkRefused(r, "physical_media_check");
    // Claiming the online library is OFFLINE does not help: the kind must match the library.
    r = attempt(*t.store, [&](Tx &tx) {
        MediaRow row;
        row.id = Uuid::random();
        row.mediaTypeId = w.mediaType;
        row.poolId = w.appPool;
        row.libraryId = w.online;
        row.libraryKind = LibraryKind::Offline;
        row.location = LocationKind::Shelf;
        tx.insertMedia(row);
    });
    checkRefused(r, "physical_media_library_id_library_kind_fkey");
    // A slot of another library is refused too.
    r = attempt(*t.store, [&](Tx &tx) {
        MediaRow row;
        row.id = Uuid::random();
        row.mediaTypeId = w.mediaType;
        row.poolId = w.appPool;
        row.libraryId = w.offline;
        row.libraryKind = LibraryKind::Offline;
        row.location = LocationKind::Slot;
        row.slotId = w.slots[0];
        tx.insertMedia(row);
    });
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code() == ErrorCode::InvalidParameter);
}

TEST_CASE("schema: every change is in the event log, which cannot be changed") {
    TestStore t = openTestStore();
    World w = makeWorld(t);
    PoolRow pool;
    pool.id = Uuid::random();
    pool.name = "logged";
    pool.mediaTypeId = w.mediaType;
    write(
        *t.store, [&](Tx &tx) { tx.insertPool(pool); }, "uid:1000");
    pool.description = "changed";
    write(
        *t.store,
        [&](Tx &tx) {
            tx.updatePool(pool);
            tx.updatePool(pool);  // no change: not logged
            tx.setAttribute({pool.id, ObjectKind::Pool, "a", "b"});
        },
        "uid:1001");
    write(
        *t.store, [&](Tx &tx) { tx.deletePool(pool.id); }, "uid:1002", Isolation::ReadCommitted);

    pqxx::connection c(t.connectionString);
    {
        pqxx::nontransaction sql(c);
        pqxx::result r = sql.exec_params(
            "SELECT object_kind, op, principal FROM event_log"
            " WHERE object_id = $1::uuid ORDER BY seq",
            pool.id.toString());
        REQUIRE(r.size() == 5);
        auto at = [&](int i, int col) { return r[i][col].as<std::string>(); };
        CHECK(at(0, 0) == "pool");
        CHECK(at(0, 1) == "insert");
        CHECK(at(0, 2) == "uid:1000");
        CHECK(at(1, 1) == "update");
        CHECK(at(1, 2) == "uid:1001");
        CHECK(at(2, 0) == "attribute");
        CHECK(at(2, 1) == "insert");
        // Deleting the pool forgets its attribute, then the pool.
        CHECK(at(3, 0) == "attribute");
        CHECK(at(3, 1) == "delete");
        CHECK(at(4, 0) == "pool");
        CHECK(at(4, 1) == "delete");
        CHECK(at(4, 2) == "uid:1002");
    }
    for (const char *change : {"UPDATE event_log SET principal = 'someone'",
                               "DELETE FROM event_log", "TRUNCATE event_log"}) {
        Result<void> r = t.store->execForTests(change);
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().code() == ErrorCode::DatabaseFailure);
        CHECK_MESSAGE(r.error().message().find("append-only") != std::string::npos,
                      r.error().message());
        CHECK(r.error().message().find("SQLSTATE 42501") != std::string::npos);
    }
    pqxx::nontransaction sql(c);
    CHECK(sql.exec1("SELECT count(*) FROM event_log WHERE principal = 'someone'")[0].as<int>() ==
          0);
}

TEST_CASE("schema: rows logged per statement name the transaction's principal and txid") {
    TestStore t = openTestStore();
    World w = makeWorld(t);
    Medium a, b;
    write(
        *t.store,
        [&](Tx &tx) {
            a = addMedium(tx, w, "LOGA01L5", w.slots[0], w.appPool);
            b = addMedium(tx, w, "LOGB01L5", w.slots[1], w.appPool);
        },
        "uid:1003");
    pqxx::connection c(t.connectionString);
    pqxx::nontransaction sql(c);
    // Media and sides are logged from the statement's transition table (schema 4 and 11).
    pqxx::result r = sql.exec_params(
        "SELECT object_kind, op, principal, txid FROM event_log"
        " WHERE object_id IN ($1::uuid, $2::uuid, $3::uuid, $4::uuid) ORDER BY seq",
        a.media.toString(), a.side.toString(), b.media.toString(), b.side.toString());
    REQUIRE(r.size() == 4);
    for (pqxx::result::size_type i = 0; i < r.size(); ++i) {
        CHECK(r[i][1].as<std::string>() == "insert");
        CHECK(r[i][2].as<std::string>() == "uid:1003");
        CHECK(r[i][3].as<long long>() == r[0][3].as<long long>());  // one transaction
    }
    CHECK(r[0][0].as<std::string>() == "physical_media");
    CHECK(r[1][0].as<std::string>() == "side");
}

TEST_CASE("schema: deleting an object forgets its attributes and access entries") {
    TestStore t = openTestStore();
    World w = makeWorld(t);
    Medium m;
    write(*t.store, [&](Tx &tx) {
        m = addMedium(tx, w, "A", std::nullopt, w.appPool);
        tx.setAttribute({m.media, ObjectKind::PhysicalMedia, "note", "x"});
        tx.setAttribute({m.side, ObjectKind::Side, "note", "y"});
        tx.setAcl({{}, PrincipalKind::User, 7, ObjectKind::Pool, w.appPool, rights::Use});
    });
    write(
        *t.store,
        [&](Tx &tx) {
            tx.deleteSide(m.side);
            tx.deleteMedia(m.media);
            tx.deletePool(w.appPool);
        },
        "uid:0", Isolation::ReadCommitted);
    write(*t.store, [&](Tx &tx) {
        CHECK(tx.attributes(m.media).empty());
        CHECK(tx.attributes(m.side).empty());
        CHECK(tx.acl(w.appPool).empty());
    });
    // A medium cannot be deleted while it still has sides.
    Medium n;
    write(*t.store, [&](Tx &tx) { n = addMedium(tx, w, "B", std::nullopt, w.freePool); });
    Result<void> r = attempt(*t.store, [&](Tx &tx) { tx.deleteMedia(n.media); });
    checkRefused(r, "side_media_id_fkey");
}

TEST_CASE(
    "schema: a medium of a WORM type is WORM however it is added, or when its type becomes "
    "one") {
    TestStore t = openTestStore();
    World w = makeWorld(t);
    const Uuid wormType = Uuid::random();
    Medium single, plain;
    std::vector<engine::MediaRow> rows(3);
    write(*t.store, [&](Tx &tx) {
        tx.insertMediaType({wormType, "LTO-5W", "", 1, true});
        single = addMedium(tx, w, "ONE", std::nullopt, w.appPool);
        plain = addMedium(tx, w, "TWO", std::nullopt, w.appPool);
        auto m = *tx.media(single.media);
        m.mediaTypeId = wormType;
        for (std::size_t i = 0; i < rows.size(); ++i) {  // as an inventory adds them
            rows[i] = m;
            rows[i].id = Uuid::random();
            rows[i].name = fmt::format("W{}", i);
            rows[i].barcode = rows[i].name;
            rows[i].mediaTypeId = i == 1 ? w.mediaType : wormType;
        }
        tx.insertMediaRows(rows);
    });
    write(*t.store, [&](Tx &tx) {
        CHECK_FALSE(tx.mediaLife(single.media).worm);
        CHECK_FALSE(tx.mediaLife(plain.media).worm);
        CHECK(tx.mediaLife(rows[0].id).worm);
        CHECK_FALSE(tx.mediaLife(rows[1].id).worm);
        CHECK(tx.mediaLife(rows[2].id).worm);
        auto m = *tx.media(single.media);
        m.mediaTypeId = wormType;
        tx.updateMedia(m);                       // the type changes: WORM
        tx.updateMedia(*tx.media(plain.media));  // names the type, unchanged: not WORM
        m = *tx.media(rows[0].id);
        m.mediaTypeId = w.mediaType;  // WORM stays WORM
        tx.updateMedia(m);
    });
    write(*t.store, [&](Tx &tx) {
        CHECK(tx.mediaLife(single.media).worm);
        CHECK_FALSE(tx.mediaLife(plain.media).worm);
        CHECK(tx.mediaLife(rows[0].id).worm);
    });
    // The inventory's insert is logged as inserted, then the mark as an update.
    pqxx::connection c(t.connectionString);
    pqxx::nontransaction n(c);
    CHECK(n.exec1("SELECT string_agg(op || ':' || (data ->> 'worm'), ',' ORDER BY seq) FROM "
                  "event_log WHERE object_id = '" +
                  rows[2].id.toString() + "'")[0]
              .as<std::string>() == "insert:false,update:true");
}

TEST_CASE(
    "schema: the event log of a big update after many small ones on one connection is a "
    "join, not a loop") {
    // rsm_log_rows joins an UPDATE's old and new rows; PL/pgSQL keeps the join's plan for the
    // connection. Planned for one-row updates, it was a nested loop, and an inventory's UPDATE
    // of 9,000 media then spent 45 s in it (schema 20). The statement timeout is a
    // guard against that loop, dozens of times what the join takes, not a measurement.
    TestStore t = openTestStore();
    World w = makeWorld(t);
    pqxx::connection c(t.connectionString);
    pqxx::nontransaction sql(c);
    sql.exec("SET default_transaction_isolation = serializable");  // as rsm adds media
    sql.exec(
        "CREATE TEMP TABLE ids AS SELECT gen_random_uuid() AS id, g FROM "
        "generate_series(1, 9000) g");
    sql.exec_params(
        "INSERT INTO physical_media (id, barcode, media_type_id, pool_id, library_id, "
        "library_kind, location) SELECT id, 'BIG' || g, $1::uuid, $2::uuid, $3::uuid, "
        "0, 0 FROM ids",
        w.mediaType.toString(), w.appPool.toString(), w.offline.toString());
    for (int i = 1; i <= 8; ++i)
        sql.exec(
            fmt::format("UPDATE physical_media SET name = 'small' WHERE barcode = 'BIG{}'", i));
    sql.exec("SET statement_timeout = '15s'");
    sql.exec("UPDATE physical_media SET name = 'big' WHERE barcode LIKE 'BIG%'");
    CHECK(sql.exec1("SELECT count(*) FROM event_log WHERE object_kind = 'physical_media' AND op = "
                    "'update' AND data ->> 'name' = 'big'")[0]
              .as<int>() == 9000);
}
