#include "src/library/jobs/jobs.h"

#include <fmt/format.h>

#include "src/library/drive_choice.h"
#include "src/library/jobs/drive_views.h"
#include "src/library/mover.h"

namespace rsm::library {

Result<JobDone> run(const JobContext &job, const engine::work::Mount &work) {
    auto &[engine, options, request, lib, prepared, link] = job;
    if (!request.mediaId || !prepared.media || !prepared.view)
        return Error(ErrorCode::InvalidParameter, "the mount names no medium");
    const bool nowait = work.nowait;
    Result<engine::MediaRow> media = *prepared.media;
    if (media->libraryId != lib.id) {
        if (nowait || work.errorIfOffline)
            return Error(ErrorCode::MediaOffline,
                         fmt::format("{} is not in library {}", cartridgeName(*media), lib.name));
        // The waiting client's progress line and `request show` say why, and whom they wait for.
        auto asked = engine.moveMediaRequestFor(media->id);
        std::string who = "; no operator request asks for it";
        if (asked && *asked)
            who = fmt::format(" (operator request {})", (*asked)->toString());
        return JobDone{fmt::format("waiting for {} to be put into library {}{}",
                                   cartridgeName(*media), lib.name, who),
                       true};
    }
    // (The ledger completed the operator requests that asked for this cartridge.)
    Result<engine::RobotView> view = *prepared.view;
    auto choice = chooseDrive(driveViews(*view), MountWish{media->id, request.driveId, lib.name});
    if (!choice) {
        const bool mounted =
            media->state == MediaState::Mounted || media->state == MediaState::Loaded;
        if (choice.error().code() == ErrorCode::Busy && !nowait && !mounted)
            return JobDone{"waiting for a free drive", true};
        return choice.error();
    }
    const engine::RobotView::Drive *drive = view->drive(choice->drive);
    Mover mover(engine, lib, options, job.link);
    DriveSession drives(engine, lib, options);
    int moves = 0;
    if (choice->putAwayFirst) {
        auto put = mover.putAway(drives, *view, *drive, request.id);
        if (!put)
            return put.error();
        ++moves;
        view = engine.robotView(lib.id);
        if (!view)
            return view.error();
        media = engine.mediaRow(media->id);
        if (!media)
            return media.error();
        drive = view->drive(choice->drive);
    }
    if (!choice->alreadyThere) {
        auto from = placeOf(*view, *media);
        if (!from || from->kind == ObjectKind::Drive)
            return Error(ErrorCode::InvalidState,
                         fmt::format("the database has {} in no slot or port of library {}; "
                                     "audit the library",
                                     cartridgeName(*media), lib.name));
        // Its result is written with the request's outcome.
        RSM_TRY_VOID(mover.move(*media, *from,
                                Place{ObjectKind::Drive, drive->row.id, *drive->row.address},
                                request.id, Mover::Applied::WithOutcome));
        ++moves;
    }
    if (auto ready = drives.waitReady(drive->row); !ready) {
        // Nobody has it: the idle work takes it home.
        (void)mover.applyNow();
        (void)engine.markDismountable(drive->row.id, engine::unixNow());
        return ready.error();
    }
    // The ledger records the mount with the request's outcome.
    return JobDone{fmt::format("{} mounted in drive {}/{} ({} robot move{}): {}",
                               cartridgeName(*media), lib.name, drive->row.number, moves,
                               moves == 1 ? "" : "s", drive->row.devicePath.value_or("")),
                   false, drive->row.id, mover.takeUnapplied()};
}

}  // namespace rsm::library
