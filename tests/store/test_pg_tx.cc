// Every PgTx call against a real database: what is written reads back the same.

#include <doctest/doctest.h>

#include <pqxx/nontransaction>

#include "tests/store/store_fixture.h"

using namespace rsm;
using namespace rsm::engine;
using namespace rsm::test;

TEST_CASE("PgTx: sessions round-trip") {
    TestStore t = openTestStore();
    SessionRow s;
    s.id = Uuid::random();
    s.uid = 1000;
    s.gids = {100, 4000000000u, 7};
    s.application = "backup-daemon";
    write(*t.store, [&](Tx &tx) { tx.insertSession(s); });
    write(*t.store, [&](Tx &tx) {
        auto got = tx.session(s.id);
        REQUIRE(got);
        CHECK(got->id == s.id);
        CHECK(got->uid == 1000);
        CHECK(got->gids == s.gids);
        CHECK(got->application == "backup-daemon");
        CHECK(got->open);
        CHECK_FALSE(tx.session(Uuid::random()));
        tx.closeSession(s.id);
    });
    write(*t.store, [&](Tx &tx) { CHECK_FALSE(tx.session(s.id)->open); });

    SessionRow empty;
    empty.id = Uuid::random();
    write(*t.store, [&](Tx &tx) { tx.insertSession(empty); });
    write(*t.store, [&](Tx &tx) { CHECK(tx.session(empty.id)->gids.empty()); });
}

TEST_CASE("PgTx: computer, libraries and media types") {
    TestStore t = openTestStore();
    World w = makeWorld(t);
    write(*t.store, [&](Tx &tx) {
        CHECK_FALSE(tx.computerId().isNil());
        CHECK(tx.objectKind(tx.computerId()) == ObjectKind::Computer);

        LibraryRow offline = tx.offlineLibrary();
        CHECK(offline.kind == LibraryKind::Offline);
        CHECK(offline.name == "Offline");
        CHECK_FALSE(offline.device);
        auto robot = tx.library(w.online);
        REQUIRE(robot);
        CHECK(robot->name == "robot");
        CHECK(robot->kind == LibraryKind::Online);
        CHECK(robot->device == "/dev/sg0");
        CHECK(robot->enabled);
        CHECK(tx.libraryByName("robot")->id == w.online);
        CHECK_FALSE(tx.libraryByName("nothing"));
        CHECK_FALSE(tx.library(Uuid::random()));
        auto all = tx.libraries();
        REQUIRE(all.size() == 2);
        CHECK(all[0].name == "Offline");
        CHECK(all[1].name == "robot");

        auto type = tx.mediaType(w.mediaType);
        REQUIRE(type);
        CHECK(type->name == "LTO-5");
        CHECK(type->description == "LTO Ultrium 5");
        CHECK(type->sides == 1);
        tx.insertMediaType({Uuid::random(), "DVD-RAM", "", 2});
        CHECK(tx.mediaTypeByName("DVD-RAM")->sides == 2);
        CHECK_FALSE(tx.mediaTypeByName("LTO-9"));
        auto types = tx.mediaTypes();
        REQUIRE(types.size() == 2);
        CHECK(types[0].name == "DVD-RAM");
    });
}

TEST_CASE("PgTx: pools round-trip") {
    TestStore t = openTestStore();
    World w = makeWorld(t);
    PoolRow child;
    child.id = Uuid::random();
    child.name = "daily";
    child.description = "daily backups";
    child.parentId = w.appPool;
    child.mediaTypeId = w.mediaType;
    child.kind = PoolKind::Application;
    child.allocateFromFree = false;
    child.maxAllocations = 5;
    write(*t.store, [&](Tx &tx) { tx.insertPool(child); });
    write(*t.store, [&](Tx &tx) {
        auto got = tx.pool(child.id);
        REQUIRE(got);
        CHECK(got->name == "daily");
        CHECK(got->description == "daily backups");
        CHECK(got->parentId == w.appPool);
        CHECK(got->mediaTypeId == w.mediaType);
        CHECK(got->kind == PoolKind::Application);
        CHECK(got->enabled);
        CHECK_FALSE(got->allocateFromFree);
        CHECK(got->deallocateToFree);
        CHECK(got->maxAllocations == 5);
        CHECK(tx.pool(w.freePool)->parentId == std::nullopt);
        CHECK(tx.pool(w.freePool)->maxAllocations == std::nullopt);

        CHECK(tx.poolChild(std::nullopt, "backup")->id == w.appPool);
        CHECK(tx.poolChild(w.appPool, "daily")->id == child.id);
        CHECK_FALSE(tx.poolChild(std::nullopt, "daily"));
        CHECK(tx.systemPool(w.mediaType, PoolKind::Free)->id == w.freePool);
        CHECK_FALSE(tx.systemPool(w.mediaType, PoolKind::Import));
        CHECK(tx.pools().size() == 3);
        CHECK(tx.poolChildCount(w.appPool) == 1);
        CHECK(tx.poolChildCount(child.id) == 0);
        CHECK(tx.poolCounts(w.appPool).media == 0);

        child.description = "changed";
        child.enabled = false;
        child.maxAllocations.reset();
        child.deallocateToFree = false;
        tx.updatePool(child);
    });
    write(*t.store, [&](Tx &tx) {
        auto got = tx.pool(child.id);
        CHECK(got->description == "changed");
        CHECK_FALSE(got->enabled);
        CHECK_FALSE(got->deallocateToFree);
        CHECK_FALSE(got->maxAllocations);
        addMedium(tx, w, "AAA001L5", w.slots[0], w.appPool);
        addMedium(tx, w, "AAA002L5", std::nullopt, w.appPool, SideState::Available);
        addMedium(tx, w, "AAA003L5", w.slots[1], w.appPool, SideState::Allocated);
        const engine::PoolCounts counts = tx.poolCounts(w.appPool);
        CHECK(counts.media == 3);
        CHECK(counts.available == 2);        // those with an AVAILABLE side
        CHECK(counts.availableOnline == 1);  // of those, in the library: AAA001L5
    });
    write(
        *t.store,
        [&](Tx &tx) {
            tx.deletePool(child.id);
            CHECK_FALSE(tx.pool(child.id));
            CHECK(tx.poolChildCount(w.appPool) == 0);
        },
        "uid:0", engine::Isolation::ReadCommitted);
}

TEST_CASE("PgTx: physical media and sides round-trip") {
    TestStore t = openTestStore();
    World w = makeWorld(t);
    Medium m;
    write(*t.store, [&](Tx &tx) { m = addMedium(tx, w, "AAA001L5", w.slots[0], w.appPool); });
    write(*t.store, [&](Tx &tx) {
        auto got = tx.media(m.media);
        REQUIRE(got);
        CHECK(got->barcode == "AAA001L5");
        CHECK(got->name == "AAA001L5");
        CHECK(got->poolId == w.appPool);
        CHECK(got->mediaTypeId == w.mediaType);
        CHECK(got->libraryId == w.online);
        CHECK(got->libraryKind == LibraryKind::Online);
        CHECK(got->location == LocationKind::Slot);
        CHECK(got->slotId == w.slots[0]);
        CHECK(got->homeSlotId == w.slots[0]);
        CHECK_FALSE(got->driveId);
        CHECK_FALSE(got->ieportId);
        CHECK(got->state == MediaState::Idle);
        CHECK(got->sideCount == 1);
        CHECK(got->enabled);
        CHECK(tx.mediaByBarcode("AAA001L5")->id == m.media);
        CHECK_FALSE(tx.mediaByBarcode("ZZZ"));
        CHECK(tx.mediaInPool(w.appPool).size() == 1);
        CHECK(tx.mediaInPool(w.freePool).empty());
        CHECK(tx.allMedia().size() == 1);

        // Into the drive, then out to the shelf of the OFFLINE library.
        got->location = LocationKind::Drive;
        got->slotId.reset();
        got->driveId = w.drive;
        got->state = MediaState::Loaded;
        tx.updateMedia(*got);
        CHECK(tx.media(m.media)->driveId == w.drive);
        CHECK(tx.media(m.media)->state == MediaState::Loaded);
        got->libraryId = w.offline;
        got->libraryKind = LibraryKind::Offline;
        got->location = LocationKind::Shelf;
        got->driveId.reset();
        got->homeSlotId.reset();
        got->state = MediaState::Idle;
        got->barcode.reset();
        got->description = "on the shelf";
        tx.updateMedia(*got);
        auto moved = tx.media(m.media);
        CHECK(moved->libraryKind == LibraryKind::Offline);
        CHECK(moved->location == LocationKind::Shelf);
        CHECK_FALSE(moved->barcode);
        CHECK(moved->description == "on the shelf");

        auto side = tx.side(m.side);
        REQUIRE(side);
        CHECK(side->mediaId == m.media);
        CHECK(side->number == 0);
        CHECK(side->state == SideState::Available);
        CHECK_FALSE(side->labelType);
        side->state = SideState::Allocated;
        side->labelType = "VOL1";
        side->labelId = "ABC123";
        side->labelInfo = "ANSI";
        side->mountCount = 7;
        side->allocateCount = 2;
        tx.updateSide(*side);
        auto again = tx.sides(m.media);
        REQUIRE(again.size() == 1);
        CHECK(again[0].state == SideState::Allocated);
        CHECK(again[0].labelType == "VOL1");
        CHECK(again[0].labelId == "ABC123");
        CHECK(again[0].labelInfo == "ANSI");
        CHECK(again[0].mountCount == 7);
        CHECK(again[0].allocateCount == 2);

        tx.deleteSide(m.side);
        CHECK(tx.sides(m.media).empty());
        tx.deleteMedia(m.media);
        CHECK_FALSE(tx.media(m.media));
    });
}

TEST_CASE("PgTx: allocatableSide picks online media first, then the least allocated") {
    TestStore t = openTestStore();
    World w = makeWorld(t);
    Medium shelf, used, fresh, busy, disabled, second;
    write(*t.store, [&](Tx &tx) {
        CHECK_FALSE(tx.allocatableSide(w.freePool, std::nullopt, false));
        shelf = addMedium(tx, w, "A00", std::nullopt, w.freePool);
        used = addMedium(tx, w, "B00", w.slots[0], w.freePool);
        fresh = addMedium(tx, w, "C00", w.slots[1], w.freePool);
        busy = addMedium(tx, w, "A01", w.slots[2], w.freePool);
        disabled = addMedium(tx, w, "A02", w.slots[3], w.freePool);
        second = addMedium(tx, w, "Z00", std::nullopt, w.appPool, SideState::Allocated);
        auto side = *tx.side(used.side);
        side.allocateCount = 3;
        tx.updateSide(side);
        auto m = *tx.media(busy.media);
        m.state = MediaState::InUse;
        tx.updateMedia(m);
        m = *tx.media(disabled.media);
        m.enabled = false;
        tx.updateMedia(m);
    });
    write(*t.store, [&](Tx &tx) {
        CHECK(tx.allocatableSide(w.freePool, std::nullopt, false)->id == fresh.side);
        CHECK(tx.allocatableSide(w.freePool, std::nullopt, true)->id == fresh.side);
        CHECK_FALSE(
            tx.allocatableSide(w.appPool, std::nullopt, false));  // ALLOCATED, not AVAILABLE
        auto side = *tx.side(fresh.side);
        side.state = SideState::Allocated;
        tx.updateSide(side);
        CHECK(tx.allocatableSide(w.freePool, std::nullopt, false)->id ==
              used.side);  // online first
        CHECK(tx.allocatableSide(w.freePool, std::nullopt, true)->id ==
              shelf.side);  // never allocated
        side = *tx.side(used.side);
        side.state = SideState::Decommissioned;
        tx.updateSide(side);
        CHECK(tx.allocatableSide(w.freePool, std::nullopt, false)->id == shelf.side);
    });
}

TEST_CASE("PgTx: allocatableSide with a FREE pool: online first, then the pool's own") {
    TestStore t = openTestStore();
    World w = makeWorld(t);
    write(*t.store, [&](Tx &tx) {
        const Medium ownShelf = addMedium(tx, w, "A00", std::nullopt, w.appPool);
        CHECK(tx.allocatableSide(w.appPool, w.freePool, false)->id == ownShelf.side);
        const Medium freeShelf = addMedium(tx, w, "B00", std::nullopt, w.freePool);
        CHECK(tx.allocatableSide(w.appPool, w.freePool, false)->id == ownShelf.side);
        const Medium freeOnline = addMedium(tx, w, "C00", w.slots[0], w.freePool);
        CHECK(tx.allocatableSide(w.appPool, w.freePool, false)->id == freeOnline.side);
        CHECK(tx.allocatableSide(w.appPool, std::nullopt, false)->id == ownShelf.side);
        const Medium ownOnline = addMedium(tx, w, "D00", w.slots[1], w.appPool);
        CHECK(tx.allocatableSide(w.appPool, w.freePool, false)->id == ownOnline.side);
        CHECK(tx.allocatableSide(w.freePool, std::nullopt, false)->id == freeOnline.side);
        CHECK(freeShelf.side != ownShelf.side);
        tx.setMediaPool(freeShelf.media, w.appPool);
        CHECK(tx.media(freeShelf.media)->poolId == w.appPool);
    });
}

TEST_CASE("PgTx: mediaHasActiveRequest sees unfinished library requests only") {
    TestStore t = openTestStore();
    World w = makeWorld(t);
    Medium m;
    write(*t.store, [&](Tx &tx) { m = addMedium(tx, w, "AAA001L5", w.slots[0], w.appPool); });
    write(*t.store, [&](Tx &tx) { CHECK_FALSE(tx.mediaHasActiveRequest(m.media)); });
    pqxx::connection c(t.connectionString);
    for (int state : {2, 3, 4, 7, 8, 0}) {
        pqxx::nontransaction tx(c);
        tx.exec_params(
            "INSERT INTO library_request (library_id, kind, state, media_id)"
            " VALUES ($1::uuid, 'mount', $2, $3::uuid)",
            w.online.toString(), state, m.media.toString());
        const bool active = state == 0;
        write(*t.store, [&](Tx &tx) { CHECK(tx.mediaHasActiveRequest(m.media) == active); });
    }
}

TEST_CASE("PgTx: logical media round-trip and swap") {
    TestStore t = openTestStore();
    World w = makeWorld(t);
    Medium a, b;
    LmidRow la{Uuid::random(), {}, "la", "first"}, lb{Uuid::random(), {}, "lb", "second"};
    write(*t.store, [&](Tx &tx) {
        a = addMedium(tx, w, "A", w.slots[0], w.appPool, SideState::Allocated);
        b = addMedium(tx, w, "B", w.slots[1], w.appPool, SideState::Allocated);
        la.sideId = a.side;
        lb.sideId = b.side;
        tx.insertLmid(la);
        tx.insertLmid(lb);
    });
    write(*t.store, [&](Tx &tx) {
        auto got = tx.lmid(la.id);
        REQUIRE(got);
        CHECK(got->sideId == a.side);
        CHECK(got->name == "la");
        CHECK(got->description == "first");
        CHECK(tx.lmidBySide(b.side)->id == lb.id);
        CHECK_FALSE(tx.lmidBySide(Uuid::random()));
        CHECK(tx.lmids().size() == 2);
        tx.swapLmidSides(*tx.lmid(la.id), *tx.lmid(lb.id));
        CHECK(tx.lmid(la.id)->sideId == b.side);
        CHECK(tx.lmid(lb.id)->sideId == a.side);
        CHECK(tx.lmid(la.id)->name == "la");  // only the sides move
    });
    write(*t.store, [&](Tx &tx) {
        CHECK(tx.lmid(la.id)->sideId == b.side);
        LmidRow missing = lb;
        missing.id = Uuid::random();
        tx.swapLmidSides(*tx.lmid(la.id), missing);  // a missing LMID: nothing changes
        CHECK(tx.lmid(la.id)->sideId == b.side);
        LmidRow stale = *tx.lmid(lb.id);
        stale.sideId = b.side;                     // not where lb points now
        tx.swapLmidSides(*tx.lmid(la.id), stale);  // nothing changes either
        CHECK(tx.lmid(la.id)->sideId == b.side);
        CHECK(tx.lmid(lb.id)->sideId == a.side);
        auto row = *tx.lmid(la.id);
        row.name = "renamed";
        row.description = "";
        tx.updateLmid(row);
        CHECK(tx.lmid(la.id)->name == "renamed");
        tx.deleteLmid(lb.id);
        CHECK_FALSE(tx.lmid(lb.id));
        CHECK(tx.lmids().size() == 1);
    });
}

TEST_CASE("PgTx: ACL rights are the union over the uid and the gids") {
    TestStore t = openTestStore();
    World w = makeWorld(t);
    write(*t.store, [&](Tx &tx) {
        CHECK(tx.rights(1000, {100}, ObjectKind::Pool, w.appPool) == 0);
        tx.setAcl({{}, PrincipalKind::User, 1000, ObjectKind::Pool, w.appPool, rights::Use});
        tx.setAcl({{}, PrincipalKind::Group, 100, ObjectKind::Pool, w.appPool, rights::Modify});
        tx.setAcl({{}, PrincipalKind::Group, 200, ObjectKind::Pool, w.appPool, rights::Control});
        tx.setAcl({{}, PrincipalKind::Group, 1000, ObjectKind::Pool, w.freePool, rights::All});
    });
    write(*t.store, [&](Tx &tx) {
        CHECK(tx.rights(1000, {}, ObjectKind::Pool, w.appPool) == rights::Use);
        CHECK(tx.rights(1000, {100}, ObjectKind::Pool, w.appPool) ==
              (rights::Use | rights::Modify));
        CHECK(tx.rights(1000, {100, 200}, ObjectKind::Pool, w.appPool) == rights::All);
        CHECK(tx.rights(5, {200}, ObjectKind::Pool, w.appPool) == rights::Control);
        // A uid is not a gid: user 100 gets nothing from the entry of group 100.
        CHECK(tx.rights(100, {}, ObjectKind::Pool, w.appPool) == 0);
        CHECK(tx.rights(1000, {}, ObjectKind::Pool, w.freePool) == 0);

        auto entries = tx.acl(w.appPool);
        REQUIRE(entries.size() == 3);
        CHECK(entries[0].principalKind == PrincipalKind::User);
        CHECK(entries[0].principalId == 1000);
        CHECK(entries[0].rights == rights::Use);
        CHECK(entries[0].objectKind == ObjectKind::Pool);
        CHECK(entries[0].objectId == w.appPool);
        CHECK_FALSE(entries[0].id.isNil());

        // Replacing an entry keeps one row per principal.
        tx.setAcl({{}, PrincipalKind::User, 1000, ObjectKind::Pool, w.appPool, rights::Control});
        CHECK(tx.acl(w.appPool).size() == 3);
        CHECK(tx.rights(1000, {}, ObjectKind::Pool, w.appPool) == rights::Control);

        CHECK(tx.deleteAcl(w.appPool, PrincipalKind::Group, 200));
        CHECK_FALSE(tx.deleteAcl(w.appPool, PrincipalKind::Group, 200));
        CHECK(tx.rights(5, {200}, ObjectKind::Pool, w.appPool) == 0);
        CHECK(tx.acl(w.appPool).size() == 2);

        Uuid computer = tx.computerId();
        tx.setAcl({Uuid::random(), PrincipalKind::User, 0, ObjectKind::Computer, computer,
                   rights::Modify});
        CHECK(tx.rights(0, {}, ObjectKind::Computer, computer) == rights::Modify);
    });
}

TEST_CASE("PgTx: attributes hold bytes and are replaced by name") {
    TestStore t = openTestStore();
    World w = makeWorld(t);
    const std::string bytes("\0\x01\xff\\x00'\"", 8);
    write(*t.store, [&](Tx &tx) {
        CHECK_FALSE(tx.attribute(w.appPool, "retention"));
        tx.setAttribute({w.appPool, ObjectKind::Pool, "retention", "30d"});
        tx.setAttribute({w.appPool, ObjectKind::Pool, "blob", bytes});
    });
    write(*t.store, [&](Tx &tx) {
        auto got = tx.attribute(w.appPool, "blob");
        REQUIRE(got);
        CHECK(got->value == bytes);
        CHECK(got->objectKind == ObjectKind::Pool);
        CHECK(got->objectId == w.appPool);
        tx.setAttribute({w.appPool, ObjectKind::Pool, "retention", "90d"});
        auto all = tx.attributes(w.appPool);
        REQUIRE(all.size() == 2);
        CHECK(all[0].name == "blob");
        CHECK(all[1].name == "retention");
        CHECK(all[1].value == "90d");
        CHECK(tx.deleteAttribute(w.appPool, "blob"));
        CHECK_FALSE(tx.deleteAttribute(w.appPool, "blob"));
        CHECK(tx.attributes(w.appPool).size() == 1);
    });
}

TEST_CASE("PgTx: objectKind names the table an id lives in") {
    TestStore t = openTestStore();
    World w = makeWorld(t);
    Medium m;
    LmidRow lmid{Uuid::random(), {}, "", ""};
    write(*t.store, [&](Tx &tx) {
        m = addMedium(tx, w, "A", w.slots[0], w.appPool, SideState::Allocated);
        lmid.sideId = m.side;
        tx.insertLmid(lmid);
    });
    write(*t.store, [&](Tx &tx) {
        CHECK(tx.objectKind(w.online) == ObjectKind::Library);
        CHECK(tx.objectKind(w.offline) == ObjectKind::Library);
        CHECK(tx.objectKind(w.drive) == ObjectKind::Drive);
        CHECK(tx.objectKind(w.slots[2]) == ObjectKind::Slot);
        CHECK(tx.objectKind(w.mediaType) == ObjectKind::MediaType);
        CHECK(tx.objectKind(m.media) == ObjectKind::PhysicalMedia);
        CHECK(tx.objectKind(m.side) == ObjectKind::Side);
        CHECK(tx.objectKind(lmid.id) == ObjectKind::LogicalMedia);
        CHECK(tx.objectKind(w.freePool) == ObjectKind::Pool);
        CHECK_FALSE(tx.objectKind(Uuid::random()));
    });
    pqxx::connection c(t.connectionString);
    pqxx::nontransaction sql(c);
    Uuid port = Uuid::random(), request = Uuid::random(), op = Uuid::random(),
         changer = Uuid::random();
    sql.exec_params("INSERT INTO ieport (id, library_id, address) VALUES ($1::uuid, $2::uuid, 10)",
                    port.toString(), w.online.toString());
    sql.exec_params(
        "INSERT INTO library_request (id, library_id, kind) VALUES ($1::uuid, "
        "$2::uuid, 'inventory')",
        request.toString(), w.online.toString());
    sql.exec_params("INSERT INTO operator_request (id, kind) VALUES ($1::uuid, 5)", op.toString());
    sql.exec_params("INSERT INTO changer (id, library_id, address) VALUES ($1::uuid, $2::uuid, 0)",
                    changer.toString(), w.online.toString());
    write(*t.store, [&](Tx &tx) {
        CHECK(tx.objectKind(port) == ObjectKind::IePort);
        CHECK(tx.objectKind(request) == ObjectKind::LibraryRequest);
        CHECK(tx.objectKind(op) == ObjectKind::OperatorRequest);
        CHECK(tx.objectKind(changer) == ObjectKind::Changer);
    });
}

TEST_CASE("PgTx: setObjectText writes only whitelisted columns") {
    TestStore t = openTestStore();
    World w = makeWorld(t);
    write(*t.store, [&](Tx &tx) {
        CHECK(tx.setObjectText(ObjectKind::Pool, w.appPool, "description", "weekly"));
        CHECK(tx.setObjectText(ObjectKind::Library, w.online, "name", "robot-2"));
        CHECK(tx.setObjectText(ObjectKind::Computer, tx.computerId(), "description", "srv"));
        CHECK_FALSE(tx.setObjectText(ObjectKind::Pool, Uuid::random(), "name", "x"));
    });
    write(*t.store, [&](Tx &tx) {
        CHECK(tx.pool(w.appPool)->description == "weekly");
        CHECK(tx.library(w.online)->name == "robot-2");
    });
    for (const char *column : {"kind", "id", "name; DROP TABLE pool", ""}) {
        Result<void> r = attempt(
            *t.store, [&](Tx &tx) { tx.setObjectText(ObjectKind::Pool, w.appPool, column, "x"); });
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().code() == ErrorCode::InvalidParameter);
    }
    Result<void> slotName = attempt(
        *t.store, [&](Tx &tx) { tx.setObjectText(ObjectKind::Slot, w.slots[0], "name", "x"); });
    CHECK(slotName.error().code() == ErrorCode::InvalidParameter);
    // Too long for the schema: refused by its CHECK, reported as INVALID_PARAMETER.
    Result<void> tooLong = attempt(*t.store, [&](Tx &tx) {
        tx.setObjectText(ObjectKind::Pool, w.appPool, "name", std::string(65, 'x'));
    });
    CHECK(tooLong.error().code() == ErrorCode::InvalidParameter);
    write(*t.store, [&](Tx &tx) { CHECK(tx.pool(w.appPool)->name == "backup"); });
}

TEST_CASE("PgTx: mediaMatching filters in the statement; times follow the rows (schema 15)") {
    TestStore t = openTestStore();
    World w = makeWorld(t);
    Medium online, shelf, other;
    LmidRow lmid{Uuid::random(), {}, "held", ""};
    write(*t.store, [&](Tx &tx) {
        online = addMedium(tx, w, "ON0001", w.slots[0], w.appPool, SideState::Allocated);
        shelf = addMedium(tx, w, "OFF001", std::nullopt, w.appPool, SideState::Complete);
        other = addMedium(tx, w, "FREE01", w.slots[1], w.freePool);
        lmid.sideId = online.side;
        tx.insertLmid(lmid);
    });
    const auto barcodes = [&](const MediaFilter &f) {
        std::vector<std::string> out;
        write(*t.store, [&](Tx &tx) {
            for (const MediaRow &m : tx.mediaMatching(f))
                out.push_back(m.barcode.value_or("-"));
        });
        return out;
    };
    using List = std::vector<std::string>;
    CHECK(barcodes({}) == List{"FREE01", "OFF001", "ON0001"});
    CHECK(barcodes({.pool = w.appPool}) == List{"OFF001", "ON0001"});
    CHECK(barcodes({.library = w.online}) == List{"FREE01", "ON0001"});
    CHECK(barcodes({.sideState = SideState::Complete}) == List{"OFF001"});
    CHECK(barcodes({.pool = w.appPool, .sideState = SideState::Available}).empty());
    CHECK(barcodes({.mediaState = MediaState::Idle}).size() == 3);
    CHECK(barcodes({.mediaState = MediaState::Loaded}).empty());
    CHECK(barcodes({.location = LocationKind::Shelf}) == List{"OFF001"});
    CHECK(barcodes({.online = true}) == List{"FREE01", "ON0001"});
    CHECK(barcodes({.online = false}) == List{"OFF001"});

    write(*t.store, [&](Tx &tx) {
        MediaRow m = *tx.media(online.media);
        CHECK(m.created);
        SideRow s = *tx.side(online.side);
        CHECK_FALSE(s.completed);
        CHECK_FALSE(s.lastMounted);
        CHECK_FALSE(s.lastWritten);
        LmidRow l = *tx.lmid(lmid.id);
        CHECK(l.created);
        CHECK(l.allocated == l.created);
        CHECK(tx.lmidBySide(online.side)->allocated == l.allocated);

        // One more mount stamps last_mounted; COMPLETE stamps completed; leaving it clears it.
        s.mountCount += 1;
        s.state = SideState::Complete;
        tx.updateSide(s);
        s = *tx.side(online.side);
        CHECK(s.lastMounted);
        CHECK(s.completed);
        s.labelId = "again";  // the same state and count: the times stay
        tx.updateSide(s);
        CHECK(tx.side(online.side)->completed == s.completed);
        CHECK(tx.side(online.side)->lastMounted == s.lastMounted);
        s.state = SideState::Available;
        tx.updateSide(s);
        CHECK_FALSE(tx.side(online.side)->completed);
        CHECK(tx.side(online.side)->lastMounted == s.lastMounted);
        tx.sideWritten(online.side);
        CHECK(tx.sides(online.media).at(0).lastWritten);
    });

    // A swap stamps both LMIDs' allocated time.
    LmidRow second{Uuid::random(), shelf.side, "second", ""};
    write(*t.store, [&](Tx &tx) { tx.insertLmid(second); });
    {
        pqxx::connection db(t.connectionString);
        pqxx::nontransaction n(db);
        n.exec("UPDATE logical_media SET allocated = '2020-01-01Z'");
    }
    write(*t.store, [&](Tx &tx) {
        CHECK(tx.lmid(lmid.id)->allocated == 1577836800);
        tx.swapLmidSides(*tx.lmid(lmid.id), *tx.lmid(second.id));
        CHECK(*tx.lmid(lmid.id)->allocated > 1577836800);
        CHECK(*tx.lmid(second.id)->allocated > 1577836800);
    });
}

TEST_CASE("PgTx: namesNear reads the LMID names and barcodes of about a length, with pools") {
    TestStore t = openTestStore();
    World w = makeWorld(t);
    write(*t.store, [&](Tx &tx) {
        Medium a = addMedium(tx, w, "AB0001", w.slots[0], w.appPool, SideState::Allocated);
        Medium b = addMedium(tx, w, "AB0001LONGER", w.slots[1], w.freePool);
        tx.insertLmid(LmidRow{Uuid::random(), a.side, "daily-0001", ""});
        (void)b;
    });
    write(*t.store, [&](Tx &tx) {
        auto lmids = tx.namesNear(ObjectKind::LogicalMedia, 8, 12);
        REQUIRE(lmids.size() == 1);
        CHECK(lmids[0].first == "daily-0001");
        CHECK(lmids[0].second == w.appPool);
        CHECK(tx.namesNear(ObjectKind::LogicalMedia, 1, 5).empty());
        auto media = tx.namesNear(ObjectKind::PhysicalMedia, 4, 8);
        REQUIRE(media.size() == 1);
        CHECK(media[0].first == "AB0001");
        CHECK(tx.namesNear(ObjectKind::PhysicalMedia, 4, 12).size() == 2);
    });
}
