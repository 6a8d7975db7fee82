#include "src/library/jobs/jobs.h"

#include <fmt/format.h>

#include "src/library/drive_choice.h"
#include "src/library/inventory.h"
#include "src/library/jobs/drive_views.h"
#include "src/library/mover.h"

namespace rsm::library {

namespace {

using engine::LibraryRow;
using engine::RequestRow;

// A full inventory's second part: each cartridge never read goes into a drive, its first block
// is read and recognized, and it goes home. A cartridge that cannot be read is skipped (and
// said so); a robot that fails ends the inventory.
Result<std::string> readLabels(engine::Engine &engine, Mover &mover, DriveSession &drives,
                               const RequestRow &request, const LibraryRow &lib) {
    auto unread = engine.unreadMedia(lib.id);
    if (!unread)
        return unread.error();
    int read = 0, failed = 0;
    std::string details;
    for (const engine::MediaRow &m : *unread) {
        auto view = engine.robotView(lib.id);
        if (!view)
            return view.error();
        auto choice = chooseDrive(driveViews(*view), MountWish{m.id, std::nullopt, lib.name});
        if (!choice)
            return Error(choice.error().code(),
                         fmt::format("{} labels read, {} cartridges left unread: {}", read,
                                     unread->size() - static_cast<std::size_t>(read),
                                     choice.error().message()));
        const engine::RobotView::Drive *drive = view->drive(choice->drive);
        if (choice->putAwayFirst) {
            if (auto put = mover.putAway(drives, *view, *drive, request.id); !put)
                return put.error();
            view = engine.robotView(lib.id);
            if (!view)
                return view.error();
            drive = view->drive(choice->drive);
        }
        auto media = engine.mediaRow(m.id);
        if (!media)
            return media.error();
        auto from = placeOf(*view, *media);
        if (!from || from->kind != ObjectKind::Slot)
            continue;
        RSM_TRY_VOID(mover.move(*media, *from,
                                Place{ObjectKind::Drive, drive->row.id, *drive->row.address},
                                request.id));
        Result<engine::LabelRead> label =
            drives.waitReady(drive->row).ok()
                ? drives.readLabel(drive->row)
                : Result<engine::LabelRead>(
                      Error(ErrorCode::DeviceNotAvailable, "the drive did not become ready"));
        view = engine.robotView(lib.id);
        if (!view)
            return view.error();
        auto home = mover.putAway(drives, *view, *view->drive(choice->drive), request.id);
        if (!home)
            return home.error();
        if (!label) {
            ++failed;
            details +=
                fmt::format("; {}: unreadable ({})", cartridgeName(m), label.error().message());
            continue;
        }
        auto outcome = engine.classifyLabel(m.id, *label);
        if (!outcome)
            return outcome.error();
        ++read;
        details += "; " + *outcome;
    }
    return fmt::format("{} label{} read, {} unreadable{}", read, read == 1 ? "" : "s", failed,
                       details);
}

}  // namespace

std::string describe(const engine::AuditResult &r) {
    // The inventory's words name the moves it resolved, when there were any.
    return r.inventory.resolved ? describe(r.inventory)
                                : describe(r.inventory) + "; 0 unfinished moves resolved";
}

Result<JobDone> run(const JobContext &job, const engine::work::Inventory &work) {
    auto &[engine, options, request, lib, prepared, link] = job;
    Mover mover(engine, lib, options, job.link);
    auto seen = mover.status();
    if (!seen)
        return seen.error();
    auto result = engine.reconcileInventory(lib.id, *seen);
    if (!result)
        return result.error();
    std::string message = describe(*result);
    if (work.full) {
        DriveSession drives(engine, lib, options);
        auto labels = readLabels(engine, mover, drives, request, lib);
        if (!labels)
            return labels.error();
        message += "; " + *labels;
    }
    return JobDone{message, false};
}

Result<JobDone> run(const JobContext &job, const engine::work::Audit &) {
    Mover mover(job.engine, job.library, job.options, job.link);
    auto result = mover.audit();
    if (!result)
        return result.error();
    return JobDone{describe(*result), false};
}

}  // namespace rsm::library
