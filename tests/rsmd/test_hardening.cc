// Issue 14, an outside attack on rsmd: what it found, each tried again here. The robot work
// that must survive a database that goes away under it (finding 2), robots that report what
// the database cannot take or does not expect (3, 4), and move intents that the next full
// element-status read must resolve (5). Each scenario ends with the invariants of invariants.h.

#include <doctest/doctest.h>

#include <future>
#include <map>
#include <thread>

#include <fmt/format.h>
#include <pqxx/pqxx>

#include "tests/rsmd/invariants.h"
#include "tests/rsmd/robot_helpers.h"
#include "tests/rsmd/seed_helpers.h"

namespace rsm::test {

namespace {

using namespace std::chrono_literals;

constexpr int kInProcess = 1;

std::string pendingMoves(const RsmdRig &rig) {
    return rig.sql("SELECT count(*) FROM robot_move");
}

// Every element the database places a cartridge in holds that barcode in the robot; lines of
// what does not.
std::string claimsNotInRobot(const RsmdRig &rig, const VirtualLibrary &vtl) {
    const auto robot = robotHolds(vtl);
    std::string out;
    for (const auto &[address, barcode] : databaseHolds(rig)) {
        auto r = robot.find(address);
        if (r == robot.end() || r->second != barcode)
            out += fmt::format("the database has {} at {}, the robot {}\n", barcode, address,
                               r == robot.end() ? "nothing" : r->second);
    }
    return out;
}

// The robot's holds without these addresses (cartridges the database cannot track).
std::map<int, std::string> robotHoldsBut(const VirtualLibrary &vtl,
                                         std::initializer_list<int> but) {
    auto holds = robotHolds(vtl);
    for (int a : but)
        holds.erase(a);
    return holds;
}

}  // namespace

TEST_CASE("hardening: PostgreSQL restarted while a frozen robot moves: the request finishes") {
    VirtualLibrary vtl;
    RsmdRig rig("command_timeout = 20\nready_timeout = 20\n");
    prepareLibrary(rig, vtl);
    allocate(rig, "pg0");

    vtl.freeze();
    auto mount = std::async(std::launch::async, [&] { return rig.ctl({"mount", "pg0"}); });
    // The mount is under way, waiting for the robot.
    REQUIRE(eventually([&] { return requestsIn(rig, "mount", kInProcess) == "1"; }));
    std::this_thread::sleep_for(300ms);
    rig.cluster.stop(true);  // a crash of the database in the middle of the mount
    vtl.thaw();              // the robot answers while the database is away
    std::this_thread::sleep_for(2s);
    rig.cluster.start();
    const RunResult first = mount.get();
    MESSAGE("the mount during the outage: status " << first.status << ", " << first.err);

    // Its final state reached the database once it was back, and the audit that followed put
    // the cartridge where the robot says it is: nothing stays INPROCESS or half moved.
    CHECK(eventually([&] { return requestsIn(rig, "mount", kInProcess) == "0"; }, 30s));
    CHECK(eventually([&] { return pendingMoves(rig) == "0"; }, 30s));
    // The LMID is usable again without restarting rsmd.
    RunResult again;
    CHECK(eventually(
        [&] {
            again = rig.ctl({"mount", "pg0"});
            return again.status == 0;
        },
        30s));
    CHECK_MESSAGE(again.status == 0, again.err);
    expectOk(rig, {"dismount", "pg0"});
    CHECK(eventually([&] { return requestsIn(rig, "dismount", kInProcess) == "0"; }));
    CHECK(lines(invariantViolations(rig, &vtl)) == "");
}

TEST_CASE("hardening: a volume tag that is no text does not break the library's robot work") {
    VirtualLibrary vtl;
    RsmdRig rig;
    prepareLibrary(rig, vtl);
    putIn(vtl, 2, 1015,
          "\xff\xfe"
          "AB");  // not UTF-8: PostgreSQL refuses such text
    putIn(vtl, 2, 1016,
          "\x1b[2J"
          "X");  // an escape sequence for a terminal

    RunResult inventory = rig.ctl({"library", "inventory", "vtl"});
    CHECK_MESSAGE(inventory.status == 0, inventory.err);
    MESSAGE("inventory: " << inventory.out << inventory.err);
    const std::string said = inventory.out + inventory.err;
    CHECK(said.find("slot 1015 (\\xff\\xfeAB)") != std::string::npos);
    CHECK(said.find("slot 1016 (\\x1b[2JX)") != std::string::npos);
    CHECK(said.find('\x1b') == std::string::npos);
    RunResult audit = rig.ctl({"audit", "vtl"});
    CHECK_MESSAGE(audit.status == 0, audit.err);
    RunResult inject = rig.ctl({"inject", "vtl"});
    CHECK_MESSAGE(inject.status == 0, inject.err);
    // The other cartridges are where the robot has them; the two without a barcode are not
    // tracked (as cartridges without a label are not).
    CHECK(databaseHolds(rig) == robotHoldsBut(vtl, {1015, 1016}));
    allocate(rig, "t0");
    expectOk(rig, {"mount", "t0"});
    expectOk(rig, {"dismount", "t0"});
    CHECK(lines(invariantViolations(rig)) == "");
}

TEST_CASE("hardening: a second cartridge with a known barcode hijacks nothing") {
    VirtualLibrary vtl;
    RsmdRig rig;
    prepareLibrary(rig, vtl);
    const std::string barcode = allocate(rig, "dup0");
    int home = 0;
    for (const auto &[address, b] : robotHolds(vtl))
        if (b == barcode)
            home = address;
    REQUIRE(home != 0);

    SUBCASE("an impostor in an IE port, injected") {
        putIn(vtl, 3, 10, barcode);
        RunResult inject = rig.ctl({"inject", "vtl"});
        MESSAGE("inject: status " << inject.status << ": " << inject.out << inject.err);
        // The medium stays where the robot has the real one: the database claims nothing the
        // robot does not report, and the port's copy is not taken for it.
        CHECK(databaseHolds(rig)[home] == barcode);
        CHECK(claimsNotInRobot(rig, vtl) == "");
        CHECK(databaseHolds(rig).count(10) == 0);

        // Reported: the library, an operator request, the inventory's words.
        const auto shown = rig.json({"library", "show", "vtl"});
        CHECK_MESSAGE(shown.dump().find(barcode + " in slot " + std::to_string(home) +
                                        ", IE port 10") != std::string::npos,
                      shown.dump());
        RunResult requests = rig.ctl({"request", "list", "--operator"});
        CHECK_MESSAGE(requests.out.find(barcode) != std::string::npos, requests.out);
        // Neither copy is mounted by that barcode until it is resolved.
        RunResult mount = rig.ctl({"mount", "dup0"});
        CHECK(mount.status == 1);
        CHECK_MESSAGE(mount.err.find("ERROR_MEDIUM_NOT_ACCESSIBLE (4323)") != std::string::npos,
                      mount.err);
        CHECK(mount.err.find("two cartridges carry barcode " + barcode) != std::string::npos);

        // The operator takes the impostor out; the next inventory clears the conflict.
        takeOut(vtl, 3, 10);
        expectOk(rig, {"library", "inventory", "vtl"});
        CHECK(rig.json({"library", "show", "vtl"}).dump().find("duplicate") == std::string::npos);
        RunResult mounted = rig.ctl({"mount", "dup0"});
        CHECK_MESSAGE(mounted.status == 0, mounted.err);
        CHECK(robotHolds(vtl).count(home) == 0);  // the real cartridge went to the drive
        expectOk(rig, {"dismount", "dup0"});
        CHECK(lines(invariantViolations(rig, &vtl)) == "");
    }
    SUBCASE("two slots with one barcode") {
        putIn(vtl, 2, 1017, barcode);
        RunResult inventory = rig.ctl({"library", "inventory", "vtl"});
        CHECK_MESSAGE(inventory.status == 0, inventory.err);
        const std::string said = inventory.out + inventory.err;
        CHECK_MESSAGE(said.find("barcode " + barcode + " is in slot " + std::to_string(home) +
                                ", slot 1017") != std::string::npos,
                      said);
        CHECK(databaseHolds(rig)[home] == barcode);
        CHECK(claimsNotInRobot(rig, vtl) == "");
        CHECK(databaseHolds(rig) == robotHoldsBut(vtl, {1017}));
        CHECK(rig.ctl({"mount", "dup0"}).status == 1);
    }
}

TEST_CASE("hardening: an inventory resolves the move a robot died in") {
    VirtualLibrary vtl;
    RsmdRig rig("command_timeout = 2\nready_timeout = 20\n");
    prepareLibrary(rig, vtl);
    allocate(rig, "die0");

    // A move left without its result: rsmd dies as soon as the move's intent is recorded
    // (again when it was quicker and recorded the result too), and when it comes back the
    // robot does not answer, so its own audit fails.
    pqxx::connection db(rig.connectionString);
    bool left = false;
    for (int attempt = 0; attempt < 10 && !left; ++attempt) {
        auto mount = std::async(std::launch::async, [&] { return rig.ctl({"mount", "die0"}); });
        const bool recorded = waitForIntent(db);
        rig.kill();
        mount.get();
        left = recorded && pendingMoves(rig) == "1";
        if (!left) {
            rig.start();
            CHECK(eventually([&] { return pendingMoves(rig) == "0"; }));
            rig.ctl({"dismount", "die0"});
        }
    }
    REQUIRE(left);
    vtl.freeze();
    rig.start();
    // The worker runs the requeued mount, then audits (and audits again at its first idle
    // look): wait until an audit has failed and the worker has been quiet for a while, so
    // that no audit of its own is left to run once the robot answers again.
    const auto quiet = [&] {
        return rig.sql(
            "SELECT count(*) FILTER (WHERE kind = 'audit' AND state = 3) || ',' || "
            "count(*) FILTER (WHERE state IN (0, 1)) || ',' || count(*) "
            "FROM library_request");
    };
    CHECK(eventually([&] {
        const std::string before = quiet();
        if (before.rfind("0,", 0) == 0 || before.find(",0,") == std::string::npos)
            return false;
        std::this_thread::sleep_for(1500ms);
        return quiet() == before;
    }));
    REQUIRE(pendingMoves(rig) == "1");
    const std::string leftMove = rig.sql("SELECT id FROM robot_move");
    vtl.thaw();

    // The robot is back: an inventory reads the whole element status, and resolves the move.
    RunResult inventory = rig.ctl({"library", "inventory", "vtl"});
    CHECK_MESSAGE(inventory.status == 0, inventory.err);
    CHECK_MESSAGE(
        (inventory.out + inventory.err).find("1 unfinished move resolved") != std::string::npos,
        inventory.out);
    // The move is gone with the inventory; the cartridge it left in a drive is dismounted
    // at once (a move of its own, recorded while it runs).
    CHECK(rig.sql("SELECT count(*) FROM robot_move WHERE id = '" + leftMove + "'") == "0");
    CHECK(eventually([&] { return pendingMoves(rig) == "0"; }));
    CHECK(eventually([&] { return rig.ctl({"mount", "die0"}).status == 0; }));
    expectOk(rig, {"dismount", "die0"});
    CHECK(lines(invariantViolations(rig, &vtl)) == "");
}

}  // namespace rsm::test
