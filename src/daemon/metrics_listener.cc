#include "src/daemon/metrics_listener.h"

#include <charconv>

#include <fmt/format.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace rsm::daemon {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

Result<ListenAddress> parseListenAddress(const std::string &text) {
    auto bad = [&](const std::string &why) {
        return Error(ErrorCode::InvalidParameter,
                     fmt::format("metrics_listen \"{}\": {}; write HOST:PORT, as "
                                 "127.0.0.1:9464 or [::1]:9464",
                                 text, why));
    };
    const auto colon = text.rfind(':');
    if (colon == std::string::npos || colon == 0)
        return bad("no host and port");
    std::string host = text.substr(0, colon);
    const std::string port = text.substr(colon + 1);
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
        host = host.substr(1, host.size() - 2);
    unsigned value = 0;
    auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (port.empty() || ec != std::errc() || end != port.data() + port.size() || value > 65535)
        return bad("the port is not a number from 0 to 65535");
    boost::system::error_code error;
    asio::ip::make_address(host, error);
    if (error)
        return bad("\"" + host + "\" is not an IP address");
    return ListenAddress{host, static_cast<std::uint16_t>(value)};
}

struct MetricsListener::Impl {
    ListenAddress address;
    Scrape scrape;
    asio::io_context io;
    tcp::acceptor acceptor{io};
    std::thread thread;

    http::response<http::string_body> answer(const http::request<http::string_body> &request) {
        http::response<http::string_body> response;
        response.version(request.version());
        response.keep_alive(request.keep_alive());
        response.set(http::field::server, "rsmd");
        auto text = [&](http::status status, std::string body, const char *type) {
            response.result(status);
            response.set(http::field::content_type, type);
            response.body() = std::move(body);
        };
        const std::string target(request.target());
        const std::string path = target.substr(0, target.find('?'));
        if (request.method() != http::verb::get && request.method() != http::verb::head) {
            text(http::status::method_not_allowed, "only GET and HEAD\n", "text/plain");
            response.set(http::field::allow, "GET, HEAD");
        } else if (path == "/metrics") {
            auto figures = scrape();
            if (figures)
                text(http::status::ok, std::move(*figures),
                     "text/plain; version=0.0.4; charset=utf-8");
            else
                text(http::status::service_unavailable, figures.error().toString() + "\n",
                     "text/plain");
        } else if (path == "/") {
            text(http::status::ok, "rsmd: the metrics are at /metrics\n", "text/plain");
        } else {
            text(http::status::not_found, "not found: the metrics are at /metrics\n", "text/plain");
        }
        response.prepare_payload();
        if (request.method() == http::verb::head)
            response.body().clear();
        return response;
    }

    asio::awaitable<void> serve(tcp::socket socket) {
        beast::tcp_stream stream(std::move(socket));
        beast::flat_buffer buffer;
        try {
            for (;;) {
                stream.expires_after(std::chrono::seconds(30));
                http::request_parser<http::string_body> parser;
                parser.body_limit(64 * 1024);
                parser.header_limit(16 * 1024);
                co_await http::async_read_header(stream, buffer, parser, asio::use_awaitable);
                stream.expires_after(std::chrono::seconds(10));
                co_await http::async_read(stream, buffer, parser, asio::use_awaitable);
                auto response = answer(parser.get());
                const bool keep = response.keep_alive();
                co_await http::async_write(stream, response, asio::use_awaitable);
                if (!keep)
                    break;
            }
        } catch (const std::exception &) {
            // closed, timed out or not HTTP: the connection ends
        }
        beast::error_code ignored;
        stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
    }

    asio::awaitable<void> accept() {
        for (;;) {
            tcp::socket socket = co_await acceptor.async_accept(asio::use_awaitable);
            asio::co_spawn(io, serve(std::move(socket)), asio::detached);
        }
    }
};

MetricsListener::MetricsListener(ListenAddress address, Scrape scrape)
    : impl_(std::make_unique<Impl>()) {
    impl_->address = std::move(address);
    impl_->scrape = std::move(scrape);
}

MetricsListener::~MetricsListener() {
    stop();
}

Result<void> MetricsListener::start() {
    Impl &m = *impl_;
    boost::system::error_code ec;
    const tcp::endpoint endpoint(asio::ip::make_address(m.address.host), m.address.port);
    const auto where = fmt::format("metrics_listen {}:{}", m.address.host, m.address.port);
    m.acceptor.open(endpoint.protocol(), ec);
    if (!ec)
        m.acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
    if (!ec)
        m.acceptor.bind(endpoint, ec);
    if (!ec)
        m.acceptor.listen(asio::socket_base::max_listen_connections, ec);
    if (ec)
        return Error(ErrorCode::InvalidParameter,
                     fmt::format("{}: {}; choose a free port or leave metrics_listen empty", where,
                                 ec.message()));
    port_ = m.acceptor.local_endpoint().port();
    asio::co_spawn(m.io, m.accept(), asio::detached);
    m.thread = std::thread([&m] {
        for (;;) {
            try {
                m.io.run();
                return;
            } catch (const std::exception &) {
                // a handler threw: keep serving
            }
        }
    });
    return success();
}

void MetricsListener::stop() {
    if (!impl_ || !impl_->thread.joinable())
        return;
    impl_->io.stop();
    impl_->thread.join();
}

}  // namespace rsm::daemon
