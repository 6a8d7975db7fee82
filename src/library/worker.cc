#include "src/library/worker.h"

#include <algorithm>
#include <utility>

#include <fmt/format.h>

namespace rsm::library {

namespace {

constexpr std::chrono::seconds kRetryWaiting{30};
constexpr std::chrono::seconds kMaxRecordDelay{5};

bool databaseAway(const Error &e) {
    return e.code() == ErrorCode::DatabaseFailure || e.code() == ErrorCode::DatabaseFull;
}

// A robot or drive that did not answer in time is, to the client, a device not available; the
// message keeps the command and the time it was given.
Error deviceFailure(const Error &e) {
    if (!e.isUnanswered())
        return e;  // (an unanswered command has no sense data to keep)
    return Error(ErrorCode::DeviceNotAvailable,
                 e.message() +
                     "; check that the library is powered on, connected and not in manual "
                     "mode (rsmd.conf's command_timeout says how long a command may take)");
}

}  // namespace

LibraryWorker::LibraryWorker(engine::Engine &engine, engine::Ledger &ledger,
                             engine::LibraryRow library, const Job &job, Finished finished,
                             Idle idle, std::chrono::milliseconds idlePoll, Log log)
    : engine_(engine),
      ledger_(ledger),
      library_(library.id),
      job_(job),
      finished_(std::move(finished)),
      idle_(std::move(idle)),
      idlePoll_(idlePoll),
      log_(std::move(log)),
      row_(std::move(library)),
      thread_([this] { run(); }) {}

LibraryWorker::~LibraryWorker() {
    stop();
}

void LibraryWorker::wake() {
    std::lock_guard lock(mutex_);
    woken_ = true;
    cv_.notify_one();
}

engine::LibraryRow LibraryWorker::row() const {
    std::lock_guard lock(mutex_);
    return row_;
}

void LibraryWorker::remember(const engine::LibraryRow &row) {
    std::lock_guard lock(mutex_);
    row_ = row;
}

void LibraryWorker::peek(Peek peek) {
    std::lock_guard lock(mutex_);
    peeks_.push_back(std::move(peek));
    cv_.notify_one();
}

void LibraryWorker::runPeeks() {
    std::vector<Peek> peeks;
    engine::LibraryRow row;
    {
        std::lock_guard lock(mutex_);
        peeks.swap(peeks_);
        row = row_;
    }
    if (peeks.empty())
        return;
    std::lock_guard linkLock(linkMutex_);
    for (Peek &peek : peeks)
        peek(row, link_);
    noteRobot();
}

bool LibraryWorker::peekHere(const Peek &peek) {
    std::unique_lock linkLock(linkMutex_, std::try_to_lock);
    if (!linkLock)
        return false;
    engine::LibraryRow row;
    {
        std::lock_guard lock(mutex_);
        if (stopping_)
            return false;
        row = row_;
    }
    peek(row, link_);
    noteRobot();
    return true;
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
    // Whether to look at the database (the queue, the idle work): when woken for a request,
    // and every idlePoll_; a peek alone wakes the thread without a look.
    bool look = true;
    auto nextLook = std::chrono::steady_clock::now();
    std::optional<engine::NextWork> known;  // what the last finish found to do next
    for (;;) {
        {
            std::unique_lock lock(mutex_);
            if (stopping_) {
                lock.unlock();
                runPeeks();
                // A request the last finish took for this worker is queued again.
                if (known && known->request)
                    (void)engine_.requeueStrayRequests(library_);
                return;
            }
            woken_ = false;
        }
        runPeeks();
        if (look || known) {
            nextLook = std::chrono::steady_clock::now() + idlePoll_;
            if (work(known)) {
                look = true;
                continue;
            }
            if (const auto now = std::chrono::steady_clock::now(); now >= nextRetry_) {
                nextRetry_ = now + kRetryWaiting;
                (void)engine_.auditIfMovesPending(library_);  // a robot back after a failure
                auto requeued = engine_.requeueWaiting(library_);
                if (requeued && *requeued > 0)
                    continue;
            }
        }
        std::unique_lock lock(mutex_);
        const bool woken = cv_.wait_until(
            lock, nextLook, [this] { return woken_ || stopping_ || !peeks_.empty(); });
        look = !woken || woken_ || std::chrono::steady_clock::now() >= nextLook;
    }
}

bool LibraryWorker::work(std::optional<engine::NextWork> &known) {
    std::optional<engine::NextWork> next = std::exchange(known, std::nullopt);
    if (!next) {
        if (recover_) {
            if (!engine_.requeueStrayRequests(library_))
                return false;  // the database is still away
            recover_ = false;
        }
        auto read = ledger_.next(library_, engine::unixNow());
        if (!read) {
            recover_ = databaseAway(read.error());
            return false;
        }
        next = std::move(*read);
    }
    remember(next->idle.library);
    if (next->request) {
        known = runOne(*next->request);
        return true;
    }
    return runIdle(next->idle);
}

std::optional<engine::NextWork> LibraryWorker::runOne(const engine::PreparedRequest &prepared) {
    const engine::RequestRow &request = prepared.request;
    engine::RequestOutcome outcome;
    if (!prepared.library.enabled) {
        outcome.status = Error(ErrorCode::ResourceDisabled,
                               fmt::format("library {} is disabled", prepared.library.name));
    } else if (auto done = runJob(prepared); !done) {
        outcome.status = done.error();
    } else if (done->wait) {
        // Not finished: no waiter is told; it runs again when something has changed.
        record([&] { return ledger_.wait(request.id, done->message); });
        return std::nullopt;
    } else {
        outcome.message = std::move(done->message);
        outcome.mountedDrive = done->mounted;
        outcome.move = done->move;
    }
    // The outcome (with the last move's result), the waiting requests queued again (it may
    // have freed a drive or a slot they need), the request as its waiter gets it, and what
    // this worker does next: one transaction.
    std::optional<engine::Finished> finished;
    record([&]() -> Result<void> {
        auto written = ledger_.finish(request.id, outcome, engine::unixNow());
        if (!written)
            return written.error();
        finished = std::move(*written);
        return success();
    });
    const engine::RequestInfo *info = finished ? &finished->info : nullptr;
    // A failure may have left a move without its result (the robot or the database failed in
    // the middle): the element status says where the cartridge is. An audit that failed waits
    // for the next periodic look instead of trying again at once.
    if ((!outcome.status || (info && info->row.state == RequestState::Failed)) &&
        !std::holds_alternative<engine::work::Audit>(request.work))
        (void)engine_.auditIfMovesPending(library_);
    if (finished_)
        finished_(request.id, info);
    return finished ? std::move(finished->next) : std::nullopt;
}

Result<JobDone> LibraryWorker::runJob(const engine::PreparedRequest &prepared) {
    std::lock_guard linkLock(linkMutex_);
    auto done = job_(prepared, link_);
    noteRobot();
    if (done)
        return done;
    link_.drop();  // the robot or its transport may have failed: connect anew next time
    return deviceFailure(done.error());
}

void LibraryWorker::noteRobot() {
    const RobotHealth::Seen seen = link_.health().take();
    if (seen == RobotHealth::Seen::Nothing)
        return;
    const bool down = seen == RobotHealth::Seen::Unanswered;
    engine::LibraryRow row = this->row();
    if (down == row.unreachableSince.has_value())
        return;
    const std::int64_t now = engine::unixNow();
    auto changed = engine_.setRobotReachable(
        library_, down ? std::optional(link_.health().error()) : std::nullopt, now);
    if (!changed || !*changed)
        return;  // the database is away, or another rsmd recorded it: the next look tells
    if (down) {
        row.unreachableSince = now;
        row.robotError = link_.health().error();
    } else {
        row.unreachableSince.reset();
        row.reachableSince = now;
    }
    remember(row);
    if (log_)
        log_(down ? RobotLog::Warning : RobotLog::Info,
             down ? fmt::format("library {} is unreachable: {}", row.name, *row.robotError)
                  : fmt::format("library {} answers again", row.name));
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

bool LibraryWorker::runIdle(const engine::IdleWork &work) {
    if (!idle_ || !work.library.enabled || work.dueDismounts.empty())
        return false;
    {
        std::lock_guard linkLock(linkMutex_);
        const bool did = idle_(work.library, work.dueDismounts, link_);
        noteRobot();
        if (!did)
            return false;
    }
    (void)engine_.requeueWaiting(library_);
    return true;
}

}  // namespace rsm::library
