#include "src/library/jobs/jobs.h"

#include <fmt/format.h>

#include "src/library/mover.h"

namespace rsm::library {

namespace {

// The first IE port that is empty both for the robot and for the database.
std::optional<Place> freePort(const engine::RobotView &view,
                              const std::vector<engine::InventoryElement> &seen) {
    for (const engine::ElementRow &p : view.ieports) {
        if (view.isOccupied(p.id))
            continue;
        bool full = false;
        for (const engine::InventoryElement &e : seen)
            full = full || (e.kind == ObjectKind::IePort && e.address == p.address && e.full);
        if (!full)
            return Place{ObjectKind::IePort, p.id, p.address};
    }
    return std::nullopt;
}

}  // namespace

Result<JobDone> run(const JobContext &job, const engine::work::Eject &work) {
    auto &[engine, options, request, lib, prepared, link] = job;
    if (!request.mediaId)
        return Error(ErrorCode::InvalidParameter, "the eject names no medium");
    Mover mover(engine, lib, options, job.link);
    auto seen = mover.status();
    if (!seen)
        return seen.error();
    auto view = engine.robotView(lib.id);
    if (!view)
        return view.error();
    auto media = engine.mediaRow(*request.mediaId);
    if (!media)
        return media.error();
    auto from = placeOf(*view, *media);
    if (!from || from->kind != ObjectKind::Slot)
        return Error(ErrorCode::InvalidState, fmt::format("{} is in no slot of library {}",
                                                          cartridgeName(*media), lib.name));
    auto to = freePort(*view, *seen);
    if (!to && work.queue)
        return JobDone{fmt::format("waiting for a free IE port in library {}", lib.name), true};
    if (!to)
        return Error(ErrorCode::Busy,
                     fmt::format("every IE port of library {} is full: empty one and eject {} "
                                 "again",
                                 lib.name, cartridgeName(*media)));
    RSM_TRY_VOID(mover.move(*media, *from, *to, request.id));
    return JobDone{fmt::format("{} in IE port {}: take it out", cartridgeName(*media), to->address),
                   false};
}

}  // namespace rsm::library
