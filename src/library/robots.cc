#include "src/library/robots.h"

#include <set>

#include <fmt/format.h>

#include "src/library/jobs/jobs.h"

namespace rsm::library {

Robots::Robots(engine::Engine &engine, RobotOptions options)
    : engine_(engine),
      options_(options),
      job_(robotJob(engine, options_)),
      idle_(robotIdle(engine, options_)) {}

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
    return librariesChanged();
}

void Robots::stop() {
    std::map<Uuid, std::unique_ptr<LibraryWorker>> workers;
    {
        std::lock_guard lock(mutex_);
        stopped_ = true;
        workers.swap(workers_);
    }
    workers.clear();  // each destructor finishes its request and joins
}

Result<void> Robots::librariesChanged() {
    auto libraries = engine_.onlineLibraries();
    if (!libraries)
        return libraries.error();
    std::set<Uuid> present;
    for (const engine::LibraryRow &lib : *libraries)
        present.insert(lib.id);
    std::vector<std::unique_ptr<LibraryWorker>> gone;
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
        for (const Uuid &id : present)
            if (!workers_.count(id))
                workers_[id] = std::make_unique<LibraryWorker>(
                    engine_, id, job_, [this](const Uuid &request) { finished(request); }, idle_);
    }
    gone.clear();
    return success();
}

void Robots::wake(const Uuid &library) {
    std::lock_guard lock(mutex_);
    if (auto it = workers_.find(library); it != workers_.end())
        it->second->wake();
}

void Robots::whenFinished(const Uuid &request, std::function<void()> done) {
    {
        std::lock_guard lock(mutex_);
        waiters_.emplace(request, std::move(done));
    }
    auto info = engine_.requestInfo(request);
    if (!info || requestFinished(info->row.state))
        finished(request);  // finished before the waiter came, or gone
}

void Robots::finished(const Uuid &request) {
    std::vector<std::function<void()>> ready;
    {
        std::lock_guard lock(mutex_);
        auto [first, last] = waiters_.equal_range(request);
        for (auto it = first; it != last; ++it)
            ready.push_back(std::move(it->second));
        waiters_.erase(first, last);
    }
    for (auto &done : ready)
        done();
}

}  // namespace rsm::library
