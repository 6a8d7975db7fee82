// Cleaning, inject and the eject pool policy through the robot jobs and a scripted robot
// (FaultRig): a drive whose TapeAlert asks for cleaning gets a clean request; the clean job with
// a drive that cleans and ejects the cleaner, one that reports a cleaning failure, a cleaner
// that runs out of uses, and no cleaner at all; a cleaner injected goes to the reserved cleaner
// slot and nothing else does; an inject with no free slot asks the operator; media that leave
// the library are deleted or shelved as the pool policy says.

#include <doctest/doctest.h>

#include "src/library/jobs/jobs.h"
#include "tests/engine/fault_rig.h"

using namespace rsm;
using namespace rsm::engine;
using namespace rsm::test;

namespace {

constexpr int kCleanerSlot = kSlot + 3;

// LOG SENSE page 2Eh with these flags set (all 64 parameters listed, as drives send them).
std::vector<std::uint8_t> tapeAlertPage(std::initializer_list<int> set) {
    std::vector<std::uint8_t> page = {0x2E, 0, (64 * 5) >> 8, (64 * 5) & 0xFF};
    for (int flag = 1; flag <= 64; ++flag) {
        bool on = false;
        for (int s : set)
            on = on || s == flag;
        page.insert(page.end(), {0, static_cast<std::uint8_t>(flag), 0x40, 1,
                                 static_cast<std::uint8_t>(on ? 1 : 0)});
    }
    return page;
}

struct CleaningRig : FaultRig {
    // The robot also holds the cleaner CLN001L1 in slot 1003, reserved for it.
    CleaningRig() {
        holds = start;
        holds[kCleanerSlot] = "CLN001L1";
        REQUIRE_OK(rig.engine->reconcileInventory(library, report(holds)));
        REQUIRE_OK(rig.engine->setCleanerSlot(rig.root, library, kCleanerSlot));
    }

    // Queues a clean of the drive and runs it as the worker would.
    Result<library::JobDone> clean(int drive) {
        auto id = rig.engine->submitClean(rig.root, viewOf(drive).row.id);
        REQUIRE_OK(id);
        return runNext("clean");
    }

    Result<library::JobDone> runNext(const std::string &kind) {
        engine::Ledger ledger(*rig.t.store);
        auto request = ledger.prepare(library);
        REQUIRE_OK(request);
        REQUIRE(request->has_value());
        CHECK((*request)->request.kind() == kind);
        auto done = library::runRequest(*rig.engine, options, **request);
        engine::RequestOutcome outcome;
        if (!done)
            outcome.status = done.error();
        REQUIRE_OK(ledger.finish((*request)->request.id, outcome));
        return done;
    }

    int usesLeft(const std::string &barcode) {
        auto info = rig.engine->getMedia(rig.root, media(barcode).id);
        REQUIRE_OK(info);
        REQUIRE(info->cleanerUses.has_value());
        return *info->cleanerUses;
    }

    std::vector<OperatorRequestInfo> operatorRequests(OperatorRequestKind kind) {
        auto all = rig.engine->listOperatorRequests(rig.root, false);
        REQUIRE_OK(all);
        std::vector<OperatorRequestInfo> out;
        for (const auto &r : *all)
            if (r.row.kind == kind)
                out.push_back(r);
        return out;
    }

    // The cleaner goes from its slot into drive 500, and back after the drive's answers.
    void scriptCleaning(std::vector<sg::Reply> testUnitReady) {
        scriptMap();
        scriptMove(kCleanerSlot, kDrive0, sg::Reply{});
        for (sg::Reply &r : testUnitReady)
            tape(kDrive0).expect(op::TestUnitReady, std::move(r));
        tape(kDrive0).expect(op::StartStopUnit, sg::Reply{});  // unload; no TapeAlert read
        scriptMove(kDrive0, kCleanerSlot, sg::Reply{});
    }

    Holds holds;
};

}  // namespace

TEST_CASE("cleaning: a new barcode with the cleaner prefix is a cleaner, never data") {
    CleaningRig f;
    CHECK(f.usesLeft("CLN001L1") == 50);
    auto info = f.rig.engine->getMedia(f.rig.root, f.media("CLN001L1").id);
    REQUIRE_OK(info);
    // Of the library's data cartridges' type: "L1" makes no LTO-1 type (issue 18).
    CHECK(info->pool == "unrecognized:LTO-5");
    CHECK(f.rig.count("SELECT count(*) FROM media_type WHERE name = 'LTO-1'") == 0);
    CHECK(info->sides.at(0).row.state == SideState::Incompatible);
    // Not read by a FULL inventory, not moved to a pool.
    auto unread = f.rig.engine->unreadMedia(f.library);
    REQUIRE_OK(unread);
    for (const MediaRow &m : *unread)
        CHECK(m.barcode != std::optional<std::string>("CLN001L1"));
    auto free = f.rig.engine->findPool(f.rig.root, "free:LTO-5");
    REQUIRE_OK(free);
    REQUIRE_CODE(f.rig.engine->moveToPool(f.rig.root, f.media("CLN001L1").id, *free),
                 ErrorCode::MediaIncompatible);
    // One cleaner slot per library, holding no data cartridge.
    REQUIRE_CODE(f.rig.engine->setCleanerSlot(f.rig.root, f.library, kSlot + 2),
                 ErrorCode::CleanerSlotSet);
    REQUIRE_OK(f.rig.engine->setCleanerSlot(f.rig.root, f.library, std::nullopt));
    REQUIRE_CODE(f.rig.engine->setCleanerSlot(f.rig.root, f.library, std::nullopt),
                 ErrorCode::CleanerSlotNotSet);
    REQUIRE_CODE(f.rig.engine->setCleanerSlot(f.rig.root, f.library, kSlot), ErrorCode::NotEmpty);
}

TEST_CASE("cleaning: a drive that cleans and ejects the cleaner; one use fewer") {
    CleaningRig f;
    f.scriptCleaning({FakeTransport::senseReply(2, 0x30, 0x03),  // cleaning cartridge installed
                      FakeTransport::senseReply(2, 0x30, 0x03),
                      FakeTransport::senseReply(2, 0x3A, 0x00)});  // done: ejected
    auto done = f.clean(kDrive0);
    REQUIRE_OK(done);
    CHECK(done->message ==
          "drive faulty/0 cleaned with CLN001L1 (49 uses left): drive 0 cleaned and ejected the "
          "cleaner");
    CHECK(f.slept == std::chrono::seconds(2));
    CHECK(f.usesLeft("CLN001L1") == 49);
    CHECK(f.where("CLN001L1") == "slot 1003 IDLE");
    CHECK(f.driveState(kDrive0) == "DISMOUNTED");
    const DriveRow drive = f.viewOf(kDrive0).row;
    CHECK(drive.lastCleaned.has_value());
    CHECK_FALSE(drive.needsCleaning);
    CHECK(f.pending() == 0);
}

TEST_CASE("cleaning: a cleaning failure is ERROR_UNABLE_TO_CLEAN, and the cleaner goes home") {
    CleaningRig f;
    f.scriptCleaning({FakeTransport::senseReply(3, 0x30, 0x07)});  // CLEANING FAILURE
    auto done = f.clean(kDrive0);
    REQUIRE_CODE(done, ErrorCode::UnableToClean);
    CHECK(done.error().message() == "drive 0 reports a cleaning failure");
    CHECK(f.usesLeft("CLN001L1") == 50);
    CHECK(f.where("CLN001L1") == "slot 1003 IDLE");
    CHECK_FALSE(f.viewOf(kDrive0).row.lastCleaned.has_value());
}

// Issue 18: a drive that ran no cleaning cycle was recorded as cleaned.
TEST_CASE("cleaning: a drive that takes the cleaner as a tape is not cleaned; no use is counted") {
    CleaningRig f;
    f.scriptCleaning({sg::Reply{}});  // ready: a drive that does not clean (tgtd's)
    auto done = f.clean(kDrive0);
    REQUIRE_CODE(done, ErrorCode::UnableToClean);
    CHECK(done.error().message().find("drive 0 took the cleaner as a data tape and reported no "
                                      "cleaning cycle: it was not cleaned") == 0);
    CHECK(f.usesLeft("CLN001L1") == 50);
    CHECK(f.where("CLN001L1") == "slot 1003 IDLE");
    CHECK_FALSE(f.viewOf(kDrive0).row.lastCleaned.has_value());
}

TEST_CASE("cleaning: a spent cleaner asks the operator for a new one; then none is left") {
    CleaningRig f;
    REQUIRE_OK(f.rig.engine->setCleaner(f.rig.root, f.media("CLN001L1").id, 1));
    f.scriptCleaning({FakeTransport::senseReply(2, 0x3A, 0x00)});  // cleaned and ejected
    auto done = f.clean(kDrive0);
    REQUIRE_OK(done);
    CHECK(done->message.find("(0 uses left): drive 0 cleaned and ejected") != std::string::npos);
    auto asked = f.operatorRequests(OperatorRequestKind::Cleaner);
    REQUIRE(asked.size() == 1);
    CHECK(asked[0].row.message ==
          "cartridge CLN001L1 is spent: eject it from library faulty and inject a new cleaner");
    CHECK(asked[0].barcode == std::optional<std::string>("CLN001L1"));

    auto again = f.clean(kDrive0);
    REQUIRE_CODE(again, ErrorCode::CleanerCartridgeSpent);
    CHECK(again.error().message().find("every cleaner in library faulty is spent (1): inject a "
                                       "new cleaner to clean drive faulty/0 (operator request ") ==
          0);
    CHECK(f.operatorRequests(OperatorRequestKind::Cleaner).size() == 2);
}

TEST_CASE("cleaning: no cleaner in the library") {
    FaultRig f;
    REQUIRE_OK(f.rig.engine->submitClean(f.rig.root, f.viewOf(kDrive0).row.id));
    // A second clean of the same drive while one is queued is refused.
    REQUIRE_CODE(f.rig.engine->submitClean(f.rig.root, f.viewOf(kDrive0).row.id), ErrorCode::Busy);
    engine::Ledger ledger(*f.rig.t.store);
    auto request = ledger.prepare(f.library);
    REQUIRE_OK(request);
    REQUIRE(request->has_value());
    auto done = library::runRequest(*f.rig.engine, f.options, **request);
    REQUIRE_CODE(done, ErrorCode::UnableToClean);
    CHECK(done.error().message().find("library faulty has no cleaner cartridge: inject a new "
                                      "cleaner to clean drive faulty/0") == 0);
    auto asked = f.rig.engine->listOperatorRequests(f.rig.root, false);
    REQUIRE_OK(asked);
    REQUIRE(asked->size() == 1);
    CHECK(asked->at(0).row.kind == OperatorRequestKind::Cleaner);
}

TEST_CASE("cleaning: a drive whose TapeAlert says 'clean now' gets a clean request") {
    FaultRig f;
    // A drive with TapeAlert only: the other health parts refused.
    f.tape(kDrive1).expectSense(op::ReadAttribute, 5, 0x24, 0x00);
    for (std::uint8_t page : {0x17, 0x02, 0x03})
        f.tape(kDrive1).expect(op::LogSense, FaultRig::logPage(page),
                               FakeTransport::senseReply(5, 0x24, 0));
    f.tape(kDrive1).expect(op::LogSense, FaultRig::logPage(0x2E),
                           FakeTransport::dataReply(tapeAlertPage({20})));
    f.tape(kDrive1).expect(op::StartStopUnit, sg::Reply{});
    f.scriptMap();
    f.scriptMove(kDrive1, kSlot + 2, sg::Reply{});
    auto view = f.rig.engine->robotView(f.library);
    REQUIRE_OK(view);
    auto drives = f.drives();
    REQUIRE_OK(f.mover().putAway(drives, *view, f.viewOf(kDrive1), std::nullopt));
    CHECK(f.viewOf(kDrive1).row.needsCleaning);
    CHECK(f.log.find("faulty: drive 1 asks to be cleaned (TapeAlert 20 (clean now)); clean "
                     "request ") != std::string::npos);
    auto page = f.rig.engine->listRequests(f.rig.root, engine::RequestListing{f.library});
    REQUIRE_OK(page);
    const auto &requests = page->requests;
    REQUIRE(requests.size() == 1);
    CHECK(requests.at(0).row.kind() == "clean");
    CHECK(requests.at(0).row.driveId == f.viewOf(kDrive1).row.id);
}

TEST_CASE("inject: a cleaner goes to the reserved cleaner slot, data never does") {
    CleaningRig f;
    // The cleaner was taken out by hand; it and a data cartridge are in the IE port in turn.
    f.holds.erase(kCleanerSlot);
    f.holds[kPort] = "CLN001L1";
    f.scriptMap();
    f.scriptStatus(f.holds);
    f.scriptMove(kPort, kCleanerSlot, sg::Reply{});
    REQUIRE_OK(f.rig.engine->queueDaemonRequest(f.library, engine::work::Inject{}, 0));
    auto done = f.runNext("inject");
    REQUIRE_OK(done);
    CHECK(done->message == "1 cartridge injected: CLN001L1 -> slot 1003 (cleaner)");
    CHECK(f.where("CLN001L1") == "slot 1003 IDLE");

    // With only the cleaner slot free (its cleaner is in a drive), a data cartridge stays in
    // the port: the operator is told.
    f.holds.erase(kCleanerSlot);
    f.holds[kDrive0] = "CLN001L1";
    f.holds[kPort] = "N00001L5";
    f.holds[kSlot + 2] = "N00002L5";
    f.scriptMap();
    f.scriptStatus(f.holds);
    REQUIRE_OK(f.rig.engine->queueDaemonRequest(f.library, engine::work::Inject{}, 0));
    done = f.runNext("inject");
    REQUIRE_OK(done);
    CHECK(done->message.find("0 cartridges injected; 1 left in the IE ports: no free slot "
                             "(operator request ") == 0);
    auto asked = f.operatorRequests(OperatorRequestKind::Message);
    REQUIRE(asked.size() == 1);
    CHECK(asked[0].row.message ==
          "library faulty has no free slot for 1 cartridge in its IE ports: eject or take out "
          "some cartridges, then inject again");
    CHECK(f.where("N00001L5") == "ieport 10 IDLE");
}

TEST_CASE("eject policy: media gone from the library are deleted or shelved by their pool") {
    CleaningRig f;
    Holds holds = f.holds;
    holds[kSlot + 2] = "U00001L5";  // never read: UNRECOGNIZED
    REQUIRE_OK(f.rig.engine->reconcileInventory(f.library, FaultRig::report(holds)));
    auto free = f.rig.engine->findPool(f.rig.root, "free:LTO-5");
    REQUIRE_OK(free);
    REQUIRE_OK(f.rig.engine->moveToPool(f.rig.root, f.media("A00001L5").id, *free));
    REQUIRE_OK(f.rig.engine->moveToPool(f.rig.root, f.media("A00002L5").id, *free));
    REQUIRE_OK(f.rig.engine->moveToPool(f.rig.root, f.media("A00002L5").id, f.rig.pool));
    auto exists = [&](const std::string &barcode) {
        return f.rig.count("SELECT count(*) FROM physical_media WHERE barcode = $1", {barcode}) ==
               1;
    };
    const long long sidesBefore = f.rig.count("SELECT count(*) FROM side");

    // All four leave (ejected and taken out): the cleaner and the UNRECOGNIZED medium are
    // deleted, with their sides; FREE and application media go to the shelf.
    Holds after = holds;
    for (int a : {kSlot, kSlot + 1, kSlot + 2, kCleanerSlot})
        after.erase(a);
    auto r = f.rig.engine->reconcileInventory(f.library, FaultRig::report(after));
    REQUIRE_OK(r);
    CHECK(r->deleted == 2);
    CHECK(r->removed == 2);
    CHECK_FALSE(exists("CLN001L1"));
    CHECK_FALSE(exists("U00001L5"));
    CHECK(f.rig.count("SELECT count(*) FROM cleaner") == 0);
    CHECK(f.rig.count("SELECT count(*) FROM side") == sidesBefore - 2);
    CHECK(f.where("A00001L5") == "shelf IDLE");
    CHECK(f.where("A00002L5") == "shelf IDLE");

    // With purge_offline_free, a FREE medium that leaves is deleted too; application media
    // never are.
    f.rig.sql("UPDATE computer SET purge_offline_free = true");
    after[kSlot] = "A00001L5";
    after[kSlot + 1] = "A00002L5";
    REQUIRE_OK(f.rig.engine->reconcileInventory(f.library, FaultRig::report(after)));
    after.erase(kSlot);
    after.erase(kSlot + 1);
    r = f.rig.engine->reconcileInventory(f.library, FaultRig::report(after));
    REQUIRE_OK(r);
    CHECK(r->deleted == 1);
    CHECK_FALSE(exists("A00001L5"));
    CHECK(f.where("A00002L5") == "shelf IDLE");
}
