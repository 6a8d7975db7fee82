#include "src/library/jobs/jobs.h"

#include <fmt/format.h>

#include "src/library/jobs/drive_views.h"
#include "src/library/mover.h"

namespace rsm::library {

Result<JobDone> run(const JobContext &job, const engine::work::Dismount &work) {
    auto &[engine, options, request, lib, prepared, link] = job;
    if (!request.mediaId)
        return Error(ErrorCode::InvalidParameter, "the dismount names no medium");
    if (!prepared.view)
        return Error(ErrorCode::InvalidParameter, "the dismount was prepared without a robot view");
    const engine::RobotView &view = *prepared.view;
    const engine::RobotView::Drive *drive = driveHolding(view, *request.mediaId);
    if (!drive)
        return Error(ErrorCode::InvalidState, "the cartridge is not in a drive of " + lib.name);
    const std::string name = cartridgeName(*drive->media);
    if (work.deferred) {
        const std::int64_t until = engine::unixNow() + options.dismountDelay.count();
        RSM_TRY_VOID(engine.markDismountable(drive->row.id, until));
        return JobDone{fmt::format("{} stays in drive {}/{} for {} s (deferred dismount)", name,
                                   lib.name, drive->row.number, options.dismountDelay.count()),
                       false};
    }
    Mover mover(engine, lib, options, job.link);
    DriveSession drives(engine, lib, options);
    // The move's result is written with the request's outcome.
    auto home = mover.putAway(drives, view, *drive, request.id, Mover::Applied::WithOutcome);
    if (!home)
        return home.error();
    return JobDone{fmt::format("{} back in slot {}", name, home->address), false, std::nullopt,
                   mover.takeUnapplied()};
}

}  // namespace rsm::library
