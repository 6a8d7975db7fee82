#pragma once
// Server: rsmd's Unix stream socket. It binds the socket (or adopts the one systemd passes by
// socket activation), accepts clients, gives each a Connection (connection.h) with its peer's
// credentials, and runs Handler::handle and Handler::closed on a pool of worker threads, so
// the io_context's threads never wait for the handler. Limits and timeouts are in
// ServerOptions (docs/protocol.md, "Errors of the protocol itself").
// Thread-safety: listen() once, before or while the io_context runs; stop() from any thread.
// Destroy the Server after io_context::run() has returned (stop() makes it return).

#include <sys/types.h>

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>

#include <boost/asio/io_context.hpp>

#include "rsm/error.h"
#include "rsm/principal.h"
#include "src/daemon/handler.h"
#include "src/protocol/codec.h"

namespace rsm::daemon {

struct ServerOptions {
    std::string socketPath = "/run/rsm/rsmd.sock";
    mode_t socketMode = 0660;
    std::string socketGroup;       // name or number to chown the socket to; empty: leave it
    bool socketActivation = true;  // adopt a socket passed by systemd (LISTEN_FDS) if any
    std::size_t maxLine = protocol::kMaxLine;  // bytes of one request line, newline excluded
    // A line must be complete this long after its first byte; a connection that sends nothing
    // (a watcher) is not timed out.
    std::chrono::milliseconds idleTimeout = std::chrono::seconds(60);
    std::chrono::milliseconds writeTimeout = std::chrono::seconds(30);  // for output progress
    // Connections at once: at most maxConnections, and at most maxConnectionsPerUid of one uid
    // (0: no such limit); privileged peers (root, and whom `privileged` names: the admin group)
    // count against neither, and may open adminConnections beyond maxConnections.
    std::size_t maxConnections = 256;
    std::size_t maxConnectionsPerUid = 32;
    std::size_t adminConnections = 16;
    std::function<bool(const Principal &)> privileged;
    std::size_t maxQueuedBytes = 16 << 20;  // unwritten output of one connection
    std::size_t workers = 8;                // handler threads
};

class Server {
public:
    Server(boost::asio::io_context &io, ServerOptions options, Handler &handler);
    ~Server();

    Server(const Server &) = delete;
    Server &operator=(const Server &) = delete;

    // Adopts systemd's socket, or binds options.socketPath: creates its directory, replaces a
    // stale socket file (ERROR_BUSY when another server answers on it), applies the mode and
    // the group. Then accepts on the io_context.
    Result<void> listen();
    // Stops accepting, closes every connection (the handler's closed() still runs for each,
    // after any handle() under way has returned) and removes the socket file it bound;
    // io_context::run() returns once all is done. From any thread.
    void stop();

    bool activated() const;  // the socket came from systemd
    std::size_t connectionCount() const;
    const ServerOptions &options() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace rsm::daemon
