// PgTx's calls on many rows at once (src/store/pg_tx_inventory.cc): what is written reads back
// the same, whatever characters the text holds, NULLs included; empty lists do nothing.

#include <doctest/doctest.h>

#include "tests/store/store_fixture.h"

using namespace rsm;
using namespace rsm::engine;
using namespace rsm::test;

namespace {

// Text an array literal must quote: quotes, backslashes, commas, braces, blanks, the word NULL.
const std::string kOdd = "a \"b\" \\c, {d} NULL";

MediaRow mediaRow(const World &w, const std::string &barcode) {
    MediaRow m;
    m.id = Uuid::random();
    m.barcode = barcode;
    m.mediaTypeId = w.mediaType;
    m.poolId = w.appPool;
    m.libraryId = w.offline;
    m.libraryKind = LibraryKind::Offline;
    m.location = LocationKind::Shelf;
    return m;
}

void checkSame(const MediaRow &got, const MediaRow &want) {
    CHECK(got.id == want.id);
    CHECK(got.name == want.name);
    CHECK(got.description == want.description);
    CHECK(got.barcode == want.barcode);
    CHECK(got.mediaTypeId == want.mediaTypeId);
    CHECK(got.poolId == want.poolId);
    CHECK(got.libraryId == want.libraryId);
    CHECK(got.libraryKind == want.libraryKind);
    CHECK(got.location == want.location);
    CHECK(got.slotId == want.slotId);
    CHECK(got.driveId == want.driveId);
    CHECK(got.ieportId == want.ieportId);
    CHECK(got.homeSlotId == want.homeSlotId);
    CHECK(got.state == want.state);
    CHECK(got.sideCount == want.sideCount);
    CHECK(got.enabled == want.enabled);
}

}  // namespace

TEST_CASE("PgTx: media and sides many at once round-trip") {
    TestStore t = openTestStore();
    World w = makeWorld(t);
    MediaRow shelf = mediaRow(w, kOdd);
    shelf.name = kOdd;
    shelf.description = "\\";
    shelf.enabled = false;
    MediaRow inSlot = mediaRow(w, "BLK001L5");
    inSlot.libraryId = w.online;
    inSlot.libraryKind = LibraryKind::Online;
    inSlot.location = LocationKind::Slot;
    inSlot.slotId = inSlot.homeSlotId = w.slots[1];
    MediaRow inDrive = mediaRow(w, "BLK002L5");
    inDrive.barcode.reset();
    inDrive.libraryId = w.online;
    inDrive.libraryKind = LibraryKind::Online;
    inDrive.location = LocationKind::Drive;
    inDrive.driveId = w.drive;
    inDrive.homeSlotId = w.slots[2];
    inDrive.state = MediaState::Loaded;
    inDrive.sideCount = 2;
    SideRow plain{Uuid::random(), inSlot.id, 0, SideState::Unknown, {}, {}, {}, 0, 0};
    SideRow labelled{Uuid::random(), inDrive.id, 1, SideState::Allocated, kOdd, "", "NULL", 9, 3};

    write(*t.store, [&](Tx &tx) {
        tx.insertMediaRows({});
        tx.insertSideRows({});
        tx.updateMediaRows({});
        tx.setDriveStates({});
        CHECK(tx.mediaByBarcodes({}).empty());
        tx.insertMediaRows({shelf, inSlot, inDrive});
        tx.insertSideRows({plain, labelled});
    });
    write(*t.store, [&](Tx &tx) {
        checkSame(*tx.media(shelf.id), shelf);
        checkSame(*tx.media(inSlot.id), inSlot);
        checkSame(*tx.media(inDrive.id), inDrive);
        auto found = tx.mediaByBarcodes({"BLK001L5", "missing", kOdd, "BLK002L5"});
        REQUIRE(found.size() == 2);
        CHECK(found[0].id == inSlot.id);  // by barcode: "B…" before "a…"
        CHECK(found[1].id == shelf.id);
        auto s = tx.sides(inSlot.id);
        REQUIRE(s.size() == 1);
        CHECK(s[0].id == plain.id);
        CHECK(s[0].state == SideState::Unknown);
        CHECK_FALSE(s[0].labelType);
        CHECK_FALSE(s[0].labelId);
        CHECK_FALSE(s[0].labelInfo);
        s = tx.sides(inDrive.id);
        REQUIRE(s.size() == 1);
        CHECK(s[0].number == 1);
        CHECK(s[0].state == SideState::Allocated);
        CHECK(s[0].labelType == kOdd);
        CHECK(s[0].labelId == "");
        CHECK(s[0].labelInfo == "NULL");
        CHECK(s[0].mountCount == 9);
        CHECK(s[0].allocateCount == 3);
    });

    // Every column rewritten: the shelf medium into slot 0, the others out to the shelf.
    shelf.libraryId = w.online;
    shelf.libraryKind = LibraryKind::Online;
    shelf.location = LocationKind::Slot;
    shelf.slotId = shelf.homeSlotId = w.slots[0];
    shelf.name = "renamed";
    shelf.description = kOdd;
    shelf.barcode = "BLK000L5";
    shelf.poolId = w.freePool;
    shelf.enabled = true;
    for (MediaRow *m : {&inSlot, &inDrive}) {
        m->libraryId = w.offline;
        m->libraryKind = LibraryKind::Offline;
        m->location = LocationKind::Shelf;
        m->slotId = m->driveId = m->homeSlotId = std::nullopt;
        m->state = MediaState::Idle;
    }
    write(*t.store, [&](Tx &tx) { tx.updateMediaRows({shelf, inSlot, inDrive}); });
    write(*t.store, [&](Tx &tx) {
        checkSame(*tx.media(shelf.id), shelf);
        checkSame(*tx.media(inSlot.id), inSlot);
        checkSame(*tx.media(inDrive.id), inDrive);
    });
}

TEST_CASE("PgTx: updateMediaRows may not hand an element from one row to another") {
    TestStore t = openTestStore();
    World w = makeWorld(t);
    Medium a, b;
    write(*t.store, [&](Tx &tx) {
        a = addMedium(tx, w, "SWP001L5", w.slots[0], w.appPool);
        b = addMedium(tx, w, "SWP002L5", w.slots[1], w.appPool);
    });
    MediaRow ra, rb;
    write(*t.store, [&](Tx &tx) {
        ra = *tx.media(a.media);
        rb = *tx.media(b.media);
    });
    std::swap(ra.slotId, rb.slotId);
    // In one call the first row takes a slot the second still holds.
    CHECK_FALSE(attempt(*t.store, [&](Tx &tx) { tx.updateMediaRows({ra, rb}); }).ok());
    // Out first, then in: what the inventory does.
    write(*t.store, [&](Tx &tx) {
        MediaRow outA = ra, outB = rb;
        for (MediaRow *m : {&outA, &outB}) {
            m->location = LocationKind::Transport;
            m->slotId.reset();
        }
        tx.updateMediaRows({outA, outB});
        tx.updateMediaRows({ra, rb});
    });
    write(*t.store, [&](Tx &tx) {
        CHECK(tx.media(a.media)->slotId == w.slots[1]);
        CHECK(tx.media(b.media)->slotId == w.slots[0]);
    });
}

TEST_CASE("PgTx: setDriveStates sets each named drive's state") {
    TestStore t = openTestStore();
    World w = makeWorld(t);
    write(*t.store, [&](Tx &tx) { tx.setDriveStates({{w.drive, DriveState::Loaded}}); });
    write(*t.store, [&](Tx &tx) {
        CHECK(tx.drive(w.drive)->state == DriveState::Loaded);
        tx.setDriveStates(
            {{w.drive, DriveState::Dismountable}, {Uuid::random(), DriveState::Loaded}});
    });
    write(*t.store, [&](Tx &tx) { CHECK(tx.drive(w.drive)->state == DriveState::Dismountable); });
}
