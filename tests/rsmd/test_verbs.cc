// Every verb of the protocol through rsmctl against a real rsmd and PostgreSQL, checking what
// each answers (--json) and what it changed in the database; then the watch stream.

#include <doctest/doctest.h>

#include "tests/rsmd/raw_client.h"
#include "tests/rsmd/seed_helpers.h"

namespace rsm::test {

TEST_CASE("rsmd verbs: media types, pools, media, LMIDs, objects and ACLs") {
    RsmdRig rig;
    // mediatype.create / list
    CHECK(rig.json({"mediatype", "create", "LTO-5"})["id"].is_string());
    CHECK(rig.json({"mediatype", "create", "MO", "--sides", "2"})["id"].is_string());
    auto types = rig.json({"mediatype", "list"})["media_types"];
    REQUIRE(types.size() == 2);
    CHECK(types[1]["sides"] == 2);

    // pool.create / show / list / delete
    auto pool = rig.json({"pool", "create", "backup", "--type", "LTO-5", "--max-allocations", "3"});
    CHECK(pool["pool"]["path"] == "backup");
    CHECK(pool["pool"]["max_allocations"] == 3);
    CHECK(rig.json({"pool", "create", "backup/daily"})["pool"]["media_type"] == "LTO-5");
    CHECK(rig.json({"pool", "show", "backup/daily"})["pool"]["name"] == "daily");
    // + free, import and unrecognized of each media type
    CHECK(rig.json({"pool", "list"})["pools"].size() == 8);
    expectOk(rig, {"pool", "create", "scratch", "--type", "LTO-5"});
    expectOk(rig, {"pool", "delete", "scratch"});
    expectError(rig, {"pool", "show", "scratch"}, 4302, "ERROR_INVALID_MEDIA_POOL");

    // media.create / show / list
    auto media = rig.json({"media", "create", "--type", "LTO-5", "--barcode", "A00001L5", "--pool",
                           "backup/daily", "--label-type", "Bacula", "--label-id", "Vol1"});
    CHECK(media["media"]["barcode"] == "A00001L5");
    CHECK(media["media"]["library"] == "Offline");
    CHECK(media["media"]["location"] == "shelf");
    CHECK(media["media"]["sides"][0]["label_type"] == "Bacula");
    makeMedia(rig, "A00002L5", "backup/daily");
    makeMedia(rig, "A00003L5", "backup");
    CHECK(rig.json({"media", "list"})["media"].size() == 3);
    CHECK(rig.json({"media", "list", "--pool", "backup"})["media"].size() == 1);
    CHECK(rig.json({"media", "list", "--library", "Offline"})["media"].size() == 3);
    CHECK(rig.json({"media", "show", "A00002L5"})["media"]["pool"] == "backup/daily");

    // lmid.allocate / show / list / complete / deallocate / swap
    auto lmid = rig.json({"allocate", "backup/daily", "--name", "d1"});
    CHECK(lmid["lmid"]["name"] == "d1");
    CHECK(lmid["lmid"]["side_state"] == "allocated");
    expectOk(rig, {"allocate", "backup/daily", "--name", "d2"});
    expectError(rig, {"allocate", "backup/daily"}, 4308, "ERROR_MEDIA_UNAVAILABLE");
    CHECK(rig.json({"lmid", "list"})["lmids"].size() == 2);
    CHECK(rig.json({"lmid", "show", "d1"})["lmid"]["pool"] == "backup/daily");
    expectOk(rig, {"swap", "d1", "d2"});
    expectOk(rig, {"complete", "d2"});
    CHECK(rig.json({"lmid", "show", "d2"})["lmid"]["side_state"] == "complete");
    expectOk(rig, {"deallocate", "d1"});
    expectError(rig, {"lmid", "show", "d1"}, 4300, "ERROR_INVALID_MEDIA");

    // media.move_to_pool / decommission / delete
    expectOk(rig, {"move-to-pool", "A00003L5", "free:LTO-5"});
    CHECK(rig.json({"media", "show", "A00003L5"})["media"]["pool"] == "free:LTO-5");
    expectOk(rig, {"decommission", "A00003L5", "--side", "0"});
    CHECK(rig.json({"media", "show", "A00003L5"})["media"]["sides"][0]["state"] ==
          "decommissioned");
    expectOk(rig, {"delete-media", "A00003L5"});
    expectError(rig, {"media", "show", "A00003L5"}, 4300, "ERROR_INVALID_MEDIA");

    // object.rename / describe, attribute.set / get, computer.show
    expectOk(rig, {"object", "describe", "pool:backup", "nightly"});
    CHECK(rig.json({"pool", "show", "backup"})["pool"]["description"] == "nightly");
    expectOk(rig, {"object", "rename", "media:A00001L5", "first tape"});
    CHECK(rig.json({"media", "show", "A00001L5"})["media"]["name"] == "first tape");
    expectOk(rig, {"object", "set", "media:A00001L5", "vault", "shelf 4"});
    CHECK(rig.json({"object", "get", "media:A00001L5", "vault"})["value"] == "shelf 4");
    RunResult plain = rig.ctl({"object", "get", "media:A00001L5", "vault"});
    CHECK(plain.out == "shelf 4\n");
    CHECK(rig.json({"object", "computer"})["computer"]["id"] == rig.sql("SELECT id FROM computer"));

    // acl.grant / list / revoke
    expectOk(rig, {"acl", "grant", "pool:backup", "--user", "1500", "use", "modify"});
    expectOk(rig, {"acl", "grant", "pool:backup", "--group", "1600", "control"});
    auto acl = rig.json({"acl", "list", "pool:backup"})["acl"];
    bool user = false, group = false;
    for (const auto &ace : acl) {
        if (ace["principal"] == "user" && ace["principal_id"] == 1500)
            user = ace["rights_mask"] == 3;
        if (ace["principal"] == "group" && ace["principal_id"] == 1600)
            group = ace["rights"] == nlohmann::json::array({"control"});
    }
    CHECK(user);
    CHECK(group);
    expectOk(rig, {"acl", "revoke", "pool:backup", "--user", "1500"});
    CHECK(rig.sql("SELECT count(*) FROM acl WHERE principal_id = 1500") == "0");

    // library.discover: this machine has no SCSI changers; the list is empty, not an error.
    auto devices = rig.json({"library", "discover"});
    CHECK(devices["devices"].is_array());
}

TEST_CASE("rsmd verbs: watch streams each change, from a sequence number on") {
    RsmdRig rig;
    makeModel(rig);
    RawClient watcher(rig.socket);
    std::string s = watcher.open();
    auto started = watcher.call({{"verb", "watch"}, {"session", s}});
    REQUIRE(started.contains("result"));
    const std::int64_t seq = started["result"]["seq"];
    expectOk(rig, {"pool", "create", "watched", "--type", "LTO-5"});
    bool seen = false;
    for (int i = 0; i < 50 && !seen; ++i) {
        auto e = watcher.reply(std::chrono::seconds(5));
        REQUIRE(e.contains("event"));
        CHECK(e["event"]["seq"].get<std::int64_t>() > seq);
        seen = e["event"]["kind"] == "pool" && e["event"]["op"] == "insert" &&
               e["event"]["data"]["name"] == "watched";
    }
    CHECK(seen);
    // A watching connection takes no more requests.
    auto refused = watcher.call({{"verb", "pool.list"}, {"session", s}});
    bool sawRefusal = false;
    for (int i = 0; i < 50 && !sawRefusal; ++i) {
        if (refused.contains("error")) {
            sawRefusal = refused["error"]["code"] == 4317;
            break;
        }
        refused = watcher.reply(std::chrono::seconds(5));  // events may come first
    }
    CHECK(sawRefusal);

    // rsmctl watch --since replays what came after, one JSON event per line.
    RunResult replay = run({"/usr/bin/timeout", "-s", "INT", "3", rsmctlPath(), "--json", "watch",
                            "--since", std::to_string(seq)},
                           {"RSM_SOCKET=" + rig.socket.string()});
    bool replayed = false;
    std::size_t at = 0;
    while (at < replay.out.size()) {
        std::size_t nl = replay.out.find('\n', at);
        auto e = nlohmann::json::parse(replay.out.substr(at, nl - at), nullptr, false);
        REQUIRE_MESSAGE(e.is_object(), replay.out);
        replayed = replayed || (e["kind"] == "pool" && e["data"]["name"] == "watched");
        at = nl == std::string::npos ? replay.out.size() : nl + 1;
    }
    CHECK_MESSAGE(replayed, replay.out << replay.err);
}

}  // namespace rsm::test
