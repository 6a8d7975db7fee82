#include "src/daemon/server.h"

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <system_error>

#include <fmt/format.h>
#include <systemd/sd-daemon.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/strand.hpp>

#include "src/daemon/config.h"
#include "src/daemon/connection.h"
#include "src/daemon/log.h"

namespace rsm::daemon {

namespace asio = boost::asio;
using boost::system::error_code;
using Acceptor = asio::local::stream_protocol::acceptor;

namespace {

Error systemError(const std::string &what, int err) {
    const ErrorCode code = err == EACCES || err == EPERM ? ErrorCode::AccessDenied
                           : err == EADDRINUSE           ? ErrorCode::Busy
                                                         : ErrorCode::InvalidParameter;
    return Error(code, what + ": " + std::system_category().message(err));
}

Error systemError(const std::string &what, const error_code &ec) {
    return systemError(what, ec.value());
}

// Removes a socket file nobody listens on; ERROR_BUSY when a server answers on it.
Result<void> clearStaleSocket(const std::string &path) {
    struct stat st {};
    if (lstat(path.c_str(), &st) != 0)
        return errno == ENOENT ? success()
                               : Result<void>(systemError("cannot stat " + path, errno));
    if (!S_ISSOCK(st.st_mode))
        return Error(ErrorCode::InvalidParameter, path + " exists and is not a socket");
    const int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0)
        return systemError("socket", errno);
    struct sockaddr_un address {};
    address.sun_family = AF_UNIX;
    path.copy(address.sun_path, sizeof(address.sun_path) - 1);
    const int rc = connect(fd, reinterpret_cast<const sockaddr *>(&address), sizeof(address));
    const int err = errno;
    ::close(fd);
    if (rc == 0 || err == EAGAIN || err == EINPROGRESS)
        return Error(ErrorCode::Busy, "another rsmd is listening on " + path);
    if (err != ECONNREFUSED)
        return systemError("cannot check " + path, err);
    if (unlink(path.c_str()) != 0 && errno != ENOENT)
        return systemError("cannot remove the stale socket " + path, errno);
    log::notice("removed the stale socket {}", path);
    return success();
}

}  // namespace

struct Server::Impl {
    Impl(asio::io_context &io, ServerOptions opts, Handler &handler)
        : io(io),
          options(std::move(opts)),
          pool(options.workers > 0 ? options.workers : 1),
          acceptor(asio::make_strand(io)),
          context{handler, pool, options, [this](std::uint64_t id) { forget(id); }} {}

    Result<void> adopt(bool &adopted);
    Result<void> bind();
    asio::awaitable<void> acceptLoop();
    void admit(Connection::Socket socket);
    // Why a peer may not connect now (the limits of ServerOptions), if it may not.
    std::optional<std::string> refusal(const Principal &peer) const;
    void reject(Connection::Socket &socket, const std::string &why);
    void forget(std::uint64_t id);
    void doStop();

    asio::io_context &io;
    const ServerOptions options;
    asio::thread_pool pool;
    Acceptor acceptor;  // on its strand, with stopping and the bound path
    ConnectionContext context;

    mutable std::mutex mutex;
    std::map<std::uint64_t, std::shared_ptr<Connection>> connections;
    std::map<std::uint64_t, std::uint32_t> uidOf;  // connection id -> its peer's uid
    std::map<std::uint32_t, std::size_t> perUid;   // open connections by uid
    std::atomic<std::uint64_t> lastId{0};

    bool listening = false;
    bool stopping = false;
    std::atomic<bool> activated{false};
    std::string boundPath;  // removed at stop() if it is still our socket
    struct stat bound {};
};

// systemd socket activation: one Unix stream socket, already listening.
Result<void> Server::Impl::adopt(bool &adopted) {
    adopted = false;
    const int n = sd_listen_fds(1);
    if (n < 0)
        return systemError("sd_listen_fds", -n);
    if (n == 0)
        return success();
    if (n > 1)
        return Error(ErrorCode::InvalidParameter,
                     fmt::format("systemd passed {} sockets; rsmd takes one", n));
    const int fd = SD_LISTEN_FDS_START;
    if (sd_is_socket_unix(fd, SOCK_STREAM, 1, nullptr, 0) <= 0)
        return Error(ErrorCode::InvalidParameter,
                     fmt::format("the socket systemd passed (fd {}) is not a listening Unix "
                                 "stream socket",
                                 fd));
    error_code ec;
    acceptor.assign(asio::local::stream_protocol(), fd, ec);
    if (ec)
        return systemError("cannot adopt the socket systemd passed", ec);
    adopted = true;
    log::debug("listening on the socket systemd passed");
    return success();
}

Result<void> Server::Impl::bind() {
    const std::string &path = options.socketPath;
    if (path.empty() || path.size() >= sizeof(sockaddr_un::sun_path))
        return Error(ErrorCode::InvalidParameter,
                     fmt::format("socket path '{}' must have 1 to {} bytes", path,
                                 sizeof(sockaddr_un::sun_path) - 1));
    std::optional<gid_t> gid;
    if (!options.socketGroup.empty()) {
        auto resolved = resolveGroup(options.socketGroup);
        if (!resolved)
            return resolved.error().withContext("socket group");
        gid = *resolved;
    }
    const auto parent = std::filesystem::path(path).parent_path();
    std::error_code fsError;
    if (!parent.empty())
        std::filesystem::create_directories(parent, fsError);
    if (fsError)
        return systemError("cannot create " + parent.string(), fsError.value());
    RSM_TRY_VOID(clearStaleSocket(path));

    error_code ec;
    const asio::local::stream_protocol::endpoint endpoint(path);
    acceptor.open(endpoint.protocol(), ec);
    if (!ec)
        acceptor.bind(endpoint, ec);
    if (ec) {
        error_code ignored;
        acceptor.close(ignored);
        return systemError("cannot bind " + path, ec);
    }
    // Before listen() nobody can connect, so the mode and the group are in place first.
    auto fail = [&](const std::string &what, int err) -> Result<void> {
        error_code ignored;
        acceptor.close(ignored);
        unlink(path.c_str());
        return systemError(what, err);
    };
    if (chmod(path.c_str(), options.socketMode) != 0)
        return fail("cannot chmod " + path, errno);
    if (gid && chown(path.c_str(), static_cast<uid_t>(-1), *gid) != 0)
        return fail(fmt::format("cannot give {} to group {}", path, options.socketGroup), errno);
    if (lstat(path.c_str(), &bound) != 0)
        return fail("cannot stat " + path, errno);
    acceptor.listen(asio::socket_base::max_listen_connections, ec);
    if (ec)
        return fail("cannot listen on " + path, ec.value());
    boundPath = path;
    log::debug("listening on {}", path);
    return success();
}

asio::awaitable<void> Server::Impl::acceptLoop() {
    for (;;) {
        Connection::Socket socket(asio::make_strand(io));
        error_code ec;
        co_await acceptor.async_accept(socket, asio::redirect_error(asio::use_awaitable, ec));
        if (stopping || ec == asio::error::operation_aborted || !acceptor.is_open())
            co_return;
        if (ec) {
            log::warning("accept failed: {}", ec.message());
            // Out of descriptors: give the closing connections a moment.
            asio::steady_timer pause(acceptor.get_executor(), std::chrono::milliseconds(100));
            co_await pause.async_wait(asio::redirect_error(asio::use_awaitable, ec));
            continue;
        }
        admit(std::move(socket));
    }
}

void Server::Impl::admit(Connection::Socket socket) {
    auto peer = peerCredentials(socket.native_handle());
    if (!peer) {
        log::warning("refusing a connection: {}", peer.error().message());
        return;
    }
    const std::uint32_t uid = peer->principal.uid;
    std::shared_ptr<Connection> connection;
    {
        std::lock_guard lock(mutex);
        if (auto why = refusal(peer->principal)) {
            log::warning("refusing a connection of uid {} (pid {}): {}", uid, peer->pid, *why);
            reject(socket, *why);
            return;
        }
        const std::uint64_t id = ++lastId;
        connection = std::make_shared<Connection>(std::move(socket), id, std::move(*peer), context);
        connections.emplace(id, connection);
        uidOf.emplace(id, uid);
        ++perUid[uid];
    }
    connection->start();
}

std::optional<std::string> Server::Impl::refusal(const Principal &peer) const {
    const bool privileged = peer.uid == 0 || (options.privileged && options.privileged(peer));
    const std::size_t open = connections.size();
    if (privileged) {
        if (open >= options.maxConnections + options.adminConnections)
            return fmt::format(
                "rsmd has {} connections, all it takes (max_connections {} and "
                "admin_connections {}): try again later",
                open, options.maxConnections, options.adminConnections);
        return std::nullopt;
    }
    if (open >= options.maxConnections)
        return fmt::format(
            "rsmd has {} connections, its max_connections: try again later "
            "(root and the admin group may still connect)",
            open);
    const auto mine = perUid.find(peer.uid);
    if (options.maxConnectionsPerUid && mine != perUid.end() &&
        mine->second >= options.maxConnectionsPerUid)
        return fmt::format(
            "uid {} has {} connections to rsmd, its max_connections_per_uid: close "
            "one (each rsmctl command holds one while it runs) and try again",
            peer.uid, mine->second);
    return std::nullopt;
}

// The socket is new: its send buffer takes the short error line without waiting.
void Server::Impl::reject(Connection::Socket &socket, const std::string &why) {
    const std::string line =
        protocol::errorLine(nullptr, Error(ErrorCode::Busy, "too many connections: " + why)) + "\n";
    error_code ec;
    socket.non_blocking(true, ec);
    socket.write_some(asio::buffer(line), ec);
    socket.shutdown(Connection::Socket::shutdown_both, ec);
    socket.close(ec);
}

void Server::Impl::forget(std::uint64_t id) {
    std::lock_guard lock(mutex);
    connections.erase(id);
    if (auto u = uidOf.find(id); u != uidOf.end()) {
        if (auto n = perUid.find(u->second); n != perUid.end() && --n->second == 0)
            perUid.erase(n);
        uidOf.erase(u);
    }
}

void Server::Impl::doStop() {
    if (stopping)
        return;
    stopping = true;
    error_code ignored;
    acceptor.close(ignored);
    struct stat now {};
    if (!boundPath.empty() && lstat(boundPath.c_str(), &now) == 0 && now.st_dev == bound.st_dev &&
        now.st_ino == bound.st_ino)
        unlink(boundPath.c_str());
    std::map<std::uint64_t, std::shared_ptr<Connection>> open;
    {
        std::lock_guard lock(mutex);
        open = connections;
    }
    for (auto &[id, connection] : open)
        connection->close("rsmd is stopping");
}

Server::Server(asio::io_context &io, ServerOptions options, Handler &handler)
    : impl_(std::make_unique<Impl>(io, std::move(options), handler)) {}

Server::~Server() {
    impl_->pool.join();
}

Result<void> Server::listen() {
    if (impl_->listening)
        return Error(ErrorCode::InvalidState, "the server is already listening");
    bool adopted = false;
    if (impl_->options.socketActivation)
        RSM_TRY_VOID(impl_->adopt(adopted));
    if (!adopted)
        RSM_TRY_VOID(impl_->bind());
    impl_->activated = adopted;
    impl_->listening = true;
    asio::co_spawn(impl_->acceptor.get_executor(), impl_->acceptLoop(), asio::detached);
    return success();
}

void Server::stop() {
    asio::post(impl_->acceptor.get_executor(), [impl = impl_.get()] { impl->doStop(); });
}

bool Server::activated() const {
    return impl_->activated;
}

std::size_t Server::connectionCount() const {
    std::lock_guard lock(impl_->mutex);
    return impl_->connections.size();
}

const ServerOptions &Server::options() const {
    return impl_->options;
}

}  // namespace rsm::daemon
