// Crash consistency: rsmd is killed (SIGKILL) during a stream of mounts, dismounts, injects
// and ejects against tgtd's virtual library — at a random moment, a random moment after it
// recorded a robot move, or while the robot itself has stopped answering in the middle of a
// move — then started again. In every trial, once its start-up audit has run, the database
// must place every cartridge where READ ELEMENT STATUS says it is, and no LMID or side may be
// lost.

#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <random>
#include <thread>

#include <pqxx/pqxx>

#include "tests/rsmd/robot_helpers.h"
#include "tests/rsmd/seed_helpers.h"

namespace rsm::test {

namespace {

// Robot work from a client until told to stop (or rsmd is gone): random mounts, immediate
// and deferred dismounts of the LMIDs, ejects of the cartridges and injects of the library.
void stream(const RsmdRig &rig, const std::vector<std::string> &lmids,
            const std::vector<std::string> &barcodes, unsigned seed,
            const std::atomic<bool> &stop) {
    std::mt19937 random(seed);
    while (!stop) {
        const std::string &lmid = lmids[random() % lmids.size()];
        switch (random() % 5) {
            case 3:
                rig.ctl({"eject", barcodes[random() % barcodes.size()]});
                break;
            case 4:
                rig.ctl({"inject", "vtl"});
                break;
            case 0:
                rig.ctl({"mount", lmid, "--nowait"});
                break;
            case 1:
                rig.ctl({"dismount", lmid});
                break;
            default:
                rig.ctl({"dismount", lmid, "--deferred"});
                break;
        }
    }
}

// Until rsmd is idle: no unfinished move, no request queued, running or waiting, no drive whose
// deferred dismount is due (rsmd takes those home by itself).
void waitQuiet(const RsmdRig &rig) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    const std::string busy =
        "SELECT (SELECT count(*) FROM robot_move) + (SELECT count(*) FROM library_request "
        "WHERE state IN (0, 1, 5)) + (SELECT count(*) FROM drive WHERE state = 7 AND "
        "dismount_after <= now())";
    while (rig.sql(busy) != "0" && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    INFO("moves: " << rig.sql("SELECT count(*) FROM robot_move"));
    INFO("requests: " << rig.sql("SELECT string_agg(kind || ' ' || state || ' ' || "
                                 "coalesce(message, ''), '; ') FROM library_request "
                                 "WHERE state IN (0, 1, 5)"));
    INFO("drives: " << rig.sql("SELECT string_agg(number || ' ' || state || ' ' || "
                               "coalesce(dismount_after::text, ''), '; ') FROM drive"));
    const std::string log = rig.log();
    INFO("rsmd's log ends: " << log.substr(log.size() > 4000 ? log.size() - 4000 : 0));
    REQUIRE(rig.sql(busy) == "0");
    // A put-away that began as the query ran has finished too.
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
}

}  // namespace

TEST_CASE("rsmd crash: killed during robot work, restarted, the database matches the robot") {
    VirtualLibrary::Shape shape;
    shape.slots = 10;
    shape.drives = 2;
    shape.ieports = 2;
    shape.tapes = 6;
    VirtualLibrary vtl(shape);
    RsmdRig rig("dismount_delay = 3600\n");
    prepareLibrary(rig, vtl);
    std::vector<std::string> lmids;
    for (int i = 0; i < 4; ++i) {
        lmids.push_back("job" + std::to_string(i));
        allocate(rig, lmids.back());
    }
    const std::string sides = rig.sql("SELECT count(*) FROM side");
    const std::string lmidRows =
        rig.sql("SELECT string_agg(id::text || side_id::text, ',' ORDER BY id) FROM logical_media");

    pqxx::connection db(rig.connectionString);
    const int trials = 51;
    int interrupted = 0;  // trials that left moves without their result
    std::mt19937 random(20261121);
    for (int trial = 0; trial < trials; ++trial) {
        CAPTURE(trial);
        std::atomic<bool> stop{false};
        std::thread client(stream, std::cref(rig), std::cref(lmids), std::cref(vtl.barcodes()),
                           random(), std::cref(stop));
        switch (trial % 3) {
            case 0:  // anywhere
                std::this_thread::sleep_for(std::chrono::milliseconds(100 + random() % 1500));
                rig.kill();
                break;
            case 1:  // once a move is recorded: before, during or after the robot makes it
                waitForIntent(db);
                std::this_thread::sleep_for(std::chrono::microseconds(random() % 5000));
                rig.kill();
                break;
            default:  // the robot stops answering with a move under way, rsmd dies, the
                      // robot goes on (and may or may not make the move it was sent)
                waitForIntent(db);
                vtl.freeze();
                std::this_thread::sleep_for(std::chrono::milliseconds(20 + random() % 100));
                rig.kill();
                vtl.thaw();
                break;
        }
        stop = true;
        client.join();
        if (rig.sql("SELECT count(*) FROM robot_move") != "0")
            ++interrupted;

        rig.start();
        waitQuiet(rig);
        const auto database = databaseHolds(rig);
        const auto robot = robotHolds(vtl);
        INFO("database: " << describeHolds(database));
        INFO("robot:    " << describeHolds(robot));
        REQUIRE(database == robot);
        REQUIRE(rig.sql("SELECT count(*) FROM side") == sides);
        REQUIRE(rig.sql("SELECT string_agg(id::text || side_id::text, ',' ORDER BY id) FROM "
                        "logical_media") == lmidRows);
        REQUIRE(rig.sql("SELECT count(*) FROM physical_media WHERE state = 1") == "0");
    }
    MESSAGE(interrupted << " of " << trials << " kills left robot moves without their result");
    // The stream did robot work at all.
    CHECK(rig.sql("SELECT count(*) FROM library_request WHERE kind = 'mount' AND state = 2") !=
          "0");
}

}  // namespace rsm::test
