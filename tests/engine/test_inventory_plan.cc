// The FAST inventory's planner (src/engine/inventory_plan.h) without a database: a snapshot
// built here, a robot's report, and the changes planned — new cartridges, moves, cartridges
// gone, cartridges without a (readable) barcode, duplicate barcodes, drives, recorded moves
// resolved, the errors, and a second plan over the first one's result that changes nothing.

#include <doctest/doctest.h>

#include <algorithm>
#include <map>

#include "src/engine/inventory_plan.h"

using namespace rsm;
using namespace rsm::engine;

namespace {

Uuid id(std::uint8_t n) {
    std::array<std::uint8_t, 16> b{};
    b[15] = n;
    return Uuid(b);
}

// Slots 1000..1003, drives 500 and 501, IE port 10; media of an application pool; LTO-5 and
// "unknown" are known types with UNRECOGNIZED pools.
const Uuid kLibrary = id(1), kOffline = id(2), kAppPool = id(3), kShelf = id(4);
const Uuid kLto5 = id(5), kLto5Unrecognized = id(6), kUnknown = id(7), kUnknownUnrecognized = id(8);
Uuid slotId(int i) {
    return id(static_cast<std::uint8_t>(10 + i));
}
Uuid driveId(int i) {
    return id(static_cast<std::uint8_t>(20 + i));
}
const Uuid kPortId = id(30);
constexpr std::int64_t kNow = 1700000000;

// What the robot holds: element -> barcode (none: a cartridge without one).
using Holdings = std::map<std::pair<ObjectKind, int>, std::optional<std::string>>;

struct Library {
    Library() {
        s.library =
            LibraryRow{kLibrary, "robot", "", LibraryKind::Online, "/dev/sg9", true, {}, {}, {}};
        for (int i = 0; i < 4; ++i)
            s.slots.push_back(ElementRow{slotId(i), kLibrary, 1000 + i, false});
        s.ieports.push_back(ElementRow{kPortId, kLibrary, 10, false});
        for (int i = 0; i < 2; ++i) {
            DriveRow d;
            d.id = driveId(i);
            d.libraryId = kLibrary;
            d.number = i;
            d.address = 500 + i;
            s.drives.push_back(d);
        }
        s.offline.id = kOffline;
        s.offline.kind = LibraryKind::Offline;
        s.types["LTO-5"] = {MediaTypeRow{kLto5, "LTO-5", "", 1}, kLto5Unrecognized};
        s.types["unknown"] = {MediaTypeRow{kUnknown, "unknown", "", 2}, kUnknownUnrecognized};
        s.poolKinds[kAppPool] = PoolKind::Application;
        s.poolKinds[kLto5Unrecognized] = PoolKind::Unrecognized;
        s.cleanerPrefix = "CLN";
        s.cleanerUses = 50;
        s.now = kNow;
    }

    // A medium of the application pool in the library, at a slot (or elsewhere).
    MediaRow &has(const std::string &barcode, LocationKind location, const Uuid &element) {
        MediaRow m;
        m.id = Uuid::random();
        m.barcode = barcode;
        m.mediaTypeId = kLto5;
        m.poolId = kAppPool;
        m.libraryId = kLibrary;
        m.libraryKind = LibraryKind::Online;
        m.location = location;
        if (location == LocationKind::Slot)
            m.slotId = m.homeSlotId = element;
        if (location == LocationKind::Drive) {
            m.driveId = element;
            m.state = MediaState::Loaded;
        }
        if (location == LocationKind::IePort)
            m.ieportId = element;
        s.inLibrary.push_back(m);
        return s.inLibrary.back();
    }

    static std::vector<InventoryElement> report(const Holdings &holds) {
        std::vector<InventoryElement> out;
        auto add = [&](ObjectKind kind, int address) {
            InventoryElement e{kind, address, false, std::nullopt};
            if (auto h = holds.find({kind, address}); h != holds.end()) {
                e.full = true;
                e.barcode = h->second;
            }
            out.push_back(e);
        };
        for (int i = 0; i < 4; ++i)
            add(ObjectKind::Slot, 1000 + i);
        for (int i = 0; i < 2; ++i)
            add(ObjectKind::Drive, 500 + i);
        add(ObjectKind::IePort, 10);
        return out;
    }

    InventoryPlan plan(const Holdings &holds) const { return plan(report(holds)); }
    InventoryPlan plan(const std::vector<InventoryElement> &seen) const {
        auto p = planInventory(s, seen);
        INFO((p.ok() ? std::string() : p.error().toString()));
        REQUIRE(p.ok());
        return *p;
    }

    // The snapshot as the plan leaves the database (what the next inventory reads).
    void apply(const InventoryPlan &p) {
        std::map<Uuid, MediaRow> media;
        for (const auto *rows : {&s.inLibrary, &s.elsewhere})
            for (const MediaRow &m : *rows)
                media[m.id] = m;
        for (const Uuid &gone : p.deleted)
            media.erase(gone);
        for (const auto *rows : {&p.leaving, &p.arriving, &p.added})
            for (const MediaRow &m : *rows)
                media[m.id] = m;
        for (const InventoryResolution &r : p.resolutions)
            if (r.media)
                media[r.media->id] = *r.media;
        s.inLibrary.clear();
        s.elsewhere.clear();
        for (const auto &[_, m] : media)
            if (m.libraryId == kLibrary)
                s.inLibrary.push_back(m);
        for (DriveRow &d : s.drives) {
            for (const auto &[drive, state] : p.driveStates)
                if (drive == d.id)
                    d.state = state;
            for (const InventoryResolution &r : p.resolutions)
                if (r.drive && r.drive->id == d.id)
                    d = *r.drive;
        }
        s.intents.clear();
    }

    const MediaRow *find(const std::string &barcode) const {
        for (const MediaRow &m : s.inLibrary)
            if (m.barcode == barcode)
                return &m;
        return nullptr;
    }

    InventorySnapshot s;
};

void checkCounts(const InventoryResult &r, int seen, int added, int moved, int removed,
                 int deleted = 0, int unlabelled = 0) {
    CHECK(r.seen == seen);
    CHECK(r.added == added);
    CHECK(r.moved == moved);
    CHECK(r.removed == removed);
    CHECK(r.deleted == deleted);
    CHECK(r.unlabelled == unlabelled);
}

const MediaRow &only(const std::vector<MediaRow> &rows) {
    REQUIRE(rows.size() == 1);
    return rows.front();
}

}  // namespace

TEST_CASE("inventory plan: a new barcode is a new medium of its type, UNRECOGNIZED") {
    Library lib;
    InventoryPlan p = lib.plan(
        Holdings{{{ObjectKind::Slot, 1001}, "A00001L5"}, {{ObjectKind::IePort, 10}, "ODD001"}});
    checkCounts(p.result, 2, 2, 0, 0);
    REQUIRE(p.added.size() == 2);
    const MediaRow &lto = p.added[0];  // by barcode
    CHECK(lto.barcode == "A00001L5");
    CHECK(lto.mediaTypeId == kLto5);
    CHECK(lto.poolId == kLto5Unrecognized);
    CHECK(lto.libraryId == kLibrary);
    CHECK(lto.location == LocationKind::Slot);
    CHECK(lto.slotId == slotId(1));
    CHECK(lto.homeSlotId == slotId(1));
    CHECK(lto.state == MediaState::Idle);
    const MediaRow &odd = p.added[1];
    CHECK(odd.poolId == kUnknownUnrecognized);
    CHECK(odd.location == LocationKind::IePort);
    CHECK(odd.ieportId == kPortId);
    CHECK(!odd.homeSlotId);
    REQUIRE(p.sides.size() == 3);  // "unknown" has two sides
    CHECK(p.sides[0].mediaId == lto.id);
    CHECK(p.sides[0].state == SideState::Unknown);
    CHECK(p.sides[2].number == 1);
    CHECK(p.cleaners.empty());
    CHECK(p.leaving.empty());
    CHECK(p.arriving.empty());
    CHECK(p.changes());
}

TEST_CASE("inventory plan: a cleaner's barcode makes a cleaner, its side INCOMPATIBLE") {
    Library lib;
    InventoryPlan p = lib.plan(Holdings{{{ObjectKind::Slot, 1003}, "CLN001L5"}});
    const MediaRow &m = only(p.added);
    REQUIRE(p.cleaners.size() == 1);
    CHECK(p.cleaners[0].mediaId == m.id);
    CHECK(p.cleaners[0].usesLeft == 50);
    REQUIRE(p.sides.size() == 1);
    CHECK(p.sides[0].state == SideState::Incompatible);
}

TEST_CASE("inventory plan: a new cleaner takes the library's data type, never one of its own") {
    CHECK(cleanerBarcode("CLN001L1", "CLN"));
    CHECK(cleanerBarcode("CLNU01CU", ""));  // LTO's universal cleaning cartridge
    CHECK(cleanerBarcode("ABC001CU", "CLN"));
    CHECK_FALSE(cleanerBarcode("CLN001L1", ""));
    CHECK_FALSE(cleanerBarcode("A00001L5", "CLN"));
    Library lib;
    const Holdings holds{{{ObjectKind::Slot, 1000}, "A00001L5"},
                         {{ObjectKind::Slot, 1001}, "A00002L5"},
                         {{ObjectKind::Slot, 1002}, "B00001L6"},
                         {{ObjectKind::Slot, 1003}, "CLN001L1"}};
    auto report = readReport(lib.s, Library::report(holds));
    REQUIRE(report.ok());
    // What most data cartridges the library holds are, when the database says (here: none).
    CHECK(cleanerTypeFor(lib.s, *report, std::string("LTO-6")) == "LTO-6");
    // Else what most of the new ones are; else "unknown".
    CHECK(cleanerTypeFor(lib.s, *report, std::nullopt) == "LTO-5");
    auto alone = readReport(lib.s, Library::report(Holdings{{{ObjectKind::Slot, 1003}, "CLN001L1"}}));
    REQUIRE(alone.ok());
    CHECK(cleanerTypeFor(lib.s, *alone, std::nullopt) == "unknown");
    lib.s.cleanerType = cleanerTypeFor(lib.s, *report, std::nullopt);
    CHECK(newMediumType(lib.s, "CLN001L1") == "LTO-5");
    CHECK(newMediumType(lib.s, "B00001L6") == "LTO-6");
    CHECK(newMediaTypes(lib.s, *report) == std::vector<std::string>{"LTO-5", "LTO-6"});
}

TEST_CASE("inventory plan: a moved cartridge leaves through the transport, then arrives") {
    Library lib;
    const Uuid a = lib.has("A00001L5", LocationKind::Slot, slotId(0)).id;
    const Uuid b = lib.has("A00002L5", LocationKind::Slot, slotId(1)).id;
    // a and b swap places: neither row may claim the other's slot while both are written.
    InventoryPlan p = lib.plan(
        Holdings{{{ObjectKind::Slot, 1000}, "A00002L5"}, {{ObjectKind::Slot, 1001}, "A00001L5"}});
    checkCounts(p.result, 2, 0, 2, 0);
    REQUIRE(p.leaving.size() == 2);
    for (const MediaRow &m : p.leaving) {
        CHECK(m.location == LocationKind::Transport);
        CHECK(!m.slotId);
    }
    REQUIRE(p.arriving.size() == 2);
    CHECK(p.arriving[0].id == a);
    CHECK(p.arriving[0].slotId == slotId(1));
    CHECK(p.arriving[0].homeSlotId == slotId(1));
    CHECK(p.arriving[1].id == b);
    CHECK(p.arriving[1].slotId == slotId(0));
    CHECK(p.added.empty());
}

TEST_CASE("inventory plan: a medium on the shelf found in a slot moves into the library") {
    Library lib;
    MediaRow shelf;
    shelf.id = kShelf;
    shelf.barcode = "A00009L5";
    shelf.libraryId = kOffline;
    shelf.location = LocationKind::Shelf;
    lib.s.elsewhere.push_back(shelf);
    const Holdings holds{{{ObjectKind::Slot, 1002}, "A00009L5"}};
    auto report = readReport(lib.s, Library::report(holds));
    REQUIRE(report.ok());
    CHECK(barcodesOutside(lib.s, *report) == std::vector<std::string>{"A00009L5"});
    CHECK(newMediaTypes(lib.s, *report).empty());
    InventoryPlan p = lib.plan(holds);
    checkCounts(p.result, 1, 0, 1, 0);
    const MediaRow &m = only(p.arriving);
    CHECK(m.id == kShelf);
    CHECK(m.libraryId == kLibrary);
    CHECK(m.libraryKind == LibraryKind::Online);
    CHECK(m.slotId == slotId(2));
}

TEST_CASE("inventory plan: a cartridge gone goes offline, or is deleted by its pool's policy") {
    Library lib;
    lib.has("A00001L5", LocationKind::Slot, slotId(0));
    MediaRow &unrecognized = lib.has("A00002L5", LocationKind::Slot, slotId(1));
    unrecognized.poolId = kLto5Unrecognized;
    const Uuid deleted = unrecognized.id;
    auto report = readReport(lib.s, Library::report({}));
    REQUIRE(report.ok());
    const auto gone = goneMedia(lib.s, *report);
    REQUIRE(gone.size() == 2);
    CHECK(goesOffline(lib.s, gone[0]));
    CHECK(!goesOffline(lib.s, gone[1]));
    InventoryPlan p = lib.plan(Holdings{});
    checkCounts(p.result, 0, 0, 0, 1, 1);
    CHECK(p.deleted == std::vector<Uuid>{deleted});
    const MediaRow &m = only(p.leaving);
    CHECK(m.barcode == "A00001L5");
    CHECK(m.libraryId == kOffline);
    CHECK(m.libraryKind == LibraryKind::Offline);
    CHECK(m.location == LocationKind::Shelf);
    CHECK(!m.slotId);
    CHECK(m.homeSlotId == slotId(0));  // kept: injected again, it goes home (issue 18)
    CHECK(p.arriving.empty());
}

TEST_CASE("inventory plan: cartridges without a barcode, or with an unreadable tag, are counted") {
    Library lib;
    auto seen = Library::report(Holdings{{{ObjectKind::Slot, 1000}, std::nullopt}});
    seen[1].full = true;  // slot 1001: a volume tag that is no barcode
    seen[1].unreadableBarcode = "\\xff\\xfeAB";
    InventoryPlan p = lib.plan(seen);
    checkCounts(p.result, 2, 0, 0, 0, 0, 2);
    CHECK(p.result.unreadable == std::vector<std::string>{"slot 1001 (\\xff\\xfeAB)"});
    CHECK(!p.changes());
}

TEST_CASE("inventory plan: a barcode in two elements is a conflict; its medium keeps its place") {
    Library lib;
    const Uuid m = lib.has("A00001L5", LocationKind::IePort, kPortId).id;
    InventoryPlan p = lib.plan(
        Holdings{{{ObjectKind::Slot, 1000}, "A00001L5"}, {{ObjectKind::IePort, 10}, "A00001L5"}});
    checkCounts(p.result, 2, 0, 0, 0, 0, 1);
    REQUIRE(p.result.duplicates.size() == 1);
    CHECK(p.result.duplicates[0].libraryId == kLibrary);
    CHECK(p.result.duplicates[0].barcode == "A00001L5");
    CHECK(p.result.duplicates[0].places == "slot 1000, IE port 10");
    REQUIRE(p.messages.size() == 1);
    CHECK(p.messages[0].media == m);
    CHECK(p.messages[0].text.find("two cartridges carry barcode A00001L5") != std::string::npos);
    CHECK(!p.changes());

    // A new barcode in two places: one new medium, at the first.
    Library empty;
    p = empty.plan(
        Holdings{{{ObjectKind::Slot, 1002}, "A00003L5"}, {{ObjectKind::Slot, 1001}, "A00003L5"}});
    CHECK(only(p.added).slotId == slotId(1));
    REQUIRE(p.messages.size() == 1);
    CHECK(!p.messages[0].media);
}

TEST_CASE("inventory plan: drives full and empty") {
    Library lib;
    lib.has("A00001L5", LocationKind::Slot, slotId(0));
    lib.s.drives[1].state = DriveState::Mounted;  // rsm has drive 501 mounted: it is empty
    lib.s.drives[1].mountedBy = id(99);
    InventoryPlan p = lib.plan(Holdings{{{ObjectKind::Drive, 500}, "A00001L5"}});
    checkCounts(p.result, 1, 0, 1, 0);
    const MediaRow &m = only(p.arriving);
    CHECK(m.location == LocationKind::Drive);
    CHECK(m.driveId == driveId(0));
    CHECK(m.homeSlotId == slotId(0));  // its home kept
    CHECK(m.state == MediaState::Loaded);
    using States = std::vector<std::pair<Uuid, DriveState>>;
    CHECK(p.driveStates ==
          States{{driveId(0), DriveState::Loaded}, {driveId(1), DriveState::Dismounted}});

    // A drive rsm knows as mounted, and full, stays so.
    lib.apply(p);
    lib.s.drives[0].state = DriveState::Mounted;
    CHECK(lib.plan(Holdings{{{ObjectKind::Drive, 500}, "A00001L5"}}).driveStates.empty());
}

TEST_CASE(
    "inventory plan: an intent is resolved; a cartridge left in a drive makes it "
    "DISMOUNTABLE") {
    Library lib;
    MediaRow &loaded = lib.has("A00001L5", LocationKind::Drive, driveId(0));
    loaded.homeSlotId = slotId(0);
    loaded.state = MediaState::InUse;  // a dismount rsmd did not finish
    const Uuid inDrive = loaded.id;
    MediaRow &moving = lib.has("A00002L5", LocationKind::Slot, slotId(1));
    moving.state = MediaState::InUse;  // a mount the robot did not make
    const Uuid inSlot = moving.id;
    lib.s.drives[0].state = DriveState::Mounted;
    lib.s.drives[0].mountedBy = id(98);
    lib.s.intents = {MoveRow{id(90), kLibrary, inDrive, std::nullopt, ObjectKind::Drive, driveId(0),
                             500, ObjectKind::Slot, slotId(0), 1000},
                     MoveRow{id(91), kLibrary, inSlot, std::nullopt, ObjectKind::Slot, slotId(1),
                             1001, ObjectKind::Drive, driveId(1), 501}};
    const Holdings holds{{{ObjectKind::Drive, 500}, "A00001L5"},
                         {{ObjectKind::Slot, 1001}, "A00002L5"}};
    CHECK(intentMediaOutside(lib.s).empty());
    InventoryPlan p = lib.plan(holds);
    checkCounts(p.result, 2, 0, 0, 0);
    CHECK(p.result.resolved == 2);
    REQUIRE(p.resolutions.size() == 2);
    const InventoryResolution &r0 = p.resolutions[0];
    CHECK(r0.move == id(90));
    REQUIRE(r0.drive);
    CHECK(r0.drive->id == driveId(0));
    CHECK(r0.drive->state == DriveState::Dismountable);
    CHECK(r0.drive->dismountAfter == kNow);
    CHECK(r0.drive->mountedBy == id(98));
    REQUIRE(r0.media);
    CHECK(r0.media->state == MediaState::Unloaded);
    CHECK(r0.media->driveId == driveId(0));
    const InventoryResolution &r1 = p.resolutions[1];
    CHECK(!r1.drive);
    REQUIRE(r1.media);
    CHECK(r1.media->id == inSlot);
    CHECK(r1.media->state == MediaState::Idle);
    CHECK(p.driveStates.empty());  // drive 500 full, 501 empty already

    // The next inventory finds nothing to do.
    lib.apply(p);
    InventoryPlan again = lib.plan(holds);
    CHECK(!again.changes());
    CHECK(again.result.resolved == 0);
}

TEST_CASE("inventory plan: an intent whose medium the inventory deletes, or moves") {
    Library lib;
    MediaRow &unrecognized = lib.has("A00001L5", LocationKind::Slot, slotId(0));
    unrecognized.poolId = kLto5Unrecognized;
    const Uuid gone = unrecognized.id;
    const Uuid moved = lib.has("A00002L5", LocationKind::Slot, slotId(1)).id;
    lib.s.intents = {MoveRow{id(90), kLibrary, gone, std::nullopt, ObjectKind::Slot, slotId(0),
                             1000, ObjectKind::Drive, driveId(0), 500},
                     MoveRow{id(91), kLibrary, moved, std::nullopt, ObjectKind::Slot, slotId(1),
                             1001, ObjectKind::Drive, driveId(0), 500}};
    InventoryPlan p = lib.plan(Holdings{{{ObjectKind::Drive, 500}, "A00002L5"}});
    CHECK(p.result.deleted == 1);
    CHECK(p.result.resolved == 2);
    REQUIRE(p.resolutions.size() == 2);
    CHECK(!p.resolutions[0].media);  // deleted: only its intent goes
    CHECK(!p.resolutions[0].drive);
    // moved into drive 500 (LOADED: found full), then made DISMOUNTABLE
    REQUIRE(p.resolutions[1].drive);
    CHECK(p.resolutions[1].drive->state == DriveState::Dismountable);
    REQUIRE(p.resolutions[1].media);
    CHECK(p.resolutions[1].media->driveId == driveId(0));
    CHECK(p.resolutions[1].media->state == MediaState::Unloaded);
}

TEST_CASE("inventory plan: planning the state it leaves changes nothing") {
    Library lib;
    lib.has("A00001L5", LocationKind::Slot, slotId(0));
    lib.has("A00002L5", LocationKind::Slot, slotId(1));
    lib.has("A00003L5", LocationKind::Slot, slotId(2));
    const Holdings holds{{{ObjectKind::Slot, 1001}, "A00001L5"},
                         {{ObjectKind::Drive, 501}, "A00002L5"},
                         {{ObjectKind::Slot, 1003}, "B00001L5"},
                         {{ObjectKind::IePort, 10}, std::nullopt}};
    InventoryPlan first = lib.plan(holds);
    checkCounts(first.result, 4, 1, 2, 1, 0, 1);
    CHECK(first.changes());
    lib.apply(first);
    for (int round = 0; round < 2; ++round) {
        InventoryPlan again = lib.plan(holds);
        checkCounts(again.result, 4, 0, 0, 0, 0, 1);
        CHECK(!again.changes());
        CHECK(again.leaving.empty());
        CHECK(again.arriving.empty());
        CHECK(again.added.empty());
        CHECK(again.driveStates.empty());
    }
    REQUIRE(lib.find("B00001L5"));
    CHECK(lib.find("B00001L5")->slotId == slotId(3));
    CHECK(!lib.find("A00003L5"));  // offline now
}

TEST_CASE("inventory plan: errors") {
    Library lib;
    // A full element the database does not have.
    auto seen = Library::report({});
    seen.push_back(InventoryElement{ObjectKind::Slot, 1004, true, "A00001L5"});
    auto p = planInventory(lib.s, seen);
    REQUIRE(!p.ok());
    CHECK(p.error().code() == ErrorCode::UnableToInventorySlot);
    CHECK(p.error().message().find("element 1004") != std::string::npos);
    // A picker is no element of the database's: the cartridge in it is in the library.
    seen.back() = InventoryElement{ObjectKind::Changer, 1, true, "A00001L5"};
    p = planInventory(lib.s, seen);
    REQUIRE(p.ok());
    CHECK(only(p->added).location == LocationKind::Transport);
    // A new barcode's type without an UNRECOGNIZED pool.
    lib.s.types["LTO-5"].unrecognizedPool = std::nullopt;
    p = planInventory(lib.s, Library::report(Holdings{{{ObjectKind::Slot, 1000}, "A00001L5"}}));
    REQUIRE(!p.ok());
    CHECK(p.error().code() == ErrorCode::InvalidMediaPool);
    CHECK(p.error().message() == "media type LTO-5 has no UNRECOGNIZED pool");
}
