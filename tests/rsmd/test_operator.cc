// Operator requests through rsmd: rsm asks for a cartridge a mount needs, programs submit
// requests, people list, satisfy or refuse them, and `rsmctl request wait` returns when they
// have.

#include <doctest/doctest.h>

#include <chrono>
#include <future>

#include "tests/rsmd/protocol_session.h"
#include "tests/rsmd/robot_helpers.h"
#include "tests/rsmd/seed_helpers.h"

namespace rsm::test {

namespace {

using nlohmann::json;

json unanswered(const RsmdRig &rig) {
    return rig.json({"request", "list", "--operator"})["operator_requests"];
}

}  // namespace

TEST_CASE("rsmd operator requests: posted by a mount of a shelved cartridge, answered") {
    RsmdRig rig;
    makeModel(rig);
    makeMedia(rig, "SHELF1L5", "backup", "Bacula", "shelved");

    RunResult mount = rig.ctl({"mount", "shelved"});
    CHECK(mount.status == 1);
    CHECK(mount.err.find("rsmctl: ERROR_MEDIA_OFFLINE (4304): ") == 0);
    CHECK(mount.err.find("operator request") != std::string::npos);
    json open = unanswered(rig);
    REQUIRE(open.size() == 1);
    CHECK(open[0]["kind"] == "movemedia");
    CHECK(open[0]["state"] == "submitted");
    CHECK(open[0]["barcode"] == "SHELF1L5");
    // Asked once, however often the mount is tried.
    CHECK(rig.ctl({"mount", "shelved"}).status == 1);
    CHECK(unanswered(rig).size() == 1);

    const std::string id = open[0]["id"];
    expectOk(rig, {"request", "satisfy", id});
    CHECK(unanswered(rig).empty());
    json all = rig.json({"request", "list", "--operator", "--all"})["operator_requests"];
    REQUIRE(all.size() == 1);
    CHECK(all[0]["state"] == "complete");
    // Answered already.
    expectError(rig, {"request", "satisfy", id}, 5023, "ERROR_INVALID_STATE");
    expectError(rig, {"request", "satisfy", "6f1c1c56-0000-4000-8000-000000000000"}, 4312,
                "ERROR_OBJECT_NOT_FOUND");
}

TEST_CASE("rsmd operator requests: submit, wait, satisfy or refuse") {
    RsmdRig rig;
    expectError(rig, {"request", "submit", "COFFEE", "please"}, 87, "ERROR_INVALID_PARAMETER");
    json submitted = rig.json({"request", "submit", "DEVICESERVICE", "drive 2 rattles"});
    const std::string id = submitted["operator_request"]["id"];
    CHECK(submitted["operator_request"]["kind"] == "deviceservice");
    CHECK(rig.json({"request", "show", id})["operator_request"]["message"] == "drive 2 rattles");

    // A waiter returns once someone satisfies it.
    auto waiting = std::async(std::launch::async, [&] { return rig.ctl({"request", "wait", id}); });
    CHECK(waiting.wait_for(std::chrono::milliseconds(1500)) == std::future_status::timeout);
    // Only CONTROL on the computer answers a request that names no library.
    expectError(rig, {"request", "satisfy", id}, 5, "ERROR_ACCESS_DENIED", Who{5001, {5001}});
    expectOk(rig, {"request", "satisfy", id});
    RunResult done = waiting.get();
    CHECK(done.status == 0);
    CHECK(done.out.find("satisfied") != std::string::npos);

    // Refused: the waiter says so.
    const std::string other = rig.json(
        {"request", "submit", "newmedia", "ten new LTO-5 tapes"})["operator_request"]["id"];
    expectOk(rig, {"request", "cancel", other});
    RunResult refused = rig.ctl({"request", "wait", other});
    CHECK(refused.status == 1);
    CHECK(refused.err.find("rsmctl: ERROR_REQUEST_REFUSED (4320): ") == 0);
    CHECK(rig.json({"request", "show", other})["operator_request"]["state"] == "refused");
}

// Issue 18: a cancelled mount used to leave its client blocked (for as long as 11 minutes
// in one report), and the MOVEMEDIA request it had posted stayed "submitted".
TEST_CASE("rsmd operator requests: a waiting mount cancelled ends its client at once, and "
          "nobody is asked for its cartridge any more") {
    VirtualLibrary vtl(smallLibrary());
    RsmdRig rig;
    expectOk(rig, {"library", "add", "vtl", vtl.changerUrl()});
    makeModel(rig);
    makeMedia(rig, "SMC002L5", "backup", "Bacula", "archive");

    auto waiting = std::async(std::launch::async, [&] { return rig.ctl({"mount", "archive"}); });
    eventually([&] { return requestsIn(rig, "mount", 5) == "1"; });
    REQUIRE(unanswered(rig).size() == 1);
    const std::string id =
        rig.sql("SELECT id FROM library_request WHERE kind = 'mount' AND state = 5");
    const auto start = std::chrono::steady_clock::now();
    expectOk(rig, {"request", "cancel", id});
    REQUIRE(waiting.wait_for(std::chrono::seconds(5)) == std::future_status::ready);
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(3));
    RunResult r = waiting.get();
    CHECK(r.status == 1);
    CHECK_MESSAGE(r.err.find("rsmctl: ERROR_CANCELLED (1223): ") == 0, r.err);
    // The operator request the mount posted is withdrawn: nobody waits for it.
    CHECK(unanswered(rig).empty());
    json all = rig.json({"request", "list", "--operator", "--all"})["operator_requests"];
    REQUIRE(all.size() == 1);
    CHECK(all[0]["state"] == "refused");
    CHECK(all[0]["message"].get<std::string>().find("no mount waits for it") !=
          std::string::npos);

    // A mount waiting when its session is closed (here by its own connection, the reply still
    // owed): the client gets ERROR_CANCELLED, not silence.
    ProtocolSession s(rig);
    REQUIRE(s.raw().send(json{{"verb", "media.mount"},
                              {"id", 1},
                              {"session", s.session()},
                              {"lmid", "archive"}}
                             .dump() +
                         "\n"));
    eventually([&] { return requestsIn(rig, "mount", 5) == "1"; });
    REQUIRE(s.raw().send(json{{"verb", "session.close"}, {"id", 2}, {"session", s.session()}}
                             .dump() +
                         "\n"));
    int mountCode = 0;
    for (int i = 0; i < 2; ++i) {
        json reply = s.raw().reply(std::chrono::seconds(5));
        INFO(reply.dump());
        REQUIRE(reply.contains("id"));
        if (reply["id"] == 1)
            mountCode = errorCode(reply);
    }
    CHECK(mountCode == 1223);
    CHECK(unanswered(rig).empty());

    // --error-if-offline: the mount fails and asks nobody for anything.
    RunResult offline = rig.ctl({"mount", "archive", "--error-if-offline"});
    CHECK(offline.status == 1);
    CHECK(offline.err.find("rsmctl: ERROR_MEDIA_OFFLINE (4304): ") == 0);
    CHECK(unanswered(rig).empty());
}

// Issue 18: the MOVEMEDIA request stayed "submitted" after the cartridge was put in.
TEST_CASE("rsmd operator requests: asking for a cartridge ends when it is in the library") {
    VirtualLibrary vtl(smallLibrary());
    RsmdRig rig;
    makeModel(rig);
    makeMedia(rig, "SMC002L5", "backup", "Bacula", "archive");
    // No library to wait in: the mount fails, the operator is asked to put it in one.
    CHECK(rig.ctl({"mount", "archive"}).status == 1);
    REQUIRE(unanswered(rig).size() == 1);
    expectOk(rig, {"library", "add", "vtl", vtl.changerUrl()});
    expectOk(rig, {"inventory", "vtl"});
    CHECK(unanswered(rig).empty());
    json all = rig.json({"request", "list", "--operator", "--all"})["operator_requests"];
    REQUIRE(all.size() == 1);
    CHECK(all[0]["state"] == "complete");
}

}  // namespace rsm::test
