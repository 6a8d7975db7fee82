#pragma once
// Client: rsmctl's connection to rsmd (docs/protocol.md). It connects to the daemon's Unix
// socket, says hello, then sends one request line at a time and reads its reply line; a
// session is opened on the first verb that needs one. Every failure — no daemon, a broken
// connection, a reply that is not JSON, an error reply — comes back as an rsm::Error.
// Thread-safety: one thread at a time.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include <nlohmann/json.hpp>

#include "rsm/error.h"

namespace rsm::cli {

constexpr const char *kDefaultSocket = "/run/rsm/rsmd.sock";
constexpr const char *kClientName = "rsmctl 0.1.0";

// How long a call may wait for its reply; zero: for ever.
using Timeout = std::chrono::milliseconds;

class Client {
public:
    struct Options {
        std::string socketPath;                     // empty: $RSM_SOCKET, else kDefaultSocket
        Timeout timeout{std::chrono::seconds(30)};  // connecting, hello, and every reply
        std::string application = "rsmctl";         // named in session.open
        // Send the first request before the hello's reply has come (one round trip less; a
        // refused hello then refuses that request too). Off: nothing is sent after a hello
        // that is refused.
        bool pipelineHello = false;
    };

    // The socket rsmctl uses: the option, else $RSM_SOCKET, else kDefaultSocket.
    static std::string socketPath(const std::string &option);

    // Connects and says hello (its reply read now, or with the first call's when pipelined).
    static Result<std::unique_ptr<Client>> connect(const Options &options);

    ~Client();
    Client(const Client &) = delete;
    Client &operator=(const Client &) = delete;

    // The server's hello result: {"protocol", "server", "uid", "gids"}.
    const nlohmann::json &hello();
    const Options &options() const { return options_; }

    // Sends verb with fields (and, when the verb needs one, the session, opened first) and
    // returns the reply's result or its error. `timeout` overrides the options' one.
    Result<nlohmann::json> call(const std::string &verb, nlohmann::json fields = {},
                                std::optional<Timeout> timeout = {});

    // As call(), for a verb whose reply is followed by an attachment (mtx.status): the result
    // goes to `result`, then the result's "attachment" bytes after the reply's line (and a
    // newline) to `piece`, as they arrive.
    Result<void> callAttached(const std::string &verb, nlohmann::json fields,
                              const std::function<void(const nlohmann::json &)> &result,
                              const std::function<void(std::string_view)> &piece,
                              std::optional<Timeout> timeout = {});

    // Closes the session if one was opened (not after watch: that connection only streams).
    Result<void> closeSession();
    // The session this client opened (empty before its first call): callable from another
    // thread while a call waits (the progress line asks rsmd about this session's requests).
    std::string sessionId() const {
        std::lock_guard lock(sessionMutex_);
        return session_;
    }

    // Sends watch (fields: {"since"}), hands its result ({"seq"}) to `started`, then every event
    // object to `onEvent` until the connection fails or closes; returns that failure. A notice
    // ({"purged_through", "message"}: events no longer kept) goes to `onNotice`.
    Result<void> watch(nlohmann::json fields,
                       const std::function<void(const nlohmann::json &)> &started,
                       const std::function<void(const nlohmann::json &)> &onEvent,
                       const std::function<void(const nlohmann::json &)> &onNotice = {});

private:
    Client(int fd, Options options) : fd_(fd), options_(std::move(options)) {}

    // Sends the request (none when verb is empty), reads the hello's reply if it is still
    // owed, then the request's.
    Result<nlohmann::json> exchange(const std::string &verb, nlohmann::json request,
                                    Timeout timeout);
    Result<std::int64_t> send(const std::string &verb, nlohmann::json request);
    Result<nlohmann::json> receive(const std::string &verb, std::int64_t id, Timeout timeout);
    Result<void> sendLine(const std::string &line, const std::string &verb);
    Result<std::string> readLine(Timeout timeout, const std::string &verb);
    // One recv of at most `size` bytes once the socket is readable before `deadline`: how
    // many; ERROR_TIMEOUT, or ERROR_RESOURCE_NOT_PRESENT when the connection is gone (`started`:
    // in the middle of the reply).
    using Clock = std::chrono::steady_clock;
    Result<std::size_t> receiveSome(char *into, std::size_t size,
                                    const std::optional<Clock::time_point> &deadline,
                                    Timeout timeout, const std::string &verb, bool started);
    // Exactly `size` bytes (what is buffered first), to `piece` as they arrive.
    Result<void> readBytes(std::size_t size, Timeout timeout, const std::string &verb,
                           const std::function<void(std::string_view)> &piece);
    Result<std::string> session();

    int fd_;
    Options options_;
    nlohmann::json hello_;
    std::optional<std::int64_t> helloId_;  // the hello whose reply is still to be read
    std::int64_t nextId_ = 1;
    std::string buffer_;   // bytes read past the last line
    std::string session_;  // written under sessionMutex_ (sessionId() reads it elsewhere)
    mutable std::mutex sessionMutex_;
    bool streaming_ = false;
};

// Verbs that need a session: all but hello, session.open and library.discover.
bool needsSession(const std::string &verb);

}  // namespace rsm::cli
