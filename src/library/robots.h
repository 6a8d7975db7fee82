#pragma once
// Robots: the fleet of library workers, one per online library, and the jobs they run
// (jobs/jobs.h). Keeps the set of workers in step with the libraries in the database, and
// tells waiters when a request they wait for has finished.
// Thread-safety: every method may be called from any thread.

#include <functional>
#include <map>
#include <memory>
#include <mutex>

#include "src/engine/engine.h"
#include "src/library/mover.h"
#include "src/library/worker.h"

namespace rsm::library {

class Robots {
public:
    Robots(engine::Engine &engine, RobotOptions options);
    ~Robots();

    // Fails requests a previous rsmd left running, queues an audit for each library whose
    // robot moves were left without a result, then starts a worker per online library.
    Result<void> start();
    // Lets each worker finish the request under way and stops them all.
    void stop();
    // Starts workers for libraries added since, stops those of libraries removed.
    Result<void> librariesChanged();
    void wake(const Uuid &library);
    // Calls done() once the request has finished: from the worker that finished it, or at
    // once when it already has.
    void whenFinished(const Uuid &request, std::function<void()> done);

    const ProbeOptions &probeOptions() const { return options_.probe; }

private:
    void finished(const Uuid &request);

    engine::Engine &engine_;
    RobotOptions options_;
    Job job_;
    Idle idle_;
    std::mutex mutex_;
    bool stopped_ = false;
    std::map<Uuid, std::unique_ptr<LibraryWorker>> workers_;
    std::multimap<Uuid, std::function<void()>> waiters_;
};

}  // namespace rsm::library
