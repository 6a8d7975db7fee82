#pragma once
// MetricsListener: rsmd's Prometheus endpoint (rsmd.conf metrics_listen). An HTTP/1.1 server
// (Boost.Beast) that answers GET /metrics with the metrics text, on an io_context and thread
// of its own: a scrape reads the database, and the protocol's loop never waits for it.
// Requests are served one at a time; a connection idle for 30 s, or a request not read within
// 10 s, is closed. Only GET and HEAD of /metrics and / are answered; anything else is 404 or
// 405. A scrape whose figures cannot be read is 503 with the RSM error as the body.
// Thread-safety: start and stop from one thread; the scrape function is called on the
// listener's thread.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "rsm/error.h"

namespace rsm::daemon {

// "HOST:PORT" ("127.0.0.1:9464", "[::1]:9464", "0.0.0.0:9464"); port 0 picks a free one.
struct ListenAddress {
    std::string host;
    std::uint16_t port = 0;
};
// ERROR_INVALID_PARAMETER naming what is wrong.
Result<ListenAddress> parseListenAddress(const std::string &text);

class MetricsListener {
public:
    using Scrape = std::function<Result<std::string>()>;

    MetricsListener(ListenAddress address, Scrape scrape);
    ~MetricsListener();
    MetricsListener(const MetricsListener &) = delete;
    MetricsListener &operator=(const MetricsListener &) = delete;

    // Binds and starts serving; ERROR_... when the address cannot be bound.
    Result<void> start();
    void stop();
    // The port bound (the one picked when the address said 0).
    std::uint16_t port() const { return port_; }

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
    std::uint16_t port_ = 0;
};

}  // namespace rsm::daemon
