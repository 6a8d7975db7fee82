// What rsmd keeps (issue 14, finding 10): the event log and closed sessions are purged after
// their retention (rsmd.conf event_retention, session_retention, purge_interval), recent ones
// and open sessions stay; a watcher whose position was purged is told so and gets the rest;
// attributes are limited in size and number; opening and closing sessions writes no events
// unless log_session_events asks for it.

#include <doctest/doctest.h>

#include <chrono>
#include <string>
#include <thread>

#include "tests/rsmd/protocol_session.h"
#include "tests/rsmd/seed_helpers.h"

namespace rsm::test {

namespace {

using nlohmann::json;

long count(const RsmdRig &rig, const std::string &query) {
    return std::stol(rig.sql(query));
}

}  // namespace

TEST_CASE("retention: old events and closed sessions are purged, recent ones and open ones kept") {
    RsmdRig rig("event_retention = 3s\nsession_retention = 3s\npurge_interval = 1s\n");
    makeModel(rig);
    ProtocolSession open(rig);  // stays open throughout
    expectOk(rig, {"pool", "create", "old", "--type", "LTO-5"});
    const long oldEvents = count(rig, "SELECT count(*) FROM event_log");
    REQUIRE(oldEvents > 0);
    const long closedBefore = count(rig, "SELECT count(*) FROM session WHERE closed IS NOT NULL");
    REQUIRE(closedBefore > 0);  // rsmctl's own sessions

    // Purged within retention + interval; wait for it.
    std::this_thread::sleep_for(std::chrono::seconds(3));
    long left = oldEvents;
    for (int i = 0; i < 100 && left > 0; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        left = count(rig,
                     "SELECT count(*) FROM event_log WHERE seq <= (SELECT max(seq) FROM "
                     "event_log WHERE object_kind = 'pool' AND data->>'name' = 'old')");
    }
    CHECK(left == 0);
    // The closed sessions of then are gone; the open one is there.
    CHECK(count(rig, "SELECT count(*) FROM session WHERE closed < now() - interval '5 s'") == 0);
    CHECK(count(rig, "SELECT count(*) FROM session WHERE id = '" + open.session() + "'") == 1);
    CHECK(count(rig, "SELECT through_seq FROM event_log_purged") > 0);

    // Recent events stay, and a watcher from 0 hears that the old ones are gone, then gets them.
    expectOk(rig, {"pool", "create", "new", "--type", "LTO-5"});
    CHECK(count(rig,
                "SELECT count(*) FROM event_log WHERE object_kind = 'pool' AND "
                "data->>'name' = 'new'") == 1);
    ProtocolSession watcher(rig);
    json started = watcher.call("watch", {{"since", 0}});
    REQUIRE(started.contains("result"));
    json first = watcher.raw().reply(std::chrono::seconds(10));
    INFO(first.dump());
    REQUIRE(first.contains("notice"));
    CHECK(first["notice"]["purged_through"].get<long>() > 0);
    CHECK(first["notice"]["message"].get<std::string>().find("event_retention") !=
          std::string::npos);
    bool sawNew = false;
    for (int i = 0; i < 100 && !sawNew; ++i) {
        json line = watcher.raw().reply(std::chrono::seconds(10));
        REQUIRE(line.contains("event"));
        CHECK(line["event"]["seq"].get<long>() > first["notice"]["purged_through"].get<long>());
        sawNew = line["event"]["kind"] == "pool" && line["event"]["data"]["name"] == "new";
    }
    CHECK(sawNew);
    // Still append-only for anyone else.
    DatabaseProbe db(rig);
    CHECK_THROWS(db.exec("DELETE FROM event_log"));
    CHECK_THROWS(db.exec("TRUNCATE event_log"));
}

TEST_CASE("retention: opening and closing sessions writes no events by default") {
    RsmdRig rig;
    for (int i = 0; i < 5; ++i)
        expectOk(rig, {"mediatype", "list"});
    { ProtocolSession s(rig); }
    CHECK(count(rig, "SELECT count(*) FROM session") >= 6);
    CHECK(count(rig, "SELECT count(*) FROM event_log WHERE object_kind = 'session'") == 0);
}

TEST_CASE("retention: attributes are limited in size and number") {
    RsmdRig rig;
    makeModel(rig);
    ProtocolSession root(rig);
    auto set = [&](const std::string &name, std::size_t bytes) {
        return root.call(
            "attribute.set",
            {{"object", "pool:backup"}, {"name", name}, {"value", std::string(bytes, 'v')}});
    };
    CHECK(set("fits", 4096).contains("result"));
    json big = set("big", 4097);
    INFO(big.dump());
    CHECK(errorName(big) == "ERROR_INVALID_PARAMETER");
    CHECK(big["error"]["message"].get<std::string>().find("4096") != std::string::npos);
    CHECK(count(rig, "SELECT count(*) FROM attribute WHERE name = 'big'") == 0);
    json longName = set(std::string(65, 'n'), 1);
    CHECK(errorName(longName) == "ERROR_INVALID_PARAMETER");

    for (int i = 1; i < 64; ++i)
        REQUIRE(set("a" + std::to_string(i), 10).contains("result"));
    json tooMany = set("one-more", 10);
    INFO(tooMany.dump());
    CHECK(errorName(tooMany) == "ERROR_INVALID_PARAMETER");
    CHECK(tooMany["error"]["message"].get<std::string>().find("64") != std::string::npos);
    CHECK(set("a1", 20).contains("result"));  // changing one it has is fine
    CHECK(count(rig, "SELECT count(*) FROM attribute") == 64);

    // rsmctl says it the same way.
    expectError(rig, {"object", "set", "pool:backup", "x", std::string(5000, 'x')}, 87,
                "ERROR_INVALID_PARAMETER");
}

}  // namespace rsm::test
