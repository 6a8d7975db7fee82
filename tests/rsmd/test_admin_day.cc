// An administrator's day (issue 18), through rsmctl against rsmd, PostgreSQL and tgtd: the
// bugs a new user met, each with the behaviour they expected.

#include <doctest/doctest.h>

#include <future>
#include <thread>

#include "tests/rsmd/robot_helpers.h"
#include "tests/rsmd/seed_helpers.h"

namespace rsm::test {

using nlohmann::json;

TEST_CASE("rsmd allocate: a tape in the library before one on the shelf; every LMID named") {
    VirtualLibrary vtl(smallLibrary());
    RsmdRig rig;
    prepareLibrary(rig, vtl);  // the robot's tapes are free
    makeMedia(rig, "SHELF03L5", "backup", "Bacula");

    // The pool's own tape is on the shelf; a free one in the robot is taken instead.
    json alice = rig.json({"allocate", "backup", "--name", "alice-1"})["lmid"];
    CHECK(alice["name"] == "alice-1");
    CHECK(alice["barcode"] != "SHELF03L5");
    CHECK(rig.json({"media", "show", alice["barcode"].get<std::string>()})["media"]["location"] ==
          "slot");

    // Without --name, the LMID is named after its cartridge: scripts get a name to use.
    json unnamed = rig.json({"allocate", "backup"})["lmid"];
    const std::string name = unnamed["name"];
    CHECK(name == unnamed["barcode"]);
    expectOk(rig, {"mount", name});
    expectOk(rig, {"dismount", name});

    // The shelf tape is still allocated when nothing else is left.
    for (std::size_t i = 2; i < vtl.barcodes().size(); ++i)
        REQUIRE(rig.json({"allocate", "backup"})["lmid"]["barcode"] != "SHELF03L5");
    CHECK(rig.json({"allocate", "backup"})["lmid"]["barcode"] == "SHELF03L5");
}

TEST_CASE("rsmd mount: a mount that waits says why, on its progress line and in request show") {
    VirtualLibrary vtl(smallLibrary());
    RsmdRig rig;
    expectOk(rig, {"library", "add", "vtl", vtl.changerUrl()});
    makeModel(rig);
    makeMedia(rig, "SMC002L5", "backup", "Bacula", "archive");

    // rsmctl on a terminal, as an administrator runs it (script(1) gives it one).
    auto waiting = std::async(std::launch::async, [&] {
        return run({"/usr/bin/script", "-qfec", rsmctlPath() + " mount archive", "/dev/null"},
                   {"RSM_SOCKET=" + rig.socket.string()});
    });
    REQUIRE(eventually([&] { return requestsIn(rig, "mount", 5) == "1"; }));
    json asked = rig.json({"request", "list", "--operator"})["operator_requests"];
    REQUIRE(asked.size() == 1);
    const std::string operatorId = asked[0]["id"];
    const std::string id =
        rig.sql("SELECT id FROM library_request WHERE kind = 'mount' AND state = 5");
    // request show takes a library request's id too, and says why it waits and for whom.
    const std::string why =
        "waiting for SMC002L5 to be put into library vtl "
        "(operator request " +
        operatorId + ")";
    REQUIRE(eventually([&] {
        return rig.json({"request", "show", id})["request"]["message"] == why;
    }));
    json shown = rig.json({"request", "show", id})["request"];
    CHECK(shown["state"] == "waiting");
    CHECK(shown["kind"] == "mount");
    RunResult unknown = rig.ctl({"request", "show", "6f1c1c56-0000-4000-8000-000000000000"});
    CHECK(unknown.status == 1);
    CHECK(unknown.err.find("no library request or operator request") != std::string::npos);

    // The progress line shows it within a few seconds.
    std::this_thread::sleep_for(std::chrono::seconds(6));
    expectOk(rig, {"request", "cancel", id});
    REQUIRE(waiting.wait_for(std::chrono::seconds(10)) == std::future_status::ready);
    RunResult r = waiting.get();
    INFO(r.out);
    CHECK(r.out.find("mounting archive") != std::string::npos);
    CHECK(r.out.find(why) != std::string::npos);
    CHECK(r.out.find("ERROR_CANCELLED (1223)") != std::string::npos);
}

// Issue 18: with log_level = info, 109 of 139 lines of rsmd's log were "debug:" lines.
TEST_CASE("rsmd log: log_level = info writes no debug lines; a waiting mount is said once") {
    VirtualLibrary vtl(smallLibrary());
    RsmdRig rig("log_level = info\n");
    // The shelved tape's LMID first, while the robot's tapes are not free yet.
    expectOk(rig, {"library", "add", "vtl", vtl.changerUrl()});
    expectOk(rig, {"library", "inventory", "vtl"});
    expectOk(rig, {"pool", "create", "backup", "--type", "LTO-5"});
    makeMedia(rig, "SHELF03L5", "backup", "Bacula", "shelved");
    for (const std::string &barcode : vtl.barcodes())
        expectOk(rig, {"move-to-pool", barcode, "free:LTO-5"});
    const std::string lmid = allocate(rig, "daily-1");
    expectOk(rig, {"mount", "daily-1"});
    expectOk(rig, {"dismount", "daily-1"});
    auto waiting = std::async(std::launch::async, [&] { return rig.ctl({"mount", "shelved"}); });
    REQUIRE(eventually([&] { return requestsIn(rig, "mount", 5) == "1"; }));
    const std::string id =
        rig.sql("SELECT id FROM library_request WHERE kind = 'mount' AND state = 5");
    // Queued again and waiting again: said at info the first time only.
    expectOk(rig, {"inventory", "vtl"});
    REQUIRE(eventually([&] { return requestsIn(rig, "mount", 5) == "1"; }));
    expectOk(rig, {"request", "cancel", id});
    CHECK(waiting.get().status == 1);
    const std::string log = rig.log();
    INFO(log);
    CHECK(log.find("debug:") == std::string::npos);
    CHECK(log.find("info:") != std::string::npos);
    const std::string waits = "waits: waiting for SHELF03L5 to be put into library vtl";
    const auto first = log.find(waits);
    CHECK(first != std::string::npos);
    CHECK(log.find(waits, first + 1) == std::string::npos);
}

// Issue 18: "--type lto-5" was ERROR_MEDIA_INCOMPATIBLE, the wrong code for an unknown name too.
TEST_CASE("rsmd media types: names in any case; an unknown one is ERROR_OBJECT_NOT_FOUND") {
    RsmdRig rig;
    makeModel(rig);  // LTO-5, pool backup
    expectOk(rig, {"pool", "create", "lower", "--type", "lto-5"});
    CHECK(rig.json({"pool", "show", "lower"})["pool"]["media_type"] == "LTO-5");
    expectOk(rig, {"media", "create", "--type", "Lto-5", "--barcode", "CASE01L5"});
    CHECK(rig.json({"media", "show", "CASE01L5"})["media"]["pool"] == "free:LTO-5");
    expectOk(rig, {"move-to-pool", "CASE01L5", "FREE:lto-5"});
    expectError(rig, {"mediatype", "create", "lto-5"}, 183, "ERROR_ALREADY_EXISTS");
    RunResult unknown = rig.ctl({"pool", "create", "other", "--type", "LTO-999"});
    CHECK(unknown.status == 1);
    CHECK(unknown.err.find("rsmctl: ERROR_OBJECT_NOT_FOUND (4312): no media type LTO-999: "
                           "rsmctl mediatype list lists them") == 0);
    expectError(rig, {"media", "create", "--type", "nosuch", "--barcode", "X1"}, 4312,
                "ERROR_OBJECT_NOT_FOUND");
}

// Issue 18: without rights `library list` printed an empty table; errors said "uid 1004";
// a user could neither see nor cancel their own waiting mount.
TEST_CASE("rsmd rights: what a user without rights is told; their own requests are theirs") {
    VirtualLibrary vtl(smallLibrary());
    RsmdRig rig;
    expectOk(rig, {"library", "add", "vtl", vtl.changerUrl()});
    makeModel(rig);
    makeMedia(rig, "SMC002L5", "backup", "Bacula", "archive");
    const Who nobody{65534, {65534}};  // "nobody" in Debian's user database

    RunResult listed = rig.ctl({"library", "list"}, nobody);
    CHECK(listed.status == 0);
    CHECK_MESSAGE(
        listed.err.find("rsmctl: 1 more library you have no USE right on; an administrator "
                        "grants it with rsmctl acl grant library:NAME --user nobody use") == 0,
        listed.err);
    RunResult denied = rig.ctl({"library", "show", "vtl"}, nobody);
    CHECK(denied.status == 1);
    CHECK_MESSAGE(
        denied.err.find("ERROR_ACCESS_DENIED (5): user nobody (uid 65534) lacks USE "
                        "access to library vtl; an administrator grants it") != std::string::npos,
        denied.err);

    expectOk(rig, {"acl", "grant", "library:vtl", "--user", "nobody", "use"});
    expectOk(rig, {"acl", "grant", "pool:backup", "--user", "nobody", "use"});
    RunResult granted = rig.ctl({"library", "list"}, nobody);
    CHECK_MESSAGE(granted.err.empty(), granted.err);
    auto waiting = std::async(std::launch::async, [&] {
        return rig.ctl({"mount", "archive"}, nobody);
    });
    REQUIRE(eventually([&] { return requestsIn(rig, "mount", 5) == "1"; }));
    // Another rsmctl command (another session) of the same user sees it and may cancel it.
    json mine = rig.json({"request", "list"}, nobody)["requests"];
    REQUIRE(mine.size() == 1);
    const std::string id = mine[0]["id"];
    CHECK(rig.json({"request", "show", id}, nobody)["request"]["kind"] == "mount");
    expectOk(rig, {"request", "cancel", id}, nobody);
    RunResult r = waiting.get();
    CHECK(r.status == 1);
    CHECK_MESSAGE(r.err.find("cancelled by user nobody (uid 65534)") != std::string::npos, r.err);
    // Another user's request is not theirs.
    const Who other{65533, {65533}};
    expectError(rig, {"request", "cancel", id}, 5, "ERROR_ACCESS_DENIED", other);
}

// Issue 18: eject took one barcode only; dismount of a barcode needed --media; a cartridge
// ejected and injected again landed in any free slot rather than its home slot.
TEST_CASE("rsmd eject and dismount: barcodes or LMIDs, several at once; home again on inject") {
    VirtualLibrary vtl(smallLibrary());
    RsmdRig rig;
    prepareLibrary(rig, vtl);
    const std::string first = vtl.barcodes().at(0), second = vtl.barcodes().at(1);
    json d1 = rig.json({"allocate", "backup", "--name", "d1", "--media", first})["lmid"];
    REQUIRE(d1["barcode"] == first);
    const int firstHome = rig.json({"media", "show", first})["media"]["address"];
    const int secondHome = rig.json({"media", "show", second})["media"]["address"];
    REQUIRE(firstHome < secondHome);

    expectOk(rig, {"mount", "d1"});
    expectOk(rig, {"dismount", first});  // a barcode, no --media
    CHECK(rig.json({"media", "show", first})["media"]["location"] == "slot");
    RunResult nosuch = rig.ctl({"dismount", "NOSUCH"});
    CHECK(nosuch.status == 1);
    CHECK(nosuch.err.find("ERROR_INVALID_MEDIA (4300): no LMID or cartridge NOSUCH") !=
          std::string::npos);

    // An LMID and a barcode, one command.
    RunResult ejected = rig.ctl({"eject", "d1", second});
    REQUIRE_MESSAGE(ejected.status == 0, ejected.err);
    CHECK(ejected.out.find("ejected d1: ") != std::string::npos);
    CHECK(ejected.out.find("ejected " + second + ": ") != std::string::npos);
    CHECK(rig.json({"media", "show", first})["media"]["location"] == "ieport");
    CHECK(rig.json({"media", "show", second})["media"]["location"] == "ieport");
    // One that fails is said, the others still go (exit status 1).
    RunResult partly = rig.ctl({"eject", "NOSUCH", vtl.barcodes().at(2)});
    CHECK(partly.status == 1);
    CHECK(partly.err.find("no LMID or cartridge NOSUCH") != std::string::npos);

    // The operator takes them out; later the second comes back, through the other port: it
    // goes to its own slot, not to the first free one (the first's home).
    takeOut(vtl, 3, vtl.ieport(0));
    takeOut(vtl, 3, vtl.ieport(1));
    expectOk(rig, {"inventory", "vtl"});
    CHECK(rig.json({"media", "show", second})["media"]["location"] == "shelf");
    putIn(vtl, 3, vtl.ieport(1), second);
    expectOk(rig, {"inject", "vtl"});
    json back = rig.json({"media", "show", second})["media"];
    CHECK(back["location"] == "slot");
    CHECK(back["address"] == secondHome);
    CHECK(databaseHolds(rig) == robotHolds(vtl));
}

TEST_CASE("rsmd status: one screen of libraries, drives, requests, operator requests, free media") {
    VirtualLibrary vtl(smallLibrary());
    RsmdRig rig;
    expectOk(rig, {"library", "add", "vtl", vtl.changerUrl()});
    expectOk(rig, {"library", "inventory", "vtl"});
    expectOk(rig, {"pool", "create", "backup", "--type", "LTO-5"});
    makeMedia(rig, "SHELF03L5", "backup", "Bacula", "shelved");
    for (const std::string &barcode : vtl.barcodes())
        expectOk(rig, {"move-to-pool", barcode, "free:LTO-5"});
    allocate(rig, "d1");
    expectOk(rig, {"mount", "d1"});
    auto waiting = std::async(std::launch::async, [&] { return rig.ctl({"mount", "shelved"}); });
    REQUIRE(eventually([&] {
        return rig.sql(
                   "SELECT count(*) FROM library_request WHERE state = 5 AND message LIKE "
                   "'%operator request%'") == "1";
    }));

    RunResult shown = rig.ctl({"status"});
    REQUIRE_MESSAGE(shown.status == 0, shown.err);
    INFO(shown.out);
    CHECK(
        shown.out.find("Libraries\n  vtl              ready        8 slots, 4 media, 2 drives\n") !=
        std::string::npos);
    CHECK(shown.out.find("  vtl/0                loaded         SMC001L5\n") != std::string::npos);
    CHECK(shown.out.find("Library requests: 1 waiting\n") != std::string::npos);
    CHECK(shown.out.find("waiting: waiting for SHELF03L5 to be put into library vtl") !=
          std::string::npos);
    CHECK(shown.out.find("Operator requests open: 1\n") != std::string::npos);
    // Three of the robot's four tapes are free and in the library; the pool's own is away.
    CHECK(shown.out.find("  free:LTO-5                    3      3\n") != std::string::npos);
    CHECK(shown.out.find("  backup                        0      0\n") != std::string::npos);

    json report = rig.json({"status"});
    for (const char *list : {"libraries", "drives", "requests", "operator_requests", "pools"})
        CHECK_MESSAGE(report[list].is_array(), list);
    expectOk(rig, {"request", "cancel", report["requests"][0]["id"].get<std::string>()});
    CHECK(waiting.get().status == 1);
}

TEST_CASE("rsmd history: a medium's and a drive's, with who asked for each mount") {
    VirtualLibrary vtl(smallLibrary());
    RsmdRig rig;
    prepareLibrary(rig, vtl);
    const std::string barcode = vtl.barcodes().at(0);
    expectOk(rig, {"allocate", "backup", "--name", "h1", "--media", barcode});
    const Who nobody{65534, {65534}};
    expectOk(rig, {"acl", "grant", "library:vtl", "--user", "nobody", "use"});
    expectOk(rig, {"acl", "grant", "pool:backup", "--user", "nobody", "use"});
    expectOk(rig, {"mount", "h1"}, nobody);
    expectOk(rig, {"dismount", "h1"}, nobody);
    expectOk(rig, {"eject", barcode});

    json history = rig.json({"media", "history", barcode})["history"];
    std::vector<std::string> lines;
    for (const json &h : history)
        lines.push_back(h["what"].get<std::string>() + " | " + h["who"].get<std::string>() + " | " +
                        h["detail"].get<std::string>());
    INFO(history.dump(1));
    // Newest first: each request's outcome after the move it made.
    REQUIRE(lines.size() == 9);
    CHECK(lines[0] == "eject passed | root | " + barcode + " in IE port 10: take it out");
    CHECK(lines[1] == "moved | rsmd | in IE port 10 of vtl");
    CHECK(lines[2] == "dismount passed | nobody | drive vtl/0: " + barcode +
                          " back in slot 1000; health: nothing reported");
    CHECK(lines[3] == "moved | rsmd | in slot 1000 of vtl");
    CHECK(lines[4].rfind("mount passed | nobody | " + barcode + " mounted in drive vtl/0", 0) == 0);
    CHECK(lines[5] == "moved | rsmd | in drive vtl/0");
    CHECK(lines[6] == "pool | root | to pool backup");
    CHECK(lines[7] == "pool | root | to pool free:LTO-5");
    CHECK(lines[8] == "created | rsmd | in slot 1000 of vtl, pool unrecognized:LTO-5");

    RunResult table = rig.ctl({"drive", "history", "vtl/0"});
    REQUIRE_MESSAGE(table.status == 0, table.err);
    CHECK(table.out.find("WHEN") == 0);
    CHECK(table.out.find("mount passed") != std::string::npos);
    CHECK(table.out.find("nobody") != std::string::npos);
    // Without USE on the library: refused, naming the user.
    expectError(rig, {"drive", "history", "vtl/0"}, 5, "ERROR_ACCESS_DENIED", Who{65533, {65533}});
}

}  // namespace rsm::test
