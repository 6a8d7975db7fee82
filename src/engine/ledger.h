#pragma once
// Ledger: the library worker's side of the media database, over the same Store as the Engine
// (whose API is the client sessions'). Each call is one transaction:
//   prepare   the library's next queued request taken (INPROCESS), with its library, its
//             medium and — for work that moves cartridges between slots and drives — the
//             library's robot view;
//   finish    the outcome recorded (a mount's drive marked mounted in the same transaction),
//             the waiting requests queued again, and the request answered as `request show`
//             gives it, with its whole result (the row keeps a result only when it is small);
//   wait      the request WAITING until something changes;
//   idle      the library and the deferred dismounts that are due.
// The intent log stays in the Engine (beginMove / completeMove): a move is recorded before the
// robot makes it and applied after, each in a transaction of its own.
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
    std::string result;                // JSON text for the client, if any
    std::optional<Uuid> mountedDrive;  // a mount: the drive now holding the medium, ready
};

// The idle work a library has: its row, and its drives whose deferred dismount is due.
struct IdleWork {
    LibraryRow library;
    std::vector<DriveRow> dueDismounts;
};

class Ledger {
public:
    explicit Ledger(Store &store);

    Result<std::optional<PreparedRequest>> prepare(const Uuid &library);
    Result<RequestInfo> finish(const Uuid &request, const RequestOutcome &outcome);
    Result<void> wait(const Uuid &request, const std::string &why);
    Result<IdleWork> idle(const Uuid &library, std::int64_t now);

    // Results longer than this are not kept in the request's row (an mtx element status):
    // the waiting client has them from finish().
    static constexpr std::size_t kKeptResult = 4096;

private:
    template <typename T, typename Fn>
    Result<T> transact(Fn &&fn);

    Store &store_;
};

}  // namespace rsm::engine
