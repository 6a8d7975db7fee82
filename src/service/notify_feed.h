#pragma once
// NotifyFeed: follows the event log for rsmd's notifications, as a watcher does (woken after
// rsmd's own commits, looking every 200 ms for others': another rsmd on the same database, an
// administrator's SQL), turns its notable rows into notifications (NotableEvents) with the
// names of what they concern, and hands them to a sink (rsmd: CommandNotifier::submit).
// It starts at the end of the log when started: events from before are not told. The flags
// whose changes are notable are seeded then from the libraries and their drives.
// Several rsmd on one database: each whose rsmd.conf sets notify_command tells every event;
// set it on one of them only (docs/notifications.md).
// Thread-safety: start/stop from one thread; the sink runs on the feed's thread.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>

#include "src/engine/engine.h"
#include "src/service/notable.h"

namespace rsm::service {

class NotifyFeed {
public:
    using Sink = std::function<void(const Notification &)>;
    using Warn = std::function<void(const std::string &)>;
    // `waitForChange(timeout)`: blocks until the log may have grown or the timeout passes.
    NotifyFeed(engine::Engine &engine, std::function<bool(std::chrono::milliseconds)> waitForChange,
               Sink sink, Warn warn = {});
    ~NotifyFeed();
    NotifyFeed(const NotifyFeed &) = delete;
    NotifyFeed &operator=(const NotifyFeed &) = delete;

    // Finds the end of the log and seeds the flags (on the caller's thread, so that what
    // follows is told), then follows the log; does nothing when started already.
    void start();
    void stop();

private:
    void run();
    bool begin();    // seeds and finds the end of the log; false while the database fails
    bool deliver();  // one batch; true when there may be more
    void name(Notification &n);  // the library and barcode when the rows did not say them

    engine::Engine &engine_;
    std::function<bool(std::chrono::milliseconds)> waitForChange_;
    Sink sink_;
    Warn warn_;
    std::mutex mutex_;
    std::condition_variable cv_;
    bool stopping_ = false;
    std::thread thread_;
    NotableEvents rules_;  // the thread's only, like position_
    std::int64_t position_ = -1;
};

}  // namespace rsm::service
