// Issue 14, local denial of service: what any user who may connect could do to everyone else,
// tried again. Silent connections that filled rsmd's table (finding 6), robot work queued by a
// client that hangs up (7), and listings with no bound (8).

#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <memory>
#include <optional>
#include <thread>

#include <fmt/format.h>

#include "tests/rsmd/raw_client.h"
#include "tests/rsmd/robot_helpers.h"
#include "tests/rsmd/seed_helpers.h"

namespace rsm::test {

namespace {

using nlohmann::json;
using namespace std::chrono_literals;

std::string messageOf(const json &reply) {
    return reply.is_object() && reply.contains("error") ? reply["error"].value("message", "")
                                                        : reply.dump();
}

// `count` connections of `uid` that say nothing.
std::vector<std::unique_ptr<RawClient>> silent(const RsmdRig &rig, std::uint32_t uid, int count) {
    std::vector<std::unique_ptr<RawClient>> out;
    for (int i = 0; i < count; ++i) {
        out.push_back(
            std::make_unique<RawClient>(rig.socket, uid, std::vector<std::uint32_t>{uid}));
        REQUIRE(out.back()->connected());
    }
    return out;
}

// A connection of `uid` that rsmd refuses: its one line is ERROR_BUSY, then it is closed.
std::string refusal(const RsmdRig &rig, std::uint32_t uid) {
    RawClient c(rig.socket, uid, {uid});
    REQUIRE(c.connected());
    const json reply = c.reply(5s);
    CHECK_MESSAGE(errorCode(reply) == 170, reply.dump());
    CHECK(c.closedByServer(5s));
    return messageOf(reply);
}

}  // namespace

TEST_CASE("dos: silent connections of one user lock out neither other users nor root") {
    RsmdRig rig(
        "max_connections = 12\nmax_connections_per_uid = 4\nadmin_connections = 4\n"
        "idle_timeout = 4\n");
    auto mallory = silent(rig, 5001, 4);
    std::this_thread::sleep_for(200ms);  // rsmd has taken them in

    // A fifth of the same uid: refused, saying why and what to do.
    const std::string why = refusal(rig, 5001);
    CHECK_MESSAGE(why.find("uid 5001 has 4 connections to rsmd, its max_connections_per_uid") !=
                      std::string::npos,
                  why);
    // rsmctl says so, as ERROR_BUSY (it said ERROR_BAD_FORMAT: "carries id null").
    RunResult busy = rig.ctl({"pool", "list"}, Who{5001, {5001}});
    CHECK(busy.status == 1);
    CHECK_MESSAGE(busy.err.find("rsmctl: ERROR_BUSY (170): too many connections: uid 5001") == 0,
                  busy.err);

    // Other users are served meanwhile; when all of max_connections are taken, root still is.
    auto others = silent(rig, 5002, 4);
    auto more = silent(rig, 5003, 4);
    std::this_thread::sleep_for(200ms);
    CHECK(refusal(rig, 5004).find("its max_connections") != std::string::npos);
    RunResult root = rig.ctl({"pool", "list"});
    CHECK_MESSAGE(root.status == 0, root.err);

    // Silent connections are closed after idle_timeout, with a line saying so.
    const json notice = mallory[0]->reply(8s);
    CHECK(errorCode(notice) == 1460);
    CHECK(messageOf(notice).find("idle for 4 s (idle_timeout)") != std::string::npos);
    CHECK(mallory[0]->closedByServer(2s));
    RunResult after = rig.ctl({"pool", "list"}, Who{5001, {5001}});
    CHECK_MESSAGE(after.err.find("ERROR_BUSY") == std::string::npos, after.err);
}

TEST_CASE("dos: a hang-up cancels its queued robot work, and a session's queue is bounded") {
    VirtualLibrary vtl;
    RsmdRig rig("max_queued_requests = 20\ncommand_timeout = 30\n");
    prepareLibrary(rig, vtl);
    const std::string finishedBefore =
        rig.sql("SELECT count(*) FROM library_request WHERE kind = 'probe' AND state IN (1, 2, 3)");

    vtl.freeze();  // the first probe waits for the robot: the others stay queued
    auto c = std::make_unique<RawClient>(rig.socket);
    c->call({{"verb", "hello"}, {"protocol", 1}});
    int accepted = 0, refused = 0;
    for (int s = 0; s < 5; ++s) {
        const json opened = c->call({{"verb", "session.open"}, {"application", "flood"}});
        const std::string session = opened["result"].value("session", "");
        REQUIRE(!session.empty());
        for (int k = 0; k < 25; ++k) {
            const json reply = c->call({{"verb", "library.probe"},
                                        {"session", session},
                                        {"library", "vtl"},
                                        {"wait", false}});
            if (errorCode(reply) == 170) {
                ++refused;
                CHECK(messageOf(reply).find("max_queued_requests") != std::string::npos);
            } else {
                CHECK_MESSAGE(errorCode(reply) == 0, reply.dump());
                ++accepted;
            }
        }
    }
    CHECK(accepted == 100);  // 20 a session
    CHECK(refused == 25);

    c.reset();  // the client hangs up
    // Each of its sessions is closed and their queued requests cancelled.
    CHECK(eventually([&] {
        return rig.sql(
                   "SELECT count(*) FROM session WHERE application = 'flood' AND closed IS "
                   "NULL") == "0";
    }));
    CHECK(requestsIn(rig, "probe", 0) == "0");
    CHECK(requestsIn(rig, "probe", 7) == "99");
    vtl.thaw();
    // Only the probe that had started runs to its end.
    CHECK(eventually([&] { return requestsIn(rig, "probe", 1) == "0"; }, 60s));
    std::this_thread::sleep_for(1s);
    const std::string finishedAfter =
        rig.sql("SELECT count(*) FROM library_request WHERE kind = 'probe' AND state IN (1, 2, 3)");
    CHECK(std::stoi(finishedAfter) <= std::stoi(finishedBefore) + 1);
}

TEST_CASE("dos: request listings are paged, finished results stay small, memory is bounded") {
    VirtualLibrary::Shape shape;
    shape.slots = 120;  // an element status of more than 4 KiB
    shape.tapes = 10;
    VirtualLibrary vtl(shape);
    RsmdRig rig;
    prepareLibrary(rig, vtl);

    // An mtx status through rsmd: its element status reaches the client, and is not kept.
    RunResult status =
        run({rsmctlPath(), "mtx", "-f", "vtl", "status"}, {"RSM_SOCKET=" + rig.socket.string()});
    CHECK_MESSAGE(status.status == 0, status.err);
    CHECK(status.out.find("Storage Element 120:Empty") != std::string::npos);
    CHECK(rig.sql("SELECT count(*) FROM library_request WHERE kind = 'mtx' AND result IS NOT "
                  "NULL") == "0");

    // 2,000 finished requests with 40 KB results each, as before the fix (80 MB).
    rig.sql(
        "INSERT INTO library_request (id, library_id, kind, state, priority, parameters, "
        "result, created, finished) SELECT gen_random_uuid(), l.id, 'mtx', 2, 0, '{}', "
        "jsonb_build_object('elements', repeat('x', 40000)), now() - g * interval '1 s', "
        "now() FROM generate_series(1, 2000) g, library l WHERE l.name = 'vtl'");
    const int total = std::stoi(rig.sql("SELECT count(*) FROM library_request"));
    const long before = rssKib(rig.pid);

    RunResult listed = rig.ctl({"request", "list", "--all"});
    CHECK_MESSAGE(listed.status == 0, listed.err);
    CHECK(std::count(listed.out.begin(), listed.out.end(), '\n') == 101);  // a header, 100 rows
    CHECK(listed.err.find("rsmctl: more requests: rsmctl request list --all --before ") == 0);

    // Every request, a page at a time, newest first.
    int seen = 0;
    std::string next;
    for (int page = 0; page < 10; ++page) {
        std::vector<std::string> args = {"request", "list", "--all", "--limit", "1000"};
        if (!next.empty()) {
            args.push_back("--before");
            args.push_back(next);
        }
        const json reply = rig.json(args);
        seen += static_cast<int>(reply["requests"].size());
        if (!reply["next"].is_string())
            break;
        next = reply["next"].get<std::string>();
    }
    CHECK(seen == total);

    // Ten at once, by root and by a user without rights (who sees none of them).
    std::vector<std::thread> callers;
    std::atomic<int> failed = 0;
    for (int i = 0; i < 10; ++i)
        callers.emplace_back([&, i] {
            std::optional<Who> who;
            if (i % 2)
                who = Who{5301, {5301}};
            if (rig.ctl({"request", "list", "--all", "--limit", "1000"}, who).status != 0)
                ++failed;
        });
    for (auto &t : callers)
        t.join();
    CHECK(failed == 0);
    const json none = rig.json({"request", "list", "--all"}, Who{5301, {5301}});
    CHECK(none["requests"].empty());
    const long after = rssKib(rig.pid);
    MESSAGE("rsmd RSS " << before << " KiB before the listings, " << after << " KiB after");
    CHECK(after - before < memoryBoundKib(64 * 1024));
}

}  // namespace rsm::test
