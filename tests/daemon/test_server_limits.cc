// The server's limits and timeouts (docs/protocol.md, "Errors of the protocol itself"), each
// with a second client that must not notice.

#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>

#include "tests/daemon/server_fixture.h"

namespace rsm::daemon::test {

namespace {

// The error code of an error reply line; 0 when it is not one.
int errorCode(const std::optional<std::string> &line) {
    if (!line)
        return 0;
    const auto reply = nlohmann::json::parse(*line, nullptr, false);
    if (!reply.is_object() || !reply.contains("error") || !reply.contains("id") ||
        !reply["id"].is_null())
        return 0;
    return reply["error"].value("code", 0);
}

std::chrono::milliseconds since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                                 start);
}

}  // namespace

TEST_CASE("limits: a line over 65536 bytes gets MESSAGE_EXCEEDS_MAX_SIZE and a close") {
    TempDir dir;
    ScriptedHandler handler;
    RunningServer running(testOptions(dir), handler);
    REQUIRE(running.start().ok());

    Client other(dir.file("rsmd.sock"));
    REQUIRE(other.request("before") == "echo:before");

    Client client(dir.file("rsmd.sock"));
    REQUIRE(client.send(std::string(70000, 'x') + "\n"));
    const auto reply = client.readLine();
    CHECK(errorCode(reply) == 4336);
    CHECK(reply->find("request line longer than 65536 bytes") != std::string::npos);
    CHECK(client.waitClosed());
    CHECK(other.request("later") == "echo:later");

    SUBCASE("a line of exactly 65536 bytes is accepted") {
        Client exact(dir.file("rsmd.sock"));
        const std::string line(65536, 'y');
        CHECK(exact.request(line) == "echo:" + line);
    }
}

TEST_CASE("limits: a partial line not completed within the idle timeout closes the connection") {
    TempDir dir;
    ScriptedHandler handler;
    auto options = testOptions(dir);
    options.idleTimeout = 1s;
    RunningServer running(options, handler);
    REQUIRE(running.start().ok());

    Client quiet(dir.file("rsmd.sock"));  // sends nothing: not a started line
    Client other(dir.file("rsmd.sock"));
    Client staller(dir.file("rsmd.sock"));
    REQUIRE(staller.request("first") == "echo:first");
    const auto start = std::chrono::steady_clock::now();
    REQUIRE(staller.send(R"({"verb":"hel)"));
    std::this_thread::sleep_for(300ms);
    REQUIRE(other.request("busy") == "echo:busy");  // while the other one stalls
    CHECK(staller.waitClosed(5s));
    CHECK(since(start) >= 900ms);
    CHECK(since(start) < 4s);
    CHECK(other.request("still") == "echo:still");
    CHECK(quiet.request("awake") == "echo:awake");
}

TEST_CASE("limits: a slow handler on one connection does not delay another") {
    TempDir dir;
    ScriptedHandler handler;
    RunningServer running(testOptions(dir), handler);
    REQUIRE(running.start().ok());

    Client slow(dir.file("rsmd.sock")), fast(dir.file("rsmd.sock"));
    REQUIRE(slow.send("slow\n"));
    std::this_thread::sleep_for(100ms);
    const auto start = std::chrono::steady_clock::now();
    CHECK(fast.request("quick") == "echo:quick");
    CHECK(since(start) < 1000ms);  // the slow one takes 1500 ms
    CHECK(slow.readLine() == "slow done");
}

TEST_CASE("limits: connections beyond the maximum get ERROR_BUSY and are closed") {
    TempDir dir;
    ScriptedHandler handler;
    auto options = testOptions(dir);
    options.maxConnections = 2;
    RunningServer running(options, handler);
    REQUIRE(running.start().ok());

    Client a(dir.file("rsmd.sock")), b(dir.file("rsmd.sock"));
    REQUIRE(a.request("a") == "echo:a");
    REQUIRE(b.request("b") == "echo:b");

    Client third(dir.file("rsmd.sock"));
    const auto reply = third.readLine();
    CHECK(errorCode(reply) == 170);
    CHECK(reply->find("too many connections (2)") != std::string::npos);
    CHECK(third.waitClosed());
    CHECK(a.request("a2") == "echo:a2");

    a.close();
    REQUIRE(handler.waitClosed(1));
    for (int i = 0; i < 50 && running.server().connectionCount() > 1; ++i)
        std::this_thread::sleep_for(20ms);
    Client fourth(dir.file("rsmd.sock"));
    CHECK(fourth.request("d") == "echo:d");
}

TEST_CASE("limits: a client that does not read its replies is closed, others go on") {
    TempDir dir;
    ScriptedHandler handler;
    auto options = testOptions(dir);
    options.maxQueuedBytes = 64 * 1024;
    RunningServer running(options, handler);
    REQUIRE(running.start().ok());

    Client other(dir.file("rsmd.sock"));
    Client flooder(dir.file("rsmd.sock"));
    REQUIRE(other.request("start") == "echo:start");

    std::atomic<bool> refused{false};
    std::thread flood([&] {
        const auto start = std::chrono::steady_clock::now();
        while (since(start) < 20s)
            if (!flooder.send("big\n", 10s)) {
                refused = true;
                return;
            }
    });
    for (int i = 0; i < 20; ++i)
        CHECK(other.request("ping " + std::to_string(i)) == "echo:ping " + std::to_string(i));
    flood.join();
    CHECK(refused);
    CHECK(flooder.waitClosed());
    CHECK(handler.waitClosed(1));
    CHECK(other.request("end") == "echo:end");
}

TEST_CASE("limits: output unread for the write timeout closes the connection") {
    TempDir dir;
    ScriptedHandler handler;
    auto options = testOptions(dir);
    options.writeTimeout = 1s;
    RunningServer running(options, handler);
    REQUIRE(running.start().ok());

    Client other(dir.file("rsmd.sock"));
    Client stuck(dir.file("rsmd.sock"));
    // Far less than the outbox limit, far more than the socket buffers take.
    REQUIRE(stuck.send("push 30000\n"));
    const auto start = std::chrono::steady_clock::now();
    REQUIRE(handler.waitClosed(1, 5s));
    CHECK(since(start) >= 900ms);
    CHECK(other.request("fine") == "echo:fine");
}

}  // namespace rsm::daemon::test
