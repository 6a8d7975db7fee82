// The insert events of media and sides (schema 22): logged without their JSON, read from the
// row while it is unchanged, filled in by the row's first change; what readers see at every
// step, under concurrent change, and that nothing else may write the log.

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include <pqxx/pqxx>

#include "tests/store/store_fixture.h"
#include "tests/support/serializable.h"

using namespace rsm;
using namespace rsm::engine;
using namespace rsm::test;

namespace {

// Three media in slots 1..3 of the robot with a side each, added as an inventory adds them.
std::vector<MediaRow> inventory(TestStore &t, const World &w) {
    std::vector<MediaRow> media;
    std::vector<SideRow> sides;
    for (int i = 0; i < 3; ++i) {
        MediaRow m;
        m.id = Uuid::random();
        m.barcode = "LAZY0" + std::to_string(i) + "L5";
        m.mediaTypeId = w.mediaType;
        m.poolId = w.freePool;
        m.libraryId = w.online;
        m.libraryKind = LibraryKind::Online;
        m.location = LocationKind::Slot;
        m.slotId = w.slots[i];
        m.homeSlotId = w.slots[i];
        media.push_back(m);
        SideRow s;
        s.id = Uuid::random();
        s.mediaId = m.id;
        s.state = SideState::Available;
        sides.push_back(s);
    }
    write(*t.store, [&](Tx &tx) {
        tx.insertMediaRows(media);
        tx.insertSideRows(sides);
    });
    return media;
}

std::string text(pqxx::connection &c, const std::string &sql) {
    pqxx::nontransaction n(c);
    const pqxx::field f = n.exec1(sql)[0];
    return f.is_null() ? "NULL" : f.as<std::string>();
}

// The ops of an object's events and the name each shows, in order: "insert:,update:x".
std::string named(pqxx::transaction_base &tx, const Uuid &id) {
    const pqxx::field f = tx.exec1(
        "SELECT string_agg(op || ':' || coalesce(data ->> 'name',"
        " '?'), ',' ORDER BY seq) FROM event_log_full WHERE object_id"
        " = '" +
        id.toString() + "'")[0];
    return f.is_null() ? "" : f.as<std::string>();
}

}  // namespace

TEST_CASE("event log: an inventory's insert events are filled in when their row first changes") {
    TestStore t = openTestStore();
    World w = makeWorld(t);
    const std::vector<MediaRow> media = inventory(t, w);
    pqxx::connection c(t.connectionString);
    CHECK(text(c,
               "SELECT count(*) FROM event_log WHERE op = 'insert' AND data IS NULL AND"
               " object_kind IN ('physical_media', 'side')") == "6");

    // Read while empty: the feed and the history see the rows as inserted.
    write(*t.store, [&](Tx &tx) {
        int seen = 0;
        for (const EventRow &e : tx.events(0, 1000)) {
            if (e.kind != "physical_media" || e.objectId != media[0].id)
                continue;
            ++seen;
            CHECK(e.op == "insert");
            CHECK(e.data.find("\"LAZY00L5\"") != std::string::npos);
            CHECK(e.barcode == std::optional<std::string>("LAZY00L5"));
            CHECK(e.poolId == std::optional<Uuid>(w.freePool));
        }
        CHECK(seen == 1);
        const auto history = tx.historyEvents(media[0].id, false, 10);
        REQUIRE(history.size() == 1);
        CHECK(history[0].location == std::optional<int>(1));
        CHECK(history[0].slotId == std::optional<Uuid>(w.slots[0]));
    });

    // The first change fills the insert in with the row as it was; the second finds it full.
    serializable(c, [&](pqxx::transaction_base &tx) {
        tx.exec0("UPDATE physical_media SET name = 'first' WHERE id = '" + media[0].id.toString() +
                 "'");
        tx.exec0("UPDATE physical_media SET name = 'second' WHERE id = '" + media[0].id.toString() +
                 "'");
        return 0;
    });
    // A deletion as the row's first change fills it in too, before the delete event: the
    // medium's and its side's.
    serializable(c, [&](pqxx::transaction_base &tx) {
        const std::string id = media[1].id.toString();
        tx.exec0("DELETE FROM side WHERE media_id = '" + id + "'");
        tx.exec0("DELETE FROM physical_media WHERE id = '" + id + "'");
        return 0;
    });
    pqxx::work r(c);
    CHECK(named(r, media[0].id) == "insert:,update:first,update:second");
    CHECK(named(r, media[1].id) == "insert:,delete:");
    CHECK(r.exec1("SELECT count(*) FROM event_log WHERE object_id = '" + media[1].id.toString() +
                  "' AND op = 'insert' AND data ->> 'barcode' = 'LAZY01L5'")[0]
              .as<int>() == 1);
    CHECK(named(r, media[2].id) == "insert:");
    CHECK(r.exec1("SELECT count(*) FROM event_log WHERE data IS NULL")[0].as<int>() == 3);
    CHECK(r.exec1("SELECT count(*) FROM event_log WHERE object_kind = 'side' AND op = 'insert'"
                  " AND data ->> 'media_id' = '" +
                  media[1].id.toString() + "'")[0]
              .as<int>() == 1);
}

TEST_CASE("event log: a reader that sees an insert event empty sees its row as inserted") {
    TestStore t = openTestStore();
    World w = makeWorld(t);
    const std::vector<MediaRow> media = inventory(t, w);
    pqxx::connection readerConnection(t.connectionString), writer(t.connectionString);
    // The reader's snapshot is taken before the change commits, and read after it.
    pqxx::transaction<pqxx::repeatable_read> reader(readerConnection);
    CHECK(named(reader, media[0].id) == "insert:");
    serializable(writer, [&](pqxx::transaction_base &tx) {
        tx.exec0("UPDATE physical_media SET name = 'changed' WHERE id = '" +
                 media[0].id.toString() + "'");
        return 0;
    });
    CHECK(named(reader, media[0].id) == "insert:");
    CHECK(reader
              .exec1("SELECT data ->> 'name' FROM event_log_full WHERE object_id = '" +
                     media[0].id.toString() + "' AND op = 'insert'")[0]
              .as<std::string>() == "");
    reader.commit();
    pqxx::work after(readerConnection);
    CHECK(named(after, media[0].id) == "insert:,update:changed");
}

TEST_CASE("event log: an empty event is filled in only with its row; nothing else writes it") {
    TestStore t = openTestStore();
    World w = makeWorld(t);
    const std::vector<MediaRow> media = inventory(t, w);
    pqxx::connection c(t.connectionString);
    auto refused = [&](const std::string &sql) {
        try {
            pqxx::work tx(c);
            tx.exec0(sql);
            tx.commit();
            return false;
        } catch (const pqxx::sql_error &) {
            return true;
        }
    };
    CHECK(refused("UPDATE event_log SET data = '{}' WHERE data IS NULL"));
    CHECK(
        refused("UPDATE event_log e SET data = f.data, principal = 'x' FROM event_log_full f"
                " WHERE f.seq = e.seq AND e.data IS NULL"));
    CHECK(refused("UPDATE event_log SET data = '{}' WHERE object_kind = 'pool'"));
    // Only an inserted medium or side may be logged empty.
    CHECK(
        refused("INSERT INTO event_log (object_kind, object_id, op, data) VALUES ('pool',"
                " gen_random_uuid(), 'insert', NULL)"));
    CHECK(
        refused("INSERT INTO event_log (object_kind, object_id, op, data) VALUES"
                " ('physical_media', gen_random_uuid(), 'update', NULL)"));
    CHECK(text(c, "SELECT count(*) FROM event_log WHERE data IS NULL") == "6");
    // The filling a migration does before it changes the tables' columns.
    pqxx::work tx(c);
    CHECK(tx.exec1("SELECT rsm_fill_insert_events()")[0].as<int>() == 6);
    CHECK(tx.exec1("SELECT count(*) FROM event_log WHERE data IS NULL")[0].as<int>() == 0);
    CHECK(tx.exec1("SELECT data ->> 'barcode' FROM event_log WHERE object_id = '" +
                   media[2].id.toString() + "'")[0]
              .as<std::string>() == "LAZY02L5");
}

TEST_CASE("event log: a row inserted as already changed is logged with its data at once") {
    // Only a row whose modified stamp is its created stamp may be logged empty: an UPDATE
    // fills its event in only when its old row's stamps are equal.
    TestStore t = openTestStore();
    World w = makeWorld(t);
    pqxx::connection c(t.connectionString);
    serializable(c, [&](pqxx::transaction_base &tx) {
        tx.exec_params0(
            "INSERT INTO physical_media (barcode, media_type_id, pool_id, library_id,"
            " library_kind, location, created, modified) VALUES ('OLD001L5', $1::uuid,"
            " $2::uuid, $3::uuid, 0, 0, now() - interval '1 day', now())",
            w.mediaType.toString(), w.freePool.toString(), w.offline.toString());
        return 0;
    });
    serializable(c, [&](pqxx::transaction_base &tx) {
        tx.exec0("UPDATE physical_media SET name = 'renamed' WHERE barcode = 'OLD001L5'");
        return 0;
    });
    pqxx::work r(c);
    const Uuid id = *Uuid::parse(
        r.exec1("SELECT id FROM physical_media WHERE barcode = 'OLD001L5'")[0].as<std::string>());
    CHECK(named(r, id) == "insert:,update:renamed");
    CHECK(r.exec1("SELECT count(*) FROM event_log WHERE data IS NULL")[0].as<int>() == 0);
}
