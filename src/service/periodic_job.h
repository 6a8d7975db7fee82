#pragma once
// PeriodicJob: a piece of rsmd's housekeeping run on a thread of its own, once at start and
// then every interval until stopped (the event log's retention, the lifecycle sweep). An
// interval of zero means never: start() does nothing. stop() wakes the thread from its wait
// and joins it; a run under way is finished first.
// Thread-safety: start/stop from one thread; the work runs on the job's own thread.

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace rsm::service {

// Where a job's outcome goes: a line for the log; `failed` for errors.
using JobReport = std::function<void(bool failed, const std::string &line)>;

class PeriodicJob {
public:
    PeriodicJob(std::chrono::seconds interval, std::function<void()> work);
    ~PeriodicJob();
    PeriodicJob(const PeriodicJob &) = delete;
    PeriodicJob &operator=(const PeriodicJob &) = delete;

    void start();
    void stop();

private:
    void run();

    const std::chrono::seconds interval_;
    const std::function<void()> work_;
    std::mutex mutex_;
    std::condition_variable cv_;
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace rsm::service
