#pragma once
// Connection: one accepted client of rsmd's socket, the server's side of ConnectionState.
// A coroutine reads newline-framed request lines one at a time, hands each to the Handler on
// the worker pool, and queues the reply in the outbox, where pushed lines queue too; a writer
// drains the outbox; a watchdog closes the connection when a started line is not completed
// within the idle timeout, when it sends no request for the idle timeout while it is not held
// (ConnectionState::hold: robot work it waits for, a watch), or when the outbox makes no
// progress within the write timeout.
// Thread-safety: all state lives on the connection's strand; push(), closeAfterWrites() and
// close() may be called from any thread.

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "src/daemon/handler.h"
#include "src/daemon/peer.h"

namespace rsm::daemon {

struct ServerOptions;

// Runs fn() on the pool, then resumes the awaiting coroutine on its own executor with fn's
// result. (post(pool, use_awaitable) would resume on the pool's thread instead.) The coroutine's
// executor counts as busy meanwhile, so io_context::run does not return under it.
// Pass a named function object: g++ 12 copies non-trivial temporaries of a co_await expression
// bitwise (a double destruction); fn is taken by reference for the same reason.
template <typename Fn>
boost::asio::awaitable<std::invoke_result_t<std::decay_t<Fn> &>> runOnPool(
    boost::asio::thread_pool &pool, Fn &&fn) {
    using F = std::decay_t<Fn>;
    using T = std::invoke_result_t<F &>;
    static_assert(!std::is_void_v<T>, "runOnPool wants a function returning a value");
    auto initiation = [&pool](auto handler, F fn) {
        auto work = boost::asio::make_work_guard(boost::asio::get_associated_executor(handler));
        boost::asio::post(pool, [handler = std::move(handler), fn = std::move(fn),
                                 work = std::move(work)]() mutable {
            T result = fn();
            auto executor = work.get_executor();
            boost::asio::post(executor, [handler = std::move(handler), result = std::move(result),
                                         work = std::move(work)]() mutable {
                std::move(handler)(std::move(result));
            });
        });
    };
    return boost::asio::async_initiate<const boost::asio::use_awaitable_t<> &, void(T)>(
        std::move(initiation), boost::asio::use_awaitable, F(std::forward<Fn>(fn)));
}

// What the connections of one server share with it; the server outlives them.
struct ConnectionContext {
    Handler &handler;
    boost::asio::thread_pool &pool;
    const ServerOptions &options;
    // After the handler's closed() returned: the server forgets the connection.
    std::function<void(std::uint64_t id)> finished;
};

class Connection;

// The ConnectionState the handler holds. It refers to its Connection weakly, so a handler may
// keep it after closed() (and after the io_context is gone): push() then returns false.
class ConnectionHandle final : public ConnectionState {
public:
    ConnectionHandle(std::uint64_t id, PeerCredentials peer) : id_(id), peer_(std::move(peer)) {}

    std::uint64_t id() const override { return id_; }
    const Principal &principal() const override { return peer_.principal; }
    int pid() const override { return peer_.pid; }
    bool push(std::string line) override;
    bool pushAttached(std::string line, Attachment attachment) override;
    std::size_t queuedBytes() const override;
    void closeAfterWrites() override;
    void hold() override { ++holds_; }
    void release() override { --holds_; }
    bool held() const { return holds_.load() > 0; }

private:
    friend class Connection;
    std::atomic<int> holds_{0};
    const std::uint64_t id_;
    const PeerCredentials peer_;
    std::weak_ptr<Connection> connection_;  // set once, before the handler sees the handle
};

class Connection : public std::enable_shared_from_this<Connection> {
public:
    using Socket = boost::asio::local::stream_protocol::socket;  // on its own strand
    using Clock = std::chrono::steady_clock;

    Connection(Socket socket, std::uint64_t id, PeerCredentials peer, ConnectionContext &context);
    ~Connection();

    // Starts the reader and the watchdog; once, after construction.
    void start();
    // Closes at once, dropping unwritten output; from any thread.
    void close(std::string reason);
    // ConnectionState's push and closeAfterWrites; from any thread.
    bool push(std::string line, Attachment attachment = {});
    void closeAfterWrites();
    std::size_t queuedBytes() const;

private:
    enum class ReadStatus { Line, TooLong, Eof, Failed };

    boost::asio::awaitable<void> run(std::shared_ptr<Connection> self);
    boost::asio::awaitable<void> serveRequests();
    boost::asio::awaitable<ReadStatus> readLine(std::string &line);
    boost::asio::awaitable<void> watchdog(std::shared_ptr<Connection> self);

    // On the strand.
    // counted: push() has counted the line in unwritten_ already.
    void enqueue(std::string line, Attachment attachment = {}, bool counted = false);
    void startWrite();
    void enlargeSendBuffer();
    // The handler's answer on this thread, when it gives one (Handler::handleAtOnce).
    std::optional<Reply> answerAtOnce(const std::shared_ptr<ConnectionState> &state,
                                      const std::string &line);
    void written(const boost::system::error_code &ec, std::size_t bytes);
    void drain();
    void closeNow(const std::string &reason);
    void closeIdle();
    void setDeadline(Clock::time_point &deadline, Clock::time_point when);

    Socket socket_;
    const std::uint64_t id_;
    const std::shared_ptr<ConnectionHandle> state_;  // what the handler sees
    ConnectionContext &context_;

    std::atomic<bool> closed_{false};  // written on the strand only
    bool draining_ = false;            // closeAfterWrites: no more reads, close when written
    bool handling_ = false;            // the handler has a line of this connection
    bool drainAfterReply_ = false;     // closeAfterWrites came during handle()
    std::string drainReason_ = "closed by the server";  // why, once the output is written
    std::string closeReason_;                           // for the log

    std::string input_;        // bytes read and not yet handled
    std::size_t scanned_ = 0;  // input_[0, scanned_) holds no newline
    std::vector<char> chunk_;  // one read

    // Bytes pushed or enqueued and not yet written (or dropped by a close); from any thread.
    std::atomic<std::size_t> unwritten_{0};
    // The buffers of the write under way: they must live until it completes (issue 14,
    // finding 1: a write that completes later read them from a dead stack frame).
    static constexpr std::size_t kMaxGather = 16;  // lines per write
    std::array<boost::asio::const_buffer, kMaxGather> writeBuffers_;
    // What is queued to be written: a line with its newline, or an attachment's shared bytes.
    struct Piece {
        std::string own;
        Attachment shared;
        std::string_view bytes() const { return shared ? std::string_view(*shared) : own; }
    };
    std::deque<Piece> outbox_;
    std::size_t outboxBytes_ = 0;   // not yet written, outbox_.front() partly written
    std::size_t frontWritten_ = 0;  // bytes of outbox_.front() already written
    bool writing_ = false;
    int sendBuffer_ = 0;  // the socket's send buffer as last enlarged (0: the system's)

    Clock::time_point readDeadline_ = Clock::time_point::max();
    Clock::time_point writeDeadline_ = Clock::time_point::max();
    boost::asio::steady_timer watchdogTimer_;
    boost::asio::steady_timer closedSignal_;  // never expires; cancelled by closeNow
};

}  // namespace rsm::daemon
