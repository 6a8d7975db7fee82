// Mount and dismount through rsmd against tgtd's virtual library: the right cartridge goes into
// a drive that becomes ready, rsmctl mount prints the drive's device, dismount brings it home,
// a deferred dismount leaves it for the next mount at no robot move, a mount waits for a free
// drive, and the errors of MountNtmsMedia come with their codes. After each step the database
// and the robot's element status agree.

#include <doctest/doctest.h>

#include <chrono>
#include <future>
#include <thread>

#include "tests/rsmd/robot_helpers.h"
#include "tests/rsmd/seed_helpers.h"

namespace rsm::test {

namespace {

using nlohmann::json;

json driveOf(const RsmdRig &rig, int number) {
    return rig.json({"drive", "list", "--library", "vtl"})["drives"].at(
        static_cast<std::size_t>(number));
}

// The drive number whose device this is.
int driveNumber(const VirtualLibrary &vtl, const std::string &device) {
    for (std::size_t i = 0; i < vtl.driveUrls().size(); ++i)
        if (vtl.driveUrls()[i] == device)
            return static_cast<int>(i);
    FAIL("no drive has device '" << device << "'");
    return -1;
}

std::string mountOk(const RsmdRig &rig, const std::vector<std::string> &args) {
    std::vector<std::string> full = {"mount"};
    full.insert(full.end(), args.begin(), args.end());
    RunResult r = rig.ctl(full);
    REQUIRE_MESSAGE(r.status == 0, r.err);
    std::string device = r.out;
    while (!device.empty() && device.back() == '\n')
        device.pop_back();
    return device;
}

void expectAgree(const RsmdRig &rig, const VirtualLibrary &vtl) {
    const auto database = databaseHolds(rig);
    const auto robot = robotHolds(vtl);
    INFO("database: " << describeHolds(database));
    INFO("robot:    " << describeHolds(robot));
    CHECK(database == robot);
}

}  // namespace

TEST_CASE("rsmd mount: into a free drive, ready, its device printed; dismount brings it home") {
    VirtualLibrary vtl(smallLibrary());
    RsmdRig rig;
    prepareLibrary(rig, vtl);
    const std::string barcode = allocate(rig, "job1");
    const int home = mediaOf(rig, barcode)["address"].get<int>();

    const std::string device = mountOk(rig, {"job1"});
    const int n = driveNumber(vtl, device);
    CHECK(n == 0);  // empty drives, fewest mounts, lowest number
    json m = mediaOf(rig, barcode);
    CHECK(m["location"] == "drive");
    CHECK(m["address"] == vtl.drive(n));
    CHECK(m["state"] == "loaded");
    json d = driveOf(rig, n);
    CHECK(d["state"] == "loaded");
    CHECK(d["media"] == barcode);
    CHECK(d["mount_count"] == 1);
    CHECK(robotHolds(vtl).at(vtl.drive(n)) == barcode);
    expectAgree(rig, vtl);
    CHECK(rig.sql("SELECT count(*) FROM robot_move") == "0");

    // The request's record names the drive and its device.
    json requests = rig.json({"request", "list", "--all"})["requests"];
    json last = requests.front();  // newest first
    CHECK(last["kind"] == "mount");
    CHECK(last["state"] == "passed");
    CHECK(last["drive"] == "vtl/0");
    CHECK(last["device"] == device);
    CHECK(last["barcode"] == barcode);

    // Mounted already: BUSY, and nothing moves.
    expectError(rig, {"mount", "job1"}, 170, "ERROR_BUSY");

    RunResult out = rig.ctl({"dismount", "job1"});
    REQUIRE_MESSAGE(out.status == 0, out.err);
    CHECK(out.out.find("back in slot " + std::to_string(home)) != std::string::npos);
    m = mediaOf(rig, barcode);
    CHECK(m["location"] == "slot");
    CHECK(m["address"] == home);
    CHECK(m["state"] == "idle");
    CHECK(driveOf(rig, n)["state"] == "dismounted");
    expectAgree(rig, vtl);

    // Not in a drive any more.
    expectError(rig, {"dismount", "job1"}, 5023, "ERROR_INVALID_STATE");
}

TEST_CASE("rsmd mount: the errors of MountNtmsMedia") {
    VirtualLibrary vtl(smallLibrary());
    RsmdRig rig;
    prepareLibrary(rig, vtl);
    allocate(rig, "job1");

    expectError(rig, {"mount", "nosuch"}, 4300, "ERROR_INVALID_MEDIA");
    expectError(rig, {"mount", "job1", "--drive", "vtl/7"}, 15, "ERROR_INVALID_DRIVE");
    // A COMPLETE side is read only.
    expectOk(rig, {"complete", "job1"});
    expectError(rig, {"mount", "job1", "--write"}, 19, "ERROR_WRITE_PROTECT");
    // A disabled drive, chosen specifically.
    expectOk(rig, {"drive", "disable", "vtl/1"});
    expectError(rig, {"mount", "job1", "--drive", "vtl/1"}, 4309, "ERROR_RESOURCE_DISABLED");
    expectOk(rig, {"drive", "enable", "vtl/1"});
    // A cartridge on the shelf cannot be mounted.
    makeMedia(rig, "SHELF1L5", "backup", "Bacula", "shelved");
    expectError(rig, {"mount", "shelved", "--error-if-offline"}, 4304, "ERROR_MEDIA_OFFLINE");
    // Without USE on its pool or library.
    expectError(rig, {"mount", "job1"}, 5, "ERROR_ACCESS_DENIED", Who{5001, {5001}});
    // Nothing was queued by any of them, nothing moved.
    CHECK(rig.sql("SELECT count(*) FROM library_request WHERE kind = 'mount'") == "0");
    expectAgree(rig, vtl);

    // The chosen drive.
    const std::string device = mountOk(rig, {"job1", "--drive", "vtl/1"});
    CHECK(driveNumber(vtl, device) == 1);
    expectAgree(rig, vtl);
}

TEST_CASE("rsmd mount: a deferred dismount keeps the cartridge for the next mount") {
    VirtualLibrary vtl(smallLibrary());
    RsmdRig rig("dismount_delay = 2\n");
    prepareLibrary(rig, vtl);
    const std::string barcode = allocate(rig, "job1");
    const int home = mediaOf(rig, barcode)["address"].get<int>();

    const std::string device = mountOk(rig, {"job1"});
    expectOk(rig, {"dismount", "job1", "--deferred"});
    const int n = driveNumber(vtl, device);
    CHECK(driveOf(rig, n)["state"] == "dismountable");
    CHECK(mediaOf(rig, barcode)["state"] == "unloaded");
    CHECK(robotHolds(vtl).at(vtl.drive(n)) == barcode);

    // Mounted again before the delay ends: the same drive, no robot move.
    json again = rig.json({"mount", "job1"});
    CHECK(again["request"]["device"] == device);
    CHECK(again["request"]["message"].get<std::string>().find("(0 robot moves)") !=
          std::string::npos);
    CHECK(driveOf(rig, n)["state"] == "loaded");

    // Deferred again, then left alone: rsmd takes it home once the delay has passed.
    expectOk(rig, {"dismount", "job1", "--deferred"});
    eventually([&] { return mediaOf(rig, barcode)["location"] == "slot"; });
    json m = mediaOf(rig, barcode);
    CHECK(m["location"] == "slot");
    CHECK(m["address"] == home);
    CHECK(driveOf(rig, n)["state"] == "dismounted");
    expectAgree(rig, vtl);
}

TEST_CASE("rsmd mount: with every drive busy, a mount waits (or, NOWAIT, fails with BUSY)") {
    VirtualLibrary vtl(smallLibrary());
    RsmdRig rig;
    prepareLibrary(rig, vtl);
    allocate(rig, "job1");
    allocate(rig, "job2");
    const std::string third = allocate(rig, "job3");
    const std::string d1 = mountOk(rig, {"job1"});
    const std::string d2 = mountOk(rig, {"job2"});
    CHECK(d1 != d2);

    RunResult busy = rig.ctl({"mount", "job3", "--nowait"});
    CHECK(busy.status == 1);
    CHECK(busy.err.find("rsmctl: ERROR_BUSY (170): ") == 0);
    CHECK(busy.err.find("every usable drive is in use") != std::string::npos);
    CHECK(mediaOf(rig, third)["location"] == "slot");

    auto waiting = std::async(std::launch::async, [&] { return rig.ctl({"mount", "job3"}); });
    // It waits: WAITING in the queue, its cartridge still in its slot.
    eventually([&] { return requestsIn(rig, "mount", 5) == "1"; });
    CHECK(requestsIn(rig, "mount", 5) == "1");
    CHECK(mediaOf(rig, third)["location"] == "slot");

    // A drive comes free: the waiting mount takes it.
    expectOk(rig, {"dismount", "job1"});
    RunResult r = waiting.get();
    REQUIRE_MESSAGE(r.status == 0, r.err);
    CHECK(r.out == d1 + "\n");
    CHECK(mediaOf(rig, third)["location"] == "drive");
    expectAgree(rig, vtl);
}

TEST_CASE("rsmd mount: a cartridge on the shelf is waited for until it is put in the library") {
    VirtualLibrary vtl(smallLibrary());  // SMC001L5.. in slots 1000..
    RsmdRig rig;
    expectOk(rig, {"library", "add", "vtl", vtl.changerUrl()});
    makeModel(rig);
    // Known to rsm, on the shelf, with an LMID: the robot has it, rsm does not know yet.
    makeMedia(rig, "SMC002L5", "backup", "Bacula", "archive");

    auto waiting = std::async(std::launch::async, [&] { return rig.ctl({"mount", "archive"}); });
    eventually([&] { return requestsIn(rig, "mount", 5) == "1"; });
    json asked = rig.json({"request", "list", "--operator"})["operator_requests"];
    REQUIRE(asked.size() == 1);
    CHECK(asked[0]["kind"] == "movemedia");
    CHECK(asked[0]["library"] == "vtl");
    CHECK(asked[0]["barcode"] == "SMC002L5");
    CHECK(waiting.wait_for(std::chrono::milliseconds(500)) == std::future_status::timeout);

    // The operator puts it in (here: it was there all along, and an inventory finds it).
    expectOk(rig, {"inventory", "vtl"});
    RunResult r = waiting.get();
    REQUIRE_MESSAGE(r.status == 0, r.err);
    CHECK(driveNumber(vtl, r.out.substr(0, r.out.size() - 1)) == 0);
    CHECK(mediaOf(rig, "SMC002L5")["location"] == "drive");
    expectAgree(rig, vtl);
    // What the operator was asked for has happened: the request is complete, unasked.
    CHECK(rig.json({"request", "list", "--operator"})["operator_requests"].empty());
    json all = rig.json({"request", "list", "--operator", "--all"})["operator_requests"];
    REQUIRE(all.size() == 1);
    CHECK(all[0]["state"] == "complete");
}

TEST_CASE("rsmd mount: a mount waiting when rsmd dies is cancelled, not run for nobody") {
    VirtualLibrary vtl(smallLibrary());
    RsmdRig rig;
    prepareLibrary(rig, vtl);
    allocate(rig, "job1");
    allocate(rig, "job2");
    const std::string third = allocate(rig, "job3");
    mountOk(rig, {"job1"});
    mountOk(rig, {"job2"});
    auto waiting = std::async(std::launch::async, [&] { return rig.ctl({"mount", "job3"}); });
    eventually([&] { return requestsIn(rig, "mount", 5) == "1"; });
    rig.kill();
    RunResult lost = waiting.get();
    CHECK(lost.status == 1);

    rig.start();
    CHECK(rig.sql("SELECT state || ' ' || message FROM library_request WHERE kind = 'mount' "
                  "AND lmid = (SELECT id FROM logical_media WHERE name = 'job3')") ==
          "7 rsmd stopped before the request ran; its client is gone");
    // A drive comes free: nothing takes it for the cancelled mount.
    expectOk(rig, {"dismount", "job1"});
    std::this_thread::sleep_for(std::chrono::seconds(1));
    CHECK(mediaOf(rig, third)["location"] == "slot");
    expectAgree(rig, vtl);
}

TEST_CASE("rsmd audit: a move rsmd recorded but never finished is resolved from the robot") {
    VirtualLibrary vtl(smallLibrary());
    RsmdRig rig;
    prepareLibrary(rig, vtl);
    const std::string a = vtl.barcodes().at(0);
    const std::string b = vtl.barcodes().at(1);
    const int slotA = vtl.tapeSlots().at(0);
    const int slotB = vtl.tapeSlots().at(1);
    // As if rsmd died between its intents and their results: one move the robot made (a into
    // drive 0), one it never made (b to slot 7).
    auto intend = [&](const std::string &barcode, int from, const std::string &toKind,
                      const std::string &toTable, int to) {
        rig.sql(
            "INSERT INTO robot_move (library_id, media_id, source_kind, source_id,"
            " source_address, destination_kind, destination_id, destination_address)"
            " SELECT l.id, m.id, 3, s.id, s.address, " +
            toKind + ", t.id, t.address FROM library l, physical_media m, slot s, " + toTable +
            " t WHERE l.name = 'vtl' AND m.barcode = '" + barcode +
            "' AND s.library_id = l.id AND s.address = " + std::to_string(from) +
            " AND t.library_id = l.id AND t.address = " + std::to_string(to) + " RETURNING 1");
        rig.sql("UPDATE physical_media SET state = 1 WHERE barcode = '" + barcode +
                "' RETURNING 1");
    };
    intend(a, slotA, "2", "drive", vtl.drive(0));
    intend(b, slotB, "3", "slot", vtl.slot(7));
    robotMove(vtl, slotA, vtl.drive(0));
    CHECK(databaseHolds(rig) != robotHolds(vtl));

    RunResult r = rig.ctl({"audit", "vtl"});
    REQUIRE_MESSAGE(r.status == 0, r.err);
    CHECK(r.out.find("2 unfinished moves resolved") != std::string::npos);
    CHECK(mediaOf(rig, b)["state"] == "idle");
    // Nobody mounted a: its drive gives it back by itself, at once (the idle work may already
    // be moving it while the audit's reply comes, so the comparison waits for it).
    CHECK(eventually([&] {
        return mediaOf(rig, a)["location"] == "slot" &&
               rig.sql("SELECT count(*) FROM robot_move") == "0";
    }));
    CHECK(mediaOf(rig, a)["address"] == slotA);
    expectAgree(rig, vtl);

    // Start-up does the same without being asked.
    intend(b, slotB, "3", "slot", vtl.slot(7));
    robotMove(vtl, slotB, vtl.slot(7));
    rig.stop();
    rig.start();
    eventually([&] { return rig.sql("SELECT count(*) FROM robot_move") == "0"; });
    CHECK(rig.sql("SELECT count(*) FROM robot_move") == "0");
    CHECK(rig.sql("SELECT count(*) FROM library_request WHERE kind = 'audit' AND state = 2") ==
          "2");
    expectAgree(rig, vtl);
}

}  // namespace rsm::test

namespace rsm::test {

TEST_CASE("rsmd inject and eject through the IE ports") {
    VirtualLibrary vtl(smallLibrary());  // IE ports 10 and 11
    RsmdRig rig;
    prepareLibrary(rig, vtl);
    // A mounted cartridge is not ejected.
    allocate(rig, "job1");
    const std::string mounted = rig.json({"lmid", "show", "job1"})["lmid"]["barcode"];
    mountOk(rig, {"job1"});
    expectError(rig, {"eject", mounted}, 4330, "ERROR_UNABLE_TO_EJECT_MOUNTED_MEDIA");
    std::vector<std::string> idle;
    for (const std::string &barcode : vtl.barcodes())
        if (barcode != mounted)
            idle.push_back(barcode);

    // Eject: into the first free port; the database follows.
    RunResult r = rig.ctl({"eject", idle[0]});
    REQUIRE_MESSAGE(r.status == 0, r.err);
    CHECK(r.out.find("in IE port " + std::to_string(vtl.ieport(0))) != std::string::npos);
    json m = mediaOf(rig, idle[0]);
    CHECK(m["location"] == "ieport");
    CHECK(m["address"] == vtl.ieport(0));
    expectOk(rig, {"eject", idle[1]});
    CHECK(mediaOf(rig, idle[1])["address"] == vtl.ieport(1));
    expectAgree(rig, vtl);
    // No port left: BUSY, and the cartridge stays in its slot.
    RunResult busy = rig.ctl({"eject", idle[2]});
    CHECK(busy.status == 1);
    CHECK(busy.err.find("rsmctl: ERROR_BUSY (170): ") == 0);
    CHECK(mediaOf(rig, idle[2])["location"] == "slot");
    // In a port already; without CONTROL on the library.
    expectError(rig, {"eject", idle[0]}, 5023, "ERROR_INVALID_STATE");
    expectError(rig, {"eject", idle[2]}, 5, "ERROR_ACCESS_DENIED", Who{5001, {5001}});
    expectAgree(rig, vtl);

    // Inject: what is in the ports goes to free slots.
    r = rig.ctl({"inject", "vtl"});
    REQUIRE_MESSAGE(r.status == 0, r.err);
    CHECK(r.out.find("2 cartridges injected") != std::string::npos);
    CHECK(mediaOf(rig, idle[0])["location"] == "slot");
    CHECK(mediaOf(rig, idle[1])["location"] == "slot");
    expectAgree(rig, vtl);
    r = rig.ctl({"inject", "vtl"});
    REQUIRE_MESSAGE(r.status == 0, r.err);
    CHECK(r.out.find("0 cartridges injected") != std::string::npos);

    // A cartridge put in a port behind rsm's back is injected too.
    robotMove(vtl, mediaOf(rig, idle[2])["address"].get<int>(), vtl.ieport(1));
    r = rig.ctl({"inject", "vtl"});
    REQUIRE_MESSAGE(r.status == 0, r.err);
    CHECK(r.out.find("1 cartridge injected") != std::string::npos);
    expectAgree(rig, vtl);
}

}  // namespace rsm::test
