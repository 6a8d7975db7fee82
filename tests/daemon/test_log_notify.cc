// Logging levels and the stderr format; sd_notify messages on a socket of the test's own.

#include <doctest/doctest.h>

#include <fcntl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "src/daemon/log.h"
#include "src/daemon/notify.h"
#include "tests/daemon/server_fixture.h"

namespace rsm::daemon::test {

TEST_CASE("log: level names and filtering") {
    for (auto level : {log::Level::Error, log::Level::Warning, log::Level::Notice, log::Level::Info,
                       log::Level::Debug})
        CHECK(log::parseLevel(log::levelName(level)) == level);
    CHECK_FALSE(log::parseLevel("verbose"));
    const auto saved = log::level();
    log::setLevel(log::Level::Notice);
    CHECK(log::enabled(log::Level::Error));
    CHECK(log::enabled(log::Level::Notice));
    CHECK_FALSE(log::enabled(log::Level::Info));
    log::setLevel(saved);
}

TEST_CASE("log: messages at or above the level go to stderr as 'rsmd: LEVEL: message'") {
    TempDir dir;
    const std::string path = dir.file("stderr");
    const int file = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    REQUIRE(file >= 0);
    const int saved = dup(STDERR_FILENO);
    REQUIRE(dup2(file, STDERR_FILENO) == STDERR_FILENO);
    const auto savedLevel = log::level();
    log::setLevel(log::Level::Warning);
    log::warning("library {} has {} drives", "vtl", 2);
    log::info("not shown");
    log::error("disk full");
    log::setLevel(savedLevel);
    dup2(saved, STDERR_FILENO);
    close(saved);
    close(file);

    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    CHECK(text.str() == "rsmd: warning: library vtl has 2 drives\nrsmd: error: disk full\n");
}

TEST_CASE("notify: ready, status, reloading and stopping reach NOTIFY_SOCKET") {
    TempDir dir;
    const std::string path = dir.file("notify");
    const int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    struct sockaddr_un address {};
    address.sun_family = AF_UNIX;
    path.copy(address.sun_path, sizeof(address.sun_path) - 1);
    REQUIRE(bind(fd, reinterpret_cast<const sockaddr *>(&address), sizeof(address)) == 0);
    struct timeval timeout {
        2, 0
    };
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
    auto receive = [fd] {
        char buffer[512];
        const ssize_t n = recv(fd, buffer, sizeof buffer, 0);
        return n < 0 ? std::string("(nothing)") : std::string(buffer, static_cast<std::size_t>(n));
    };

    setenv("NOTIFY_SOCKET", path.c_str(), 1);
    notify::ready("serving 2 libraries");
    CHECK(receive() == "READY=1\nSTATUS=serving 2 libraries");
    notify::ready();
    CHECK(receive() == "READY=1");
    notify::status("two\nlines");
    CHECK(receive() == "STATUS=two lines");
    notify::reloading();
    CHECK(receive().starts_with("RELOADING=1\nMONOTONIC_USEC="));
    notify::stopping();
    CHECK(receive() == "STOPPING=1");
    unsetenv("NOTIFY_SOCKET");
    close(fd);

    notify::ready("nobody listens");  // without NOTIFY_SOCKET: nothing, and no harm
    notify::stopping();
    CHECK(std::getenv("NOTIFY_SOCKET") == nullptr);
}

}  // namespace rsm::daemon::test
