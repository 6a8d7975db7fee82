// An administrator's day (issue 18), continued: the objects as admins look at them, through
// rsmctl against rsmd, PostgreSQL and tgtd — media and LMIDs with their times, media listed by
// state and location, watch lines that name what changed, and a near name suggested when a
// name is mistyped.

#include <doctest/doctest.h>

#include <future>
#include <regex>
#include <set>

#include "tests/rsmd/protocol_session.h"
#include "tests/rsmd/robot_helpers.h"
#include "tests/rsmd/seed_helpers.h"

namespace rsm::test {

namespace {

using nlohmann::json;

// RFC 3339 in UTC, as rsmd sends the times of rows: 2026-12-06T20:37:04Z.
bool isTime(const json &value) {
    static const std::regex rfc3339(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)");
    return value.is_string() && std::regex_match(value.get<std::string>(), rfc3339);
}

// The barcodes `rsmctl media list ARGS…` lists.
std::set<std::string> listed(const RsmdRig &rig, std::vector<std::string> args) {
    args.insert(args.begin(), {"media", "list"});
    json media = rig.json(args)["media"];
    REQUIRE_MESSAGE(media.is_array(), media.dump());
    std::set<std::string> out;
    for (const json &m : media)
        out.insert(m["barcode"].get<std::string>());
    return out;
}

// The error rsmctl prints for ARGS (its status is 1).
std::string failure(const RsmdRig &rig, const std::vector<std::string> &args,
                    const std::optional<Who> &who = {}) {
    RunResult r = rig.ctl(args, who);
    CHECK(r.status == 1);
    return r.err;
}

}  // namespace

TEST_CASE(
    "rsmd times: media and LMIDs say when they were made, allocated, mounted, written, "
    "completed") {
    VirtualLibrary vtl(smallLibrary());
    RsmdRig rig;
    prepareLibrary(rig, vtl);
    const std::string tape = vtl.barcodes().at(0);

    json made = rig.json({"allocate", "backup", "--name", "t1", "--media", tape})["lmid"];
    CHECK(isTime(made["created"]));
    CHECK(isTime(made["allocated"]));
    json lmid = rig.json({"lmid", "show", "t1"})["lmid"];
    CHECK(isTime(lmid["created"]));
    CHECK(lmid["allocated"] == lmid["created"]);
    CHECK(lmid["last_mounted"].is_null());
    CHECK(lmid["last_written"].is_null());
    CHECK(lmid["completed"].is_null());

    // A mount for reading: mounted, not written.
    expectOk(rig, {"mount", "t1"});
    expectOk(rig, {"dismount", "t1"});
    lmid = rig.json({"lmid", "show", "t1"})["lmid"];
    CHECK(isTime(lmid["last_mounted"]));
    CHECK(lmid["last_written"].is_null());
    // A mount for writing: written when it ends.
    rig.sql("UPDATE side SET last_mounted = '2020-01-01Z' WHERE id = '" +
            lmid["side_id"].get<std::string>() + "'");
    expectOk(rig, {"mount", "t1", "--write"});
    CHECK(rig.json({"lmid", "show", "t1"})["lmid"]["last_written"].is_null());  // not yet
    CHECK(rig.json({"lmid", "show", "t1"})["lmid"]["last_mounted"] != "2020-01-01T00:00:00.000Z");
    expectOk(rig, {"dismount", "t1"});
    lmid = rig.json({"lmid", "show", "t1"})["lmid"];
    CHECK(isTime(lmid["last_written"]));
    CHECK(lmid["last_written"] >= lmid["last_mounted"]);

    expectOk(rig, {"complete", "t1"});
    lmid = rig.json({"lmid", "show", "t1"})["lmid"];
    CHECK(isTime(lmid["completed"]));

    // The medium: its own creation, its sides' last mount and write, each side's times.
    json media = rig.json({"media", "show", tape})["media"];
    CHECK(isTime(media["created"]));
    CHECK(media["last_mounted"] == lmid["last_mounted"]);
    CHECK(media["last_written"] == lmid["last_written"]);
    json side = media["sides"][0];
    CHECK(side["allocated"] == lmid["allocated"]);
    CHECK(side["completed"] == lmid["completed"]);
    CHECK(side["last_mounted"] == lmid["last_mounted"]);
    CHECK(side["last_written"] == lmid["last_written"]);
    // media list and lmid list carry the same.
    // The lists held in variables: a range-for over a member of a temporary reads freed memory.
    const json mediaList = rig.json({"media", "list"}), lmidList = rig.json({"lmid", "list"});
    // (media show adds the health figures: suspect, suspect_reason, health)
    json shown = media;
    for (const char *only : {"suspect", "suspect_reason", "health"})
        shown.erase(only);
    for (const json &m : mediaList["media"])
        if (m["barcode"] == tape)
            CHECK(m == shown);
    for (const json &l : lmidList["lmids"])
        if (l["name"] == "t1")
            CHECK(l == lmid);

    // Deallocated: the side has no LMID, so no allocation time, and is no longer complete;
    // its mounts stay.
    expectOk(rig, {"deallocate", "t1"});
    side = rig.json({"media", "show", tape})["media"]["sides"][0];
    CHECK(side["state"] == "available");
    CHECK(side["allocated"].is_null());
    CHECK(side["completed"].is_null());
    CHECK(side["last_written"] == lmid["last_written"]);

    // A swap gives each LMID its new side now.
    makeMedia(rig, "SWAP01L5", "backup", "Bacula", "s1");
    makeMedia(rig, "SWAP02L5", "backup", "Bacula", "s2");
    rig.sql("UPDATE logical_media SET allocated = '2020-01-01Z' WHERE name IN ('s1', 's2')");
    CHECK(rig.json({"lmid", "show", "s1"})["lmid"]["allocated"] == "2020-01-01T00:00:00.000Z");
    expectOk(rig, {"swap", "s1", "s2"});
    for (const char *name : {"s1", "s2"}) {
        json swapped = rig.json({"lmid", "show", name})["lmid"];
        CHECK(isTime(swapped["allocated"]));
        CHECK(swapped["allocated"] != "2020-01-01T00:00:00.000Z");
    }
}

TEST_CASE("rsmd media list: by side or medium state, by location, with pool and library") {
    VirtualLibrary vtl(smallLibrary());
    RsmdRig rig;
    prepareLibrary(rig, vtl);
    makeMedia(rig, "SHELF1L5", "backup", "Bacula", "shelf-1");  // allocated, on the shelf
    const std::vector<std::string> tapes = vtl.barcodes();
    REQUIRE(tapes.size() == 4);
    expectOk(rig, {"allocate", "backup", "--name", "on-1", "--media", tapes[0]});
    const std::set<std::string> robot(tapes.begin(), tapes.end());
    const std::set<std::string> free(tapes.begin() + 1, tapes.end());

    CHECK(listed(rig, {"--state", "allocated"}) == std::set<std::string>{tapes[0], "SHELF1L5"});
    CHECK(listed(rig, {"--state", "AVAILABLE"}) == free);
    CHECK(listed(rig, {"--state", "complete"}).empty());
    CHECK(listed(rig, {"--location", "offline"}) == std::set<std::string>{"SHELF1L5"});
    CHECK(listed(rig, {"--location", "shelf"}) == std::set<std::string>{"SHELF1L5"});
    CHECK(listed(rig, {"--location", "online"}) == robot);
    CHECK(listed(rig, {"--location", "slot"}) == robot);
    CHECK(listed(rig, {"--location", "slot", "--state", "allocated"}) ==
          std::set<std::string>{tapes[0]});
    CHECK(listed(rig, {"--pool", "backup", "--location", "online"}) ==
          std::set<std::string>{tapes[0]});
    CHECK(listed(rig, {"--library", "vtl", "--state", "available"}) == free);
    CHECK(listed(rig, {"--state", "idle"}).size() == 5);  // a medium state

    expectOk(rig, {"mount", "on-1"});
    CHECK(listed(rig, {"--location", "drive"}) == std::set<std::string>{tapes[0]});
    CHECK(listed(rig, {"--state", "loaded"}) == std::set<std::string>{tapes[0]});
    CHECK(listed(rig, {"--state", "idle"}).size() == 4);
    expectOk(rig, {"dismount", "on-1"});

    // The table too, and what an unknown name is told.
    RunResult table = rig.ctl({"media", "list", "--location", "offline"});
    CHECK(table.status == 0);
    CHECK(table.out.find("SHELF1L5") != std::string::npos);
    CHECK(table.out.find(tapes[1]) == std::string::npos);
    expectError(rig, {"media", "list", "--state", "scratch"}, 87, "ERROR_INVALID_PARAMETER");
    CHECK(failure(rig, {"media", "list", "--state", "scratch"})
              .find("unknown state \"scratch\": give a side state (available") !=
          std::string::npos);
    expectError(rig, {"media", "list", "--location", "moon"}, 87, "ERROR_INVALID_PARAMETER");
    CHECK(failure(rig, {"media", "list", "--location", "moon"})
              .find("give online, offline, shelf, slot, drive, ieport or transport") !=
          std::string::npos);
}

TEST_CASE("rsmd watch: events name their medium and LMID; sessions only for who asks") {
    RsmdRig rig("log_session_events = yes\n");
    makeModel(rig);
    ProtocolSession plain(rig), withSessions(rig);
    REQUIRE(plain.open());
    REQUIRE(withSessions.open());
    REQUIRE(plain.call("watch").contains("result"));
    REQUIRE(withSessions.call("watch", {{"sessions", true}}).contains("result"));
    const std::string from = rig.sql("SELECT max(seq) FROM event_log");

    makeMedia(rig, "NAMED1L5", "backup", "Bacula", "named-1");
    { ProtocolSession other(rig); }  // a session opened and closed
    ProtocolSession(rig).ok("mediatype.create", {{"name", "MARK"}});

    const auto until = [](ProtocolSession &s) {
        std::vector<json> out;
        for (int i = 0; i < 500; ++i) {
            json line = s.raw().reply(std::chrono::seconds(10));
            REQUIRE_MESSAGE(line.contains("event"), line.dump());
            out.push_back(line["event"]);
            if (line["event"]["kind"] == "media_type" && line["event"]["data"]["name"] == "MARK")
                break;
        }
        return out;
    };
    const std::vector<json> seen = until(plain), all = until(withSessions);
    const auto count = [](const std::vector<json> &events, const std::string &kind) {
        return std::count_if(events.begin(), events.end(),
                             [&](const json &e) { return e["kind"] == kind; });
    };
    CHECK(count(seen, "session") == 0);
    CHECK(count(all, "session") >= 4);  // the other session's and the marker's, opened and closed
    bool lmid = false, side = false, media = false;
    for (const json &e : seen) {
        INFO(e.dump());
        CHECK(e.contains("barcode"));
        CHECK(e.contains("lmid_name"));
        if (e["kind"] == "logical_media") {
            lmid = true;
            CHECK(e["lmid_name"] == "named-1");
            CHECK(e["barcode"] == "NAMED1L5");
        } else if (e["kind"] == "side" && e["op"] == "update") {
            side = true;
            CHECK(e["barcode"] == "NAMED1L5");
            CHECK(e["lmid_name"] == "named-1");
        } else if (e["kind"] == "physical_media") {
            media = true;
            CHECK(e["barcode"] == "NAMED1L5");
        } else if (e["kind"] == "media_type") {
            CHECK(e["barcode"].is_null());
            CHECK(e["lmid_name"].is_null());
        }
    }
    CHECK(lmid);
    CHECK(side);
    CHECK(media);

    // rsmctl watch prints the names (it runs until stopped: timeout(1) ends it).
    RunResult watched = run({"/usr/bin/timeout", "5", rsmctlPath(), "watch", "--since", from},
                            {"RSM_SOCKET=" + rig.socket.string()});
    INFO(watched.out);
    CHECK(watched.out.find("insert  logical_media  named-1 on NAMED1L5  by ") != std::string::npos);
    CHECK(watched.out.find("  physical_media  NAMED1L5") != std::string::npos);
    CHECK(watched.out.find("  session  ") == std::string::npos);
    watched = run({"/usr/bin/timeout", "5", rsmctlPath(), "watch", "--since", from, "--sessions"},
                  {"RSM_SOCKET=" + rig.socket.string()});
    CHECK(watched.out.find("  session  ") != std::string::npos);
}

TEST_CASE("rsmd did you mean: a mistyped name gets the near one, with the same error code") {
    VirtualLibrary vtl(smallLibrary());
    RsmdRig rig;
    prepareLibrary(rig, vtl);
    makeMedia(rig, "SHELF03L5", "backup", "Bacula", "daily-0001");
    const auto says = [&](const std::vector<std::string> &args, int code, const std::string &name,
                          const std::string &hint) {
        expectError(rig, args, code, name);
        const std::string err = failure(rig, args);
        CHECK_MESSAGE(err.find(hint) != std::string::npos, err);
    };
    says({"library", "show", "vtk"}, 4301, "ERROR_INVALID_LIBRARY",
         "no library vtk; did you mean vtl? (rsmctl library list lists them)");
    says({"library", "show", "VTL"}, 4301, "ERROR_INVALID_LIBRARY", "did you mean vtl?");
    says({"pool", "show", "bakcup"}, 4302, "ERROR_INVALID_MEDIA_POOL",
         "no media pool bakcup; did you mean backup?");
    says({"lmid", "show", "daily-001"}, 4300, "ERROR_INVALID_MEDIA",
         "no logical medium daily-001; did you mean daily-0001?");
    says({"mount", "Daily-0001"}, 4300, "ERROR_INVALID_MEDIA", "did you mean daily-0001?");
    says({"dismount", "daily-001"}, 4300, "ERROR_INVALID_MEDIA",
         "no LMID or cartridge daily-001; did you mean daily-0001?");
    says({"media", "show", "SHELF3L5"}, 4300, "ERROR_INVALID_MEDIA",
         "no medium SHELF3L5; did you mean SHELF03L5?");
    says({"drive", "history", "vlt/1"}, 15, "ERROR_INVALID_DRIVE", "did you mean vtl/1?");
    says({"pool", "create", "other", "--type", "LTO5"}, 4312, "ERROR_OBJECT_NOT_FOUND",
         "no media type LTO5; did you mean LTO-5?");

    // Nothing near, or nothing the caller may see: no suggestion.
    CHECK(failure(rig, {"library", "show", "robotron"}).find("did you mean") == std::string::npos);
    const Who stranger{5301, {5301}};
    expectOk(rig, {"acl", "grant", "computer", "use", "--user", "5301"});
    CHECK(failure(rig, {"lmid", "show", "daily-001"}, stranger).find("did you mean") ==
          std::string::npos);
    CHECK(failure(rig, {"pool", "show", "bakcup"}, stranger).find("did you mean") ==
          std::string::npos);
}

}  // namespace rsm::test
