#pragma once
// LifecycleThread: rsmd's periodic lifecycle sweep (rsmd.conf lifecycle_interval;
// docs/lifecycle.md). A thread of its own runs Engine::applyLifecycle at start and then every
// interval (zero: never; rsmctl pool sweep still runs it), and reports what it did: each side
// deallocated or reported, each low-mark request posted or completed.
// Thread-safety: start/stop from one thread.

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "src/engine/engine.h"

namespace rsm::service {

class LifecycleThread {
public:
    // `report`: a line for the log; `failed` for errors.
    using Report = std::function<void(bool failed, const std::string &line)>;
    LifecycleThread(engine::Engine &engine, std::chrono::seconds interval, Report report);
    ~LifecycleThread();
    LifecycleThread(const LifecycleThread &) = delete;
    LifecycleThread &operator=(const LifecycleThread &) = delete;

    void start();
    void stop();

private:
    void run();

    engine::Engine &engine_;
    const std::chrono::seconds interval_;
    const Report report_;
    std::mutex mutex_;
    std::condition_variable cv_;
    bool stopping_ = false;
    std::thread thread_;
};

// The log lines of a sweep: one per side acted on and per pool request raised or completed.
std::vector<std::string> sweepLines(const engine::SweepReport &report);

}  // namespace rsm::service
