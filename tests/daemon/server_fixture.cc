#include "tests/daemon/server_fixture.h"

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>

#include "src/daemon/log.h"

namespace rsm::daemon::test {

TempDir::TempDir() {
    std::string pattern = "/tmp/rsmd-test-XXXXXX";
    if (mkdtemp(pattern.data()) == nullptr)
        throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
}

TempDir::~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
}

std::string ScriptedHandler::attachmentLine(int i) {
    return "line " + std::to_string(i) + " " + std::string(1000, static_cast<char>('a' + i % 26));
}

std::optional<Reply> ScriptedHandler::handleAtOnce(const std::shared_ptr<ConnectionState> &,
                                                   std::string_view line) {
    if (line != "now")
        return std::nullopt;
    std::lock_guard lock(mutex_);
    atOnceOn_ = std::this_thread::get_id();
    return Reply{"now", false, {}};
}

std::thread::id ScriptedHandler::handledOn() const {
    std::lock_guard lock(mutex_);
    return handledOn_;
}

std::thread::id ScriptedHandler::atOnceOn() const {
    std::lock_guard lock(mutex_);
    return atOnceOn_;
}

Reply ScriptedHandler::handle(const std::shared_ptr<ConnectionState> &connection,
                              std::string_view line) {
    {
        std::lock_guard lock(mutex_);
        handledOn_ = std::this_thread::get_id();
    }
    if (line.starts_with("attach ")) {
        const int n = std::atoi(std::string(line.substr(7)).c_str());
        std::string text;
        for (int i = 0; i < n; ++i)
            text += attachmentLine(i) + "\n";
        auto attachment = std::make_shared<const std::string>(std::move(text));
        const std::string count = std::to_string(n);
        return {"attached " + count, false,
                [connection, attachment, count] {
                    connection->pushAttached("pushed " + count, attachment);
                },
                attachment};
    }
    if (line == "slow") {
        std::this_thread::sleep_for(1500ms);
        return {"slow done", false, {}};
    }
    if (line == "big")
        return {std::string(1000, 'b'), false, {}};
    if (line.starts_with("push ")) {
        const int n = std::atoi(std::string(line.substr(5)).c_str());
        for (int i = 0; i < n; ++i)
            connection->push("pushed " + std::to_string(i));
        return {"pushed " + std::to_string(n), false, {}};
    }
    if (line == "after")
        return {"reply", false, [connection] { connection->push("after"); }};
    if (line == "close")
        return {"bye", true, {}};
    if (line == "quit") {
        connection->closeAfterWrites();
        return {"quitting", false, {}};
    }
    if (line == "keep") {
        std::lock_guard lock(mutex_);
        kept_ = connection;
        return {"kept", false, {}};
    }
    if (line == "hold") {
        connection->hold();
        return {"held", false, {}};
    }
    if (line == "release") {
        connection->release();
        return {"released", false, {}};
    }
    if (line == "silent")
        return {"", false, {}};
    if (line == "who") {
        std::string out = "uid " + std::to_string(connection->principal().uid);
        for (auto gid : connection->principal().gids)
            out += " " + std::to_string(gid);
        return {out + " pid " + std::to_string(connection->pid()), false, {}};
    }
    return {"echo:" + std::string(line), false, {}};
}

void ScriptedHandler::closed(const std::shared_ptr<ConnectionState> &connection) {
    std::lock_guard lock(mutex_);
    ++closed_[connection->id()];
    changed_.notify_all();
}

bool ScriptedHandler::waitClosed(std::size_t count, std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, timeout, [&] { return closed_.size() >= count; });
}

std::map<std::uint64_t, int> ScriptedHandler::closedCalls() const {
    std::lock_guard lock(mutex_);
    return closed_;
}

std::shared_ptr<ConnectionState> ScriptedHandler::kept() const {
    std::lock_guard lock(mutex_);
    return kept_;
}

RunningServer::RunningServer(ServerOptions options, Handler &handler)
    : server_(io_, std::move(options), handler) {
    // Quiet, unless RSM_TEST_LOG names a level ("debug").
    const char *level = std::getenv("RSM_TEST_LOG");
    log::setLevel(level && log::parseLevel(level) ? *log::parseLevel(level) : log::Level::Error);
}

RunningServer::~RunningServer() {
    if (thread_.joinable() && !stop())
        std::abort();  // run() did not return: a test below would hang instead of failing
}

Result<void> RunningServer::start() {
    auto listening = server_.listen();
    if (!listening)
        return listening;
    thread_ = std::thread([this] {
        io_.run();
        std::lock_guard lock(mutex_);
        returned_ = true;
        done_.notify_all();
    });
    return success();
}

bool RunningServer::stop(std::chrono::milliseconds timeout) {
    if (!thread_.joinable())
        return true;
    server_.stop();
    std::unique_lock lock(mutex_);
    if (!done_.wait_for(lock, timeout, [&] { return returned_; }))
        return false;
    lock.unlock();
    thread_.join();
    return true;
}

ServerOptions testOptions(const TempDir &dir) {
    ServerOptions options;
    options.socketPath = dir.file("rsmd.sock");
    options.socketActivation = false;
    options.workers = 4;
    return options;
}

Client::Client(const std::string &path) {
    fd_ = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_un address {};
    address.sun_family = AF_UNIX;
    path.copy(address.sun_path, sizeof(address.sun_path) - 1);
    if (connect(fd_, reinterpret_cast<const sockaddr *>(&address), sizeof(address)) != 0)
        close();
}

Client::~Client() {
    close();
}

void Client::close() {
    if (fd_ >= 0)
        ::close(fd_);
    fd_ = -1;
}

bool Client::send(const std::string &data, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    std::size_t sent = 0;
    while (sent < data.size()) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        struct pollfd p {
            fd_, POLLOUT, 0
        };
        if (left.count() <= 0 || poll(&p, 1, static_cast<int>(left.count())) <= 0)
            return false;
        const ssize_t n =
            ::send(fd_, data.data() + sent, data.size() - sent, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n < 0 && (errno == EAGAIN || errno == EINTR))
            continue;
        if (n < 0)
            return false;
        sent += static_cast<std::size_t>(n);
    }
    return true;
}

int Client::fill(std::chrono::milliseconds timeout) {
    struct pollfd p {
        fd_, POLLIN, 0
    };
    const int ready = poll(&p, 1, static_cast<int>(timeout.count()));
    if (ready == 0)
        return -2;
    if (ready < 0)
        return -1;
    char chunk[65536];
    const ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n < 0)
        return -1;
    buffer_.append(chunk, static_cast<std::size_t>(n));
    return static_cast<int>(n);
}

std::optional<std::string> Client::readLine(std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        const auto newline = buffer_.find('\n');
        if (newline != std::string::npos) {
            std::string line = buffer_.substr(0, newline);
            buffer_.erase(0, newline + 1);
            return line;
        }
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (fd_ < 0 || left.count() <= 0 || fill(left) <= 0)
            return std::nullopt;
    }
}

std::optional<std::string> Client::request(const std::string &line) {
    if (!send(line + "\n"))
        return std::nullopt;
    return readLine();
}

bool Client::waitClosed(std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (fd_ < 0 || left.count() <= 0)
            return false;
        const int n = fill(left);
        if (n == 0 || n == -1)
            return true;  // end of stream, or ECONNRESET after unread input
        if (n == -2)
            return false;
        buffer_.clear();
    }
}

}  // namespace rsm::daemon::test
