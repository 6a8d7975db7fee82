// Peer credentials, and the socket file: stale or live, mode, group, its directory, and
// systemd socket activation.

#include <doctest/doctest.h>

#include <grp.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <vector>

#include <boost/asio/io_context.hpp>

#include "src/daemon/peer.h"
#include "tests/daemon/server_fixture.h"

namespace rsm::daemon::test {

namespace {

// A Unix stream socket bound to path; listening when asked.
int boundSocket(const std::string &path, bool listening) {
    const int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_un address {};
    address.sun_family = AF_UNIX;
    path.copy(address.sun_path, sizeof(address.sun_path) - 1);
    REQUIRE(bind(fd, reinterpret_cast<const sockaddr *>(&address), sizeof(address)) == 0);
    if (listening)
        REQUIRE(::listen(fd, 4) == 0);
    return fd;
}

}  // namespace

TEST_CASE("peer: the credentials of this process over a socket pair") {
    int fds[2];
    REQUIRE(socketpair(AF_UNIX, SOCK_STREAM, 0, fds) == 0);
    auto peer = peerCredentials(fds[0]);
    ::close(fds[0]);
    ::close(fds[1]);
    REQUIRE(peer.ok());
    CHECK(peer->pid == getpid());
    CHECK(peer->gid == getgid());
    CHECK(peer->principal.uid == getuid());
    const auto &gids = peer->principal.gids;
    CHECK(std::is_sorted(gids.begin(), gids.end()));
    CHECK(std::adjacent_find(gids.begin(), gids.end()) == gids.end());
    CHECK(std::find(gids.begin(), gids.end(), getgid()) != gids.end());
    std::vector<gid_t> supplementary(static_cast<std::size_t>(getgroups(0, nullptr)));
    supplementary.resize(static_cast<std::size_t>(
        getgroups(static_cast<int>(supplementary.size()), supplementary.data())));
    for (gid_t gid : supplementary)
        CHECK(std::find(gids.begin(), gids.end(), gid) != gids.end());
}

TEST_CASE("peer: a descriptor that is not a socket is an error") {
    int fds[2];
    REQUIRE(pipe(fds) == 0);
    auto peer = peerCredentials(fds[0]);
    ::close(fds[0]);
    ::close(fds[1]);
    REQUIRE_FALSE(peer.ok());
    CHECK(peer.error().message().starts_with("SO_PEERCRED: "));
}

TEST_CASE("socket: a stale socket file is replaced") {
    TempDir dir;
    ::close(boundSocket(dir.file("rsmd.sock"), false));  // the file stays, nobody listens
    ScriptedHandler handler;
    RunningServer running(testOptions(dir), handler);
    REQUIRE(running.start().ok());
    Client client(dir.file("rsmd.sock"));
    CHECK(client.request("fresh") == "echo:fresh");
}

TEST_CASE("socket: a socket another server listens on is refused with ERROR_BUSY") {
    TempDir dir;
    ScriptedHandler handler;
    RunningServer first(testOptions(dir), handler);
    REQUIRE(first.start().ok());

    boost::asio::io_context io;
    Server second(io, testOptions(dir), handler);
    auto listening = second.listen();
    REQUIRE_FALSE(listening.ok());
    CHECK(listening.error().code() == ErrorCode::Busy);
    CHECK(listening.error().message() == "another rsmd is listening on " + dir.file("rsmd.sock"));
    Client client(dir.file("rsmd.sock"));
    CHECK(client.request("still first") == "echo:still first");
}

TEST_CASE("socket: a file that is not a socket is left alone") {
    TempDir dir;
    std::ofstream(dir.file("rsmd.sock")) << "precious\n";
    ScriptedHandler handler;
    boost::asio::io_context io;
    Server server(io, testOptions(dir), handler);
    auto listening = server.listen();
    REQUIRE_FALSE(listening.ok());
    CHECK(listening.error().message() == dir.file("rsmd.sock") + " exists and is not a socket");
    std::ifstream in(dir.file("rsmd.sock"));
    std::string content;
    std::getline(in, content);
    CHECK(content == "precious");
}

TEST_CASE("socket: mode, group and a missing directory") {
    TempDir dir;
    ScriptedHandler handler;
    auto options = testOptions(dir);
    options.socketPath = dir.file("run/rsm/rsmd.sock");
    options.socketMode = 0600;
    options.socketGroup = std::to_string(getgid());
    RunningServer running(options, handler);
    REQUIRE(running.start().ok());
    struct stat st {};
    REQUIRE(stat(options.socketPath.c_str(), &st) == 0);
    CHECK(S_ISSOCK(st.st_mode));
    CHECK((st.st_mode & 07777) == 0600);
    CHECK(st.st_gid == getgid());

    SUBCASE("0660") {
        TempDir other;
        auto wider = testOptions(other);
        RunningServer second(wider, handler);
        REQUIRE(second.start().ok());
        REQUIRE(stat(wider.socketPath.c_str(), &st) == 0);
        CHECK((st.st_mode & 07777) == 0660);
    }
}

TEST_CASE("socket: a group that does not exist fails listen() with a clear error") {
    TempDir dir;
    ScriptedHandler handler;
    auto options = testOptions(dir);
    options.socketGroup = "no-such-group-for-rsmd";
    boost::asio::io_context io;
    Server server(io, options, handler);
    auto listening = server.listen();
    REQUIRE_FALSE(listening.ok());
    CHECK(listening.error().code() == ErrorCode::InvalidParameter);
    CHECK(listening.error().message() ==
          "socket group: group 'no-such-group-for-rsmd' does not exist");
    CHECK_FALSE(std::filesystem::exists(options.socketPath));
}

// In a child process, whose descriptor 3 and environment are its own.
TEST_CASE("socket: systemd socket activation adopts the socket passed as fd 3") {
    TempDir dir;
    const std::string path = dir.file("activated.sock");
    const int listener = boundSocket(path, true);
    std::cout.flush();
    std::fflush(nullptr);  // the child must not write the parent's buffers again
    const pid_t child = fork();
    REQUIRE(child >= 0);
    if (child == 0) {
        if (dup2(listener, 3) != 3)
            _exit(10);
        setenv("LISTEN_PID", std::to_string(getpid()).c_str(), 1);
        setenv("LISTEN_FDS", "1", 1);
        ScriptedHandler handler;
        ServerOptions options;
        options.socketPath = dir.file("never/used.sock");
        options.socketActivation = true;
        RunningServer running(options, handler);
        if (!running.start().ok())
            _exit(11);
        if (!running.server().activated() || getenv("LISTEN_FDS") != nullptr)
            _exit(12);
        if (!handler.waitClosed(1, 10s))  // the parent's one connection
            _exit(13);
        _exit(running.stop() && !std::filesystem::exists(options.socketPath) ? 0 : 14);
    }
    ::close(listener);
    {
        Client client(path);
        CHECK(client.request("activated") == "echo:activated");
    }
    int status = 0;
    REQUIRE(waitpid(child, &status, 0) == child);
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
}

TEST_CASE("socket: a passed descriptor that is not a listening Unix socket is refused") {
    TempDir dir;
    const int notListening = boundSocket(dir.file("idle.sock"), false);
    std::cout.flush();
    std::fflush(nullptr);  // the child must not write the parent's buffers again
    const pid_t child = fork();
    REQUIRE(child >= 0);
    if (child == 0) {
        if (dup2(notListening, 3) != 3)
            _exit(10);
        setenv("LISTEN_PID", std::to_string(getpid()).c_str(), 1);
        setenv("LISTEN_FDS", "1", 1);
        ScriptedHandler handler;
        boost::asio::io_context io;
        Server server(io, ServerOptions{}, handler);
        auto listening = server.listen();
        _exit(!listening.ok() && listening.error().message() ==
                                     "the socket systemd passed (fd 3) is not a listening Unix "
                                     "stream socket"
                  ? 0
                  : 11);
    }
    ::close(notListening);
    int status = 0;
    REQUIRE(waitpid(child, &status, 0) == child);
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
}

}  // namespace rsm::daemon::test
