#include "src/service/periodic_job.h"

namespace rsm::service {

PeriodicJob::PeriodicJob(std::chrono::seconds interval, std::function<void()> work)
    : interval_(interval), work_(std::move(work)) {}

PeriodicJob::~PeriodicJob() {
    stop();
}

void PeriodicJob::start() {
    if (interval_.count() == 0)
        return;
    std::lock_guard lock(mutex_);
    if (!thread_.joinable())
        thread_ = std::thread([this] { run(); });
}

void PeriodicJob::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
        cv_.notify_all();
    }
    if (thread_.joinable())
        thread_.join();
}

void PeriodicJob::run() {
    for (;;) {
        work_();
        std::unique_lock lock(mutex_);
        if (cv_.wait_for(lock, interval_, [this] { return stopping_; }))
            return;
    }
}

}  // namespace rsm::service
