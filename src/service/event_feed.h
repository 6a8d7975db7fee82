#pragma once
// EventFeed: the `watch` stream. One thread follows the event log (woken after rsmd's own
// commits, see change_signal.h, and looking every 200 ms for others') and pushes each new
// event, as a protocol line,
// to every watching connection from the sequence number it asked for — only the events its
// session may read (Engine::mayRead: rights are read anew for each batch, so a revoked right
// takes effect at the next one; a watcher whose session may no longer watch gets the error
// and is closed).
// A replay is bounded per connection: a watcher gets the next lines only while its
// connection has less than kWatchQueueLimit bytes unwritten, and one whose reader stays that
// far behind for kWatchStallLimit gets an error line and is closed. A watcher whose position
// the retention has purged gets a notice line, then the events still kept.
// Thread-safety: subscribe/unsubscribe from any thread.

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "src/daemon/handler.h"
#include "src/engine/engine.h"

namespace rsm::service {

constexpr std::size_t kWatchQueueLimit = 256 * 1024;
constexpr std::chrono::seconds kWatchStallLimit{60};
constexpr std::chrono::milliseconds kWatchBatch{5};

class EventFeed {
public:
    // `waitForChange(timeout)`: blocks until the log may have grown or the timeout passes.
    // After a change the feed waits kWatchBatch more, so that a busy server's commits are
    // read from the log in batches rather than one read per commit.
    EventFeed(engine::Engine &engine, std::function<bool(std::chrono::milliseconds)> waitForChange);
    ~EventFeed();

    void start();
    void stop();
    // Sends the connection every event after `after` that `session` may read, then each new
    // one; the events of sessions opened and closed (kind "session") only with `sessions`.
    void subscribe(const std::shared_ptr<daemon::ConnectionState> &connection, const Uuid &session,
                   std::int64_t after, bool sessions = false);
    void unsubscribe(std::uint64_t connection);

private:
    struct Watcher {
        std::weak_ptr<daemon::ConnectionState> connection;
        Uuid session;
        std::int64_t position = 0;
        bool toldPurged = false;  // the notice about purged events went out
        std::optional<std::chrono::steady_clock::time_point> stalledSince;
        bool sessions = false;  // it asked for session events
    };
    // The last batch read, for the readers that take it a part at a time.
    struct Batch {
        std::int64_t from = 0;
        engine::EventBatch rows;
        std::vector<engine::EventAudience> audiences;
        std::vector<std::string> lines;
    };
    enum class Outcome { Idle, More, Paused };
    // The events after `from`: the last batch again when it covers them, else read anew.
    const Batch *batchFrom(std::int64_t from);
    void run();
    Outcome deliver();  // one batch
    // Pushes the batch's lines the watcher may read; false when the watcher is done with.
    bool send(Watcher &w, daemon::ConnectionState &connection, const engine::EventBatch &batch,
              const std::vector<engine::EventAudience> &audiences,
              const std::vector<std::string> &lines);

    engine::Engine &engine_;
    std::function<bool(std::chrono::milliseconds)> waitForChange_;
    std::mutex mutex_;
    std::condition_variable cv_;
    bool stopping_ = false;
    bool kicked_ = false;
    std::map<std::uint64_t, Watcher> watchers_;
    std::optional<Batch> batch_;  // the feed thread's only
    std::thread thread_;
};

}  // namespace rsm::service
