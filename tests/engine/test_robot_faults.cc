// Robot faults through Mover and DriveSession, with the sense data tgtd cannot produce: an engine
// over the private PostgreSQL, a library registered and inventoried, and a FakeTransport scripted
// per device (the changer, each drive). Each fault is an Error with its RSM code and words that
// name the cartridge and the addresses; UNIT ATTENTION and "becoming ready" are repeated within
// limits; after a failed move the database says what the robot reports, or keeps the intent for the
// next audit when even the robot's element status cannot be read.

#include <doctest/doctest.h>

#include "tests/engine/fault_rig.h"

using namespace rsm;
using namespace rsm::engine;
using namespace rsm::test;
using library::Mover;
using library::Place;
using sg::ElementType;
using sg::FakeTransport;
namespace op = sg::cdb::op;

namespace {

// A MOVE MEDIUM of A00001L5 from slot 1000 to drive 500 the robot refuses with `sense`, and the
// element status it reports after: `after`.
Error refusedMount(FaultRig &f, std::uint8_t key, std::uint8_t asc, std::uint8_t ascq,
                   const Holds &after) {
    f.scriptMap();
    f.scriptMove(kSlot, kDrive0, FakeTransport::senseReply(key, asc, ascq));
    f.scriptStatus(after);
    auto moved = f.mountFirst();
    REQUIRE(!moved.ok());
    const Error &e = moved.error();
    INFO(e.toString());
    CHECK(e.message().find("moving A00001L5 from 1000 to 500: ") != std::string::npos);
    REQUIRE(e.sense().has_value());
    CHECK(e.sense()->key == key);
    CHECK(e.sense()->asc == asc);
    CHECK(e.sense()->ascq == ascq);
    CHECK(f.pending() == 0);  // the audit after the failure resolved the intent
    return e;
}

bool says(const Error &e, const std::string &words) {
    INFO(e.toString());
    return e.message().find(words) != std::string::npos;
}

}  // namespace

TEST_CASE("robot faults: a move the robot makes puts the medium in the drive") {
    FaultRig f;
    f.scriptMap();
    f.scriptMove(kSlot, kDrive0, sg::Reply{});
    REQUIRE_OK(f.mountFirst());
    CHECK(f.where("A00001L5") == "drive 500 MOUNTED");
    CHECK(f.driveState(kDrive0) == "MOUNTED");
    CHECK(f.pending() == 0);
}

TEST_CASE("robot faults: source element empty (05/3B/0E)") {
    FaultRig f;
    // The slot is empty indeed: the cartridge is no longer in the library.
    Holds after = f.start;
    after.erase(kSlot);
    Error e = refusedMount(f, 5, 0x3B, 0x0E, after);
    CHECK(e.code() == ErrorCode::Empty);
    CHECK(says(e, "source element 1000 is empty (sense 05/3B/0E)"));
    // Gone: a medium of the UNRECOGNIZED pool the robot no longer holds is deleted (the pool
    // policy; a medium of another pool would go to the shelf).
    CHECK(f.rig.count("SELECT count(*) FROM physical_media WHERE barcode = 'A00001L5'") == 0);
    CHECK(f.driveState(kDrive0) == "DISMOUNTED");
}

TEST_CASE("robot faults: destination element full (05/3B/0D)") {
    FaultRig f;
    // The drive holds a cartridge the database did not know of.
    Holds after = f.start;
    after[kDrive0] = "X00009L5";
    Error e = refusedMount(f, 5, 0x3B, 0x0D, after);
    CHECK(e.code() == ErrorCode::NotEmpty);
    CHECK(says(e, "destination element 500 is full (sense 05/3B/0D)"));
    CHECK(f.where("A00001L5") == "slot 1000 IDLE");
    CHECK(f.where("X00009L5") == "drive 500 LOADED");
    CHECK(f.driveState(kDrive0) == "LOADED");
}

TEST_CASE("robot faults: library not ready, and not becoming ready (02/04/03)") {
    FaultRig f;
    Error e = refusedMount(f, 2, 0x04, 0x03, f.start);
    CHECK(e.code() == ErrorCode::LibraryOffline);
    CHECK(says(e, "manual intervention required (sense 02/04/03)"));
    CHECK(f.slept == std::chrono::milliseconds(0));  // not waited out
    CHECK(f.where("A00001L5") == "slot 1000 IDLE");
}

TEST_CASE("robot faults: the library's door is open (02/04/83)") {
    FaultRig f;
    Error e = refusedMount(f, 2, 0x04, 0x83, f.start);
    CHECK(e.code() == ErrorCode::LibraryOffline);
    CHECK(says(e, "the library's door is open (sense 02/04/83)"));
    CHECK(f.slept == std::chrono::milliseconds(0));
    CHECK(f.where("A00001L5") == "slot 1000 IDLE");
}

TEST_CASE("robot faults: hardware errors (04/xx)") {
    SUBCASE("a diagnostic failure") {
        FaultRig f;
        Error e = refusedMount(f, 4, 0x40, 0x80, f.start);
        CHECK(e.code() == ErrorCode::DeviceNotAvailable);
        CHECK(says(e, "Hardware Error"));
        CHECK(says(e, "(sense 04/40/80)"));
        CHECK(f.where("A00001L5") == "slot 1000 IDLE");
    }
    SUBCASE("a mechanical positioning error") {
        FaultRig f;
        Error e = refusedMount(f, 4, 0x15, 0x01, f.start);
        CHECK(e.code() == ErrorCode::UnableToLoadMedium);
        CHECK(says(e, "mechanical positioning error moving 1000 to 500"));
        CHECK(f.where("A00001L5") == "slot 1000 IDLE");
    }
}

TEST_CASE("robot faults: a drive that has not unloaded its cartridge (05/53/02)") {
    FaultRig f;
    f.scriptNoHealth(kDrive1);                               // no health pages, as tgtd
    f.tape(kDrive1).expect(op::StartStopUnit, sg::Reply{});  // the unload says it did
    f.scriptMap();
    // putAway takes the first free slot: A00003L5 came from no slot of rsm's.
    f.scriptMove(kDrive1, kSlot + 2, FakeTransport::senseReply(5, 0x53, 0x02));
    f.scriptStatus(f.start);
    auto view = f.rig.engine->robotView(f.library);
    REQUIRE_OK(view);
    auto drives = f.drives();
    auto put = f.mover().putAway(drives, *view, f.viewOf(kDrive1), std::nullopt);
    REQUIRE(!put.ok());
    const Error &e = put.error();
    CHECK(e.code() == ErrorCode::UnableToEjectMountedMedia);
    CHECK(says(e, "moving A00003L5 from 501 to 1002: medium removal from 501 is prevented"));
    CHECK(says(e, "(sense 05/53/02)"));
    // Still in the drive, taken by no one: the idle work tries again.
    CHECK(f.where("A00003L5") == "drive 501 UNLOADED");
    CHECK(f.driveState(kDrive1) == "DISMOUNTABLE");
    CHECK(f.pending() == 0);
}

TEST_CASE("robot faults: a drive that refuses to unload stops the put-away before the robot") {
    FaultRig f;
    f.scriptNoHealth(kDrive1);
    f.tape(kDrive1).expectSense(op::StartStopUnit, 5, 0x53, 0x02);
    auto view = f.rig.engine->robotView(f.library);
    REQUIRE_OK(view);
    auto drives = f.drives();
    auto put = f.mover().putAway(drives, *view, f.viewOf(kDrive1), std::nullopt);
    REQUIRE(!put.ok());
    CHECK(put.error().code() == ErrorCode::UnableToEjectMountedMedia);
    CHECK(says(put.error(), "putting A00003L5 away: unloading drive 1: "));
    CHECK(says(put.error(), "(sense 05/53/02)"));
    CHECK(f.changer().commands().empty());
    CHECK(f.where("A00003L5") == "drive 501 LOADED");
    CHECK(f.pending() == 0);
}

TEST_CASE("robot faults: UNIT ATTENTION is repeated, then the move is recorded") {
    FaultRig f;
    f.scriptMap();
    f.scriptMove(kSlot, kDrive0, FakeTransport::senseReply(6, 0x29, 0x00));  // reset
    f.scriptMove(kSlot, kDrive0, FakeTransport::senseReply(6, 0x2A, 0x01));  // mode changed
    f.scriptMove(kSlot, kDrive0, sg::Reply{});
    REQUIRE_OK(f.mountFirst());
    CHECK(f.where("A00001L5") == "drive 500 MOUNTED");
    CHECK(f.pending() == 0);
}

TEST_CASE("robot faults: a library becoming ready is waited for, then the move is recorded") {
    FaultRig f;
    f.scriptMap();
    f.scriptMove(kSlot, kDrive0, FakeTransport::senseReply(2, 0x04, 0x01));
    f.scriptMove(kSlot, kDrive0, FakeTransport::senseReply(2, 0x04, 0x01));
    f.scriptMove(kSlot, kDrive0, sg::Reply{});
    REQUIRE_OK(f.mountFirst());
    CHECK(f.slept == std::chrono::seconds(2));
    CHECK(f.where("A00001L5") == "drive 500 MOUNTED");
    CHECK(f.pending() == 0);
}

TEST_CASE("robot faults: a drive becoming ready after a move is waited for") {
    FaultRig f;
    f.tape(kDrive0)
        .expectSense(op::TestUnitReady, 6, 0x28, 0x00)  // medium may have changed
        .expectSense(op::TestUnitReady, 2, 0x04, 0x01)
        .expectSense(op::TestUnitReady, 2, 0x3A, 0x00)  // not yet loaded
        .expect(op::TestUnitReady, sg::Reply{});
    REQUIRE_OK(f.drives().waitReady(f.viewOf(kDrive0).row));
    CHECK(f.slept == std::chrono::seconds(2));
}

TEST_CASE("robot faults: retries run out with an error, not a hang") {
    SUBCASE("UNIT ATTENTION every time") {
        FaultRig f;
        f.scriptMap();
        for (int i = 0; i <= f.options.retry.unitAttentionRetries; ++i)
            f.scriptMove(kSlot, kDrive0, FakeTransport::senseReply(6, 0x29, 0x00));
        f.scriptStatus(f.start);
        auto moved = f.mountFirst();
        REQUIRE(!moved.ok());
        CHECK(moved.error().code() == ErrorCode::Busy);
        CHECK(says(moved.error(), "moving A00001L5 from 1000 to 500: "));
        CHECK(says(moved.error(), "(sense 06/29/00)"));
        CHECK(f.where("A00001L5") == "slot 1000 IDLE");
        CHECK(f.pending() == 0);
    }
    SUBCASE("a library that stays 'becoming ready'") {
        FaultRig f;
        f.scriptMap();
        // Asked at 0, 1, 2 and 3 s; then the 3 s are up.
        for (int i = 0; i < 4; ++i)
            f.scriptMove(kSlot, kDrive0, FakeTransport::senseReply(2, 0x04, 0x01));
        f.scriptStatus(f.start);
        auto moved = f.mountFirst();
        REQUIRE(!moved.ok());
        CHECK(moved.error().code() == ErrorCode::Timeout);
        CHECK(says(moved.error(), "moving A00001L5 from 1000 to 500: "));
        CHECK(says(moved.error(), "still not ready after 3 s"));
        CHECK(f.slept == std::chrono::seconds(3));
        CHECK(f.where("A00001L5") == "slot 1000 IDLE");
        CHECK(f.pending() == 0);
    }
    SUBCASE("a drive that never becomes ready") {
        FaultRig f;
        for (int i = 0; i < 4; ++i)
            f.tape(kDrive0).expectSense(op::TestUnitReady, 2, 0x04, 0x01);
        auto ready = f.drives().waitReady(f.viewOf(kDrive0).row);
        REQUIRE(!ready.ok());
        CHECK(ready.error().code() == ErrorCode::Timeout);
        CHECK(says(ready.error(), "waiting for drive 0: "));
        CHECK(says(ready.error(), "not ready after 3 s"));
    }
}

TEST_CASE("robot faults: after a failed move the database says what the robot reports") {
    SUBCASE("the robot made the move despite the error") {
        FaultRig f;
        Holds after = f.start;
        after.erase(kSlot);
        after[kDrive0] = "A00001L5";
        Error e = refusedMount(f, 4, 0x44, 0x00, after);
        CHECK(e.code() == ErrorCode::DeviceNotAvailable);
        // In the drive and nobody's: DISMOUNTABLE at once, so that it goes home.
        CHECK(f.where("A00001L5") == "drive 500 UNLOADED");
        CHECK(f.driveState(kDrive0) == "DISMOUNTABLE");
        CHECK(f.log.find("moving A00001L5 from 1000 to 500") != std::string::npos);
    }
    SUBCASE("the robot did not move it") {
        FaultRig f;
        Error e = refusedMount(f, 4, 0x44, 0x00, f.start);
        CHECK(f.where("A00001L5") == "slot 1000 IDLE");
        CHECK(f.driveState(kDrive0) == "DISMOUNTED");
    }
    SUBCASE("the robot left it in its picker") {
        FaultRig f;
        Holds after = f.start;
        after.erase(kSlot);
        after[kPicker] = "A00001L5";
        refusedMount(f, 4, 0x15, 0x01, after);
        // Still in the library (not on the shelf), in no slot, and its home slot kept.
        CHECK(f.where("A00001L5") == "transport IDLE");
        CHECK(f.media("A00001L5").homeSlotId == f.place(ObjectKind::Slot, kSlot).id);
        // An inventory that finds it there again changes nothing; one that finds it in a slot
        // puts it there.
        auto again = f.rig.engine->reconcileInventory(f.library, [&] {
            auto seen = FaultRig::report(after);
            seen.push_back(InventoryElement{ObjectKind::Changer, kPicker, true, "A00001L5"});
            return seen;
        }());
        REQUIRE_OK(again);
        CHECK(again->moved == 0);
        CHECK(f.where("A00001L5") == "transport IDLE");
        f.scriptMap();
        f.scriptStatus(f.start);
        auto audited = f.mover().audit();
        REQUIRE_OK(audited);
        CHECK(f.where("A00001L5") == "slot 1000 IDLE");
    }
}

TEST_CASE("robot faults: when even the element status fails, the intent waits for the audit") {
    FaultRig f;
    f.scriptMap();
    f.scriptMove(kSlot, kDrive0, FakeTransport::senseReply(4, 0x15, 0x01));
    f.changer().expectError(op::ReadElementStatus,
                            Error(ErrorCode::DeviceNotAvailable, "connection lost"));
    auto moved = f.mountFirst();
    REQUIRE(!moved.ok());
    CHECK(moved.error().code() == ErrorCode::UnableToLoadMedium);
    CHECK(f.log.find("audit after the failed move") != std::string::npos);
    CHECK(f.pending() == 1);
    CHECK(f.where("A00001L5") == "slot 1000 INUSE");
    // Nothing else moves it meanwhile.
    CHECK(f.mountFirst().error().code() == ErrorCode::Busy);

    // Later, with the robot back: it had made the move.
    Holds after = f.start;
    after.erase(kSlot);
    after[kDrive0] = "A00001L5";
    f.scriptMap();
    f.scriptStatus(after);
    auto audited = f.mover().audit();
    REQUIRE_OK(audited);
    CHECK(audited->resolved == 1);
    CHECK(audited->inventory.moved == 1);
    CHECK(f.pending() == 0);
    CHECK(f.where("A00001L5") == "drive 500 UNLOADED");
    CHECK(f.driveState(kDrive0) == "DISMOUNTABLE");
}
