#include "tests/rsmd/raw_client.h"

#include <poll.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>

namespace rsm::test {

namespace {

sockaddr_un address(const std::filesystem::path &socket) {
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::snprintf(addr.sun_path, sizeof addr.sun_path, "%s", socket.c_str());
    return addr;
}

}  // namespace

RawClient::RawClient(const std::filesystem::path &socket) {
    fd_ = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_un addr = address(socket);
    if (::connect(fd_, reinterpret_cast<sockaddr *>(&addr), sizeof addr) != 0) {
        connectError_ = errno;
        ::close(fd_);
        fd_ = -1;
    }
}

RawClient::RawClient(const std::filesystem::path &socket, std::uint32_t uid,
                     const std::vector<std::uint32_t> &gids) {
    fd_ = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_un addr = address(socket);
    std::vector<gid_t> groups(gids.begin(), gids.end());
    const gid_t gid = groups.empty() ? uid : groups.front();
    pid_t child = ::fork();
    if (child == 0) {
        // The child of a threaded process: raw system calls only (glibc's set*id wrappers
        // would signal threads that do not exist here), then _exit.
        if (::syscall(SYS_setgroups, groups.size(), groups.data()) != 0 ||
            ::syscall(SYS_setresgid, gid, gid, gid) != 0 ||
            ::syscall(SYS_setresuid, uid, uid, uid) != 0)
            ::_exit(255);
        if (::connect(fd_, reinterpret_cast<sockaddr *>(&addr), sizeof addr) != 0)
            ::_exit(errno > 0 && errno < 255 ? errno : 254);
        ::_exit(0);
    }
    int status = 0;
    if (child < 0) {
        connectError_ = errno;
    } else {
        while (::waitpid(child, &status, 0) < 0 && errno == EINTR) {
        }
        connectError_ = WIFEXITED(status) ? WEXITSTATUS(status) : 255;
    }
    if (connectError_ != 0) {
        ::close(fd_);
        fd_ = -1;
    }
}

RawClient::~RawClient() {
    if (fd_ >= 0)
        ::close(fd_);
}

bool RawClient::send(const std::string &bytes) {
    std::size_t done = 0;
    while (done < bytes.size()) {
        ssize_t n = ::send(fd_, bytes.data() + done, bytes.size() - done, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        done += static_cast<std::size_t>(n);
    }
    return true;
}

std::optional<std::string> RawClient::line(std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        if (auto nl = buffer_.find('\n'); nl != std::string::npos) {
            std::string out = buffer_.substr(0, nl);
            buffer_.erase(0, nl + 1);
            return out;
        }
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0)
            return std::nullopt;
        pollfd p{fd_, POLLIN, 0};
        int r = ::poll(&p, 1, static_cast<int>(left.count()));
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return std::nullopt;
        char chunk[65536];
        ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
        if (n <= 0)
            return std::nullopt;
        buffer_.append(chunk, static_cast<std::size_t>(n));
    }
}

nlohmann::json RawClient::reply(std::chrono::milliseconds timeout) {
    auto l = line(timeout);
    if (!l)
        return nullptr;
    auto j = nlohmann::json::parse(*l, nullptr, false);
    return j.is_discarded() ? nlohmann::json(nullptr) : j;
}

nlohmann::json RawClient::call(const nlohmann::json &request) {
    if (!send(request.dump() + "\n"))
        return nullptr;
    return reply();
}

bool RawClient::closedByServer(std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0)
            return false;
        pollfd p{fd_, POLLIN, 0};
        int r = ::poll(&p, 1, static_cast<int>(left.count()));
        if (r < 0 && errno == EINTR)
            continue;
        if (r == 0)
            return false;
        char chunk[65536];
        ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
        if (n == 0 || (n < 0 && errno == ECONNRESET))
            return true;
        if (n < 0)
            return false;
    }
}

std::string RawClient::open() {
    call({{"verb", "hello"}, {"protocol", 1}});
    auto r = call({{"verb", "session.open"}, {"application", "test"}});
    if (!r.is_object() || !r.contains("result"))
        return {};
    return r["result"].value("session", "");
}

int errorCode(const nlohmann::json &reply) {
    if (!reply.is_object() || !reply.contains("error"))
        return 0;
    return reply["error"].value("code", 0);
}

}  // namespace rsm::test
