#pragma once
// LibraryWorker: the one thread that does a library's robot work. It takes the library's
// queued requests from the engine, highest priority first and oldest first among equals, runs
// each with the job registered for its kind, and records the outcome (PASSED, or FAILED with
// the RSM code). Requests of a disabled library fail with ERROR_RESOURCE_DISABLED. The queue
// lives in the database, so requests survive a restart; the worker only needs a wake-up when
// one is queued (and looks again every few seconds anyway).
// Thread-safety: wake() and stop() may be called from any thread.

#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>

#include "src/engine/engine.h"

namespace rsm::library {

// Runs one request on the library; the request is INPROCESS while it runs. On success, a
// message for the request's record ("12 cartridges: …").
using Job =
    std::function<Result<std::string>(const engine::RequestRow &, const engine::LibraryRow &)>;
using Jobs = std::map<std::string, Job>;
// Called after a request has been recorded as finished.
using Finished = std::function<void(const Uuid &request)>;

class LibraryWorker {
public:
    LibraryWorker(engine::Engine &engine, Uuid library, const Jobs &jobs, Finished finished,
                  std::chrono::milliseconds idlePoll = std::chrono::seconds(5));
    ~LibraryWorker();  // stops
    LibraryWorker(const LibraryWorker &) = delete;
    LibraryWorker &operator=(const LibraryWorker &) = delete;

    const Uuid &library() const { return library_; }
    void wake();
    // Finishes the request under way, takes no other, and joins the thread.
    void stop();

private:
    void run();
    // Runs one queued request; false when there was none (or the engine failed).
    bool runOne();

    engine::Engine &engine_;
    const Uuid library_;
    const Jobs &jobs_;
    Finished finished_;
    std::chrono::milliseconds idlePoll_;
    std::mutex mutex_;
    std::condition_variable cv_;
    bool woken_ = false;
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace rsm::library
