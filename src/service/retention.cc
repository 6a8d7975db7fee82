#include "src/service/retention.h"

#include <fmt/format.h>

namespace rsm::service {

Retention::Retention(engine::Engine &engine, RetentionOptions options)
    : engine_(engine), options_(std::move(options)) {}

Retention::~Retention() {
    stop();
}

void Retention::start() {
    if (options_.events.count() == 0 && options_.sessions.count() == 0)
        return;  // everything is kept
    std::lock_guard lock(mutex_);
    if (!thread_.joinable())
        thread_ = std::thread([this] { run(); });
}

void Retention::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
        cv_.notify_all();
    }
    if (thread_.joinable())
        thread_.join();
}

void Retention::run() {
    for (;;) {
        auto purged = engine_.purge(options_.events, options_.sessions);
        if (options_.report) {
            if (!purged)
                options_.report(true, "retention: purge failed: " + purged.error().toString());
            else if (purged->events > 0 || purged->sessions > 0)
                options_.report(false,
                                fmt::format("retention: purged {} events and {} closed sessions",
                                            purged->events, purged->sessions));
        }
        std::unique_lock lock(mutex_);
        if (cv_.wait_for(lock, options_.interval, [this] { return stopping_; }))
            return;
    }
}

}  // namespace rsm::service
