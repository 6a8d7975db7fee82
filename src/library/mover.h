#pragma once
// Mover: one library's robot for the length of a job; it only moves. Every move is recorded in
// the database before the robot makes it and applied after (Engine::beginMove/completeMove); a
// move that fails leaves the database describing what the robot reports now
// (Engine::resolveMoves on a fresh element status). The job's tape drives are its DriveSession
// (drive_session.h), which putAway() is given to unload a drive before moving its cartridge out.
// Thread-safety: one thread (the library's worker).

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "rsm/error.h"
#include "sg/changer.h"
#include "src/engine/engine.h"
#include "src/library/robot_options.h"

namespace rsm::library {

// An element of the library: kind (Drive, Slot, IePort), its row and its address.
struct Place {
    ObjectKind kind = ObjectKind::Slot;
    Uuid id;
    int address = 0;
};

class ChangerLink;
class DriveSession;

// Robot work of one job: the changer from the worker's link (kept open between requests) or
// opened for the job. putAway() takes the job's DriveSession as a parameter rather than the
// Mover holding one: it is the only step that needs a drive, most jobs that move (inject,
// eject, audit, a FAST inventory, mtx) have no drives to give, and each call then shows which
// step touches a drive.
class Mover {
public:
    Mover(engine::Engine &engine, engine::LibraryRow library, const RobotOptions &options,
          ChangerLink *link = nullptr);
    // Applies a move result it still holds (a job that failed before handing it over).
    ~Mover();
    Mover(const Mover &) = delete;
    Mover &operator=(const Mover &) = delete;

    // When a move's result is written: at once (Engine::completeMove), or with the request's
    // outcome (a job's last move; the ledger's finish applies it, one transaction less): the
    // Mover holds it until takeUnapplied() hands it over, the next move or an audit, or its
    // end applies it.
    enum class Applied { Now, WithOutcome };
    // Moves the medium from one element to another; the database follows.
    Result<void> move(const engine::MediaRow &media, const Place &from, const Place &to,
                      const std::optional<Uuid> &request, Applied applied = Applied::Now);
    // The move whose result waits for the request's outcome (RequestOutcome::move).
    std::optional<Uuid> takeUnapplied() { return std::exchange(unapplied_, std::nullopt); }
    // Writes it now: for a job that goes on with the database.
    Result<void> applyNow();
    // Puts the drive's cartridge away: unload (through the job's `drives`), then move it to its
    // home slot when that is free, else to the first free slot (ERROR_LIBRARY_FULL when none
    // is). Before the unload the drive's health is read and recorded (DriveSession::
    // recordHealth, not for a cleaner; never a failure of the put-away): a drive whose TapeAlert
    // flags ask to be cleaned gets a clean request.
    Result<Place> putAway(DriveSession &drives, const engine::RobotView &view,
                          const engine::RobotView::Drive &drive, const std::optional<Uuid> &request,
                          Applied applied = Applied::Now);
    // The element status of the library as the engine's reconciliation takes it.
    Result<std::vector<engine::InventoryElement>> status();
    // Resolves the library's pending moves from a fresh element status.
    Result<engine::AuditResult> audit();
    // The library's changer, opened on first use (for work that needs it raw: rsmctl mtx).
    Result<sg::Changer *> changer();

private:
    void log(RobotLog level, const std::string &message) const;

    engine::Engine &engine_;
    engine::LibraryRow library_;
    const RobotOptions &options_;
    ChangerLink *link_;
    std::unique_ptr<sg::Changer> changer_;  // without a link
    std::optional<Uuid> unapplied_;         // a move made, its result not yet written
};

// The place of a medium in the view's library, when it is in one of its elements.
std::optional<Place> placeOf(const engine::RobotView &view, const engine::MediaRow &media);

}  // namespace rsm::library
