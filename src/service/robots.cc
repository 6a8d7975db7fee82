#include "src/service/robots.h"

#include <set>

#include <fmt/format.h>

#include "src/library/inventory.h"

namespace rsm::service {

Robots::Robots(engine::Engine &engine, library::ProbeOptions probe)
    : engine_(engine), probe_(probe) {
    jobs_["probe"] = [this](const engine::RequestRow &,
                            const engine::LibraryRow &lib) -> Result<std::string> {
        if (!lib.device)
            return Error(ErrorCode::InvalidLibrary, "library " + lib.name + " has no device");
        auto found = library::probeLibrary(*lib.device, probe_);
        if (!found)
            return found.error();
        RSM_TRY_VOID(engine_.updateLibraryProbe(lib.id, *found));
        return fmt::format("{} drives, {} slots, {} ports", found->drives.size(),
                           found->slots.size(), found->ieports.size());
    };
    jobs_["inventory"] = [this](const engine::RequestRow &,
                                const engine::LibraryRow &lib) -> Result<std::string> {
        if (!lib.device)
            return Error(ErrorCode::InvalidLibrary, "library " + lib.name + " has no device");
        auto seen = library::readInventory(*lib.device, probe_);
        if (!seen)
            return seen.error();
        auto result = engine_.reconcileInventory(lib.id, *seen);
        if (!result)
            return result.error();
        return library::describe(*result);
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
    }
    return librariesChanged();
}

void Robots::stop() {
    std::map<Uuid, std::unique_ptr<library::LibraryWorker>> workers;
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
    std::vector<std::unique_ptr<library::LibraryWorker>> gone;
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
                workers_[id] = std::make_unique<library::LibraryWorker>(
                    engine_, id, jobs_, [this](const Uuid &request) { finished(request); });
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

}  // namespace rsm::service
