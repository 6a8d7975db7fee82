#pragma once
// EventFeed: the `watch` stream. One thread follows the event log (woken by the database's
// notifications, see store/event_listener.h) and pushes each new event, as a protocol line,
// to every watching connection from the sequence number it asked for. A connection that stops
// reading is closed by the server when its queue overflows; the feed just drops it.
// Thread-safety: subscribe/unsubscribe from any thread.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <thread>

#include "src/daemon/handler.h"
#include "src/engine/engine.h"

namespace rsm::service {

class EventFeed {
public:
    // `waitForChange(timeout)`: blocks until the log may have grown or the timeout passes.
    EventFeed(engine::Engine &engine, std::function<bool(std::chrono::milliseconds)> waitForChange);
    ~EventFeed();

    void start();
    void stop();
    // Sends the connection every event after `after`, then each new one.
    void subscribe(const std::shared_ptr<daemon::ConnectionState> &connection, std::int64_t after);
    void unsubscribe(std::uint64_t connection);

private:
    struct Watcher {
        std::weak_ptr<daemon::ConnectionState> connection;
        std::int64_t position = 0;
    };
    void run();
    bool deliver();  // one batch; true when there may be more

    engine::Engine &engine_;
    std::function<bool(std::chrono::milliseconds)> waitForChange_;
    std::mutex mutex_;
    std::condition_variable cv_;
    bool stopping_ = false;
    bool kicked_ = false;
    std::map<std::uint64_t, Watcher> watchers_;
    std::thread thread_;
};

}  // namespace rsm::service
