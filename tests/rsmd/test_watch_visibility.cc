// watch and visibility (issue 14, finding 9): a watcher gets only the events of what it may
// list or show — a pool's media, attributes and access entries only with USE on the pool, a
// session row only when it is the watcher's own (administrators see everything) — and a replay
// is bounded per connection: watchers that never read do not make rsmd hold the whole log for
// each of them.

#include <doctest/doctest.h>

#include <chrono>
#include <fstream>
#include <functional>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "tests/rsmd/protocol_session.h"
#include "tests/rsmd/seed_helpers.h"

namespace rsm::test {

namespace {

using nlohmann::json;

constexpr std::uint32_t kOwner = 5101;     // CONTROL on pool backup
constexpr std::uint32_t kStranger = 5102;  // USE on the computer only
constexpr std::uint32_t kAdmin = 5103;     // in the admin group

// A watching connection; its events until the marker media type appears.
struct Watcher {
    // `sessions`: asks for the events of sessions too (the watch verb's "sessions").
    Watcher(const RsmdRig &rig, const Who &who, bool sessions = false) : session(rig, who) {
        REQUIRE(session.open());
        json started = session.call("watch", sessions ? json{{"sessions", true}} : json::object());
        INFO(started.dump());
        REQUIRE(started.contains("result"));
    }
    // Every event up to the media type named `marker` (the last change of the test).
    std::vector<json> until(const std::string &marker) {
        std::vector<json> out;
        for (int i = 0; i < 5000; ++i) {
            json line = session.raw().reply(std::chrono::seconds(10));
            INFO(line.dump());
            REQUIRE(line.contains("event"));
            out.push_back(line["event"]);
            if (line["event"]["kind"] == "media_type" && line["event"]["data"]["name"] == marker)
                return out;
        }
        FAIL("no marker event");
        return out;
    }
    ProtocolSession session;
};

bool hasEvent(const std::vector<json> &events, const std::string &kind,
              const std::function<bool(const json &)> &match) {
    for (const json &e : events)
        if (e["kind"] == kind && match(e))
            return true;
    return false;
}

}  // namespace

TEST_CASE("watch: events reach only the watchers who may read what they are about") {
    RsmdRig rig;
    makeModel(rig);
    ProtocolSession root(rig);
    for (std::uint32_t uid : {kOwner, kStranger})
        root.ok("acl.grant", {{"object", "computer"},
                              {"principal", "user"},
                              {"principal_id", uid},
                              {"rights", {"use"}}});
    root.ok("acl.grant", {{"object", "pool:backup"},
                          {"principal", "user"},
                          {"principal_id", kOwner},
                          {"rights", {"use", "modify", "control"}}});
    const std::string poolId = rig.sql("SELECT id FROM pool WHERE name = 'backup'");

    Watcher owner(rig, Who{kOwner, {kOwner}});
    Watcher stranger(rig, Who{kStranger, {kStranger}});
    Watcher admin(rig, Who{kAdmin, {kAdmin, kRsmdAdminGid}});

    // What happens in pool backup: a medium with an LMID, an attribute, an access entry; and
    // sessions of the owner and of root opened and closed.
    makeMedia(rig, "VIS001", "backup", "Bacula", "vis-lmid");
    {
        ProtocolSession own(rig, Who{kOwner, {kOwner}});
        own.ok("attribute.set", {{"object", "pool:backup"}, {"name", "secret"}, {"value", "s3"}});
    }
    root.ok("acl.grant", {{"object", "pool:backup"},
                          {"principal", "user"},
                          {"principal_id", 7777},
                          {"rights", {"use"}}});
    root.ok("mediatype.create", {{"name", "MARK"}});

    const auto ownerSaw = owner.until("MARK");
    const auto strangerSaw = stranger.until("MARK");
    const auto adminSaw = admin.until("MARK");

    auto media = [](const json &e) { return e["data"].value("barcode", "") == "VIS001"; };
    auto lmid = [](const json &e) { return e["data"].value("name", "") == "vis-lmid"; };
    auto attribute = [](const json &e) { return e["data"].value("name", "") == "secret"; };
    auto acl = [&](const json &e) {
        return e["data"].value("object_id", "") == poolId &&
               e["data"].value("principal_id", 0) == 7777;
    };
    for (const auto *saw : {&ownerSaw, &adminSaw}) {
        CHECK(hasEvent(*saw, "physical_media", media));
        CHECK(hasEvent(*saw, "logical_media", lmid));
        CHECK(hasEvent(*saw, "attribute", attribute));
        CHECK(hasEvent(*saw, "acl", acl));
    }
    CHECK_FALSE(hasEvent(strangerSaw, "physical_media", media));
    CHECK_FALSE(hasEvent(strangerSaw, "side", [](const json &) { return true; }));
    CHECK_FALSE(hasEvent(strangerSaw, "logical_media", lmid));
    CHECK_FALSE(hasEvent(strangerSaw, "attribute", attribute));
    CHECK_FALSE(hasEvent(strangerSaw, "acl", acl));
    // Another user's session row (uid, gids, application) is never the stranger's to see.
    for (const auto *saw : {&ownerSaw, &strangerSaw})
        for (const json &e : *saw)
            if (e["kind"] == "session")
                CHECK_MESSAGE(e["data"]["uid"] == (saw == &ownerSaw ? kOwner : kStranger),
                              e.dump());
    MESSAGE("events seen: owner " << ownerSaw.size() << ", stranger " << strangerSaw.size()
                                  << ", admin " << adminSaw.size());

    // Rights are read again for each batch: without USE on the computer the stranger's watch
    // ends with the error, instead of the next event.
    root.ok("acl.revoke",
            {{"object", "computer"}, {"principal", "user"}, {"principal_id", kStranger}});
    root.ok("mediatype.create", {{"name", "MARK2"}});
    json next = stranger.session.raw().reply(std::chrono::seconds(10));
    INFO(next.dump());
    CHECK(errorName(next) == "ERROR_ACCESS_DENIED");
    CHECK(stranger.session.raw().closedByServer());
}

TEST_CASE(
    "watch: with log_session_events, a watcher that asks sees its own sessions, an admin "
    "all") {
    RsmdRig rig("log_session_events = yes\n");
    makeModel(rig);
    ProtocolSession root(rig);
    for (std::uint32_t uid : {kOwner, kStranger})
        root.ok("acl.grant", {{"object", "computer"},
                              {"principal", "user"},
                              {"principal_id", uid},
                              {"rights", {"use"}}});
    Watcher owner(rig, Who{kOwner, {kOwner}}, true);
    Watcher admin(rig, Who{kAdmin, {kAdmin, kRsmdAdminGid}}, true);
    { ProtocolSession s(rig, Who{kOwner, {kOwner}}); }
    { ProtocolSession s(rig, Who{kStranger, {kStranger}}); }
    root.ok("mediatype.create", {{"name", "MARK"}});

    auto uids = [](const std::vector<json> &events) {
        std::multiset<std::uint32_t> out;
        for (const json &e : events)
            if (e["kind"] == "session")
                out.insert(e["data"]["uid"].get<std::uint32_t>());
        return out;
    };
    const auto ownerUids = uids(owner.until("MARK"));
    const auto adminUids = uids(admin.until("MARK"));
    // Opened and closed: two events per session.
    CHECK(ownerUids.count(kOwner) == 2);
    CHECK(ownerUids.count(kStranger) == 0);
    CHECK(ownerUids.size() == 2);
    CHECK(adminUids.count(kOwner) == 2);
    CHECK(adminUids.count(kStranger) == 2);
}

TEST_CASE("watch: watchers that replay a long log and never read stay within a memory bound") {
    RsmdRig rig;
    makeModel(rig);
    // A log of 1,500 events of about 8 KB each (4,000-byte attribute values, written as hex):
    // 12 MB, under the 16 MiB a connection may have unread, so no watcher is closed for it.
    constexpr int kEvents = 1500;
    rig.sql(
        "INSERT INTO attribute (object_id, object_kind, name, value)"
        " SELECT (SELECT id FROM pool WHERE name = 'backup'), 9, 'a' || g,"
        " convert_to(repeat('x', 4000), 'UTF8') FROM generate_series(1, " +
        std::to_string(kEvents) + ") g");
    ProtocolSession root(rig);
    root.ok("mediatype.create", {{"name", "MARK"}});

    const long before = rssKib(rig.pid);
    constexpr int kWatchers = 40;
    std::vector<std::unique_ptr<ProtocolSession>> silent;
    for (int i = 0; i < kWatchers; ++i) {
        silent.push_back(std::make_unique<ProtocolSession>(rig));
        json started = silent.back()->call("watch", {{"since", 0}});
        REQUIRE(started.contains("result"));
    }
    long peak = before;
    for (int i = 0; i < 80; ++i) {  // 8 s, well inside the 30 s write timeout
        peak = std::max(peak, rssKib(rig.pid));
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    const long hwm = rssKib(rig.pid, "VmHWM:");
    MESSAGE("rsmd RSS: " << before / 1024 << " MiB before, peak " << peak / 1024 << " MiB with "
                         << kWatchers << " silent watchers replaying " << kEvents
                         << " events (VmHWM " << hwm / 1024 << " MiB)");
    // Each watcher holds at most about kWatchQueueLimit (256 KiB) unread, plus one line.
    CHECK(peak - before < memoryBoundKib(100 * 1024));

    // A bounded replay is still a complete one: a watcher that reads gets every event.
    const auto start = std::chrono::steady_clock::now();
    ProtocolSession reader(rig);
    json started = reader.call("watch", {{"since", 0}});
    REQUIRE(started.contains("result"));
    int attributes = 0;
    for (;;) {
        json line = reader.raw().reply(std::chrono::seconds(20));
        INFO("after " << attributes << " attribute events: " << line.dump().substr(0, 300));
        REQUIRE(line.contains("event"));
        if (line["event"]["kind"] == "attribute")
            ++attributes;
        if (line["event"]["kind"] == "media_type" && line["event"]["data"]["name"] == "MARK")
            break;
    }
    CHECK(attributes == kEvents);
    MESSAGE("a reader got the replay in " << std::chrono::duration_cast<std::chrono::milliseconds>(
                                                 std::chrono::steady_clock::now() - start)
                                                 .count()
                                          << " ms");
}

}  // namespace rsm::test
