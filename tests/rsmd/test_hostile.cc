// Hostile input on rsmd's socket: garbage, oversize lines, deep nesting, stalls, floods and
// too many connections. Each gets an error reply or a closed connection, and another client
// keeps being served throughout.

#include <doctest/doctest.h>

#include <memory>
#include <thread>
#include <vector>

#include "tests/rsmd/raw_client.h"
#include "tests/rsmd/rsmd_rig.h"

namespace rsm::test {

namespace {

// A client that must keep working while others misbehave.
void stillServed(RawClient &good, const std::string &session) {
    auto r = good.call({{"verb", "pool.list"}, {"session", session}});
    CHECK(r.contains("result"));
}

}  // namespace

TEST_CASE("hostile: lines that are not requests get errors and the connection stays open") {
    RsmdRig rig;
    RawClient c(rig.socket);
    std::string s = c.open();
    REQUIRE(!s.empty());
    const std::vector<std::string> garbage = {
        "not json",
        "{\"verb\":",
        "[1,2,3]",
        "\"hello\"",
        "null",
        std::string("{\"verb\":\"hello\0\"}", 17),
        "{\"verb\":\"\xff\xfe\"}",
        "{\"verb\":42}",
        "{}",
        std::string(1000, '{'),
    };
    for (const std::string &g : garbage) {
        CAPTURE(g.substr(0, 40));
        REQUIRE(c.send(g + "\n"));
        auto r = c.reply();
        CHECK((errorCode(r) == 87 || errorCode(r) == 4317));
    }
    stillServed(c, s);
}

TEST_CASE("hostile: deep nesting within the line limit does not hurt rsmd") {
    RsmdRig rig;
    RawClient good(rig.socket), bad(rig.socket);
    std::string s = good.open();
    const std::size_t depth = 30000;
    REQUIRE(bad.send("{\"verb\":\"hello\",\"x\":" + std::string(depth, '[') +
                     std::string(depth, ']') + "}\n"));
    CHECK(errorCode(bad.reply()) == 87);
    REQUIRE(bad.send(std::string(depth, '[') + std::string(depth, ']') + "\n"));
    CHECK(errorCode(bad.reply()) == 87);
    stillServed(good, s);
}

TEST_CASE("hostile: a line over 64 KiB is refused and its connection closed") {
    RsmdRig rig;
    RawClient good(rig.socket), bad(rig.socket);
    std::string s = good.open();
    bad.open();
    REQUIRE(bad.send("{\"verb\":\"pool.list\",\"pad\":\"" + std::string(70000, 'x') + "\"}\n"));
    auto r = bad.reply();
    CHECK(errorCode(r) == 4336);
    CHECK(r["error"]["name"] == "ERROR_MESSAGE_EXCEEDS_MAX_SIZE");
    CHECK(bad.closedByServer());
    stillServed(good, s);
}

TEST_CASE("hostile: a client that stalls mid-line is closed after the idle timeout") {
    RsmdRig rig("idle_timeout = 1\n");
    RawClient good(rig.socket), staller(rig.socket);
    std::string s = good.open();
    REQUIRE(staller.send("{\"verb\":\"hel"));
    stillServed(good, s);
    CHECK(staller.closedByServer(std::chrono::seconds(10)));
    stillServed(good, s);
}

TEST_CASE("hostile: a client that floods requests and never reads does not stall others") {
    RsmdRig rig("write_timeout = 2\n");
    RawClient good(rig.socket), flood(rig.socket);
    std::string s = good.open();
    std::string fs = flood.open();
    std::atomic<bool> closed{false};
    std::thread writer([&] {
        std::string request = nlohmann::json{{"verb", "pool.list"}, {"session", fs}}.dump() + "\n";
        std::string burst;
        for (int i = 0; i < 200; ++i)
            burst += request;
        for (int i = 0; i < 2000 && !closed; ++i)
            if (!flood.send(burst))
                closed = true;
    });
    for (int i = 0; i < 20; ++i)
        stillServed(good, s);
    writer.join();
    // The flooder never read a reply: rsmd gave up on it once its writes stalled.
    CHECK(closed.load());
    stillServed(good, s);
}

TEST_CASE("hostile: connections over the limit get ERROR_BUSY and are closed") {
    RsmdRig rig("max_connections = 3\n");
    std::vector<std::unique_ptr<RawClient>> clients;
    for (int i = 0; i < 3; ++i) {
        clients.push_back(std::make_unique<RawClient>(rig.socket));
        REQUIRE(!clients.back()->open().empty());
    }
    RawClient extra(rig.socket);
    auto r = extra.reply();
    CHECK(errorCode(r) == 170);
    CHECK(extra.closedByServer());
    clients.pop_back();
    // A place freed is a place to take.
    bool served = false;
    for (int i = 0; i < 100 && !served; ++i) {
        RawClient again(rig.socket);
        served = !again.open().empty();
        if (!served)
            usleep(20'000);
    }
    CHECK(served);
}

}  // namespace rsm::test
