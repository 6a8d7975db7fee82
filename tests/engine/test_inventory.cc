// FAST inventory reconciliation (Engine::reconcileInventory) against a real PostgreSQL: new
// barcodes, cartridges moved (also two swapping places, and into the picker), cartridges gone,
// drives loaded and emptied, a second inventory that changes nothing, the errors, and a
// 10,000-slot library.

#include <doctest/doctest.h>

#include <map>

#include <fmt/format.h>

#include "tests/engine/engine_fixture.h"

using namespace rsm;
using namespace rsm::engine;
using namespace rsm::test;

namespace {

// A library as its robot sees it: slots at 1000.., drives at 500.., I/E ports at 10.., and
// what each full element holds (a barcode, or none for an unlabelled cartridge).
struct Robot {
    Robot(EngineRig &rig, int slots, int drives = 2, int ieports = 2)
        : slots(slots), drives(drives), ieports(ieports) {
        NewLibrary l;
        l.name = "robot";
        l.device = "/dev/sg9";
        for (int i = 0; i < slots; ++i)
            l.slots.push_back(slot(i));
        for (int i = 0; i < drives; ++i)
            l.drives.push_back({drive(i), fmt::format("SER{}", i), fmt::format("/dev/nst{}", i)});
        for (int i = 0; i < ieports; ++i)
            l.ieports.push_back(ieport(i));
        auto id = rig.engine->addLibrary(rig.root, l);
        REQUIRE_OK(id);
        library = *id;
    }

    static int slot(int i) { return 1000 + i; }
    static int drive(int i) { return 500 + i; }
    static int ieport(int i) { return 10 + i; }
    static constexpr int picker = 1;

    void put(ObjectKind kind, int address, std::optional<std::string> barcode) {
        holds[{kind, address}] = std::move(barcode);
    }
    void take(ObjectKind kind, int address) { holds.erase({kind, address}); }
    void move(ObjectKind fromKind, int from, ObjectKind toKind, int to) {
        auto b = holds.at({fromKind, from});
        take(fromKind, from);
        put(toKind, to, b);
    }

    // Every element, full or empty, as READ ELEMENT STATUS lists them.
    std::vector<InventoryElement> report() const {
        std::vector<InventoryElement> out;
        auto add = [&](ObjectKind kind, int address) {
            InventoryElement e;
            e.kind = kind;
            e.address = address;
            auto h = holds.find({kind, address});
            e.full = h != holds.end();
            if (e.full)
                e.barcode = h->second;
            out.push_back(e);
        };
        for (int i = 0; i < slots; ++i)
            add(ObjectKind::Slot, slot(i));
        for (int i = 0; i < drives; ++i)
            add(ObjectKind::Drive, drive(i));
        for (int i = 0; i < ieports; ++i)
            add(ObjectKind::IePort, ieport(i));
        if (holds.count({ObjectKind::Changer, picker}))
            add(ObjectKind::Changer, picker);  // listed when full only
        return out;
    }

    InventoryResult reconcile(EngineRig &rig) const {
        auto r = rig.engine->reconcileInventory(library, report());
        REQUIRE_OK(r);
        return *r;
    }

    int slots, drives, ieports;
    Uuid library;
    std::map<std::pair<ObjectKind, int>, std::optional<std::string>> holds;
};

void checkCounts(const InventoryResult &r, int seen, int added, int moved, int removed,
                 int unlabelled = 0) {
    CHECK(r.seen == seen);
    CHECK(r.added == added);
    CHECK(r.moved == moved);
    CHECK(r.removed == removed);
    CHECK(r.unlabelled == unlabelled);
}

MediaInfo media(EngineRig &rig, const std::string &barcode) {
    auto id = rig.engine->findMedia(rig.root, barcode);
    REQUIRE_OK(id);
    auto info = rig.engine->getMedia(rig.root, *id);
    REQUIRE_OK(info);
    return *info;
}

// "robot slot 1003", "Offline shelf"
std::string place(EngineRig &rig, const std::string &barcode) {
    MediaInfo m = media(rig, barcode);
    std::string out = m.library + " " + std::string(locationKindName(m.row.location));
    if (m.address)
        out += " " + std::to_string(*m.address);
    return out;
}

std::optional<int> homeSlot(EngineRig &rig, const std::string &barcode) {
    std::string a = rig.query(
        "SELECT s.address FROM physical_media m LEFT JOIN slot s ON s.id = m.home_slot_id"
        " WHERE m.barcode = $1",
        {barcode});
    if (a.empty())
        return std::nullopt;
    return std::stoi(a);
}

std::vector<DriveState> driveStates(EngineRig &rig, const Uuid &library) {
    auto drives = rig.engine->listDrives(rig.root, library);
    REQUIRE_OK(drives);
    std::vector<DriveState> out;
    for (const DriveInfo &d : *drives)
        out.push_back(d.row.state);
    return out;
}

long long lastEvent(EngineRig &rig) {
    return rig.count("SELECT coalesce(max(seq), 0) FROM event_log");
}

}  // namespace

TEST_CASE("inventory: new barcodes become media in the UNRECOGNIZED pool of their type") {
    EngineRig rig;
    Robot robot(rig, 6);
    robot.put(ObjectKind::Slot, Robot::slot(0), "NEW001L5");
    robot.put(ObjectKind::Slot, Robot::slot(3), "NEW002L7");  // a type not there yet
    robot.put(ObjectKind::Drive, Robot::drive(1), "NEW003L5");
    robot.put(ObjectKind::IePort, Robot::ieport(0), "CLEAN1");  // no LTO barcode: "unknown"
    robot.put(ObjectKind::Slot, Robot::slot(5), std::nullopt);  // no barcode: not tracked
    robot.put(ObjectKind::Slot, Robot::slot(4), "");            // an empty label, the same
    checkCounts(robot.reconcile(rig), 6, 4, 0, 0, 2);

    CHECK(place(rig, "NEW001L5") == "robot slot 1000");
    CHECK(place(rig, "NEW002L7") == "robot slot 1003");
    CHECK(place(rig, "NEW003L5") == "robot drive 501");
    CHECK(place(rig, "CLEAN1") == "robot ieport 10");
    MediaInfo a = media(rig, "NEW001L5");
    CHECK(a.mediaType == "LTO-5");
    CHECK(a.pool == "unrecognized:LTO-5");
    CHECK(a.row.state == MediaState::Idle);
    CHECK(a.row.sideCount == 1);
    REQUIRE(a.sides.size() == 1);
    CHECK(a.sides[0].row.state == SideState::Unknown);
    CHECK(!a.sides[0].lmid);
    CHECK(homeSlot(rig, "NEW001L5") == 1000);
    MediaInfo b = media(rig, "NEW002L7");
    CHECK(b.mediaType == "LTO-7");
    CHECK(b.pool == "unrecognized:LTO-7");
    CHECK(rig.count("SELECT count(*) FROM pool p JOIN media_type t ON t.id = p.media_type_id"
                    " WHERE t.name = 'LTO-7' AND t.description = 'found by inventory'") == 3);
    MediaInfo c = media(rig, "NEW003L5");
    CHECK(c.row.state == MediaState::Loaded);
    CHECK(!homeSlot(rig, "NEW003L5"));
    CHECK(media(rig, "CLEAN1").mediaType == "unknown");
    CHECK(media(rig, "CLEAN1").pool == "unrecognized:unknown");
    CHECK(rig.count("SELECT count(*) FROM physical_media WHERE library_id = $1::uuid",
                    {robot.library.toString()}) == 4);
    CHECK(rig.count("SELECT count(*) FROM side") == 4);
    CHECK(driveStates(rig, robot.library) ==
          std::vector<DriveState>{DriveState::Dismounted, DriveState::Loaded});
}

TEST_CASE("inventory: moved cartridges get their new place, pool and sides unchanged") {
    EngineRig rig;
    Robot robot(rig, 6);
    for (int i = 0; i < 4; ++i)
        robot.put(ObjectKind::Slot, Robot::slot(i), fmt::format("MOV00{}L5", i));
    checkCounts(robot.reconcile(rig), 4, 4, 0, 0);
    // A medium on the shelf with an LMID, which the robot now holds.
    const Uuid lmid = rig.lmid("SHELF1L5");
    robot.put(ObjectKind::Slot, Robot::slot(5), "SHELF1L5");
    robot.move(ObjectKind::Slot, Robot::slot(0), ObjectKind::Slot, Robot::slot(4));
    robot.move(ObjectKind::Slot, Robot::slot(1), ObjectKind::Drive, Robot::drive(0));
    robot.move(ObjectKind::Slot, Robot::slot(2), ObjectKind::IePort, Robot::ieport(1));
    checkCounts(robot.reconcile(rig), 5, 0, 4, 0);

    CHECK(place(rig, "MOV000L5") == "robot slot 1004");
    CHECK(homeSlot(rig, "MOV000L5") == 1004);
    CHECK(place(rig, "MOV001L5") == "robot drive 500");
    CHECK(media(rig, "MOV001L5").row.state == MediaState::Loaded);
    CHECK(homeSlot(rig, "MOV001L5") == 1001);  // a drive is not a home: it keeps its slot
    CHECK(place(rig, "MOV002L5") == "robot ieport 11");
    CHECK(media(rig, "MOV002L5").row.state == MediaState::Idle);
    CHECK(place(rig, "MOV003L5") == "robot slot 1003");
    MediaInfo s = media(rig, "SHELF1L5");
    CHECK(place(rig, "SHELF1L5") == "robot slot 1005");
    CHECK(s.row.libraryKind == LibraryKind::Online);
    CHECK(s.pool == "backup");
    REQUIRE(s.sides.size() == 1);
    CHECK(s.sides[0].row.state == SideState::Allocated);
    CHECK(s.sides[0].lmid == lmid);
    CHECK(media(rig, "MOV000L5").pool == "unrecognized:LTO-5");
    // Nothing was left in the transport.
    CHECK(rig.count("SELECT count(*) FROM physical_media WHERE location = 4") == 0);
}

TEST_CASE("inventory: two cartridges swapping places in one inventory") {
    EngineRig rig;
    Robot robot(rig, 4);
    robot.put(ObjectKind::Slot, Robot::slot(0), "SWAPA1L5");
    robot.put(ObjectKind::Slot, Robot::slot(1), "SWAPB1L5");
    robot.put(ObjectKind::Slot, Robot::slot(2), "SWAPC1L5");
    robot.put(ObjectKind::Drive, Robot::drive(0), "SWAPD1L5");
    checkCounts(robot.reconcile(rig), 4, 4, 0, 0);
    // A and B trade slots; C and D trade a slot and a drive.
    robot.put(ObjectKind::Slot, Robot::slot(0), "SWAPB1L5");
    robot.put(ObjectKind::Slot, Robot::slot(1), "SWAPA1L5");
    robot.put(ObjectKind::Slot, Robot::slot(2), "SWAPD1L5");
    robot.put(ObjectKind::Drive, Robot::drive(0), "SWAPC1L5");
    checkCounts(robot.reconcile(rig), 4, 0, 4, 0);
    CHECK(place(rig, "SWAPA1L5") == "robot slot 1001");
    CHECK(place(rig, "SWAPB1L5") == "robot slot 1000");
    CHECK(place(rig, "SWAPC1L5") == "robot drive 500");
    CHECK(place(rig, "SWAPD1L5") == "robot slot 1002");
    CHECK(media(rig, "SWAPC1L5").row.state == MediaState::Loaded);
    CHECK(media(rig, "SWAPD1L5").row.state == MediaState::Idle);
    // Each moved medium left its element before taking the new one: transport, then place.
    CHECK(rig.count("SELECT count(*) FROM event_log WHERE object_kind = 'physical_media'"
                    " AND op = 'update' AND data ->> 'location' = '4'") == 4);
}

TEST_CASE("inventory: cartridges gone go OFFLINE, keeping their pool, sides and LMIDs") {
    // (UNRECOGNIZED ones are deleted instead: tests/engine/test_cleaning.cc, eject policy.)
    EngineRig rig;
    Robot robot(rig, 4);
    const Uuid lmid = rig.lmid("GONE01L5");
    robot.put(ObjectKind::Slot, Robot::slot(0), "GONE01L5");
    robot.put(ObjectKind::Slot, Robot::slot(1), "STAY01L5");
    robot.put(ObjectKind::Drive, Robot::drive(1), "GONE02L5");
    checkCounts(robot.reconcile(rig), 3, 2, 1, 0);
    robot.take(ObjectKind::Slot, Robot::slot(0));
    robot.take(ObjectKind::Drive, Robot::drive(1));
    // GONE02L5, never read (UNRECOGNIZED), is deleted by the pool policy; the other is shelved.
    rig.sql(
        "UPDATE physical_media m SET pool_id = p.id FROM pool p WHERE p.kind = 0"
        " AND p.media_type_id = m.media_type_id AND m.barcode = 'GONE02L5'");
    auto r = robot.reconcile(rig);
    checkCounts(r, 1, 0, 0, 2);
    CHECK(r.deleted == 0);

    for (const char *barcode : {"GONE01L5", "GONE02L5"}) {
        CAPTURE(barcode);
        MediaInfo m = media(rig, barcode);
        CHECK(place(rig, barcode) == "Offline shelf");
        CHECK(m.row.libraryKind == LibraryKind::Offline);
        CHECK(m.row.state == MediaState::Idle);
        REQUIRE(m.sides.size() == 1);
    }
    MediaInfo g = media(rig, "GONE01L5");
    CHECK(g.pool == "backup");
    CHECK(g.sides[0].row.state == SideState::Allocated);
    CHECK(g.sides[0].lmid == lmid);
    CHECK(media(rig, "GONE02L5").pool == "free:LTO-5");  // a FREE medium: kept on the shelf
    CHECK(media(rig, "GONE02L5").sides[0].row.state == SideState::Unknown);
    CHECK(place(rig, "STAY01L5") == "robot slot 1001");
    CHECK(driveStates(rig, robot.library) ==
          std::vector<DriveState>{DriveState::Dismounted, DriveState::Dismounted});
}

TEST_CASE("inventory: drives are LOADED when full and DISMOUNTED when empty") {
    EngineRig rig;
    Robot robot(rig, 2, 3);
    robot.put(ObjectKind::Drive, Robot::drive(0), "DRV001L5");
    robot.put(ObjectKind::Drive, Robot::drive(2), std::nullopt);  // full, no barcode
    checkCounts(robot.reconcile(rig), 2, 1, 0, 0, 1);
    CHECK(driveStates(rig, robot.library) ==
          std::vector<DriveState>{DriveState::Loaded, DriveState::Dismounted, DriveState::Loaded});
    // A drive in another state is set to what the robot reports.
    rig.sql("UPDATE drive SET state = 7 WHERE address = 501");
    robot.move(ObjectKind::Drive, Robot::drive(0), ObjectKind::Slot, Robot::slot(1));
    robot.take(ObjectKind::Drive, Robot::drive(2));
    checkCounts(robot.reconcile(rig), 1, 0, 1, 0);
    CHECK(driveStates(rig, robot.library) == std::vector<DriveState>{DriveState::Dismounted,
                                                                     DriveState::Dismounted,
                                                                     DriveState::Dismounted});
    CHECK(place(rig, "DRV001L5") == "robot slot 1001");
    CHECK(media(rig, "DRV001L5").row.state == MediaState::Idle);
}

TEST_CASE("inventory: a cartridge in the picker stays in the library, its home slot kept") {
    EngineRig rig;
    Robot robot(rig, 2);
    robot.put(ObjectKind::Slot, Robot::slot(0), "PCK001L5");
    robot.put(ObjectKind::Drive, Robot::drive(0), "PCK002L5");
    checkCounts(robot.reconcile(rig), 2, 2, 0, 0);
    // A failed move left it in the picker.
    robot.move(ObjectKind::Drive, Robot::drive(0), ObjectKind::Changer, Robot::picker);
    checkCounts(robot.reconcile(rig), 2, 0, 1, 0);
    CHECK(place(rig, "PCK002L5") == "robot transport");
    CHECK(media(rig, "PCK002L5").row.state == MediaState::Idle);
    checkCounts(robot.reconcile(rig), 2, 0, 0, 0);  // found there again: unchanged
    robot.move(ObjectKind::Slot, Robot::slot(0), ObjectKind::Changer, Robot::picker);
    robot.put(ObjectKind::Slot, Robot::slot(0), "PCK002L5");  // put away, the other picked
    checkCounts(robot.reconcile(rig), 2, 0, 2, 0);
    CHECK(place(rig, "PCK001L5") == "robot transport");
    CHECK(homeSlot(rig, "PCK001L5") == 1000);
    CHECK(place(rig, "PCK002L5") == "robot slot 1000");
}

TEST_CASE("inventory: a second inventory of the same robot changes nothing") {
    EngineRig rig;
    Robot robot(rig, 8);
    for (int i = 0; i < 6; ++i)
        robot.put(ObjectKind::Slot, Robot::slot(i), fmt::format("IDM00{}L5", i));
    robot.put(ObjectKind::Drive, Robot::drive(1), "IDM009L5");
    robot.put(ObjectKind::IePort, Robot::ieport(0), std::nullopt);
    checkCounts(robot.reconcile(rig), 8, 7, 0, 0, 1);
    const long long events = lastEvent(rig);
    const std::string before = rig.query(
        "SELECT string_agg(to_jsonb(m)::text, ',' ORDER BY barcode) FROM physical_media m");
    checkCounts(robot.reconcile(rig), 8, 0, 0, 0, 1);
    CHECK(lastEvent(rig) == events);
    CHECK(rig.query("SELECT string_agg(to_jsonb(m)::text, ',' ORDER BY barcode)"
                    " FROM physical_media m") == before);
}

TEST_CASE("inventory: barcodes are data, whatever characters they hold") {
    EngineRig rig;
    Robot robot(rig, 4);
    const std::string known = "Q\"\\,{} NULL", fresh = "NULL";
    rig.offlineMedia(known);
    robot.put(ObjectKind::Slot, Robot::slot(0), known);  // found by barcode elsewhere
    robot.put(ObjectKind::Slot, Robot::slot(1), fresh);  // new
    checkCounts(robot.reconcile(rig), 2, 1, 1, 0);
    CHECK(place(rig, known) == "robot slot 1000");
    CHECK(place(rig, fresh) == "robot slot 1001");
    CHECK(media(rig, fresh).mediaType == "unknown");
    robot.take(ObjectKind::Slot, Robot::slot(0));
    checkCounts(robot.reconcile(rig), 1, 0, 0, 1);
    CHECK(place(rig, known) == "Offline shelf");
    CHECK(media(rig, known).pool == "backup");
}

TEST_CASE("inventory: refused for an unknown element or the OFFLINE library, changing nothing") {
    EngineRig rig;
    Robot robot(rig, 2);
    robot.put(ObjectKind::Slot, Robot::slot(0), "ERR001L5");
    std::vector<InventoryElement> report = robot.report();
    report.push_back(InventoryElement{ObjectKind::Slot, 4000, true, "ERR002L5"});
    const long long events = lastEvent(rig);
    REQUIRE_CODE(rig.engine->reconcileInventory(robot.library, report),
                 ErrorCode::UnableToInventorySlot);
    CHECK(lastEvent(rig) == events);
    CHECK(rig.count("SELECT count(*) FROM physical_media") == 0);
    auto offline = rig.engine->findLibrary(rig.root, "Offline");
    REQUIRE_OK(offline);
    REQUIRE_CODE(rig.engine->reconcileInventory(*offline, robot.report()),
                 ErrorCode::InvalidLibrary);
    REQUIRE_CODE(rig.engine->reconcileInventory(Uuid::random(), robot.report()),
                 ErrorCode::InvalidLibrary);
}

TEST_CASE("inventory: a 10,000-slot library, 9,000 cartridges, then 500 moved, 200 gone, 200 new") {
    EngineRig rig;
    constexpr int kSlots = 10000, kTapes = 9000;
    Robot robot(rig, kSlots, 4, 8);
    for (int i = 0; i < kTapes; ++i)
        robot.put(ObjectKind::Slot, Robot::slot(i), fmt::format("T{:05}L5", i));
    // Where the database has every cartridge of the library, and where the robot has them.
    auto stored = [&] {
        return rig.query(
            "SELECT string_agg(m.barcode || '@' || coalesce(s.address, d.address, i.address), ','"
            " ORDER BY m.barcode) FROM physical_media m LEFT JOIN slot s ON s.id = m.slot_id"
            " LEFT JOIN drive d ON d.id = m.drive_id LEFT JOIN ieport i ON i.id = m.ieport_id"
            " WHERE m.library_id = $1::uuid",
            {robot.library.toString()});
    };
    auto expected = [&] {
        std::map<std::string, int> byBarcode;
        for (const auto &[element, barcode] : robot.holds)
            byBarcode[*barcode] = element.second;
        std::string out;
        for (const auto &[barcode, address] : byBarcode)
            out += (out.empty() ? "" : ",") + barcode + "@" + std::to_string(address);
        return out;
    };
    checkCounts(robot.reconcile(rig), kTapes, kTapes, 0, 0);
    CHECK(stored() == expected());
    CHECK(rig.count("SELECT count(*) FROM side") == kTapes);

    // 500 moved: 496 shifted into the empty slots and 4 into the drives; 200 gone; 200 new.
    for (int i = 0; i < 496; ++i)
        robot.move(ObjectKind::Slot, Robot::slot(i), ObjectKind::Slot, Robot::slot(kTapes + i));
    for (int i = 0; i < 4; ++i)
        robot.move(ObjectKind::Slot, Robot::slot(496 + i), ObjectKind::Drive, Robot::drive(i));
    for (int i = 500; i < 700; ++i)
        robot.take(ObjectKind::Slot, Robot::slot(i));
    for (int i = 0; i < 200; ++i)
        robot.put(ObjectKind::Slot, Robot::slot(i), fmt::format("N{:05}L5", i));
    // Of the 200 gone, 100 are in the FREE pool (to the shelf) and 100 still UNRECOGNIZED
    // (deleted: the pool policy).
    rig.sql(
        "UPDATE physical_media m SET pool_id = p.id FROM pool p WHERE p.kind = 0"
        " AND p.media_type_id = m.media_type_id AND m.barcode BETWEEN 'T00500L5' AND 'T00599L5'");
    auto changed = robot.reconcile(rig);
    checkCounts(changed, kTapes, 200, 500, 100);
    CHECK(changed.deleted == 100);
    CHECK(stored() == expected());
    CHECK(rig.count("SELECT count(*) FROM physical_media WHERE library_kind = 0") == 100);
    CHECK(rig.count("SELECT count(*) FROM physical_media") == kTapes + 200 - 100);
    CHECK(rig.count("SELECT count(*) FROM drive WHERE state = 2") == 4);
    checkCounts(robot.reconcile(rig), kTapes, 0, 0, 0);
}
