#include "src/library/worker.h"

#include <fmt/format.h>

namespace rsm::library {

namespace {

constexpr std::chrono::seconds kRetryWaiting{30};

}  // namespace

LibraryWorker::LibraryWorker(engine::Engine &engine, Uuid library, const Jobs &jobs,
                             Finished finished, Idle idle, std::chrono::milliseconds idlePoll)
    : engine_(engine),
      library_(library),
      jobs_(jobs),
      finished_(std::move(finished)),
      idle_(std::move(idle)),
      idlePoll_(idlePoll),
      thread_([this] { run(); }) {}

LibraryWorker::~LibraryWorker() {
    stop();
}

void LibraryWorker::wake() {
    std::lock_guard lock(mutex_);
    woken_ = true;
    cv_.notify_one();
}

void LibraryWorker::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
        cv_.notify_one();
    }
    if (thread_.joinable())
        thread_.join();
}

void LibraryWorker::run() {
    for (;;) {
        {
            std::lock_guard lock(mutex_);
            if (stopping_)
                return;
            woken_ = false;
        }
        if (runOne() || runIdle())
            continue;
        if (const auto now = std::chrono::steady_clock::now(); now >= nextRetry_) {
            nextRetry_ = now + kRetryWaiting;
            auto requeued = engine_.requeueWaiting(library_);
            if (requeued && *requeued > 0)
                continue;
        }
        std::unique_lock lock(mutex_);
        cv_.wait_for(lock, idlePoll_, [this] { return woken_ || stopping_; });
    }
}

bool LibraryWorker::runOne() {
    auto next = engine_.startNextRequest(library_);
    if (!next || !*next)
        return false;
    const engine::RequestRow &request = **next;
    Result<void> outcome = success();
    std::string message, result;
    auto library = engine_.libraryRow(library_);
    if (!library) {
        outcome = library.error();
    } else if (!library->enabled) {
        outcome = Error(ErrorCode::ResourceDisabled,
                        fmt::format("library {} is disabled", library->name));
    } else if (auto job = jobs_.find(request.kind); job == jobs_.end()) {
        outcome = Error(ErrorCode::InvalidOperation,
                        fmt::format("rsmd has no robot job \"{}\"", request.kind));
    } else if (auto done = job->second(request, *library); !done) {
        outcome = done.error();
    } else if (done->wait) {
        // Not finished: no waiter is told; it runs again when something has changed.
        (void)engine_.waitRequest(request.id, done->message);
        return true;
    } else {
        message = done->message;
        result = done->result;
    }
    (void)engine_.finishRequest(request.id, outcome, message, result);
    // Whatever it did may have freed a drive or a slot a waiting request needs.
    (void)engine_.requeueWaiting(library_);
    if (finished_)
        finished_(request.id);
    return true;
}

bool LibraryWorker::runIdle() {
    if (!idle_)
        return false;
    auto library = engine_.libraryRow(library_);
    if (!library || !library->enabled)
        return false;
    if (!idle_(*library))
        return false;
    (void)engine_.requeueWaiting(library_);
    return true;
}

}  // namespace rsm::library
