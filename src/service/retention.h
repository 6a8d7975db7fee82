#pragma once
// Retention: rsmd's periodic purge of the event log and of closed sessions (rsmd.conf
// event_retention, session_retention, purge_interval). A thread of its own runs
// Engine::purge at start and then every interval, and reports what it deleted.
// Thread-safety: start/stop from one thread.

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "src/engine/engine.h"

namespace rsm::service {

struct RetentionOptions {
    std::chrono::seconds events{30 * 86400};  // zero: kept for good
    std::chrono::seconds sessions{7 * 86400};
    std::chrono::seconds interval{3600};
    // Where the outcome of each purge goes (a line for the log); `failed` for errors.
    std::function<void(bool failed, const std::string &line)> report;
};

class Retention {
public:
    Retention(engine::Engine &engine, RetentionOptions options);
    ~Retention();
    Retention(const Retention &) = delete;
    Retention &operator=(const Retention &) = delete;

    void start();
    void stop();

private:
    void run();

    engine::Engine &engine_;
    const RetentionOptions options_;
    std::mutex mutex_;
    std::condition_variable cv_;
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace rsm::service
