// The references of media and sides, kept by schema 21's statement triggers rather than
// PostgreSQL's per-row foreign keys: what they refuse, one row at a time and as an inventory
// inserts many; the referenced side's actions (RESTRICT, SET NULL, CASCADE); and the two
// interleavings of an insert against the deletion of what it references.

#include <doctest/doctest.h>

#include <chrono>
#include <future>
#include <string>

#include <pqxx/pqxx>

#include "tests/store/store_fixture.h"

using namespace rsm;
using namespace rsm::engine;
using namespace rsm::test;

namespace {

MediaRow shelved(const World &w, const Uuid &pool) {
    MediaRow row;
    row.id = Uuid::random();
    row.mediaTypeId = w.mediaType;
    row.poolId = pool;
    row.libraryId = w.offline;
    row.libraryKind = LibraryKind::Offline;
    row.location = LocationKind::Shelf;
    return row;
}

MediaRow inSlot(const World &w, const Uuid &slot) {
    MediaRow row = shelved(w, w.freePool);
    row.libraryId = w.online;
    row.libraryKind = LibraryKind::Online;
    row.location = LocationKind::Slot;
    row.slotId = slot;
    row.homeSlotId = slot;
    return row;
}

// The SQLSTATE and message of a failure (libpqxx 6 gives a serialization failure no SQLSTATE
// of its own).
std::string described(const pqxx::failure &e) {
    if (auto *sql = dynamic_cast<const pqxx::sql_error *>(&e))
        return sql->sqlstate() + " " + e.what();
    if (dynamic_cast<const pqxx::serialization_failure *>(&e))
        return std::string("40001 ") + e.what();
    return e.what();
}

// The failure of `sql`, or "" when it succeeds.
std::string failure(pqxx::transaction_base &tx, const std::string &sql) {
    try {
        tx.exec0(sql);
        return "";
    } catch (const pqxx::failure &e) {
        return described(e);
    }
}

template <typename T>
T value(pqxx::transaction_base &tx, const std::string &sql) {
    return tx.exec1(sql)[0].as<T>();
}

bool running(std::future<std::string> &f) {
    return f.wait_for(std::chrono::milliseconds(400)) == std::future_status::timeout;
}

}  // namespace

TEST_CASE("schema keys: a medium naming what does not exist is refused, alone or among many") {
    TestStore t = openTestStore();
    World w = makeWorld(t);
    MediaRow row = shelved(w, Uuid::random());
    checkRefused(attempt(*t.store, [&](Tx &tx) { tx.insertMedia(row); }),
                 "physical_media_pool_id_fkey");
    row = shelved(w, w.freePool);
    row.mediaTypeId = Uuid::random();
    checkRefused(attempt(*t.store, [&](Tx &tx) { tx.insertMedia(row); }),
                 "physical_media_media_type_id_fkey");
    row = inSlot(w, Uuid::random());
    checkRefused(attempt(*t.store, [&](Tx &tx) { tx.insertMedia(row); }),
                 "physical_media_slot_id_library_id_fkey");
    row = inSlot(w, w.slots[0]);
    row.homeSlotId = Uuid::random();
    checkRefused(attempt(*t.store, [&](Tx &tx) { tx.insertMedia(row); }),
                 "physical_media_home_slot_id_fkey");
    row = inSlot(w, w.slots[0]);
    row.slotId.reset();
    row.location = LocationKind::Drive;
    row.driveId = Uuid::random();
    checkRefused(attempt(*t.store, [&](Tx &tx) { tx.insertMedia(row); }),
                 "physical_media_drive_id_library_id_fkey");
    // As an inventory adds them: one statement, three good rows and one whose home is gone.
    std::vector<MediaRow> rows{inSlot(w, w.slots[0]), inSlot(w, w.slots[1]), inSlot(w, w.slots[2]),
                               inSlot(w, w.slots[3])};
    rows[2].homeSlotId = Uuid::random();
    checkRefused(attempt(*t.store, [&](Tx &tx) { tx.insertMediaRows(rows); }),
                 "physical_media_home_slot_id_fkey");
    rows[2].homeSlotId = rows[2].slotId;
    rows[3].poolId = Uuid::random();
    checkRefused(attempt(*t.store, [&](Tx &tx) { tx.insertMediaRows(rows); }),
                 "physical_media_pool_id_fkey");
    rows[3].poolId = w.appPool;
    // The fourth in the library's drive, its home slot 4.
    rows[3].slotId.reset();
    rows[3].location = LocationKind::Drive;
    rows[3].driveId = w.drive;
    write(*t.store, [&](Tx &tx) { tx.insertMediaRows(rows); });
    write(*t.store, [&](Tx &tx) { CHECK(tx.allMedia().size() == 4); });
    // A change to a key that does not exist is refused too; one that does is taken.
    checkRefused(attempt(*t.store,
                         [&](Tx &tx) {
                             MediaRow m = rows[0];
                             m.homeSlotId = Uuid::random();
                             tx.updateMedia(m);
                         }),
                 "physical_media_home_slot_id_fkey");
    write(*t.store, [&](Tx &tx) {
        MediaRow m = rows[0];
        m.homeSlotId = w.slots[3];
        tx.updateMedia(m);
    });
}

TEST_CASE("schema keys: what media reference is kept; a slot's deletion clears home slots") {
    TestStore t = openTestStore();
    World w = makeWorld(t);
    Medium m;
    write(*t.store, [&](Tx &tx) { m = addMedium(tx, w, "A", w.slots[0], w.appPool); });
    pqxx::connection c(t.connectionString);
    auto refused = [&](const std::string &sql) {
        pqxx::work tx(c);
        return failure(tx, sql);
    };
    CHECK(refused("DELETE FROM pool WHERE id = '" + w.appPool.toString() + "'").find("23503") == 0);
    CHECK(refused("DELETE FROM media_type WHERE id = '" + w.mediaType.toString() + "'")
              .find("23503") == 0);
    std::string slot = refused("DELETE FROM slot WHERE id = '" + w.slots[0].toString() + "'");
    CHECK_MESSAGE(slot.find("physical_media_slot_id_library_id_fkey") != std::string::npos, slot);
    std::string media =
        refused("DELETE FROM physical_media WHERE id = '" + m.media.toString() + "'");
    CHECK_MESSAGE(media.find("side_media_id_fkey") != std::string::npos, media);
    CHECK(refused("UPDATE physical_media SET id = gen_random_uuid() WHERE id = '" +
                  m.media.toString() + "'")
              .find("23503") == 0);
    // Keys are written in SERIALIZABLE transactions only, as rsm writes them.
    CHECK(refused("UPDATE physical_media SET slot_id = '" + w.slots[1].toString() +
                  "' WHERE id = '" + m.media.toString() + "'")
              .find("0A000") == 0);
    // The medium moves to slot 2; its home stays slot 1, which the library then loses.
    pqxx::work tx(c);
    tx.exec0("SET TRANSACTION ISOLATION LEVEL SERIALIZABLE");
    tx.exec0("UPDATE physical_media SET slot_id = '" + w.slots[1].toString() + "' WHERE id = '" +
             m.media.toString() + "'");
    tx.exec0("UPDATE physical_media SET home_slot_id = '" + w.slots[0].toString() +
             "' WHERE id = '" + m.media.toString() + "'");
    tx.exec0("DELETE FROM slot WHERE id = '" + w.slots[0].toString() + "'");
    CHECK(value<bool>(tx, "SELECT home_slot_id IS NULL FROM physical_media WHERE id = '" +
                              m.media.toString() + "'"));
    // A library's kind reaches its media (STANDALONE; the medium leaves its slot first).
    tx.exec0(
        "UPDATE physical_media SET slot_id = NULL, location = 0, library_kind = 0, "
        "library_id = '" +
        w.offline.toString() + "' WHERE id = '" + m.media.toString() + "'");
    tx.exec0("UPDATE physical_media SET library_id = '" + w.online.toString() +
             "', library_kind = 1, location = 4 WHERE id = '" + m.media.toString() + "'");
    tx.exec0("UPDATE library SET kind = 2 WHERE id = '" + w.online.toString() + "'");
    CHECK(value<int>(tx, "SELECT library_kind FROM physical_media WHERE id = '" +
                             m.media.toString() + "'") == 2);
    tx.commit();
}

TEST_CASE("schema keys: an insert and the deletion of what it references, in both orders") {
    TestStore t = openTestStore();
    World w = makeWorld(t);
    pqxx::connection a(t.connectionString), b(t.connectionString);
    int address = 100;
    auto addSlot = [&] {
        pqxx::work tx(a);
        auto id = value<std::string>(tx, "INSERT INTO slot (library_id, address) VALUES ('" +
                                             w.online.toString() + "', " +
                                             std::to_string(address++) + ") RETURNING id");
        tx.commit();
        return id;
    };
    auto insertInto = [&](const std::string &slot) {
        return "INSERT INTO physical_media (media_type_id, pool_id, library_id, library_kind, "
               "location, slot_id) VALUES ('" +
               w.mediaType.toString() + "', '" + w.freePool.toString() + "', '" +
               w.online.toString() + "', 1, 1, '" + slot + "')";
    };
    // Runs `sql` in a transaction of `level` on `c` and commits: the failure, or "".
    auto run = [](pqxx::connection &c, const std::string &level, const std::string &sql) {
        try {
            pqxx::work tx(c);
            tx.exec0("SET TRANSACTION ISOLATION LEVEL " + level);
            tx.exec1("SELECT count(*) FROM physical_media");  // the snapshot, taken now
            tx.exec0(sql);
            tx.commit();
            return std::string();
        } catch (const pqxx::failure &e) {
            return described(e);
        }
    };
    auto count = [&](const std::string &sql) {
        pqxx::work tx(a);
        return value<int>(tx, sql);
    };

    // rsm writes these keys in SERIALIZABLE transactions and deletes their rows in READ
    // COMMITTED or SERIALIZABLE ones (the migration's isolation note): both orders at both
    // levels of the deletion.
    for (const std::string level : {"READ COMMITTED", "SERIALIZABLE"}) {
        CAPTURE(level);
        // The insert first: the deletion waits for it, then is refused. READ COMMITTED sees
        // the new medium once it waited; SERIALIZABLE, whose snapshot does not, fails as a
        // serialization failure (40001), which rsm retries.
        std::string slot = addSlot();
        {
            pqxx::work inserter(a);
            inserter.exec0("SET TRANSACTION ISOLATION LEVEL SERIALIZABLE");
            inserter.exec0(insertInto(slot));
            auto deletion = std::async(std::launch::async, [&] {
                return run(b, level, "DELETE FROM slot WHERE id = '" + slot + "'");
            });
            CHECK(running(deletion));
            inserter.commit();
            std::string why = deletion.get();
            CHECK_MESSAGE((why.find("23503") == 0 || why.find("40001") == 0), why);
        }
        CHECK(count("SELECT count(*) FROM slot WHERE id = '" + slot + "'") == 1);
        CHECK(count("SELECT count(*) FROM physical_media WHERE slot_id = '" + slot + "'") == 1);
        // The deletion first: the insert waits for it, then is refused.
        slot = addSlot();
        {
            pqxx::work deleter(b);
            deleter.exec0("SET TRANSACTION ISOLATION LEVEL " + level);
            deleter.exec0("DELETE FROM slot WHERE id = '" + slot + "'");
            auto insert = std::async(std::launch::async,
                                     [&] { return run(a, "SERIALIZABLE", insertInto(slot)); });
            CHECK(running(insert));
            deleter.commit();
            std::string why = insert.get();
            CHECK_MESSAGE((why.find("23503") == 0 || why.find("40001") == 0), why);
        }
        CHECK(count("SELECT count(*) FROM slot WHERE id = '" + slot + "'") == 0);
        CHECK(count("SELECT count(*) FROM physical_media WHERE slot_id = '" + slot + "'") == 0);
    }
    // REPEATABLE READ cannot delete what media may reference.
    const std::string slot = addSlot();
    std::string why = run(b, "REPEATABLE READ", "DELETE FROM slot WHERE id = '" + slot + "'");
    CHECK_MESSAGE(why.find("0A000") == 0, why);
}
