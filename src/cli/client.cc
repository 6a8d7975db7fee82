#include "src/cli/client.h"

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <thread>

#include <fmt/format.h>

#include "src/protocol/codec.h"

namespace rsm::cli {

namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

// A reply longer than this is not rsmd talking.
constexpr std::size_t kMaxReply = 256u << 20;

std::optional<Clock::time_point> deadlineAfter(Timeout timeout) {
    if (timeout.count() <= 0)
        return std::nullopt;
    return Clock::now() + timeout;
}

// Milliseconds left for poll(): -1 for no deadline, 0 when it has passed.
int remaining(const std::optional<Clock::time_point> &deadline) {
    if (!deadline)
        return -1;
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(*deadline - Clock::now());
    return static_cast<int>(std::clamp<long long>(left.count() + 1, 0, 1 << 30));
}

std::string seconds(Timeout timeout) {
    return fmt::format("{:g} s", static_cast<double>(timeout.count()) / 1000.0);
}

Error connectError(const std::string &path, int error) {
    const std::string what = fmt::format("cannot connect to {}: {}", path, std::strerror(error));
    if (error == ENOENT || error == ECONNREFUSED)
        return Error(
            ErrorCode::ResourceNotPresent,
            fmt::format("rsmd is not running ({}); start it with: systemctl start rsmd", what));
    if (error == EACCES || error == EPERM)
        return Error(ErrorCode::AccessDenied,
                     fmt::format("{}; to use rsmd, join group rsm (usermod -aG rsm $USER, then "
                                 "log in again)",
                                 what));
    return Error(ErrorCode::ResourceNotPresent, what);
}

// A connected socket, or why not. Connecting a Unix socket does not block, except when the
// server's backlog is full (EAGAIN): then it is tried again until the deadline.
Result<int> connectSocket(const std::string &path, Timeout timeout) {
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    if (path.empty() || path.size() >= sizeof address.sun_path)
        return Error(ErrorCode::InvalidParameter,
                     fmt::format("socket path '{}' is empty or too long", path));
    std::memcpy(address.sun_path, path.data(), path.size());
    const auto deadline = deadlineAfter(timeout);
    for (;;) {
        int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
        if (fd < 0)
            return Error(ErrorCode::NotEnoughMemory,
                         fmt::format("socket: {}", std::strerror(errno)));
        if (::connect(fd, reinterpret_cast<const sockaddr *>(&address), sizeof address) == 0)
            return fd;
        const int error = errno;
        close(fd);
        if (error != EAGAIN && error != EINTR)
            return connectError(path, error);
        if (remaining(deadline) == 0)
            return Error(ErrorCode::Timeout,
                         fmt::format("rsmd did not accept a connection on {} within {}", path,
                                     seconds(timeout)));
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
}

}  // namespace

bool needsSession(const std::string &verb) {
    return verb != "hello" && verb != "session.open" && verb != "library.discover" &&
           verb != "mtx.status";
}

std::string Client::socketPath(const std::string &option) {
    if (!option.empty())
        return option;
    if (const char *env = std::getenv("RSM_SOCKET"); env && *env)
        return env;
    return kDefaultSocket;
}

Result<std::unique_ptr<Client>> Client::connect(const Options &options) {
    Options resolved = options;
    resolved.socketPath = socketPath(options.socketPath);
    auto fd = connectSocket(resolved.socketPath, resolved.timeout);
    if (!fd)
        return fd.error();
    std::unique_ptr<Client> client(new Client(*fd, std::move(resolved)));
    // Its reply is read after the first request is sent (one round trip less per command).
    auto hello = client->send(
        "hello", {{"protocol", protocol::kVersion}, {"client", std::string(kClientName)}});
    if (!hello)
        return hello.error();
    client->helloId_ = *hello;
    if (!client->options_.pipelineHello)
        if (auto said = client->exchange("", json(), client->options_.timeout); !said)
            return said.error();
    return client;
}

Client::~Client() {
    close(fd_);
}

Result<json> Client::call(const std::string &verb, json fields, std::optional<Timeout> timeout) {
    if (streaming_)
        return Error(ErrorCode::InvalidOperation, "the connection to rsmd is watching events");
    json request = fields.is_null() ? json::object() : std::move(fields);
    if (needsSession(verb)) {
        auto session = this->session();
        if (!session)
            return session.error();
        request["session"] = *session;
    }
    return exchange(verb, std::move(request), timeout.value_or(options_.timeout));
}

Result<void> Client::callAttached(const std::string &verb, json fields,
                                  const std::function<void(const json &)> &result,
                                  const std::function<void(std::string_view)> &piece,
                                  std::optional<Timeout> timeout) {
    const Timeout wait = timeout.value_or(options_.timeout);
    auto reply = call(verb, std::move(fields), wait);
    if (!reply)
        return reply.error();
    const json size = reply->value("attachment", json());
    if (!size.is_number_unsigned() || size.get<std::uint64_t>() > kMaxReply)
        return Error(ErrorCode::BadFormat,
                     fmt::format("rsmd's reply to {} announces no attachment it may send", verb));
    result(*reply);
    RSM_TRY_VOID(readBytes(size.get<std::size_t>(), wait, verb, piece));
    bool newline = false;
    RSM_TRY_VOID(readBytes(1, wait, verb, [&](std::string_view end) { newline = end == "\n"; }));
    if (!newline)
        return Error(ErrorCode::BadFormat,
                     fmt::format("rsmd's attachment to {} does not end where announced", verb));
    return success();
}

Result<void> Client::readBytes(std::size_t size, Timeout timeout, const std::string &verb,
                               const std::function<void(std::string_view)> &piece) {
    const auto deadline = deadlineAfter(timeout);
    const std::size_t buffered = std::min(size, buffer_.size());
    if (buffered > 0) {
        piece(std::string_view(buffer_).substr(0, buffered));
        buffer_.erase(0, buffered);
    }
    std::size_t left = size - buffered;
    char chunk[65536];
    while (left > 0) {
        auto n = receiveSome(chunk, std::min(left, sizeof chunk), deadline, timeout, verb, true);
        if (!n)
            return n.error();
        piece(std::string_view(chunk, *n));
        left -= *n;
    }
    return success();
}

Result<std::string> Client::session() {
    if (!session_.empty())
        return session_;
    json fields = json::object();
    if (!options_.application.empty())
        fields["application"] = options_.application;
    auto opened = exchange("session.open", std::move(fields), options_.timeout);
    if (!opened)
        return opened.error();
    if (!opened->contains("session") || !(*opened)["session"].is_string())
        return Error(ErrorCode::BadFormat,
                     "rsmd's reply to session.open has no session: " + opened->dump());
    std::lock_guard lock(sessionMutex_);
    session_ = (*opened)["session"].get<std::string>();
    return session_;
}

Result<void> Client::closeSession() {
    if (session_.empty() || streaming_)
        return success();
    auto closed = exchange("session.close", {{"session", session_}}, options_.timeout);
    {
        std::lock_guard lock(sessionMutex_);
        session_.clear();
    }
    if (!closed)
        return closed.error();
    return success();
}

const json &Client::hello() {
    if (helloId_)
        (void)exchange("", json(), options_.timeout);
    return hello_;
}

Result<json> Client::exchange(const std::string &verb, json request, Timeout timeout) {
    std::optional<std::int64_t> id;
    if (!verb.empty()) {
        auto sent = send(verb, std::move(request));
        if (!sent)
            return sent.error();
        id = *sent;
    }
    if (helloId_) {
        const std::int64_t helloId = *helloId_;
        helloId_.reset();
        auto hello = receive("hello", helloId, options_.timeout);
        if (!hello)
            return hello.error();
        hello_ = std::move(*hello);
    }
    if (!id)
        return json::object();
    return receive(verb, *id, timeout);
}

Result<std::int64_t> Client::send(const std::string &verb, json request) {
    const std::int64_t id = nextId_++;
    request["verb"] = verb;
    request["id"] = id;
    const std::string line = request.dump(-1, ' ', false, json::error_handler_t::replace);
    if (line.size() > protocol::kMaxLine)
        return Error(ErrorCode::MessageExceedsMaxSize,
                     fmt::format("the {} request is {} bytes long; rsmd takes at most {}", verb,
                                 line.size(), protocol::kMaxLine));
    RSM_TRY_VOID(sendLine(line + '\n', verb));
    return id;
}

Result<json> Client::receive(const std::string &verb, std::int64_t id, Timeout timeout) {
    auto text = readLine(timeout, verb);
    if (!text)
        return text.error();
    json reply = json::parse(*text, nullptr, false);
    if (reply.is_discarded() || !reply.is_object())
        return Error(
            ErrorCode::BadFormat,
            fmt::format("rsmd's reply to {} is not a JSON object: {}", verb, text->substr(0, 200)));
    // An error with no id is about the connection (too many connections, idle too long).
    if (reply.value("id", json()).is_null() && reply.contains("error"))
        return protocol::errorFromJson(reply["error"]);
    if (reply.value("id", json()) != json(id))
        return Error(ErrorCode::BadFormat, fmt::format("rsmd's reply to {} (id {}) carries id {}",
                                                       verb, id, reply.value("id", json()).dump()));
    if (reply.contains("error"))
        return protocol::errorFromJson(reply["error"]);
    if (!reply.contains("result") || !reply["result"].is_object())
        return Error(ErrorCode::BadFormat,
                     fmt::format("rsmd's reply to {} has neither result nor error: {}", verb,
                                 text->substr(0, 200)));
    return std::move(reply["result"]);
}

Result<void> Client::sendLine(const std::string &line, const std::string &verb) {
    std::size_t sent = 0;
    const auto deadline = deadlineAfter(options_.timeout);
    while (sent < line.size()) {
        ssize_t n = ::send(fd_, line.data() + sent, line.size() - sent, MSG_NOSIGNAL);
        if (n > 0) {
            sent += static_cast<std::size_t>(n);
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && errno == EAGAIN) {
            pollfd p{fd_, POLLOUT, 0};
            const int wait = remaining(deadline);
            if (wait == 0 || poll(&p, 1, wait) == 0)
                return Error(ErrorCode::Timeout,
                             fmt::format("rsmd did not read the {} request within {}", verb,
                                         seconds(options_.timeout)));
            continue;
        }
        const int err = errno;
        // rsmd may have said why it closed (too many connections, idle): that error it is.
        if (auto said = readLine(std::chrono::milliseconds(100), verb)) {
            json why = json::parse(*said, nullptr, false);
            if (why.is_object() && why.contains("error"))
                return protocol::errorFromJson(why["error"]);
        }
        return Error(ErrorCode::ResourceNotPresent,
                     fmt::format("lost the connection to rsmd while sending {}: {}", verb,
                                 std::strerror(err)));
    }
    return success();
}

Result<std::string> Client::readLine(Timeout timeout, const std::string &verb) {
    const auto deadline = deadlineAfter(timeout);
    char chunk[65536];
    for (;;) {
        if (auto end = buffer_.find('\n'); end != std::string::npos) {
            std::string line = buffer_.substr(0, end);
            buffer_.erase(0, end + 1);
            return line;
        }
        if (buffer_.size() > kMaxReply)
            return Error(
                ErrorCode::MessageExceedsMaxSize,
                fmt::format("rsmd's reply to {} is longer than {} bytes", verb, kMaxReply));
        auto n = receiveSome(chunk, sizeof chunk, deadline, timeout, verb, !buffer_.empty());
        if (!n)
            return n.error();
        buffer_.append(chunk, *n);
    }
}

Result<std::size_t> Client::receiveSome(char *into, std::size_t size,
                                        const std::optional<Clock::time_point> &deadline,
                                        Timeout timeout, const std::string &verb, bool started) {
    for (;;) {
        // What is already there is taken without waiting (a reply streamed in pieces).
        const ssize_t n = ::recv(fd_, into, size, MSG_DONTWAIT);
        if (n > 0)
            return static_cast<std::size_t>(n);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            pollfd p{fd_, POLLIN, 0};
            const int wait = remaining(deadline);
            const int ready = wait == 0 ? 0 : poll(&p, 1, wait);
            if (ready == 0)
                return Error(ErrorCode::Timeout, fmt::format("no reply from rsmd to {} within {}",
                                                             verb, seconds(timeout)));
            continue;
        }
        const std::string why =
            n == 0 ? std::string("it closed the connection") : std::string(std::strerror(errno));
        return Error(ErrorCode::ResourceNotPresent,
                     fmt::format("lost the connection to rsmd {} its reply to {} ({}); the "
                                 "outcome is unknown",
                                 started ? "in the middle of" : "before", verb, why));
    }
}

Result<void> Client::watch(json fields, const std::function<void(const json &)> &started,
                           const std::function<void(const json &)> &onEvent,
                           const std::function<void(const json &)> &onNotice) {
    auto start = call("watch", std::move(fields));
    if (!start)
        return start.error();
    streaming_ = true;
    started(*start);
    for (;;) {
        auto text = readLine(Timeout(0), "watch");
        if (!text && text.error().code() == ErrorCode::ResourceNotPresent)
            return Error(ErrorCode::ResourceNotPresent, "rsmd ended the event stream");
        if (!text)
            return text.error();
        json line = json::parse(*text, nullptr, false);
        if (line.is_object() && line.contains("event") && line["event"].is_object()) {
            onEvent(line["event"]);
            continue;
        }
        if (line.is_object() && line.contains("notice") && line["notice"].is_object()) {
            if (onNotice)
                onNotice(line["notice"]);
            continue;
        }
        if (line.is_object() && line.contains("error"))
            return protocol::errorFromJson(line["error"]);
        return Error(ErrorCode::BadFormat,
                     "rsmd sent a line that is not an event: " + text->substr(0, 200));
    }
}

}  // namespace rsm::cli
