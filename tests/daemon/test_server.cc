// The server's framing and ordering: echo, replies in request order, pushed lines, after(),
// closing replies, closed() once per connection, stop().

#include <doctest/doctest.h>

#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "tests/daemon/server_fixture.h"

namespace rsm::daemon::test {

TEST_CASE("server: a line is answered by the handler's reply") {
    TempDir dir;
    ScriptedHandler handler;
    RunningServer running(testOptions(dir), handler);
    REQUIRE(running.start().ok());

    Client client(dir.file("rsmd.sock"));
    REQUIRE(client.connected());
    CHECK(client.request("hello") == "echo:hello");
    CHECK(client.request(R"({"verb":"hello","protocol":1})") ==
          R"(echo:{"verb":"hello","protocol":1})");
}

TEST_CASE(
    "server: replies come in the order of the requests; \\r is stripped, empty lines skipped") {
    TempDir dir;
    ScriptedHandler handler;
    RunningServer running(testOptions(dir), handler);
    REQUIRE(running.start().ok());

    Client client(dir.file("rsmd.sock"));
    std::string burst;
    for (int i = 0; i < 200; ++i)
        burst += "line " + std::to_string(i) + (i % 2 ? "\r\n" : "\n") + (i % 7 ? "" : "\n\r\n");
    REQUIRE(client.send(burst));
    for (int i = 0; i < 200; ++i)
        REQUIRE(client.readLine() == "echo:line " + std::to_string(i));
    CHECK(client.request("silent\nlast") == "echo:last");
}

TEST_CASE("server: lines pushed during a request come before its reply, after() after it") {
    TempDir dir;
    ScriptedHandler handler;
    RunningServer running(testOptions(dir), handler);
    REQUIRE(running.start().ok());

    Client client(dir.file("rsmd.sock"));
    REQUIRE(client.send("push 3\nafter\n"));
    CHECK(client.readLine() == "pushed 0");
    CHECK(client.readLine() == "pushed 1");
    CHECK(client.readLine() == "pushed 2");
    CHECK(client.readLine() == "pushed 3");
    CHECK(client.readLine() == "reply");
    CHECK(client.readLine() == "after");
    CHECK(client.request("x") == "echo:x");
}

TEST_CASE("server: an attachment follows its line and ends with a newline, replied or pushed") {
    TempDir dir;
    ScriptedHandler handler;
    RunningServer running(testOptions(dir), handler);
    REQUIRE(running.start().ok());

    Client client(dir.file("rsmd.sock"));
    // 400 lines of 1 KB: more than a socket's default send buffer, twice over.
    REQUIRE(client.send("attach 400\nx\n"));
    for (const char *announced : {"attached 400", "pushed 400"}) {
        REQUIRE(client.readLine() == announced);
        for (int i = 0; i < 400; ++i)
            REQUIRE(client.readLine() == ScriptedHandler::attachmentLine(i));
        CHECK(client.readLine() == "");  // the attachment's own newline
    }
    CHECK(client.readLine() == "echo:x");
    REQUIRE(client.send("attach 0\n"));
    CHECK(client.readLine() == "attached 0");
    CHECK(client.readLine() == "");
    CHECK(client.readLine() == "pushed 0");
    CHECK(client.readLine() == "");
}

TEST_CASE("server: a line the handler answers at once skips the pool, in order with the rest") {
    TempDir dir;
    ScriptedHandler handler;
    RunningServer running(testOptions(dir), handler);
    REQUIRE(running.start().ok());

    Client client(dir.file("rsmd.sock"));
    REQUIRE(client.send("a\nnow\nb\n"));
    CHECK(client.readLine() == "echo:a");
    CHECK(client.readLine() == "now");
    CHECK(client.readLine() == "echo:b");
    CHECK(handler.atOnceOn() != std::thread::id());
    CHECK(handler.atOnceOn() != handler.handledOn());  // the io thread, not a pool worker
    // Every pool worker busy with a slow request (testOptions: 4) does not delay it.
    std::vector<std::unique_ptr<Client>> slow;
    for (int i = 0; i < 4; ++i) {
        slow.push_back(std::make_unique<Client>(dir.file("rsmd.sock")));
        REQUIRE(slow.back()->send("slow\n"));
    }
    std::this_thread::sleep_for(200ms);  // all four taken by the pool
    const auto start = std::chrono::steady_clock::now();
    CHECK(client.request("now") == "now");
    CHECK(std::chrono::steady_clock::now() - start < 1s);
    for (auto &c : slow)
        CHECK(c->readLine() == "slow done");
}

TEST_CASE("server: a reply with close is written, then the connection closes") {
    TempDir dir;
    ScriptedHandler handler;
    RunningServer running(testOptions(dir), handler);
    REQUIRE(running.start().ok());

    Client client(dir.file("rsmd.sock"));
    REQUIRE(client.send("close\nnever\n"));
    CHECK(client.readLine() == "bye");
    CHECK(client.waitClosed());
    REQUIRE(handler.waitClosed(1));
}

TEST_CASE("server: closeAfterWrites() inside handle() lets the reply out first") {
    TempDir dir;
    ScriptedHandler handler;
    RunningServer running(testOptions(dir), handler);
    REQUIRE(running.start().ok());

    Client client(dir.file("rsmd.sock"));
    REQUIRE(client.send("push 2\nquit\nnever\n"));
    CHECK(client.readLine() == "pushed 0");
    CHECK(client.readLine() == "pushed 1");
    CHECK(client.readLine() == "pushed 2");
    CHECK(client.readLine() == "quitting");
    CHECK(client.waitClosed());
}

TEST_CASE("server: push() from another thread arrives; on a closed connection it returns false") {
    TempDir dir;
    ScriptedHandler handler;
    RunningServer running(testOptions(dir), handler);
    REQUIRE(running.start().ok());

    Client client(dir.file("rsmd.sock"));
    REQUIRE(client.request("keep") == "kept");
    auto connection = handler.kept();
    REQUIRE(connection);
    CHECK(connection->id() > 0);
    CHECK(connection->pid() == getpid());
    std::thread([&] {
        CHECK(connection->push("event 1"));
        CHECK(connection->push("event 2"));
    }).join();
    CHECK(client.readLine() == "event 1");
    CHECK(client.readLine() == "event 2");
    CHECK(client.request("x") == "echo:x");

    client.close();
    REQUIRE(handler.waitClosed(1));
    CHECK_FALSE(connection->push("too late"));
}

TEST_CASE("server: replies already queued are written after the client's end of input") {
    TempDir dir;
    ScriptedHandler handler;
    RunningServer running(testOptions(dir), handler);
    REQUIRE(running.start().ok());

    Client client(dir.file("rsmd.sock"));
    REQUIRE(client.send("one\ntwo\n"));
    REQUIRE(shutdown(client.fd(), SHUT_WR) == 0);
    CHECK(client.readLine() == "echo:one");
    CHECK(client.readLine() == "echo:two");
    CHECK(client.waitClosed());
}

TEST_CASE("server: closed() is called exactly once per connection, also at stop()") {
    TempDir dir;
    ScriptedHandler handler;
    RunningServer running(testOptions(dir), handler);
    REQUIRE(running.start().ok());

    Client a(dir.file("rsmd.sock")), b(dir.file("rsmd.sock")), c(dir.file("rsmd.sock"));
    REQUIRE(a.request("a") == "echo:a");
    REQUIRE(b.request("b") == "echo:b");
    REQUIRE(c.send("slow\n"));  // in the handler when stop() comes
    a.close();
    REQUIRE(handler.waitClosed(1));
    for (int i = 0; i < 50 && running.server().connectionCount() > 2; ++i)
        std::this_thread::sleep_for(20ms);  // forgotten just after closed() returns
    CHECK(running.server().connectionCount() == 2);

    std::this_thread::sleep_for(200ms);
    REQUIRE(running.stop());
    const auto calls = handler.closedCalls();
    CHECK(calls.size() == 3);
    for (const auto &call : calls)  // not [id, count]: clang 14 cannot capture those
        CHECK_MESSAGE(call.second == 1, "connection " << call.first);
    CHECK(running.server().connectionCount() == 0);
    CHECK(b.waitClosed());
    CHECK(c.waitClosed());
    CHECK_FALSE(std::filesystem::exists(dir.file("rsmd.sock")));
}

TEST_CASE("server: the handler sees the peer's credentials") {
    TempDir dir;
    ScriptedHandler handler;
    RunningServer running(testOptions(dir), handler);
    REQUIRE(running.start().ok());

    Client client(dir.file("rsmd.sock"));
    const auto who = client.request("who");
    REQUIRE(who);
    CHECK(who->starts_with("uid " + std::to_string(getuid()) + " "));
    CHECK(who->find(" " + std::to_string(getgid()) + " ") != std::string::npos);
    CHECK(who->ends_with(" pid " + std::to_string(getpid())));
}

}  // namespace rsm::daemon::test
