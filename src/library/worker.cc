#include "src/library/worker.h"

#include <algorithm>

#include <fmt/format.h>

namespace rsm::library {

namespace {

constexpr std::chrono::seconds kRetryWaiting{30};
constexpr std::chrono::seconds kMaxRecordDelay{5};

bool databaseAway(const Error &e) {
    return e.code() == ErrorCode::DatabaseFailure || e.code() == ErrorCode::DatabaseFull;
}

}  // namespace

LibraryWorker::LibraryWorker(engine::Engine &engine, Uuid library, const Job &job,
                             Finished finished, Idle idle, std::chrono::milliseconds idlePoll)
    : engine_(engine),
      library_(library),
      job_(job),
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
            (void)engine_.auditIfMovesPending(library_);  // a robot back after a failure
            auto requeued = engine_.requeueWaiting(library_);
            if (requeued && *requeued > 0)
                continue;
        }
        std::unique_lock lock(mutex_);
        cv_.wait_for(lock, idlePoll_, [this] { return woken_ || stopping_; });
    }
}

bool LibraryWorker::runOne() {
    if (recover_) {
        if (!engine_.requeueStrayRequests(library_))
            return false;  // the database is still away
        recover_ = false;
    }
    auto next = engine_.startNextRequest(library_);
    if (!next) {
        recover_ = databaseAway(next.error());
        return false;
    }
    if (!*next)
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
    } else if (auto done = job_(request, *library); !done) {
        outcome = done.error();
    } else if (done->wait) {
        // Not finished: no waiter is told; it runs again when something has changed.
        record([&] { return engine_.waitRequest(request.id, done->message); });
        return true;
    } else {
        message = done->message;
        result = done->result;
    }
    record([&] { return engine_.finishRequest(request.id, outcome, message, result); });
    // A failure may have left a move without its result (the robot or the database failed in
    // the middle): the element status says where the cartridge is. An audit that failed waits
    // for the next periodic look instead of trying again at once.
    if (!outcome && !std::holds_alternative<engine::work::Audit>(request.work))
        (void)engine_.auditIfMovesPending(library_);
    // Whatever it did may have freed a drive or a slot a waiting request needs.
    (void)engine_.requeueWaiting(library_);
    if (finished_)
        finished_(request.id);
    return true;
}

void LibraryWorker::record(const std::function<Result<void>()> &write) {
    std::chrono::milliseconds delay{100};
    for (;;) {
        auto written = write();
        if (written || !databaseAway(written.error()))
            return;
        std::unique_lock lock(mutex_);
        if (cv_.wait_for(lock, delay, [this] { return stopping_; }))
            return;
        delay = std::min<std::chrono::milliseconds>(delay * 2, kMaxRecordDelay);
    }
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
