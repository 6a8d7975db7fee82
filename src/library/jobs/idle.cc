#include "src/library/jobs/jobs.h"

#include <fmt/format.h>

namespace rsm::library {

Idle robotIdle(engine::Engine &engine, const RobotOptions &options) {
    return [&engine, &options](const engine::LibraryRow &lib,
                               const std::vector<engine::DriveRow> &due, ChangerLink &link) {
        const std::int64_t now = engine::unixNow();
        auto view = engine.robotView(lib.id);
        if (!view)
            return false;
        Mover mover(engine, lib, options, &link);
        DriveSession drives(engine, lib, options);
        bool did = false;
        for (const engine::DriveRow &d : due) {
            const engine::RobotView::Drive *drive = view->drive(d.id);
            if (!drive || !drive->media)
                continue;
            if (auto home = mover.putAway(drives, *view, *drive, std::nullopt)) {
                report(options, RobotLog::Info,
                       fmt::format("{}: {} back in slot {} (deferred dismount due)", lib.name,
                                   cartridgeName(*drive->media), home->address));
                did = true;
                view = engine.robotView(lib.id);
                if (!view)
                    break;
            } else {
                report(options, RobotLog::Warning,
                       fmt::format("{}: putting away the cartridge of drive {}: {}", lib.name,
                                   d.number, home.error().toString()));
                // Try again after another delay rather than at every idle turn.
                (void)engine.markDismountable(d.id, now + options.dismountDelay.count());
            }
        }
        return did;
    };
}

}  // namespace rsm::library
