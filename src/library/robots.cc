#include "src/library/robots.h"

#include <fmt/format.h>

#include "src/library/jobs/jobs.h"

namespace rsm::library {

Robots::Robots(engine::Engine &engine, engine::Ledger &ledger, RobotOptions options)
    : engine_(engine),
      ledger_(ledger),
      options_(options),
      job_(robotJob(engine, options_)),
      idle_(robotIdle(engine, options_)) {
    // Readings on demand are kept for the client that asked (takeReading).
    options_.healthRead = [this, outer = options.healthRead](const engine::HealthRecord &r) {
        if (outer)
            outer(r);
        if (r.trigger == engine::HealthTrigger::Demand && r.requestId)
            keepReading(r);
    };
}

Robots::~Robots() {
    stop();
}

Result<void> Robots::start() {
    auto libraries = engine_.onlineLibraries();
    if (!libraries)
        return libraries.error();
    for (const engine::LibraryRow &lib : *libraries) {
        auto failed = engine_.failInterruptedRequests(lib.id);
        if (!failed)
            return failed.error();
        auto pending = engine_.pendingMoves(lib.id);
        if (!pending)
            return pending.error();
        if (*pending > 0)
            if (auto audit = engine_.queueDaemonRequest(lib.id, engine::work::Audit{}, 15); !audit)
                return audit.error();
    }
    {
        std::lock_guard lock(mutex_);
        if (!endedWatch_.joinable())
            endedWatch_ = std::thread([this] { watchEnded(); });
    }
    return librariesChanged();
}

void Robots::stop() {
    std::map<Uuid, std::shared_ptr<LibraryWorker>> workers;
    {
        std::lock_guard lock(mutex_);
        stopped_ = true;
        workers.swap(workers_);
        endedCv_.notify_all();
    }
    workers.clear();  // each destructor finishes its request and joins
    if (endedWatch_.joinable())
        endedWatch_.join();
}

void Robots::ended(const Uuid &request) {
    finished(request, nullptr);
}

void Robots::lookForEnded() {
    std::lock_guard lock(mutex_);
    lookNow_ = true;
    endedCv_.notify_all();
}

void Robots::watchEnded() {
    std::unique_lock lock(mutex_);
    for (;;) {
        endedCv_.wait_for(lock, std::chrono::seconds(1), [this] { return stopped_ || lookNow_; });
        if (stopped_)
            return;
        lookNow_ = false;
        if (waiters_.empty())
            continue;
        std::vector<Uuid> waited;
        for (const auto &[request, done] : waiters_)
            if (waited.empty() || waited.back() != request)
                waited.push_back(request);
        std::vector<Uuid> worked;
        for (const auto &[library, worker] : workers_)
            worked.push_back(library);
        lock.unlock();
        auto ended = engine_.endedRequests(waited, worked);
        if (ended)
            for (const Uuid &request : *ended)
                finished(request, nullptr);
        lock.lock();
    }
}

Result<void> Robots::librariesChanged() {
    auto libraries = engine_.onlineLibraries();
    if (!libraries)
        return libraries.error();
    std::map<Uuid, engine::LibraryRow> present;
    for (const engine::LibraryRow &lib : *libraries)
        present.emplace(lib.id, lib);
    std::vector<std::shared_ptr<LibraryWorker>> gone;
    {
        std::lock_guard lock(mutex_);
        if (stopped_)
            return success();
        for (auto it = workers_.begin(); it != workers_.end();) {
            if (present.count(it->first)) {
                ++it;
                continue;
            }
            gone.push_back(std::move(it->second));
            it = workers_.erase(it);
        }
        for (const auto &[id, lib] : present)
            if (!workers_.count(id))
                workers_[id] = std::make_shared<LibraryWorker>(
                    engine_, ledger_, lib, job_,
                    [this](const Uuid &request, const engine::RequestInfo *info) {
                        finished(request, info);
                    },
                    idle_, std::chrono::seconds(5), options_.log);
    }
    gone.clear();
    return success();
}

void Robots::wake(const Uuid &library) {
    std::lock_guard lock(mutex_);
    if (auto it = workers_.find(library); it != workers_.end())
        it->second->wake();
}

bool Robots::peek(const Uuid &library, Peek peek) {
    std::lock_guard lock(mutex_);
    auto it = workers_.find(library);
    if (it == workers_.end())
        return false;
    it->second->peek(std::move(peek));
    return true;
}

std::optional<engine::LibraryRow> Robots::managed(const std::string &nameOrId) const {
    const auto id = Uuid::parse(nameOrId);
    std::lock_guard lock(mutex_);
    for (const auto &[library, worker] : workers_) {
        engine::LibraryRow row = worker->row();
        if (id ? row.id == *id : row.name == nameOrId)
            return row;
    }
    return std::nullopt;
}

void Robots::runWithMap(const engine::LibraryRow &lib, ChangerLink &link, const MapTask &task) {
    auto map = currentMap(engine_, options_, lib, link);
    if (!map) {
        task(map.error());
        return;
    }
    task(MapView{lib, **map, link});
}

bool Robots::withMap(const Uuid &library, MapTask task) {
    return peek(library,
                [this, task = std::move(task)](const engine::LibraryRow &lib, ChangerLink &link) {
                    runWithMap(lib, link, task);
                });
}

Robots::Here Robots::withMapHere(const Uuid &library, const MapTask &task) {
    std::shared_ptr<LibraryWorker> worker;
    {
        std::lock_guard lock(mutex_);
        auto it = workers_.find(library);
        if (it == workers_.end())
            return Here::NoWorker;
        worker = it->second;  // kept alive without the lock while the task runs
    }
    const bool ran = worker->peekHere(
        [&](const engine::LibraryRow &lib, ChangerLink &link) { runWithMap(lib, link, task); });
    return ran ? Here::Done : Here::Busy;
}

void Robots::whenFinished(const Uuid &request, Done done) {
    std::optional<engine::RequestInfo> known;
    {
        std::lock_guard lock(mutex_);
        if (auto it = recent_.find(request); it != recent_.end()) {
            known = std::move(it->second.info);
            recent_.erase(it);
        } else {
            waiters_.emplace(request, std::move(done));
            return;
        }
    }
    done(&*known);
}

void Robots::finished(const Uuid &request, const engine::RequestInfo *info) {
    std::vector<Done> ready;
    {
        std::lock_guard lock(mutex_);
        auto [first, last] = waiters_.equal_range(request);
        for (auto it = first; it != last; ++it)
            ready.push_back(std::move(it->second));
        waiters_.erase(first, last);
        if (ready.empty() && info) {
            // Nobody waits yet: the client that queued it may be about to.
            recent_[request] = Recent{std::chrono::steady_clock::now(), *info};
            recentOrder_.push_back(request);
            trimRecent();
        }
    }
    for (auto &done : ready)
        done(info);
}

void Robots::keepReading(const engine::HealthRecord &record) {
    constexpr std::size_t kMaxCount = 64;
    std::lock_guard lock(mutex_);
    readings_[*record.requestId] = record.health;
    readingOrder_.push_back(*record.requestId);
    while (readingOrder_.size() > kMaxCount) {
        readings_.erase(readingOrder_.front());
        readingOrder_.pop_front();
    }
}

std::optional<DriveHealth> Robots::takeReading(const Uuid &request) {
    std::lock_guard lock(mutex_);
    auto it = readings_.find(request);
    if (it == readings_.end())
        return std::nullopt;
    DriveHealth health = std::move(it->second);
    readings_.erase(it);
    return health;
}

void Robots::trimRecent() {
    constexpr auto kKeep = std::chrono::minutes(1);
    constexpr std::size_t kMaxCount = 4096;
    const auto now = std::chrono::steady_clock::now();
    while (!recentOrder_.empty()) {
        auto it = recent_.find(recentOrder_.front());
        if (it != recent_.end() && now - it->second.at < kKeep && recent_.size() <= kMaxCount)
            break;
        if (it != recent_.end())
            recent_.erase(it);
        recentOrder_.pop_front();
    }
}

}  // namespace rsm::library
