// FAST inventory through rsmd against tgtd's virtual library: barcodes become media of their
// LTO type in the UNRECOGNIZED pool, cartridges moved behind rsm's back get their new place,
// cartridges gone go to the OFFLINE library, and a second inventory changes nothing.

#include <doctest/doctest.h>

#include "tests/integration/vtl_library.h"
#include "tests/rsmd/robot_helpers.h"
#include "tests/rsmd/seed_helpers.h"

namespace rsm::test {

TEST_CASE("rsmd inventory: the database follows what the robot holds") {
    VirtualLibrary::Shape shape;
    shape.slots = 8;
    shape.drives = 2;
    shape.ieports = 2;
    shape.tapes = 3;
    VirtualLibrary vtl(shape);
    RsmdRig rig;
    expectOk(rig, {"library", "add", "vtl", vtl.changerUrl()});

    RunResult first = rig.ctl({"library", "inventory", "vtl"});
    REQUIRE_MESSAGE(first.status == 0, first.err);
    CHECK(first.out.find("3 cartridges: 3 new, 0 moved, 0 gone offline") != std::string::npos);
    auto media = rig.json({"media", "list", "--library", "vtl"})["media"];
    REQUIRE(media.size() == 3);
    for (int i = 0; i < 3; ++i) {
        auto m = mediaOf(rig, vtl.barcodes().at(i));
        CHECK(m["library"] == "vtl");
        CHECK(m["location"] == "slot");
        CHECK(m["address"] == vtl.tapeSlots().at(i));
        CHECK(m["media_type"] == "LTO-5");
        CHECK(m["pool"] == "unrecognized:LTO-5");
        CHECK(m["sides"][0]["state"] == "unknown");
    }

    // Moved by hand: to another slot and into a drive.
    const std::string a = vtl.barcodes().at(0), b = vtl.barcodes().at(1);
    robotMove(vtl, vtl.tapeSlots().at(0), vtl.slot(6));
    robotMove(vtl, vtl.tapeSlots().at(1), vtl.drive(1));
    // A cartridge the database places in the robot that is not there any more.
    expectOk(rig, {"pool", "create", "backup", "--type", "LTO-5"});  // inventory made LTO-5
    makeMedia(rig, "GONE01L5", "backup");
    rig.sql(
        "UPDATE physical_media SET library_id = l.id, library_kind = 1, location = 1, "
        "slot_id = s.id FROM library l JOIN slot s ON s.library_id = l.id "
        "WHERE l.name = 'vtl' AND s.address = " +
        std::to_string(vtl.slot(7)) + " AND barcode = 'GONE01L5'");

    auto second = rig.json({"library", "inventory", "vtl"});
    REQUIRE_MESSAGE(second.contains("request"), second.dump());
    CHECK(second["request"]["message"] ==
          "3 cartridges: 0 new, 2 moved, 1 gone offline, 0 without barcode");
    CHECK(mediaOf(rig, a)["address"] == vtl.slot(6));
    CHECK(mediaOf(rig, b)["location"] == "drive");
    CHECK(mediaOf(rig, b)["address"] == vtl.drive(1));
    CHECK(mediaOf(rig, b)["state"] == "loaded");
    auto drives = rig.json({"drive", "list", "--library", "vtl"})["drives"];
    CHECK(drives[0]["state"] == "dismounted");
    CHECK(drives[1]["state"] == "loaded");
    CHECK(drives[1]["media"] == b);
    auto gone = mediaOf(rig, "GONE01L5");
    CHECK(gone["library"] == "Offline");
    CHECK(gone["location"] == "shelf");
    CHECK(gone["pool"] == "backup");  // it keeps its pool and its sides

    // Nothing changed: nothing to do.
    auto third = rig.json({"library", "inventory", "vtl"});
    CHECK(third["request"]["message"] ==
          "3 cartridges: 0 new, 0 moved, 0 gone offline, 0 without barcode");

    // Inventory is CONTROL on the library.
    expectError(rig, {"library", "inventory", "vtl"}, 5, "ERROR_ACCESS_DENIED", Who{5001, {5001}});
    expectOk(rig, {"acl", "grant", "library:vtl", "--user", "5001", "control"});
    expectOk(rig, {"library", "inventory", "vtl"}, Who{5001, {5001}});
}

}  // namespace rsm::test
