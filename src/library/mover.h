#pragma once
// Mover: one library's robot for the length of a job. Every move is recorded in the database
// before the robot makes it and applied after (Engine::beginMove/completeMove); a move that
// fails leaves the database describing what the robot reports now (Engine::resolveMoves on a
// fresh element status). Tape drives are reached through their device (/dev/nstN or the
// drive's iscsi:// URL) to unload them before a move out and to wait until they are ready.
// Thread-safety: one thread (the library's worker).

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "rsm/error.h"
#include "sg/changer.h"
#include "sg/tape_drive.h"
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

// Robot work of one job: the changer from the worker's link (kept open between requests) or
// opened for the job; each drive opened once for the job, on first use.
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
    // Unloads the drive (rewind and eject), so that the robot can take the cartridge; a drive
    // that holds no loaded tape is fine.
    Result<void> unload(const engine::DriveRow &drive);
    // Waits until the drive reports ready (TEST UNIT READY) after a move into it.
    Result<void> waitReady(const engine::DriveRow &drive);
    // After a cleaner went into the drive: waits while the drive says it is cleaning (not
    // ready, 30/03) until it ejects the cleaner (3A), or takes it as a tape (ready; a drive
    // that does not emulate cleaning, such as tgtd's). ERROR_UNABLE_TO_CLEAN when the drive
    // reports a cleaning failure or an invalid cleaner, ERROR_CLEANER_CARTRIDGE_SPENT for an
    // expired one, ERROR_TIMEOUT after the ready timeout. Answers what the drive did.
    Result<std::string> waitCleaned(const engine::DriveRow &drive);
    // Reads the first block of the tape in the drive and offers it to the label libraries.
    Result<engine::LabelRead> readLabel(const engine::DriveRow &drive);
    // Puts the drive's cartridge away: unload, then move it to its home slot when that is free,
    // else to the first free slot (ERROR_LIBRARY_FULL when none is). Before the unload the
    // drive's TapeAlert flags are read: a drive that asks to be cleaned gets a clean request.
    Result<Place> putAway(const engine::RobotView &view, const engine::RobotView::Drive &drive,
                          const std::optional<Uuid> &request, Applied applied = Applied::Now);
    // The element status of the library as the engine's reconciliation takes it.
    Result<std::vector<engine::InventoryElement>> status();
    // Resolves the library's pending moves from a fresh element status.
    Result<engine::AuditResult> audit();
    // The library's changer, opened on first use (for work that needs it raw: rsmctl mtx).
    Result<sg::Changer *> changer();

private:
    Result<sg::TapeDrive *> openDrive(const engine::DriveRow &drive);
    void log(RobotLog level, const std::string &message) const;
    void checkAlerts(const engine::DriveRow &drive);

    engine::Engine &engine_;
    engine::LibraryRow library_;
    const RobotOptions &options_;
    ChangerLink *link_;
    std::unique_ptr<sg::Changer> changer_;                          // without a link
    std::map<std::string, std::unique_ptr<sg::TapeDrive>> drives_;  // by device
    std::optional<Uuid> unapplied_;  // a move made, its result not yet written
};

// The place of a medium in the view's library, when it is in one of its elements.
std::optional<Place> placeOf(const engine::RobotView &view, const engine::MediaRow &media);

}  // namespace rsm::library
