#pragma once
// The seam between rsmd's transport (server.h: socket, framing, limits, timeouts) and its
// protocol (dispatcher.h: hello, sessions, verbs). The server reads one line at a time from a
// connection, offers it to Handler::handleAtOnce on the io thread (a line answered without
// waiting: hello), else hands it to Handler::handle on a worker thread, writes the reply, then
// reads the next line; the handler never sees a socket and the server never looks inside a
// line.
// Thread-safety: handle() and closed() are called from worker threads, handleAtOnce() from
// the io thread, never two at once for one connection; ConnectionState::push and pushAttached
// may be called from any thread.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "rsm/principal.h"

namespace rsm::daemon {

// One client connection as the protocol sees it. The server creates it on accept, with the
// peer's credentials, and keeps it alive until the connection is closed and closed() returned.
// Bytes a reply line announces and carries after it, shared with whoever made them (the library
// worker's rendering of its map), never changed.
using Attachment = std::shared_ptr<const std::string>;

class ConnectionState {
public:
    virtual ~ConnectionState() = default;

    virtual std::uint64_t id() const = 0;            // unique while rsmd runs
    virtual const Principal &principal() const = 0;  // SO_PEERCRED uid, SO_PEERGROUPS gids
    virtual int pid() const = 0;                     // the peer's pid, for logs

    // Queues one line (without its newline) to be written after anything queued before it.
    // From any thread. A connection whose queue grows past its limit (a client that does not
    // read) is closed; push on a closed connection does nothing. Returns false when closed.
    virtual bool push(std::string line) = 0;
    // push() of a line followed by an attachment: `attachment`'s bytes, then a newline
    // (docs/protocol.md, mtx.status), written from the shared buffer without a copy.
    virtual bool pushAttached(std::string line, Attachment attachment) = 0;
    // Bytes queued for this connection (pushed lines and replies) and not yet written to its
    // socket: how far its reader is behind. From any thread; 0 once closed.
    virtual std::size_t queuedBytes() const = 0;
    // Closes the connection after the queued lines are written.
    virtual void closeAfterWrites() = 0;
    // While held, the connection owes its client something (the reply of robot work it waits
    // for, a watch stream): the idle timeout does not close it for sending nothing. Each hold()
    // is matched by one release(); from any thread.
    virtual void hold() = 0;
    virtual void release() = 0;

    // Protocol state, owned by the handler; the server never touches it.
    std::shared_ptr<void> protocol;
};

struct Reply {
    std::string line;    // the reply, without its newline; empty: no reply
    bool close = false;  // close the connection after writing it
    // Runs after the reply is queued (watch subscribes here, so no event overtakes the reply).
    std::function<void()> after;
    // Written after the line, then a newline, when set (ConnectionState::pushAttached).
    Attachment attachment = {};
};

class Handler {
public:
    virtual ~Handler() = default;

    // One request line (without its newline, at most the configured maximum length).
    virtual Reply handle(const std::shared_ptr<ConnectionState> &connection,
                         std::string_view line) = 0;
    // The request, answered at once on the connection's own thread when it needs neither the
    // database nor a robot (hello): no hand-off to the request pool and back. Must not block;
    // nullopt: handle() it on the pool.
    virtual std::optional<Reply> handleAtOnce(const std::shared_ptr<ConnectionState> &connection,
                                              std::string_view line) {
        (void)connection;
        (void)line;
        return std::nullopt;
    }
    // The connection is gone: close its sessions, drop its subscriptions.
    virtual void closed(const std::shared_ptr<ConnectionState> &connection) = 0;
};

}  // namespace rsm::daemon
