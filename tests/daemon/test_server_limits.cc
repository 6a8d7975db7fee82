// The server's limits and timeouts (docs/protocol.md, "Errors of the protocol itself"), each
// with a second client that must not notice.

#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>

#include <sys/socket.h>

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
    // A connection that sends nothing is idle too (issue 14, finding 6): closed, with a line.
    CHECK(errorCode(quiet.readLine()) == 1460);
    CHECK(quiet.waitClosed());
}

TEST_CASE("limits: idle connections are closed between requests unless held") {
    // Issue 14, finding 6: silent connections were kept forever, and 300 of them locked
    // everyone out.
    TempDir dir;
    ScriptedHandler handler;
    auto options = testOptions(dir);
    options.idleTimeout = 1s;
    RunningServer running(options, handler);
    REQUIRE(running.start().ok());

    Client silent(dir.file("rsmd.sock"));  // never sends
    Client idle(dir.file("rsmd.sock"));    // one request, then nothing
    Client held(dir.file("rsmd.sock"));    // waits for what it asked for
    Client chatty(dir.file("rsmd.sock"));  // a request every 400 ms
    REQUIRE(idle.request("one") == "echo:one");
    REQUIRE(held.request("hold") == "held");
    const auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < 8; ++i) {
        std::this_thread::sleep_for(400ms);
        REQUIRE(chatty.request("ping") == "echo:ping");
    }
    CHECK(since(start) > 3s);
    const auto line = silent.readLine(100ms);
    CHECK(errorCode(line) == 1460);
    CHECK(line->find("idle for 1 s (idle_timeout)") != std::string::npos);
    CHECK(silent.waitClosed(100ms));
    CHECK(errorCode(idle.readLine(100ms)) == 1460);
    CHECK(idle.waitClosed(100ms));
    // The held one is still served; released, it is idle like the others.
    CHECK(held.request("release") == "released");
    CHECK(errorCode(held.readLine(3s)) == 1460);
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
    options.adminConnections = 0;  // the test's clients are root
    RunningServer running(options, handler);
    REQUIRE(running.start().ok());

    Client a(dir.file("rsmd.sock")), b(dir.file("rsmd.sock"));
    REQUIRE(a.request("a") == "echo:a");
    REQUIRE(b.request("b") == "echo:b");

    Client third(dir.file("rsmd.sock"));
    const auto reply = third.readLine();
    CHECK(errorCode(reply) == 170);
    CHECK(reply->find("too many connections: rsmd has 2 connections") != std::string::npos);
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

TEST_CASE("limits: a slow reader of many pipelined replies gets every one of them, intact") {
    // Issue 14, finding 1: the buffers of a write that completes later (a full socket) must
    // outlive startWrite(); they were a local array, and the write then read dead stack memory
    // ("write failed: Bad address", or other bytes sent to the client).
    TempDir dir;
    ScriptedHandler handler;
    RunningServer running(testOptions(dir), handler);
    REQUIRE(running.start().ok());

    Client client(dir.file("rsmd.sock"));
    REQUIRE(client.connected());
    const int small = 2048;
    REQUIRE(setsockopt(client.fd(), SOL_SOCKET, SO_RCVBUF, &small, sizeof small) == 0);
    constexpr int kLines = 20000;
    std::thread sender([&] {
        std::string batch;
        for (int i = 0; i < kLines; ++i) {
            batch += "line " + std::to_string(i) + "\n";
            if (batch.size() > 4096 || i == kLines - 1) {
                if (!client.send(batch, 30s))
                    return;
                batch.clear();
            }
        }
    });
    int received = 0;
    for (; received < kLines; ++received) {
        const auto line = client.readLine(10s);
        if (line != "echo:line " + std::to_string(received)) {
            FAIL_CHECK("reply ", received, ": ", line.value_or("(none: connection closed)"));
            break;
        }
        if (received % 500 == 0)
            std::this_thread::sleep_for(5ms);  // slow: the server's writes wait for room
    }
    sender.join();
    CHECK(received == kLines);
}

}  // namespace rsm::daemon::test
