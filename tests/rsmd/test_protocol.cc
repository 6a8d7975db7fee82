// rsmd's protocol rules over a raw socket: hello first, versions, session handles that belong
// to their connection, strict fields, and what closing a connection does.

#include <doctest/doctest.h>

#include "tests/rsmd/raw_client.h"
#include "tests/rsmd/rsmd_rig.h"

namespace rsm::test {

TEST_CASE("protocol: hello comes first and names the peer") {
    RsmdRig rig;
    RawClient c(rig.socket);
    REQUIRE(c.connected());
    auto early = c.call({{"id", 1}, {"verb", "pool.list"}, {"session", "x"}});
    CHECK(errorCode(early) == 4317);
    CHECK(early["id"] == 1);
    CHECK(early["error"]["name"] == "ERROR_INVALID_OPERATION");
    auto old = c.call({{"verb", "hello"}, {"protocol", 2}});
    CHECK(errorCode(old) == 50);
    CHECK(old["error"]["message"].get<std::string>().find("protocol 1") != std::string::npos);
    auto hello = c.call({{"id", "h"}, {"verb", "hello"}, {"protocol", 1}, {"client", "test"}});
    REQUIRE(hello.contains("result"));
    CHECK(hello["id"] == "h");
    CHECK(hello["result"]["protocol"] == 1);
    CHECK(hello["result"]["uid"] == getuid());
}

TEST_CASE("protocol: a session handle is missing, unknown, closed, or another connection's") {
    RsmdRig rig;
    RawClient a(rig.socket), b(rig.socket);
    std::string session = a.open();
    REQUIRE(!session.empty());
    b.call({{"verb", "hello"}, {"protocol", 1}});

    CHECK(errorCode(b.call({{"verb", "pool.list"}})) == 6);
    CHECK(errorCode(b.call({{"verb", "pool.list"}, {"session", "not-a-uuid"}})) == 6);
    CHECK(errorCode(b.call({{"verb", "pool.list"}, {"session", 17}})) == 6);
    CHECK(errorCode(b.call(
              {{"verb", "pool.list"}, {"session", "8c0f5e0e-0000-4000-8000-000000000001"}})) == 6);
    auto stolen = b.call({{"verb", "pool.list"}, {"session", session}});
    CHECK(errorCode(stolen) == 6);
    CHECK(stolen["error"]["message"].get<std::string>().find("not open on this connection") !=
          std::string::npos);

    CHECK(a.call({{"verb", "pool.list"}, {"session", session}}).contains("result"));
    CHECK(a.call({{"verb", "session.close"}, {"session", session}}).contains("result"));
    CHECK(errorCode(a.call({{"verb", "pool.list"}, {"session", session}})) == 6);
    CHECK(rig.sql("SELECT count(*) FROM session WHERE closed IS NOT NULL AND id = '" + session +
                  "'") == "1");
}

TEST_CASE("protocol: unknown verbs, unknown fields and wrong types are refused by name") {
    RsmdRig rig;
    RawClient c(rig.socket);
    std::string s = c.open();
    auto unknown = c.call({{"verb", "pool.explode"}, {"session", s}});
    CHECK(errorCode(unknown) == 4317);
    CHECK(unknown["error"]["message"] == "unknown verb \"pool.explode\"");
    auto typo = c.call({{"verb", "pool.create"}, {"session", s}, {"pth", "x"}});
    CHECK(errorCode(typo) == 87);
    CHECK(typo["error"]["message"] == "unknown field \"pth\" for verb pool.create");
    auto type = c.call({{"verb", "pool.create"}, {"session", s}, {"path", 12}});
    CHECK(errorCode(type) == 87);
    CHECK(type["error"]["message"] == "field \"path\" must be a string");
    auto missing = c.call({{"verb", "lmid.swap"}, {"session", s}, {"lmid1", "a"}});
    CHECK(errorCode(missing) == 87);
    auto range =
        c.call({{"verb", "library.probe"}, {"session", s}, {"library", "x"}, {"priority", 99}});
    CHECK(errorCode(range) == 87);
    auto rights = c.call({{"verb", "acl.grant"},
                          {"session", s},
                          {"object", "computer"},
                          {"principal", "user"},
                          {"principal_id", 1000},
                          {"rights", {"use", "fly"}}});
    CHECK(errorCode(rights) == 87);
    auto id = c.call({{"verb", "pool.list"}, {"session", s}, {"id", {1, 2}}});
    CHECK(errorCode(id) == 87);
    // The connection still works after every refusal.
    CHECK(c.call({{"verb", "pool.list"}, {"session", s}}).contains("result"));
}

// Issue 14, finding 14(f): the last of two equal keys won silently.
TEST_CASE("protocol: a request with a key twice is refused, naming the key") {
    RsmdRig rig;
    RawClient c(rig.socket);
    const std::string session = c.open();
    REQUIRE(!session.empty());
    REQUIRE(c.send(R"({"id":7,"verb":"pool.list","session":")" + session + R"(","session":")" +
                   session + "\"}\n"));
    auto twice = c.reply();
    CHECK(errorCode(twice) == 87);
    CHECK(twice["id"] == 7);
    CHECK(twice["error"]["message"] ==
          "field \"session\" appears twice in one object of the request; send each field once");
    REQUIRE(
        c.send(R"({"id":8,"verb":"pool.list","verb":"pool.list","session":")" + session + "\"}\n"));
    CHECK(errorCode(c.reply()) == 87);
    // The same request with each key once is served on the same connection.
    auto once = c.call({{"id", 9}, {"verb", "pool.list"}, {"session", session}});
    CHECK(once.contains("result"));
}

TEST_CASE("protocol: a connection may hold 64 sessions") {
    RsmdRig rig;
    RawClient c(rig.socket);
    c.call({{"verb", "hello"}, {"protocol", 1}});
    for (int i = 0; i < 64; ++i)
        REQUIRE(c.call({{"verb", "session.open"}}).contains("result"));
    auto more = c.call({{"verb", "session.open"}});
    CHECK(errorCode(more) == 170);
}

TEST_CASE("protocol: closing the connection closes its sessions and cancels their queued work") {
    RsmdRig rig;
    std::string session;
    {
        RawClient c(rig.socket);
        session = c.open();
        REQUIRE(!session.empty());
        // A queued request of this session on a library whose robot never takes it (disabled
        // libraries fail requests, so the row is made by hand on a library without a worker).
        rig.sql(
            "INSERT INTO library (id, name, kind, device, enabled) VALUES "
            "('11111111-1111-4111-8111-111111111111', 'paper', 1, '/dev/null', true)");
        rig.sql(
            "INSERT INTO library_request (library_id, kind, session_id) VALUES "
            "('11111111-1111-4111-8111-111111111111', 'probe', '" +
            session + "')");
    }
    for (int i = 0; i < 500; ++i) {
        if (rig.sql("SELECT count(*) FROM session WHERE closed IS NOT NULL AND id = '" + session +
                    "'") == "1")
            break;
        usleep(10'000);
    }
    CHECK(rig.sql("SELECT count(*) FROM session WHERE closed IS NOT NULL AND id = '" + session +
                  "'") == "1");
    CHECK_MESSAGE(
        rig.sql("SELECT state FROM library_request WHERE session_id = '" + session + "'") == "7",
        rig.log());
}

TEST_CASE("protocol: SIGTERM stops rsmd cleanly and it starts again on the same database") {
    RsmdRig rig;
    {
        RawClient c(rig.socket);
        REQUIRE(!c.open().empty());
        CHECK(rig.stop() == 0);
        CHECK(c.closedByServer());
    }
    CHECK(!std::filesystem::exists(rig.socket));
    rig.start();
    RawClient again(rig.socket);
    CHECK(!again.open().empty());
}

}  // namespace rsm::test
