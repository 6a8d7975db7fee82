#include "src/service/lifecycle_thread.h"

#include <fmt/format.h>

namespace rsm::service {

LifecycleThread::LifecycleThread(engine::Engine &engine, std::chrono::seconds interval,
                                 Report report)
    : engine_(engine), interval_(interval), report_(std::move(report)) {}

LifecycleThread::~LifecycleThread() {
    stop();
}

void LifecycleThread::start() {
    if (interval_.count() == 0)
        return;
    std::lock_guard lock(mutex_);
    if (!thread_.joinable())
        thread_ = std::thread([this] { run(); });
}

void LifecycleThread::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
        cv_.notify_all();
    }
    if (thread_.joinable())
        thread_.join();
}

std::vector<std::string> sweepLines(const engine::SweepReport &report) {
    std::vector<std::string> out;
    for (const engine::SweepSide &s : report.sides)
        out.push_back(
            fmt::format("lifecycle: side {} of {} (pool {}, LMID {}): retention ended; {}",
                        s.side.sideNumber, s.side.barcode.value_or(s.side.mediaId.toString()),
                        s.pool, s.side.lmidName, s.outcome));
    for (const engine::SweepPool &p : report.pools) {
        if (p.raised)
            out.push_back(
                fmt::format("lifecycle: pool {} has {} free media, below its low mark "
                            "of {}: operator request posted",
                            p.pool, p.free, p.lowMark.value_or(0)));
        if (p.withdrawn)
            out.push_back(fmt::format(
                "lifecycle: pool {} has {} free media again: its operator request is complete",
                p.pool, p.free));
    }
    return out;
}

void LifecycleThread::run() {
    for (;;) {
        auto report = engine_.applyLifecycle();
        if (report_) {
            if (!report)
                report_(true, "lifecycle: sweep failed: " + report.error().toString());
            else
                for (const std::string &line : sweepLines(*report))
                    report_(line.find("; failed") != std::string::npos, line);
        }
        std::unique_lock lock(mutex_);
        if (cv_.wait_for(lock, interval_, [this] { return stopping_; }))
            return;
    }
}

}  // namespace rsm::service
