#pragma once
// Ledger: the library worker's side of the media database, over the same Store as the Engine
// (whose API is the client sessions'). Each call is one transaction:
//   prepare   the library's next queued request taken (INPROCESS), with its library, its
//             medium and — for work that moves cartridges between slots and drives — the
//             library's robot view;
//   finish    the outcome recorded (a mount's drive marked mounted in the same transaction),
//             the waiting requests queued again, and the request answered as `request show`
//             gives it (a failure with the robot's sense);
//   wait      the request WAITING until something changes;
//   next      prepare, or when nothing is queued the library and its deferred dismounts that
//             are due (the idle work) — also done by finish, in its transaction, so that a
//             worker needs one transaction between two requests, and none more to go idle.
// The intent log stays in the Engine (beginMove / completeMove): a move is recorded before the
// robot makes it, in a transaction of its own, and applied after it — by completeMove, or by
// finish when the job leaves the last move's result to its outcome (RequestOutcome::move).
// Thread-safety: as the Store; each worker uses the ledger from its own thread.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "src/engine/engine.h"

namespace rsm::engine {

// A request taken for its job.
struct PreparedRequest {
    RequestRow request;  // INPROCESS
    LibraryRow library;
    std::optional<MediaRow> media;  // the request's medium, as it is now
    std::optional<RobotView> view;  // mount, dismount, clean: the library's drives and slots
};

// How a request ended, as its job said.
struct RequestOutcome {
    Result<void> status = success();
    std::string message;
    std::optional<Uuid> mountedDrive;  // a mount: the drive now holding the medium, ready
    // A move the robot made whose result is recorded with the outcome (whatever the status),
    // before anything else of it: the intent applied as completeMove would.
    std::optional<Uuid> move;
};

// The idle work a library has: its row, and its drives whose deferred dismount is due.
struct IdleWork {
    LibraryRow library;
    std::vector<DriveRow> dueDismounts;
};

// What a worker does next: the library's next queued request, taken (as prepare), or — when
// none is queued — its idle work; `idle.library` is the library as it now is, either way.
struct NextWork {
    std::optional<PreparedRequest> request;
    IdleWork idle;
};

// A finished request as its waiter gets it, and what the worker does next (when asked for).
struct Finished {
    RequestInfo info;
    std::optional<NextWork> next;
};

class Ledger {
public:
    explicit Ledger(Store &store);

    Result<std::optional<PreparedRequest>> prepare(const Uuid &library);
    // The next request taken, or the idle work due at `now`.
    Result<NextWork> next(const Uuid &library, std::int64_t now);
    // With `nextAt`, also next(library, *nextAt) in the same transaction — unless the request
    // failed: a failure may leave moves to audit first.
    Result<Finished> finish(const Uuid &request, const RequestOutcome &outcome,
                            std::optional<std::int64_t> nextAt = std::nullopt);
    Result<void> wait(const Uuid &request, const std::string &why);

private:
    template <typename T, typename Fn>
    Result<T> transact(Fn &&fn);
    Result<std::optional<PreparedRequest>> prepareIn(Tx &tx, const Uuid &library);
    Result<NextWork> nextIn(Tx &tx, const Uuid &library, std::int64_t now);

    Store &store_;
};

}  // namespace rsm::engine
