#pragma once
// Test helpers for rsmd's server: a temporary directory, a scripted Handler, a Server running
// on its own io thread, and a blocking line client with timeouts.
// Thread-safety: ScriptedHandler is called from the server's workers; the rest is one thread.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include <boost/asio/io_context.hpp>

#include "src/daemon/handler.h"
#include "src/daemon/server.h"

namespace rsm::daemon::test {

using namespace std::chrono_literals;

class TempDir {
public:
    TempDir();
    ~TempDir();
    const std::string &path() const { return path_; }
    std::string file(const std::string &name) const { return path_ + "/" + name; }

private:
    std::string path_;
};

// Replies by the line it gets:
//   "slow"     sleeps 1.5 s, then "slow done"
//   "big"      a reply of 1000 'b'
//   "push N"   pushes "pushed 0" .. "pushed N-1", then replies "pushed N"
//   "after"    replies "reply", and its after() pushes "after"
//   "close"    replies "bye" and closes
//   "quit"     calls closeAfterWrites(), then replies "quitting"
//   "keep"     keeps the connection (kept()), replies "kept"
//   "hold"     holds the connection (not idle), replies "held"; "release" ends it: "released"
//   "silent"   no reply
//   "who"      "uid GIDS... pid P"
//   "attach N" replies "attached N" with an attachment of N lines (attachmentLine(i)); its
//              after() pushes "pushed N" with the same attachment (pushAttached)
//   "now"      answered at once on the connection's thread (handleAtOnce): "now"
//   anything   "echo:" + the line
class ScriptedHandler : public Handler {
public:
    Reply handle(const std::shared_ptr<ConnectionState> &connection,
                 std::string_view line) override;
    std::optional<Reply> handleAtOnce(const std::shared_ptr<ConnectionState> &connection,
                                      std::string_view line) override;
    void closed(const std::shared_ptr<ConnectionState> &connection) override;

    // Waits until closed() was called for `count` connections in all.
    bool waitClosed(std::size_t count, std::chrono::milliseconds timeout = 5s);
    std::map<std::uint64_t, int> closedCalls() const;
    std::shared_ptr<ConnectionState> kept() const;
    // The threads handle() and handleAtOnce() answered on ("now" and the rest).
    std::thread::id handledOn() const;
    std::thread::id atOnceOn() const;
    static std::string attachmentLine(int i);

private:
    mutable std::mutex mutex_;
    std::condition_variable changed_;
    std::map<std::uint64_t, int> closed_;  // connection id -> closed() calls
    std::shared_ptr<ConnectionState> kept_;
    std::thread::id handledOn_, atOnceOn_;
};

// A Server on its own io thread. The destructor stops it and checks that run() returns.
class RunningServer {
public:
    RunningServer(ServerOptions options, Handler &handler);
    ~RunningServer();

    // listen() and, when it succeeds, start the io thread.
    Result<void> start();
    // stop() and wait for io_context::run() to return; false on a timeout.
    bool stop(std::chrono::milliseconds timeout = 10s);
    Server &server() { return server_; }

private:
    boost::asio::io_context io_;
    Server server_;
    std::thread thread_;
    std::mutex mutex_;
    std::condition_variable done_;
    bool returned_ = false;
};

ServerOptions testOptions(const TempDir &dir);

// One client socket with blocking operations bounded by timeouts.
class Client {
public:
    explicit Client(const std::string &path);
    ~Client();
    Client(const Client &) = delete;
    Client &operator=(const Client &) = delete;

    bool connected() const { return fd_ >= 0; }
    int fd() const { return fd_; }
    // Sends all of data; false when the server has closed (EPIPE, ECONNRESET) or on timeout.
    bool send(const std::string &data, std::chrono::milliseconds timeout = 5s);
    // The next line without its newline; nullopt on end of stream, error or timeout.
    std::optional<std::string> readLine(std::chrono::milliseconds timeout = 5s);
    // Sends a line and reads one.
    std::optional<std::string> request(const std::string &line);
    // True when the server closes the connection within the timeout (data before is skipped).
    bool waitClosed(std::chrono::milliseconds timeout = 5s);
    void close();

private:
    // Reads more into buffer_: >0 bytes, 0 end of stream, -1 error, -2 timeout.
    int fill(std::chrono::milliseconds timeout);

    int fd_ = -1;
    std::string buffer_;
};

}  // namespace rsm::daemon::test
