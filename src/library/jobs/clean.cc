// The "clean" robot job: a cleaner cartridge into the drive, wait while the drive cleans, the
// cleaner back to its slot, one use fewer. With no cleaner left, a CLEANER operator request.
#include "src/library/jobs/jobs.h"

#include <fmt/format.h>

namespace rsm::library {

namespace {

// No cleaner to use: the operator is asked for one, and the request fails saying so.
Error noCleaner(engine::Engine &engine, const engine::LibraryRow &lib,
                const engine::DriveRow &drive, int spent) {
    const std::string what =
        spent ? fmt::format("every cleaner in library {} is spent ({})", lib.name, spent)
              : fmt::format("library {} has no cleaner cartridge", lib.name);
    const std::string message =
        fmt::format("{}: inject a new cleaner to clean drive {}/{}", what, lib.name, drive.number);
    auto asked = engine.postOperatorRequest(OperatorRequestKind::Cleaner, message, lib.id);
    return Error(spent ? ErrorCode::CleanerCartridgeSpent : ErrorCode::UnableToClean,
                 asked ? message + " (operator request " + asked->toString() + ")" : message);
}

}  // namespace

Result<JobDone> run(const JobContext &job, const engine::work::Clean &) {
    auto &[engine, options, request, lib, prepared, link] = job;
    if (!request.driveId)
        return Error(ErrorCode::InvalidParameter, "the clean request names no drive");
    if (!prepared.view)
        return Error(ErrorCode::InvalidParameter, "the clean was prepared without a robot view");
    Result<engine::RobotView> view = *prepared.view;  // read again after each move
    const engine::RobotView::Drive *drive = view->drive(*request.driveId);
    if (!drive || !drive->row.address)
        return Error(ErrorCode::InvalidDrive, "the drive is not in library " + lib.name);
    const std::string name = fmt::format("{}/{}", lib.name, drive->row.number);
    Mover mover(engine, lib, options, job.link);
    DriveSession drives(engine, lib, options);
    if (drive->media) {
        // A tape nobody uses any more is put away; a mounted one is waited for.
        if (drive->row.state != DriveState::Dismountable && !view->isCleaner(drive->media->id))
            return JobDone{fmt::format("waiting for drive {} to be dismounted", name), true};
        auto put = mover.putAway(drives, *view, *drive, request.id);
        if (!put)
            return put.error();
        view = engine.robotView(lib.id);
        if (!view)
            return view.error();
        drive = view->drive(*request.driveId);
    }
    auto choice = engine.chooseCleaner(lib.id);
    if (!choice)
        return choice.error();
    if (!choice->cleaner)
        return noCleaner(engine, lib, drive->row, choice->spent);
    const engine::MediaRow &cleaner = *choice->cleaner;
    auto from = placeOf(*view, cleaner);
    if (!from)
        return Error(ErrorCode::InvalidState,
                     fmt::format("the database has cleaner {} in no slot of library {}; audit "
                                 "the library",
                                 cartridgeName(cleaner), lib.name));
    const engine::DriveRow driveRow = drive->row;  // `view` is read again below
    RSM_TRY_VOID(mover.move(cleaner, *from,
                            Place{ObjectKind::Drive, driveRow.id, *driveRow.address}, request.id));
    auto outcome = drives.waitCleaned(driveRow);
    // The cleaner goes home whatever the drive did.
    view = engine.robotView(lib.id);
    if (!view)
        return view.error();
    auto home = mover.putAway(drives, *view, *view->drive(*request.driveId), request.id);
    if (!home)
        return home.error();
    if (!outcome)
        return outcome.error();
    auto left = engine.cleaned(driveRow.id, cleaner.id);
    if (!left)
        return left.error();
    // A cleaner the operator was asked for has come.
    (void)engine.completeOperatorRequests(OperatorRequestKind::Cleaner, lib.id, std::nullopt);
    return JobDone{fmt::format("drive {} cleaned with {} ({} use{} left): {}", name,
                               cartridgeName(cleaner), *left, *left == 1 ? "" : "s", *outcome),
                   false};
}

}  // namespace rsm::library
