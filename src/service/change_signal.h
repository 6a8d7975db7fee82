#pragma once
// ChangeSignal: tells rsmd's event feed that the event log may have grown. rsmd raises it after
// every transaction it commits (PgStoreOptions::onCommit); changes made elsewhere (another rsmd
// on the same database, an administrator's SQL) are found by the feed's look at the log every
// 200 ms (EventFeed). It replaces PostgreSQL's NOTIFY, whose commit-time lock made every
// writing transaction of the server wait for the others (docs/benchmarks.md, schema 11).
// Thread-safety: raise() from any thread; wait() from one thread at a time.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>

namespace rsm::service {

class ChangeSignal {
public:
    // Something may have changed; cheap when the signal is raised already.
    void raise() {
        if (raised_.exchange(true, std::memory_order_acq_rel))
            return;
        std::lock_guard lock(mutex_);
        cv_.notify_one();
    }
    // Waits up to `timeout` for raise(); true if it was raised (since the last wait).
    bool wait(std::chrono::milliseconds timeout) {
        std::unique_lock lock(mutex_);
        cv_.wait_for(lock, timeout, [this] { return raised_.load(std::memory_order_acquire); });
        return raised_.exchange(false, std::memory_order_acq_rel);
    }

private:
    std::atomic<bool> raised_{false};
    std::mutex mutex_;
    std::condition_variable cv_;
};

}  // namespace rsm::service
