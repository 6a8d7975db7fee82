#include "src/daemon/connection.h"

#include <algorithm>
#include <exception>
#include <span>

#include <sys/socket.h>

#include <fmt/format.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>

#include "src/daemon/log.h"
#include "src/daemon/server.h"
#include "src/protocol/codec.h"

namespace rsm::daemon {

namespace asio = boost::asio;
using boost::system::error_code;

namespace {

constexpr std::size_t kChunk = 16384;

Reply internalError(const std::exception &e) {
    return Reply{protocol::errorLine(nullptr, Error(ErrorCode::InvalidState,
                                                    std::string("internal error: ") + e.what())),
                 false,
                 {}};
}

long long secondsOf(std::chrono::milliseconds d) {
    return std::chrono::duration_cast<std::chrono::seconds>(d).count();
}

}  // namespace

Connection::Connection(Socket socket, std::uint64_t id, PeerCredentials peer,
                       ConnectionContext &context)
    : socket_(std::move(socket)),
      id_(id),
      state_(std::make_shared<ConnectionHandle>(id, std::move(peer))),
      context_(context),
      chunk_(kChunk),
      watchdogTimer_(socket_.get_executor()),
      closedSignal_(socket_.get_executor(), Clock::time_point::max()) {}

Connection::~Connection() = default;

bool ConnectionHandle::push(std::string line) {
    const auto connection = connection_.lock();
    return connection && connection->push(std::move(line));
}

bool ConnectionHandle::pushAttached(std::string line, Attachment attachment) {
    const auto connection = connection_.lock();
    return connection && connection->push(std::move(line), std::move(attachment));
}

std::size_t ConnectionHandle::queuedBytes() const {
    const auto connection = connection_.lock();
    return connection ? connection->queuedBytes() : 0;
}

void ConnectionHandle::closeAfterWrites() {
    if (const auto connection = connection_.lock())
        connection->closeAfterWrites();
}

void Connection::start() {
    state_->connection_ = weak_from_this();
    log::debug("connection {}: pid {}, {}", id_, state_->pid(), state_->principal().toString());
    asio::co_spawn(socket_.get_executor(), run(shared_from_this()), asio::detached);
    asio::co_spawn(socket_.get_executor(), watchdog(shared_from_this()), asio::detached);
}

void Connection::close(std::string reason) {
    asio::post(socket_.get_executor(),
               [self = shared_from_this(), reason = std::move(reason)] { self->closeNow(reason); });
}

bool Connection::push(std::string line, Attachment attachment) {
    if (closed_.load())
        return false;
    // Counted now, so that the pusher sees its own lines.
    unwritten_ += line.size() + 1 + (attachment ? attachment->size() + 1 : 0);
    asio::post(socket_.get_executor(), [self = shared_from_this(), line = std::move(line),
                                        attachment = std::move(attachment)]() mutable {
        self->enqueue(std::move(line), std::move(attachment), true);
    });
    return true;
}

std::size_t Connection::queuedBytes() const {
    return closed_.load() ? 0 : unwritten_.load();
}

void Connection::closeAfterWrites() {
    asio::post(socket_.get_executor(), [self = shared_from_this()] {
        if (self->handling_)
            self->drainAfterReply_ = true;  // called inside handle(): its reply goes first
        else
            self->drain();
    });
}

asio::awaitable<void> Connection::run([[maybe_unused]] std::shared_ptr<Connection> self) {
    try {
        co_await serveRequests();
        // A drain in progress: the writer (or the watchdog) closes when it is done.
        if (!closed_) {
            error_code ec;
            co_await closedSignal_.async_wait(asio::redirect_error(asio::use_awaitable, ec));
        }
    } catch (const std::exception &e) {
        closeNow(std::string("internal error: ") + e.what());
    }
    closeNow("closed");
    log::debug("connection {} closed: {}", id_, closeReason_);
    std::shared_ptr<ConnectionState> state = state_;
    auto job = [this, state] {
        try {
            context_.handler.closed(state);
        } catch (const std::exception &e) {
            log::error("connection {}: closed() failed: {}", id_, e.what());
        }
        return true;
    };
    co_await runOnPool(context_.pool, std::move(job));
    context_.finished(id_);
}

asio::awaitable<void> Connection::serveRequests() {
    const auto &options = context_.options;
    std::shared_ptr<ConnectionState> state = state_;
    while (!closed_ && !draining_) {
        std::string line;
        switch (co_await readLine(line)) {
            case ReadStatus::Line:
                break;
            case ReadStatus::TooLong:
                enqueue(protocol::errorLine(
                    nullptr, Error(ErrorCode::MessageExceedsMaxSize,
                                   "request line longer than " + std::to_string(options.maxLine) +
                                       " bytes")));
                drainReason_ = "request line too long";
                drain();
                co_return;
            case ReadStatus::Eof:
                drainReason_ = "end of input";
                drain();  // the replies already queued are still written
                co_return;
            case ReadStatus::Failed:
                co_return;
        }
        if (closed_ || draining_)
            co_return;
        if (line.empty())
            continue;

        handling_ = true;
        Reply reply;
        if (auto atOnce = answerAtOnce(state, line)) {
            reply = std::move(*atOnce);
        } else {
            // A named job: g++ 12 copies a lambda temporary in a co_await expression bitwise.
            auto job = [this, state, line = std::move(line)] {
                try {
                    return context_.handler.handle(state, line);
                } catch (const std::exception &e) {
                    log::error("connection {}: handler failed: {}", id_, e.what());
                    return internalError(e);
                }
            };
            reply = co_await runOnPool(context_.pool, std::move(job));
        }
        handling_ = false;
        if (!reply.line.empty())
            enqueue(std::move(reply.line), std::move(reply.attachment));
        if (reply.after)
            reply.after();
        if (reply.close || drainAfterReply_) {
            drainReason_ = "closed by the handler";
            drain();
        }
    }
}

std::optional<Reply> Connection::answerAtOnce(const std::shared_ptr<ConnectionState> &state,
                                              const std::string &line) {
    try {
        return context_.handler.handleAtOnce(state, line);
    } catch (const std::exception &e) {
        log::error("connection {}: handler failed: {}", id_, e.what());
        return internalError(e);
    }
}

asio::awaitable<Connection::ReadStatus> Connection::readLine(std::string &line) {
    const std::size_t maxLine = context_.options.maxLine;
    for (;;) {
        const auto newline = input_.find('\n', scanned_);
        if (newline != std::string::npos) {
            if (newline > maxLine)
                co_return ReadStatus::TooLong;
            line.assign(input_, 0, newline);
            input_.erase(0, newline + 1);
            scanned_ = 0;
            if (!line.empty() && line.back() == '\r')
                line.pop_back();
            readDeadline_ = Clock::time_point::max();
            co_return ReadStatus::Line;
        }
        scanned_ = input_.size();
        if (input_.size() > maxLine)
            co_return ReadStatus::TooLong;
        // A line must be complete within the idle timeout of its first byte; a connection that
        // sends nothing is closed after the idle timeout too, unless it is held.
        if (readDeadline_ == Clock::time_point::max())
            setDeadline(readDeadline_, Clock::now() + context_.options.idleTimeout);

        error_code ec;
        const std::size_t n = co_await socket_.async_read_some(
            asio::buffer(chunk_), asio::redirect_error(asio::use_awaitable, ec));
        if (closed_)
            co_return ReadStatus::Failed;
        if (ec == asio::error::eof)
            co_return ReadStatus::Eof;
        if (ec) {
            closeNow("read failed: " + ec.message());
            co_return ReadStatus::Failed;
        }
        input_.append(chunk_.data(), n);
    }
}

asio::awaitable<void> Connection::watchdog([[maybe_unused]] std::shared_ptr<Connection> self) {
    const auto &options = context_.options;
    while (!closed_) {
        watchdogTimer_.expires_at(std::min(readDeadline_, writeDeadline_));
        error_code ec;
        co_await watchdogTimer_.async_wait(asio::redirect_error(asio::use_awaitable, ec));
        if (closed_)
            break;
        const auto now = Clock::now();
        if (writeDeadline_ <= now)
            closeNow("its output was not read for " +
                     std::to_string(secondsOf(options.writeTimeout)) + " s");
        else if (readDeadline_ <= now && !input_.empty())
            closeNow("no complete line within " + std::to_string(secondsOf(options.idleTimeout)) +
                     " s");
        else if (readDeadline_ <= now && state_->held())
            readDeadline_ = now + options.idleTimeout;  // it waits for what it asked for
        else if (readDeadline_ <= now)
            closeIdle();
    }
}

// Silent and owed nothing: a line says why before the connection closes.
void Connection::closeIdle() {
    readDeadline_ = Clock::time_point::max();
    const auto seconds = secondsOf(context_.options.idleTimeout);
    enqueue(protocol::errorLine(
        nullptr, Error(ErrorCode::Timeout,
                       fmt::format("rsmd closes connections idle for {} s (idle_timeout): "
                                   "connect again for the next request",
                                   seconds))));
    drainReason_ = "idle for " + std::to_string(seconds) + " s";
    drain();
}

void Connection::setDeadline(Clock::time_point &deadline, Clock::time_point when) {
    deadline = when;
    if (when < watchdogTimer_.expiry())
        watchdogTimer_.cancel();  // the watchdog wakes and waits for the new deadline
}

void Connection::enqueue(std::string line, Attachment attachment, bool counted) {
    const std::size_t size = line.size() + 1 + (attachment ? attachment->size() + 1 : 0);
    if (!counted)
        unwritten_ += size;
    if (closed_ || draining_) {
        unwritten_ -= size;
        return;
    }
    line += '\n';
    outbox_.push_back(Piece{std::move(line), {}});
    if (attachment) {
        outbox_.push_back(Piece{{}, std::move(attachment)});
        outbox_.push_back(Piece{"\n", {}});
    }
    outboxBytes_ += size;
    if (outboxBytes_ > context_.options.maxQueuedBytes) {
        closeNow("more than " + std::to_string(context_.options.maxQueuedBytes) +
                 " bytes of output unread");
        return;
    }
    startWrite();
}

void Connection::startWrite() {
    if (writing_ || outbox_.empty() || closed_)
        return;
    writing_ = true;
    enlargeSendBuffer();
    if (writeDeadline_ == Clock::time_point::max())
        setDeadline(writeDeadline_, Clock::now() + context_.options.writeTimeout);
    // The buffer sequence is the connection's: the write may complete long after this returns
    // (a full socket), and the operation keeps only a view of it. One write at a time.
    std::size_t count = 0;
    for (const Piece &piece : outbox_) {
        if (count == writeBuffers_.size())
            break;
        writeBuffers_[count] = asio::buffer(piece.bytes());
        if (count == 0)
            writeBuffers_[0] += frontWritten_;
        ++count;
    }
    socket_.async_write_some(std::span(writeBuffers_.data(), count),
                             [self = shared_from_this()](const error_code &ec, std::size_t bytes) {
                                 self->written(ec, bytes);
                             });
}

// A reply larger than the socket's send buffer (a library's mtx status) would go out in pieces,
// each after the client read the last: the buffer grows to take it whole (root's rsmd may
// exceed net.core.wmem_max; up to 8 MiB).
void Connection::enlargeSendBuffer() {
    constexpr std::size_t kMax = 8u << 20;
    const int want = static_cast<int>(std::min(outboxBytes_, kMax));
    if (want <= std::max(sendBuffer_, 212992))
        return;
    const int fd = socket_.native_handle();
    if (::setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &want, sizeof want) != 0)
        ::setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &want, sizeof want);
    sendBuffer_ = want;
}

void Connection::written(const error_code &ec, std::size_t bytes) {
    writing_ = false;
    if (closed_)
        return;
    if (ec) {
        closeNow("write failed: " + ec.message());
        return;
    }
    outboxBytes_ -= bytes;
    unwritten_ -= bytes;
    while (bytes > 0) {
        const std::size_t left = outbox_.front().bytes().size() - frontWritten_;
        if (bytes < left) {
            frontWritten_ += bytes;
            break;
        }
        bytes -= left;
        outbox_.pop_front();
        frontWritten_ = 0;
    }
    // Progress: the write timeout starts again (or stops when all is written).
    writeDeadline_ = Clock::time_point::max();
    if (outbox_.empty()) {
        if (draining_)
            closeNow(drainReason_);
        return;
    }
    startWrite();
}

void Connection::drain() {
    if (closed_)
        return;
    draining_ = true;
    if (!writing_ && outbox_.empty())
        closeNow(drainReason_);
}

void Connection::closeNow(const std::string &reason) {
    if (closed_)
        return;
    closed_ = true;
    closeReason_ = reason;
    error_code ignored;
    socket_.shutdown(Socket::shutdown_both, ignored);
    socket_.close(ignored);
    watchdogTimer_.cancel();
    closedSignal_.cancel();
    unwritten_ -= outboxBytes_;
    outbox_.clear();
    outboxBytes_ = 0;
}

}  // namespace rsm::daemon
