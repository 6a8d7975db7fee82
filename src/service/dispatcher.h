#pragma once
// Dispatcher: rsmd's protocol (docs/protocol.md) on top of the server's lines. Parses each
// request, enforces hello first, the session rules (a handle belongs to the connection that
// opened it) and the verb's field list, runs the verb from the verb tables, and turns every
// outcome into a reply line. Closing a connection closes its sessions and its watch.
// Thread-safety: as daemon::Handler — any worker thread, one request per connection at a time.

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "src/daemon/handler.h"
#include "src/protocol/codec.h"
#include "src/service/call.h"

namespace rsm::service {

struct DispatcherOptions {
    std::string serverName = "rsmd 0.1.0";
    std::size_t maxSessionsPerConnection = 64;
    // Where the dispatcher reports what no client hears of (rsmd: its log).
    std::function<void(const std::string &)> warn;
    // Told of each request answered at once: its verb ("unknown" for a verb rsmd lacks) and
    // its error (rsmd: the metrics).
    std::function<void(std::string_view verb, std::optional<ErrorCode> error)> observe;
};

class Dispatcher : public daemon::Handler {
public:
    Dispatcher(Services services, DispatcherOptions options = {});

    daemon::Reply handle(const std::shared_ptr<daemon::ConnectionState> &connection,
                         std::string_view line) override;
    // hello.
    std::optional<daemon::Reply> handleAtOnce(
        const std::shared_ptr<daemon::ConnectionState> &connection, std::string_view line) override;
    void closed(const std::shared_ptr<daemon::ConnectionState> &connection) override;
    // Sessions open on this rsmd's connections.
    std::int64_t openSessions() const { return sessions_.load(); }

private:
    struct State;
    State &state(daemon::ConnectionState &connection);
    // The reply to a parsed request line (handle() and handleAtOnce()).
    daemon::Reply answer(const std::shared_ptr<daemon::ConnectionState> &connection,
                         protocol::ParsedLine &parsed);
    daemon::Reply dispatch(const std::shared_ptr<daemon::ConnectionState> &connection,
                           const nlohmann::json &request, const nlohmann::json &id);
    Result<nlohmann::json> hello(daemon::ConnectionState &connection, const Fields &fields);
    Result<nlohmann::json> openSession(daemon::ConnectionState &connection, const Fields &fields);
    Result<nlohmann::json> closeSession(daemon::ConnectionState &connection, const Uuid &session);

    Services services_;
    DispatcherOptions options_;
    std::atomic<std::int64_t> sessions_{0};
};

}  // namespace rsm::service
