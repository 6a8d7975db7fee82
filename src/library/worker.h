#pragma once
// LibraryWorker: the one thread that does a library's robot work. It takes the library's
// queued requests from the engine, highest priority first and oldest first among equals, runs
// each with the job of its kind of work, and records the outcome (PASSED, or FAILED with
// the RSM code). Requests of a disabled library fail with ERROR_RESOURCE_DISABLED. The queue
// lives in the database, so requests survive a restart; the worker only needs a wake-up when
// one is queued (and looks again every few seconds anyway, doing its idle work then).
// A request's outcome reaches the database even when it was away as the request finished: the
// worker writes it again until the database takes it (or rsmd stops: its start-up then fails
// the request). Robot moves a failure left without a result are audited: at once after a
// failed request, and every 30 s while any are left (a robot that comes back).
// The library's state follows its robot: after each piece of work, a robot that stopped
// answering makes the library unreachable (Engine::setRobotReachable, a warning in the log),
// one that answers again makes it reachable.
// Thread-safety: wake(), peek(), peekHere(), row() and stop() may be called from any thread.

#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "src/engine/engine.h"
#include "src/engine/ledger.h"
#include "src/library/changer_link.h"

namespace rsm::library {

// What a job did: a message for the request's record ("12 cartridges: …"), or that the request
// must wait (no drive free now): it becomes WAITING and is queued again after the next robot
// work that may have freed what it waits for.
struct JobDone {
    std::string message;
    bool wait = false;
    // A mount: the drive that now holds the medium, ready (recorded with the outcome).
    std::optional<Uuid> mounted = {};
    // The job's last move, its result recorded with the outcome (Mover::takeUnapplied).
    std::optional<Uuid> move = {};
};
// Runs one request on the library (src/library/jobs/jobs.h); the request is INPROCESS while it
// runs.
using Job = std::function<Result<JobDone>(const engine::PreparedRequest &, ChangerLink &)>;
// Robot work of the library's own when no request is queued: the deferred dismounts that are
// due; true when it did some.
using Idle = std::function<bool(const engine::LibraryRow &, const std::vector<engine::DriveRow> &,
                                ChangerLink &)>;
// Called after a request has been recorded as finished, with the request as recorded; null
// when the outcome never reached the database (the worker stopped).
using Finished = std::function<void(const Uuid &request, const engine::RequestInfo *info)>;
// A look at the robot that is no request (rsmctl library status, mtx status through rsmd): run
// on the worker's thread between requests (and as it stops: every peek runs once), with the
// library as the worker last read it and the changer link.
using Peek = std::function<void(const engine::LibraryRow &library, ChangerLink &link)>;

class LibraryWorker {
public:
    using Log = std::function<void(RobotLog, const std::string &)>;
    LibraryWorker(engine::Engine &engine, engine::Ledger &ledger, engine::LibraryRow library,
                  const Job &job, Finished finished, Idle idle = {},
                  std::chrono::milliseconds idlePoll = std::chrono::seconds(5), Log log = {});
    ~LibraryWorker();  // stops
    LibraryWorker(const LibraryWorker &) = delete;
    LibraryWorker &operator=(const LibraryWorker &) = delete;

    const Uuid &library() const { return library_; }
    // The library as the worker last read it (each request and each idle look reads it).
    engine::LibraryRow row() const;
    void wake();
    // Runs `peek` on the worker's thread after the request under way, before the next one.
    void peek(Peek peek);
    // Runs `peek` on the calling thread, at once, when the worker is between two pieces of work
    // (its changer link free): no hand-off to the worker and back. False, without running it,
    // when the worker is busy with the robot or stopping (peek() then queues it). A robot that
    // hangs holds the calling thread as it would the worker, at most one such thread at a time.
    bool peekHere(const Peek &peek);
    // Finishes the request under way, takes no other, and joins the thread.
    void stop();

private:
    void run();
    // Does what is next — `known` (what the last finish read) or else the ledger's next():
    // a request or the idle work; false when there was nothing (or the database failed).
    // `known` becomes what the request's finish read to do next.
    bool work(std::optional<engine::NextWork> &known);
    // Runs the request taken; what to do next when its finish read it.
    std::optional<engine::NextWork> runOne(const engine::PreparedRequest &prepared);
    // The request's job, with the changer link; the link dropped when the job failed.
    Result<JobDone> runJob(const engine::PreparedRequest &prepared);
    // The idle work; true when it did some.
    bool runIdle(const engine::IdleWork &work);
    // The peeks queued so far.
    void runPeeks();
    void remember(const engine::LibraryRow &row);
    // What the link saw of the robot since the last call, recorded when it changes the
    // library's state; with linkMutex_ held.
    void noteRobot();
    // Calls write() until it succeeds, fails for a reason other than the database, or the
    // worker stops; waits longer between tries, up to 5 s.
    void record(const std::function<Result<void>()> &write);

    engine::Engine &engine_;
    engine::Ledger &ledger_;
    ChangerLink link_;  // the robot's connection, kept from one request to the next
    // Held by whoever uses link_: the worker's thread for a request, its idle work or its peeks,
    // or a peekHere() on another thread.
    std::mutex linkMutex_;
    const Uuid library_;
    const Job &job_;
    Finished finished_;
    Idle idle_;
    std::chrono::milliseconds idlePoll_;
    Log log_;
    mutable std::mutex mutex_;
    std::condition_variable cv_;
    engine::LibraryRow row_;
    std::vector<Peek> peeks_;
    bool woken_ = false;
    bool stopping_ = false;
    // The database failed as a request was taken: it may be INPROCESS with nobody running it.
    bool recover_ = false;
    // Waiting requests are also tried again every so often, for what changes without a request
    // (an operator empties an IE port).
    std::chrono::steady_clock::time_point nextRetry_;
    std::thread thread_;
};

}  // namespace rsm::library
