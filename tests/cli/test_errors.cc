// How rsmctl fails: an error reply, no daemon, a daemon that hangs up, says nothing, or talks
// nonsense. Each is exit status 1 and one line — "rsmctl: ERROR_X (n): message" on stderr, or
// {"error": {...}} on stdout with --json — and none of them makes rsmctl hang.

#include <doctest/doctest.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>

#include "tests/cli/fake_rsmd.h"

using nlohmann::json;
using rsm::test::FakeRsmd;
using rsm::test::RunResult;
using namespace std::chrono_literals;

namespace {

const json kInvalidState = {{"code", 5023},
                            {"name", "ERROR_INVALID_STATE"},
                            {"message", "LMID daily-0001: medium A00001L5 is not idle (mounted)"}};

RunResult rsmctlAt(const std::string &socket, const std::vector<std::string> &args) {
    std::vector<std::string> argv = {rsm::test::rsmctlPath(), "--socket", socket};
    argv.insert(argv.end(), args.begin(), args.end());
    return rsm::test::run(argv);
}

}  // namespace

TEST_CASE("an error reply: exit 1, the exact line on stderr, nothing on stdout") {
    FakeRsmd fake;
    fake.refuse("lmid.swap", kInvalidState);
    RunResult r = runRsmctl(fake, {"swap", "daily-0001", "daily-0002"});
    CHECK(r.status == 1);
    CHECK(r.err ==
          "rsmctl: ERROR_INVALID_STATE (5023): LMID daily-0001: medium A00001L5 is not idle "
          "(mounted)\n");
    CHECK(r.out == "");
}

TEST_CASE("an error reply with --json: the error object, with its sense, on stdout") {
    FakeRsmd fake;
    json error = {{"code", 4305},
                  {"name", "ERROR_LIBRARY_OFFLINE"},
                  {"message", "vtl: the robot does not answer"},
                  {"sense", {{"key", 5}, {"asc", 59}, {"ascq", 14}}}};
    fake.refuse("library.enable", error);
    RunResult r = runRsmctl(fake, {"--json", "library", "enable", "vtl"});
    CHECK(r.status == 1);
    CHECK(r.err == "");
    CHECK(r.out == json{{"error", error}}.dump() + "\n");

    fake.refuse("lmid.swap", kInvalidState);
    r = runRsmctl(fake, {"swap", "a", "b", "--json"});
    CHECK(r.status == 1);
    CHECK(json::parse(r.out) == json{{"error", kInvalidState}});
}

TEST_CASE("no daemon: a clear message at once, exit 1") {
    const std::string missing = "/tmp/rsmctl-test-no-such-dir/rsmd.sock";
    RunResult r = rsmctlAt(missing, {"library", "list"});
    CHECK(r.status == 1);
    CHECK(r.err ==
          "rsmctl: ERROR_RESOURCE_NOT_PRESENT (4316): rsmd is not running (cannot "
          "connect to " +
              missing + ": No such file or directory); start it with: systemctl start rsmd\n");
    CHECK(r.out == "");
    CHECK(r.elapsed < 2s);

    r = rsmctlAt(missing, {"--json", "swap", "a", "b"});
    CHECK(r.status == 1);
    const json out = json::parse(r.out);
    CHECK(out["error"]["code"] == 4316);
    CHECK(out["error"]["name"] == "ERROR_RESOURCE_NOT_PRESENT");
}

TEST_CASE("a socket nobody listens on: connection refused, same message") {
    FakeRsmd fake;  // for its temporary directory
    const std::string path = fake.socketPath() + ".dead";
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::strncpy(address.sun_path, path.c_str(), sizeof address.sun_path - 1);
    REQUIRE(bind(fd, reinterpret_cast<sockaddr *>(&address), sizeof address) == 0);
    RunResult r = rsmctlAt(path, {"pool", "list"});
    close(fd);
    unlink(path.c_str());
    CHECK(r.status == 1);
    CHECK(r.err ==
          "rsmctl: ERROR_RESOURCE_NOT_PRESENT (4316): rsmd is not running (cannot "
          "connect to " +
              path + ": Connection refused); start it with: systemctl start rsmd\n");
    CHECK(r.elapsed < 2s);
}

TEST_CASE("a socket rsmctl may not use: permission denied names the group to join") {
    FakeRsmd fake;
    RunResult r;
    if (geteuid() == 0) {
        // Root passes every permission check: run rsmctl as nobody, who cannot enter the
        // fake's directory (mkdtemp makes it 0700).
        r = rsm::test::run({"/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                            rsm::test::rsmctlPath(), "--socket", fake.socketPath(), "library",
                            "list"});
    } else {
        REQUIRE(chmod(fake.socketPath().c_str(), 0) == 0);
        r = runRsmctl(fake, {"library", "list"});
    }
    CHECK(r.status == 1);
    CHECK(r.err == "rsmctl: ERROR_ACCESS_DENIED (5): cannot connect to " + fake.socketPath() +
                       ": Permission denied; to use rsmd, join group rsm (usermod -aG rsm "
                       "$USER, then log in again)\n");
    CHECK(fake.requests().empty());
}

TEST_CASE("the socket: --socket, else $RSM_SOCKET") {
    unsetenv("RSM_SOCKET");
    FakeRsmd fake;
    RunResult r = rsm::test::run({rsm::test::rsmctlPath(), "lmid", "list"},
                                 {"RSM_SOCKET=" + fake.socketPath()});
    CHECK(r.status == 0);
    CHECK(fake.verbs() ==
          std::vector<std::string>{"hello", "session.open", "lmid.list", "session.close"});

    // --socket wins over the environment.
    r = runRsmctl(fake, {"pool", "list"}, {"RSM_SOCKET=/tmp/rsmctl-test-nowhere.sock"});
    CHECK(r.status == 0);
    CHECK(!fake.fields("pool.list").is_null());

    r = rsm::test::run({rsm::test::rsmctlPath(), "pool", "list"},
                       {"RSM_SOCKET=/tmp/rsmctl-test-nowhere.sock"});
    CHECK(r.status == 1);
    CHECK(r.err.find("cannot connect to /tmp/rsmctl-test-nowhere.sock:") != std::string::npos);
}

TEST_CASE("a daemon that hangs up in the middle of a reply, or before it") {
    FakeRsmd fake;
    fake.hangUp("lmid.swap", R"({"id":3,"res)");
    RunResult r = runRsmctl(fake, {"swap", "daily-0001", "daily-0002"});
    CHECK(r.status == 1);
    CHECK(r.err ==
          "rsmctl: ERROR_RESOURCE_NOT_PRESENT (4316): lost the connection to rsmd in "
          "the middle of its reply to lmid.swap (it closed the connection); the outcome "
          "is unknown\n");
    CHECK(r.elapsed < 5s);

    fake.hangUp("lmid.swap");
    r = runRsmctl(fake, {"--json", "swap", "daily-0001", "daily-0002"});
    CHECK(r.status == 1);
    CHECK(json::parse(r.out)["error"]["message"] ==
          "lost the connection to rsmd before its reply to lmid.swap (it closed the "
          "connection); the outcome is unknown");
}

TEST_CASE("a daemon that does not answer: ERROR_TIMEOUT after --timeout") {
    FakeRsmd fake;
    fake.ignore("library.list");
    RunResult r = runRsmctl(fake, {"--timeout", "0.5", "library", "list"});
    CHECK(r.status == 1);
    CHECK(r.err ==
          "rsmctl: ERROR_TIMEOUT (1460): no reply from rsmd to library.list within "
          "0.5 s\n");
    CHECK(r.elapsed >= 400ms);
    CHECK(r.elapsed < 5s);
}

TEST_CASE("replies that are not the protocol: ERROR_BAD_FORMAT") {
    FakeRsmd fake;
    fake.reply("library.list", "not json");
    RunResult r = runRsmctl(fake, {"library", "list"});
    CHECK(r.status == 1);
    CHECK(r.err ==
          "rsmctl: ERROR_BAD_FORMAT (11): rsmd's reply to library.list is not a JSON "
          "object: not json\n");

    fake.reply("library.list", R"({"id":99,"result":{}})");
    r = runRsmctl(fake, {"library", "list"});
    CHECK(r.status == 1);
    CHECK(r.err ==
          "rsmctl: ERROR_BAD_FORMAT (11): rsmd's reply to library.list (id 3) carries id 99\n");

    fake.reply("session.open", R"({"id":2,"result":{}})");
    r = runRsmctl(fake, {"library", "list"});
    CHECK(r.status == 1);
    CHECK(r.err ==
          "rsmctl: ERROR_BAD_FORMAT (11): rsmd's reply to session.open has no "
          "session: {}\n");
}

TEST_CASE("a daemon that refuses the hello: its error, and nothing more is sent") {
    FakeRsmd fake;
    fake.refuse("hello", {{"code", 50},
                          {"name", "ERROR_NOT_SUPPORTED"},
                          {"message", "protocol 1 is not spoken here; this rsmd speaks 2"}});
    RunResult r = runRsmctl(fake, {"library", "list"});
    CHECK(r.status == 1);
    CHECK(r.err ==
          "rsmctl: ERROR_NOT_SUPPORTED (50): protocol 1 is not spoken here; this rsmd "
          "speaks 2\n");
    CHECK(fake.verbs() == std::vector<std::string>{"hello"});
}

TEST_CASE("a failed session.open is the command's error") {
    FakeRsmd fake;
    fake.refuse("session.open",
                {{"code", 170}, {"name", "ERROR_BUSY"}, {"message", "too many sessions"}});
    RunResult r = runRsmctl(fake, {"pool", "delete", "backup/daily"});
    CHECK(r.status == 1);
    CHECK(r.err == "rsmctl: ERROR_BUSY (170): too many sessions\n");
    CHECK(fake.verbs() == std::vector<std::string>{"hello", "session.open"});
}
