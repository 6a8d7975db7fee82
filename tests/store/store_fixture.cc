#include "tests/store/store_fixture.h"

#include <stdexcept>

#include <pqxx/transaction>

namespace rsm::test {

std::filesystem::path schemaDir() {
    return std::filesystem::path(RSM_SOURCE_DIR) / "schema";
}

TestStore openTestStore(PgCluster &cluster, store::PgStoreOptions options) {
    TestStore t;
    t.database = cluster.createDatabase();
    t.connectionString = cluster.connectionString(t.database);
    if (options.schemaDir.empty())
        options.schemaDir = schemaDir();
    auto opened = store::PgStore::open(t.connectionString, options);
    if (!opened.ok())
        throw std::runtime_error("PgStore::open failed: " + opened.error().toString());
    t.store = std::move(*opened);
    return t;
}

void write(store::PgStore &store, const std::function<void(engine::Tx &)> &fn,
           const std::string &principal, engine::Isolation isolation) {
    Result<void> r = store.transact(
        principal,
        [&](engine::Tx &tx) -> Result<void> {
            fn(tx);
            return success();
        },
        isolation);
    if (!r.ok())
        FAIL("transaction failed: " << r.error().toString());
}

Result<void> attempt(store::PgStore &store, const std::function<void(engine::Tx &)> &fn) {
    return store.transact("uid:0", [&](engine::Tx &tx) -> Result<void> {
        fn(tx);
        return success();
    });
}

void checkRefused(const Result<void> &r, const std::string &words) {
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code() == ErrorCode::InvalidParameter);
    CHECK_MESSAGE(r.error().message().find(words) != std::string::npos, r.error().message());
    CHECK_MESSAGE(r.error().message().find("a bug or a race") != std::string::npos,
                  r.error().message());
}

World makeWorld(TestStore &t) {
    World w;
    w.mediaType = Uuid::random();
    w.freePool = Uuid::random();
    w.appPool = Uuid::random();
    w.online = Uuid::random();
    w.drive = Uuid::random();
    for (auto &s : w.slots)
        s = Uuid::random();
    write(*t.store, [&](engine::Tx &tx) {
        tx.insertMediaType({w.mediaType, "LTO-5", "LTO Ultrium 5", 1});
        engine::PoolRow free;
        free.id = w.freePool;
        free.name = "Free";
        free.mediaTypeId = w.mediaType;
        free.kind = PoolKind::Free;
        tx.insertPool(free);
        engine::PoolRow app;
        app.id = w.appPool;
        app.name = "backup";
        app.mediaTypeId = w.mediaType;
        app.kind = PoolKind::Application;
        tx.insertPool(app);
        w.offline = tx.offlineLibrary().id;
    });
    // Libraries, slots and drives have no Tx calls yet: plain SQL with parameters.
    pqxx::connection c(t.connectionString);
    pqxx::work tx(c);
    tx.exec_params(
        "INSERT INTO library (id, name, kind, device) VALUES ($1::uuid, 'robot', 1, "
        "'/dev/sg0')",
        w.online.toString());
    for (int i = 0; i < 4; ++i)
        tx.exec_params(
            "INSERT INTO slot (id, library_id, address, state) VALUES ($1::uuid, "
            "$2::uuid, $3, 0)",
            w.slots[i].toString(), w.online.toString(), 1000 + i);
    tx.exec_params(
        "INSERT INTO drive (id, library_id, number, address) VALUES ($1::uuid, "
        "$2::uuid, 0, 500)",
        w.drive.toString(), w.online.toString());
    tx.commit();
    return w;
}

Medium addMedium(engine::Tx &tx, const World &w, const std::string &barcode,
                 std::optional<Uuid> slot, const Uuid &pool, SideState sideState) {
    Medium m{Uuid::random(), Uuid::random()};
    engine::MediaRow row;
    row.id = m.media;
    row.name = barcode;
    row.barcode = barcode;
    row.mediaTypeId = w.mediaType;
    row.poolId = pool;
    if (slot) {
        row.libraryId = w.online;
        row.libraryKind = LibraryKind::Online;
        row.location = LocationKind::Slot;
        row.slotId = slot;
        row.homeSlotId = slot;
    } else {
        row.libraryId = w.offline;
        row.libraryKind = LibraryKind::Offline;
        row.location = LocationKind::Shelf;
    }
    tx.insertMedia(row);
    engine::SideRow side;
    side.id = m.side;
    side.mediaId = m.media;
    side.state = sideState;
    tx.insertSide(side);
    return m;
}

}  // namespace rsm::test
