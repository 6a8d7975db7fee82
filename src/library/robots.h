#pragma once
// Robots: the fleet of library workers, one per online library, and the jobs they run
// (jobs/jobs.h). Keeps the set of workers in step with the libraries in the database, and
// tells waiters when a request they wait for has finished.
// Thread-safety: every method may be called from any thread.

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

#include "src/engine/engine.h"
#include "src/engine/ledger.h"
#include "src/library/robot_options.h"
#include "src/library/worker.h"

namespace rsm::library {

class Robots {
public:
    Robots(engine::Engine &engine, engine::Ledger &ledger, RobotOptions options);
    ~Robots();

    // Fails requests a previous rsmd left running, queues an audit for each library whose
    // robot moves were left without a result, then starts a worker per online library.
    Result<void> start();
    // Lets each worker finish the request under way and stops them all.
    void stop();
    // Starts workers for libraries added since, stops those of libraries removed.
    Result<void> librariesChanged();
    void wake(const Uuid &library);
    // Calls done() with the request as its worker finished it (no reading it back), from that
    // worker, or at once when it finished moments before (the
    // outcomes of the last minute that nobody waited for are kept). done(nullptr) when the
    // outcome never reached the database (rsmd stopping): the caller reads the request.
    using Done = std::function<void(const engine::RequestInfo *)>;
    void whenFinished(const Uuid &request, Done done);
    // A request ended without its worker (cancelled): its waiters read it and are told now.
    void ended(const Uuid &request);
    // Requests may have ended elsewhere (a session closed): look now rather than within the
    // second. Between two looks, once a second while anyone waits, the waited requests are
    // read (Engine::endedRequests): a request cancelled by another rsmd or by SQL, or ended
    // while no worker of this rsmd ran its library, still ends its waiter.
    void lookForEnded();

    const ProbeOptions &probeOptions() const { return options_.probe; }

    // The health reading of a finished health request (work::Health, read on demand), once:
    // kept from the job's reading until taken, for at most 64 requests (the oldest dropped).
    std::optional<DriveHealth> takeReading(const Uuid &request);

    // Runs `peek` on the worker of `library` after its request under way; false when rsmd has
    // no worker for it (no such library, or one offline).
    bool peek(const Uuid &library, Peek peek);
    // The library with this name (or id) that has a worker, as its worker last read it: no
    // database read. Nullopt: none has (the database may still know it).
    std::optional<engine::LibraryRow> managed(const std::string &nameOrId) const;
    // A library's element map, current (currentMap: TEST UNIT READY, read again when the robot
    // says something happened), handed to `task` on the library's worker thread, with the
    // link whose renderings of the map the task may keep. False as peek().
    struct MapView {
        const engine::LibraryRow &library;
        const std::vector<sg::Element> &elements;
        ChangerLink &link;
    };
    using MapTask = std::function<void(Result<MapView>)>;
    bool withMap(const Uuid &library, MapTask task);
    // withMap() on the calling thread, at once, when the library's worker is between two
    // pieces of work (LibraryWorker::peekHere); Busy: it is not (withMap() queues the task).
    enum class Here { Done, Busy, NoWorker };
    Here withMapHere(const Uuid &library, const MapTask &task);

private:
    void finished(const Uuid &request, const engine::RequestInfo *info);
    void watchEnded();  // the thread behind lookForEnded()
    void runWithMap(const engine::LibraryRow &lib, ChangerLink &link, const MapTask &task);
    // Drops the kept outcomes older than a minute, or beyond 4,096 of them.
    void trimRecent();
    void keepReading(const engine::HealthRecord &record);

    engine::Engine &engine_;
    engine::Ledger &ledger_;
    RobotOptions options_;
    Job job_;
    Idle idle_;
    mutable std::mutex mutex_;
    bool stopped_ = false;
    std::map<Uuid, std::shared_ptr<LibraryWorker>> workers_;  // shared: withMapHere
    std::multimap<Uuid, Done> waiters_;
    struct Recent {
        std::chrono::steady_clock::time_point at;
        engine::RequestInfo info;
    };
    std::map<Uuid, Recent> recent_;
    std::deque<Uuid> recentOrder_;          // oldest first
    std::map<Uuid, DriveHealth> readings_;  // of health requests, until taken
    std::deque<Uuid> readingOrder_;         // oldest first
    std::condition_variable endedCv_;
    bool lookNow_ = false;
    std::thread endedWatch_;
};

}  // namespace rsm::library
