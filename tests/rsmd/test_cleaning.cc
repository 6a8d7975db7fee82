// Cleaning, the eject queue and the MOVEMEDIA operator request end to end: rsmd over tgtd's
// virtual library. tgtd's drives do not emulate a cleaning cycle (they take a cleaner as a
// tape and report ready); the drive's own cleaning answers (30/03, ejecting, failures) are
// tested through the fake transport (tests/engine/test_cleaning.cc).

#include <doctest/doctest.h>

#include <future>

#include "tests/rsmd/robot_helpers.h"
#include "tests/rsmd/seed_helpers.h"

namespace rsm::test {

namespace {

using nlohmann::json;

VirtualLibrary::Shape cleanerLibrary() {
    VirtualLibrary::Shape shape;
    shape.slots = 8;
    shape.drives = 2;
    shape.ieports = 1;
    shape.tapes = 3;
    shape.barcodes = {"SMC001L5", "SMC002L5", "CLN001L1"};
    return shape;
}

}  // namespace

TEST_CASE("rsmd cleaning: a cleaner found by inventory cleans a drive, in its reserved slot") {
    VirtualLibrary vtl(cleanerLibrary());
    RsmdRig rig;
    expectOk(rig, {"library", "add", "vtl", vtl.changerUrl()});
    expectOk(rig, {"library", "inventory", "vtl"});
    json cleaner = mediaOf(rig, "CLN001L1");
    CHECK(cleaner["cleaner_uses"] == 50);
    CHECK(cleaner["sides"][0]["state"] == "incompatible");
    const int cleanerSlot = vtl.tapeSlots().at(2);
    expectOk(rig, {"library", "cleaner-slot", "vtl", std::to_string(cleanerSlot)});

    // tgtd's drives run no cleaning cycle: the clean fails saying so (it used to be recorded
    // as a cleaning), the cleaner is back in its slot with no use counted.
    RunResult cleaned = rig.ctl({"clean", "vtl/1"});
    CHECK(cleaned.status == 1);
    CHECK_MESSAGE(cleaned.err.find("rsmctl: ERROR_UNABLE_TO_CLEAN (4311): ") == 0, cleaned.err);
    CHECK(cleaned.err.find("drive 1 took the cleaner as a data tape and reported no cleaning "
                           "cycle: it was not cleaned") != std::string::npos);
    CHECK(mediaOf(rig, "CLN001L1")["cleaner_uses"] == 50);
    CHECK(mediaOf(rig, "CLN001L1")["address"] == cleanerSlot);
    json drive = rig.json({"drive", "list", "--library", "vtl"})["drives"][1];
    CHECK(drive["state"] == "dismounted");
    CHECK(drive["last_cleaned"].is_null());
    CHECK(databaseHolds(rig) == robotHolds(vtl));
    // A cleaner's barcode makes no media type of its own ("L1" is no LTO-1 here): it takes
    // the type of the library's data cartridges.
    CHECK(cleaner["media_type"] == "LTO-5");
    CHECK(rig.sql("SELECT count(*) FROM media_type WHERE name = 'LTO-1'") == "0");

    // A FULL inventory reads the data cartridges' labels, never the cleaner's.
    RunResult full = rig.ctl({"inventory", "vtl", "--full"});
    REQUIRE_MESSAGE(full.status == 0, full.err);
    CHECK(full.out.find("CLN001L1") == std::string::npos);
    CHECK(mediaOf(rig, "CLN001L1")["cleaner_uses"] == 50);

    // Spent: the operator is asked for a new one; the next clean fails with the RSM code.
    expectOk(rig, {"media", "cleaner", "CLN001L1", "--uses", "0"});
    RunResult spent = rig.ctl({"clean", "vtl/0"});
    CHECK(spent.status == 1);
    CHECK(spent.err.find("ERROR_CLEANER_CARTRIDGE_SPENT (4333)") != std::string::npos);
    json asked = rig.json({"request", "list", "--operator"})["operator_requests"];
    REQUIRE(asked.size() == 1);
    CHECK(asked[0]["kind"] == "cleaner");
    CHECK(databaseHolds(rig) == robotHolds(vtl));

    // Ejected, a cleaner is deleted, not shelved (the pool policy), once it has left the port.
    RunResult ejected = rig.ctl({"eject", "CLN001L1"});
    REQUIRE_MESSAGE(ejected.status == 0, ejected.err);
    takeOut(vtl, 3, vtl.ieport(0));  // the operator takes it out
    RunResult gone = rig.ctl({"library", "inventory", "vtl"});
    REQUIRE_MESSAGE(gone.status == 0, gone.err);
    CHECK(rig.sql("SELECT count(*) FROM physical_media WHERE barcode = 'CLN001L1'") == "0");
}

TEST_CASE("rsmd eject --queue: waits for a free IE port instead of ERROR_BUSY") {
    VirtualLibrary::Shape shape = cleanerLibrary();
    shape.barcodes.clear();  // SMC001L5..SMC003L5: data cartridges only
    VirtualLibrary vtl(shape);
    RsmdRig rig;
    prepareLibrary(rig, vtl);
    RunResult first = rig.ctl({"eject", "SMC001L5"});
    REQUIRE_MESSAGE(first.status == 0, first.err);
    // The only port is full: without --queue, ERROR_BUSY at once.
    RunResult busy = rig.ctl({"eject", "SMC002L5"});
    CHECK(busy.status == 1);
    CHECK(busy.err.find("ERROR_BUSY (170)") != std::string::npos);
    // With --queue it waits; the operator empties the port, and the next robot work (an
    // inventory) lets it run.
    auto queued = std::async(std::launch::async, [&] {
        return rig.ctl({"eject", "SMC002L5", "--queue"});
    });
    CHECK(eventually([&] { return requestsIn(rig, "eject", 5) == "1"; }));  // WAITING
    takeOut(vtl, 3, vtl.ieport(0));
    expectOk(rig, {"library", "inventory", "vtl"});
    RunResult done = queued.get();
    INFO(done.err);
    CHECK(done.status == 0);
    CHECK(done.out.find("ejected SMC002L5: SMC002L5 in IE port") == 0);
    CHECK(databaseHolds(rig) == robotHolds(vtl));
}

}  // namespace rsm::test
