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

LibraryWorker::LibraryWorker(engine::Engine &engine, engine::Ledger &ledger, Uuid library,
                             const Job &job, Finished finished, Idle idle,
                             std::chrono::milliseconds idlePoll)
    : engine_(engine),
      ledger_(ledger),
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
    auto next = ledger_.prepare(library_);
    if (!next) {
        recover_ = databaseAway(next.error());
        return false;
    }
    if (!*next)
        return false;
    const engine::PreparedRequest &prepared = **next;
    const engine::RequestRow &request = prepared.request;
    engine::RequestOutcome outcome;
    if (!prepared.library.enabled) {
        outcome.status = Error(ErrorCode::ResourceDisabled,
                               fmt::format("library {} is disabled", prepared.library.name));
    } else if (auto done = job_(prepared, link_); !done) {
        outcome.status = done.error();
        link_.drop();  // the robot or its transport may have failed: connect anew next time
    } else if (done->wait) {
        // Not finished: no waiter is told; it runs again when something has changed.
        record([&] { return ledger_.wait(request.id, done->message); });
        return true;
    } else {
        outcome.message = std::move(done->message);
        outcome.result = std::move(done->result);
        outcome.mountedDrive = done->mounted;
    }
    // The outcome, the waiting requests queued again (it may have freed a drive or a slot
    // they need), and the request as its waiter gets it: one transaction.
    std::optional<engine::RequestInfo> info;
    record([&]() -> Result<void> {
        auto finished = ledger_.finish(request.id, outcome);
        if (!finished)
            return finished.error();
        info = std::move(*finished);
        return success();
    });
    // A failure may have left a move without its result (the robot or the database failed in
    // the middle): the element status says where the cartridge is. An audit that failed waits
    // for the next periodic look instead of trying again at once.
    if ((!outcome.status || (info && info->row.state == RequestState::Failed)) &&
        !std::holds_alternative<engine::work::Audit>(request.work))
        (void)engine_.auditIfMovesPending(library_);
    if (finished_)
        finished_(request.id, info ? &*info : nullptr);
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
    auto work = ledger_.idle(library_, engine::unixNow());
    if (!work || !work->library.enabled || work->dueDismounts.empty())
        return false;
    if (!idle_(work->library, work->dueDismounts, link_))
        return false;
    (void)engine_.requeueWaiting(library_);
    return true;
}

}  // namespace rsm::library
