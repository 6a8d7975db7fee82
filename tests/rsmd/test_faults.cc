// Faults with nothing lost (issue 7): PostgreSQL restarted and made unreachable in the middle of
// a stream of operations, its disk full and then freed, a robot that stops answering and one
// whose target is gone while another library carries on, and 64 clients at once. Each scenario
// counts its operations and their outcomes (only the expected RSM codes), and ends with the
// invariants of invariants.h.

#include <doctest/doctest.h>

#include <atomic>
#include <fstream>
#include <future>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include <fmt/format.h>

#include "tests/rsmd/invariants.h"
#include "tests/rsmd/raw_client.h"
#include "tests/rsmd/robot_helpers.h"
#include "tests/rsmd/seed_helpers.h"
#include "tests/support/small_tablespace.h"

namespace rsm::test {

namespace {

using nlohmann::json;
using namespace std::chrono_literals;

// Outcomes by name, from many threads.
struct Tally {
    void add(const std::string &outcome) {
        std::lock_guard lock(mutex);
        ++counts[outcome];
    }
    int total() const {
        int n = 0;
        for (const auto &[k, v] : counts)
            n += v;
        return n;
    }
    // Outcomes outside `allowed`, as one line.
    std::string unexpected(std::initializer_list<const char *> allowed) const {
        std::string out;
        for (const auto &[k, v] : counts) {
            bool ok = false;
            for (const char *a : allowed)
                ok = ok || k == a;
            if (!ok)
                out += fmt::format("{} x{}; ", k, v);
        }
        return out;
    }
    std::string describe() const {
        std::string out;
        for (const auto &[k, v] : counts)
            out += fmt::format("{}={} ", k, v);
        return out;
    }
    std::mutex mutex;
    std::map<std::string, int> counts;
};

std::string replyOutcome(const json &reply) {
    if (!reply.is_object())
        return "no reply";
    if (reply.contains("error"))
        return reply["error"].value("name", "error without a name");
    return "ok";
}

// One client of a stream over its own connection: allocates LMIDs, swaps and deallocates its
// own, and reads pools; each outcome goes to the tally. A connection rsmd closed is opened
// again.
void dbStream(const RsmdRig &rig, int id, std::atomic<bool> &stop, Tally &tally) {
    std::unique_ptr<RawClient> c;
    std::string session;
    std::vector<std::string> mine;
    // LMIDs whose deallocation failed with the database: its commit may have happened before
    // the connection was lost (its outcome is in doubt).
    std::set<std::string> inDoubt;
    for (int k = 0; !stop; ++k) {
        if (!c || !c->connected()) {
            c = std::make_unique<RawClient>(rig.socket);
            session = c->connected() ? c->open() : "";
            if (session.empty()) {
                tally.add("no session");
                c.reset();
                std::this_thread::sleep_for(100ms);
                continue;
            }
        }
        json request;
        const std::string name = fmt::format("c{}-{}", id, k);
        if (k % 4 == 3 && mine.size() >= 2)
            request = {{"verb", "lmid.swap"}, {"lmid1", mine[0]}, {"lmid2", mine[1]}};
        else if (mine.size() >= 3)
            request = {{"verb", "lmid.deallocate"}, {"lmid", mine.front()}};
        else if (k % 2)
            request = {{"verb", "pool.list"}};
        else
            request = {{"verb", "lmid.allocate"}, {"pool", "backup"}, {"name", name}};
        request["session"] = session;
        json reply = c->call(request);
        const std::string outcome = replyOutcome(reply);
        // An LMID in doubt found gone: its deallocation was done after all.
        if (outcome == "ERROR_INVALID_MEDIA") {
            const auto named = [&](const std::string &lmid) {
                for (const char *field : {"lmid", "lmid1", "lmid2"})
                    if (request.value(field, "") == lmid)
                        return true;
                return false;
            };
            const auto before = mine.size();
            std::erase_if(mine, [&](const std::string &lmid) {
                return inDoubt.count(lmid) && named(lmid) && inDoubt.erase(lmid);
            });
            if (mine.size() != before) {
                tally.add("in doubt: it was done");
                continue;
            }
        }
        tally.add(outcome);
        if (outcome == "ERROR_DATABASE_FAILURE" && request["verb"] == "lmid.deallocate")
            inDoubt.insert(mine.front());
        if (outcome == "ERROR_INVALID_HANDLE" || outcome == "no reply")
            c.reset();  // a session lost with the database: a new connection
        if (outcome != "ok") {
            std::this_thread::sleep_for(20ms);  // a client that waits a little, as rsmctl users do
            continue;
        }
        if (request["verb"] == "lmid.allocate")
            mine.push_back(name);
        else if (request["verb"] == "lmid.deallocate")
            mine.erase(mine.begin());
    }
}

// The second library of the robot scenarios: 4 cartridges VTB001L5..VTB004L5.
VirtualLibrary::Shape otherShape() {
    VirtualLibrary::Shape shape;
    shape.barcodes = {"VTB001L5", "VTB002L5", "VTB003L5", "VTB004L5"};
    shape.tapes = 4;
    return shape;
}

// `first` as library "vtl" and `second` as "vtl2", inventoried, their cartridges free; returns
// an LMID whose cartridge is in each.
std::pair<std::string, std::string> lmidInEach(RsmdRig &rig, VirtualLibrary &first,
                                               VirtualLibrary &second) {
    prepareLibrary(rig, first);  // "vtl"
    expectOk(rig, {"library", "add", "vtl2", second.changerUrl()});
    expectOk(rig, {"library", "inventory", "vtl2"});
    for (const std::string &b : second.barcodes())
        expectOk(rig, {"move-to-pool", b, "free:LTO-5"});
    std::string inFirst, inSecond;
    for (int i = 0; i < 12 && (inFirst.empty() || inSecond.empty()); ++i) {
        const std::string name = fmt::format("l{}", i);
        const std::string barcode = allocate(rig, name);
        (barcode.rfind("SMC", 0) == 0 ? inFirst : inSecond) = name;
    }
    REQUIRE(!inFirst.empty());
    REQUIRE(!inSecond.empty());
    return {inFirst, inSecond};
}

}  // namespace

TEST_CASE("faults: PostgreSQL restarted, then unreachable, in the middle of a stream") {
    RsmdRig rig;
    makeModel(rig);
    for (int i = 0; i < 40; ++i)
        makeMedia(rig, fmt::format("FLT{:03}L5", i), "backup");
    Tally tally;
    std::atomic<bool> stop = false;
    std::vector<std::thread> clients;
    for (int i = 0; i < 4; ++i)
        clients.emplace_back([&, i] { dbStream(rig, i, stop, tally); });

    std::this_thread::sleep_for(2s);
    rig.cluster.stop(false);  // a restart: a clean shutdown, then up again
    rig.cluster.start();
    std::this_thread::sleep_for(2s);
    rig.cluster.stop(true);  // a crash, and the server unreachable for a while
    std::this_thread::sleep_for(4s);
    rig.cluster.start();
    std::this_thread::sleep_for(3s);
    const int beforeEnd = tally.total();
    std::this_thread::sleep_for(2s);
    stop = true;
    for (auto &t : clients)
        t.join();

    MESSAGE("outcomes: " << tally.describe());
    CHECK(tally.unexpected({"ok", "ERROR_DATABASE_FAILURE", "ERROR_INVALID_HANDLE",
                            "ERROR_MEDIA_UNAVAILABLE", "in doubt: it was done"}) == "");
    CHECK(tally.counts["ERROR_DATABASE_FAILURE"] > 0);  // the clients did see the outage
    CHECK(tally.total() > beforeEnd);                   // and service went on after it
    // rsmd carries on: a fresh client is served.
    expectOk(rig, {"pool", "list"});
    CHECK(lines(invariantViolations(rig)) == "");
}

TEST_CASE("faults: the database's disk full, then freed: DATABASE_FULL, then normal service") {
    SmallTablespace space(PgCluster::shared(), "rsm_faults_full");
    RsmdRig rig;
    space.dropDatabaseLater(rig.database);
    makeModel(rig);
    for (int i = 0; i < 6; ++i)
        makeMedia(rig, fmt::format("FUL{:03}L5", i), "backup");
    rig.sql(space.moveLogAndAttributesSql());
    fillDisk(rig.connectionString);
    int full = 0;
    for (int i = 0; i < 3; ++i) {
        RunResult r = rig.ctl({"allocate", "backup", "--name", fmt::format("full-{}", i)});
        full += outcomeOf(r) == "ERROR_DATABASE_FULL";
    }
    CHECK(full == 3);
    CHECK(rig.sql("SELECT count(*) FROM logical_media") == "0");  // nothing half done
    // Space returns: the volume is grown.
    space.grow(8);
    for (int i = 0; i < 3; ++i)
        expectOk(rig, {"allocate", "backup", "--name", fmt::format("back-{}", i)});
    CHECK(rig.sql("SELECT count(*) FROM logical_media") == "3");
    CHECK(lines(invariantViolations(rig)) == "");
    rig.stop();
}

TEST_CASE("faults: a robot that stops answering fails its work in time; another carries on") {
    VirtualLibrary slow;
    VirtualLibrary other(otherShape());
    RsmdRig rig("command_timeout = 3\nready_timeout = 20\n");
    const auto [inSlow, inOther] = lmidInEach(rig, slow, other);

    slow.freeze();  // tgtd stops answering
    const auto start = std::chrono::steady_clock::now();
    RunResult failed = rig.ctl({"mount", inSlow});
    const auto took = std::chrono::steady_clock::now() - start;
    CHECK(failed.status == 1);
    // Within command_timeout + 5 s, naming the command that got no answer and its time.
    CHECK(failed.err.find("rsmctl: ERROR_DEVICE_NOT_AVAILABLE") == 0);
    CHECK(failed.err.find("no answer within 3") != std::string::npos);
    CHECK(took < 3s + 5s);
    MESSAGE("a mount on the frozen robot failed after "
            << std::chrono::duration_cast<std::chrono::milliseconds>(took).count()
            << " ms: " << failed.err);
    // The other library is not held up, not even while the frozen one is tried again.
    auto retry = std::async(std::launch::async, [&] { return rig.ctl({"mount", inSlow}); });
    RunResult mounted = rig.ctl({"mount", inOther});
    CHECK_MESSAGE(mounted.status == 0, mounted.err);
    retry.get();

    slow.thaw();  // the robot is back: its worker carries on
    RunResult again = rig.ctl({"mount", inSlow});
    CHECK_MESSAGE(again.status == 0, again.err);
    expectOk(rig, {"dismount", inSlow});
    expectOk(rig, {"dismount", inOther});
    CHECK(lines(invariantViolations(rig, &slow, "vtl")) == "");
    CHECK(lines(invariantViolations(rig, &other, "vtl2")) == "");
}

TEST_CASE("faults: a robot whose target is gone fails its work at once; back, it is served") {
    VirtualLibrary gone;
    VirtualLibrary other(otherShape());
    RsmdRig rig("command_timeout = 3\nready_timeout = 20\n");
    const auto [inGone, inOther] = lmidInEach(rig, gone, other);

    gone.kill();  // tgtd dies: its port refuses connections
    int failures = 0;
    for (int i = 0; i < 3; ++i) {
        const auto start = std::chrono::steady_clock::now();
        RunResult failed = rig.ctl({"mount", inGone});
        const auto took = std::chrono::steady_clock::now() - start;
        CHECK(failed.status == 1);
        CHECK_MESSAGE(failed.err.find("rsmctl: ERROR_DEVICE_NOT_AVAILABLE (4319)") == 0,
                      failed.err);
        CHECK_MESSAGE(failed.err.find(": Connection refused") != std::string::npos, failed.err);
        CHECK(took < 10s);
        failures += failed.status == 1;
        if (i == 0)
            MESSAGE("a mount on the stopped robot failed after "
                    << std::chrono::duration_cast<std::chrono::milliseconds>(took).count()
                    << " ms: " << failed.err);
        // The other library is served while this one is down.
        RunResult mounted = rig.ctl({"mount", inOther});
        CHECK_MESSAGE(mounted.status == 0, mounted.err);
        expectOk(rig, {"dismount", inOther});
    }
    CHECK(failures == 3);
    CHECK(lines(invariantViolations(rig, &other, "vtl2")) == "");
    // Nothing of the failed mounts stayed: no move intent left in "vtl" (and, below, its
    // database equals the element status of the target laid out as before).
    CHECK(rig.sql("SELECT count(*) FROM robot_move m JOIN library l ON l.id = m.library_id "
                  "WHERE l.name = 'vtl'") == "0");

    gone.restart();  // the same target on the same port: the worker opens it again
    RunResult again = rig.ctl({"mount", inGone});
    CHECK_MESSAGE(again.status == 0, again.err);
    expectOk(rig, {"dismount", inGone});
    CHECK(lines(invariantViolations(rig, &gone, "vtl")) == "");
    CHECK(lines(invariantViolations(rig, &other, "vtl2")) == "");
}

TEST_CASE("faults: 64 clients at once mixing reads, allocations, swaps and mounts") {
    VirtualLibrary::Shape shape;
    shape.slots = 80;
    shape.tapes = 72;
    shape.drives = 2;
    VirtualLibrary vtl(shape);
    RsmdRig rig("max_connections = 256\n");
    prepareLibrary(rig, vtl);
    const char *env = std::getenv("RSM_STRESS_SECONDS");
    const auto duration = std::chrono::seconds(env ? std::atoi(env) : 180);

    Tally tally;
    std::atomic<bool> stop = false;
    std::vector<std::thread> clients;
    for (int i = 0; i < 64; ++i)
        clients.emplace_back([&, i] {
            RawClient c(rig.socket);
            const std::string session = c.open();
            std::vector<std::string> mine;
            for (int k = 0; !stop; ++k) {
                json request;
                const std::string name = fmt::format("s{}-{}", i, k);
                if (i % 8 == 0 && !mine.empty() && k % 3 == 1)
                    request = {{"verb", "media.mount"}, {"lmid", mine.back()}, {"nowait", true}};
                else if (i % 8 == 0 && !mine.empty() && k % 3 == 2)
                    request = {{"verb", "media.dismount"}, {"lmid", mine.back()}};
                else if (k % 5 == 4 && mine.size() >= 2)
                    request = {{"verb", "lmid.swap"}, {"lmid1", mine[0]}, {"lmid2", mine[1]}};
                else if (mine.size() < 2 && k % 3 == 0)
                    request = {{"verb", "lmid.allocate"}, {"pool", "backup"}, {"name", name}};
                else if (mine.size() >= 2 && k % 7 == 6)
                    request = {{"verb", "lmid.deallocate"}, {"lmid", mine.front()}};
                else
                    request = {{"verb", k % 2 ? "media.list" : "lmid.list"}};
                request["session"] = session;
                c.send(request.dump() + "\n");
                json reply = c.reply(std::chrono::minutes(5));
                std::string outcome = replyOutcome(reply);
                const std::string verb = request["verb"];
                tally.add(outcome == "ok" ? "ok" : verb + " " + outcome);
                if (outcome != "ok")
                    continue;
                if (verb == "lmid.allocate")
                    mine.push_back(name);
                else if (verb == "lmid.deallocate")
                    mine.erase(mine.begin());
            }
        });
    std::this_thread::sleep_for(duration / 3);
    const long early = rssKib(rig.pid);
    std::this_thread::sleep_for(duration - duration / 3);
    stop = true;
    for (auto &t : clients)
        t.join();
    const long late = rssKib(rig.pid);
    MESSAGE(tally.total() << " operations in " << duration.count() << " s: " << tally.describe());
    MESSAGE("rsmd RSS: " << early << " KiB at a third, " << late << " KiB at the end");
    // Expected refusals only: a mount with every drive busy (NOWAIT), no free side left, a
    // dismount of a cartridge a swap moved to another LMID meanwhile, one not mounted, a swap
    // of sides whose label no label library recognizes (these tapes have none: BAD_FORMAT).
    CHECK(tally.unexpected({"ok", "media.mount ERROR_BUSY", "lmid.allocate ERROR_MEDIA_UNAVAILABLE",
                            "media.dismount ERROR_INVALID_STATE", "media.mount ERROR_INVALID_STATE",
                            "lmid.swap ERROR_BAD_FORMAT"}) == "");
    // Service for everyone: at least 10 operations done per second of the run (a plain build
    // does about 90, one under ASan about 23).
    CHECK(tally.counts["ok"] > 10 * duration.count());
    CHECK(late - early < 64 * 1024);  // no growth worth a leak
    // Everyone's cartridges home, then the invariants.
    const json lmids = rig.json({"lmid", "list"});
    for (const auto &lmid : lmids["lmids"])
        rig.ctl({"dismount", lmid["name"].get<std::string>()});
    CHECK(lines(invariantViolations(rig, &vtl)) == "");
}

}  // namespace rsm::test
