// The "mtx" robot job: `rsmctl mtx -f LIBRARY` on a library rsmd manages. Each mtx command
// that moves becomes one request, queued behind the library's other robot work instead of
// colliding with it; what the robot then reports is reconciled with the database (as a FAST
// inventory), so that the database follows every move. (Status and inquiry are no requests:
// rsmd answers them from the worker's element map, src/service/verbs_elements.cc.) A cartridge that
// rsm mounted for an application is not moved out of its drive (ERROR_BUSY).
#include "src/library/jobs/jobs.h"

#include <fmt/format.h>

namespace rsm::library {

namespace {

// Refuses to take a cartridge out of a drive where rsm mounted it for an application.
Result<void> notMounted(engine::Engine &engine, const engine::LibraryRow &lib,
                        std::uint16_t source) {
    auto view = engine.robotView(lib.id);
    if (!view)
        return view.error();
    for (const auto &d : view->drives)
        if (d.row.address == source && d.media && d.row.mountedBy)
            return Error(ErrorCode::Busy,
                         fmt::format("drive {} of library {} holds a cartridge mounted through "
                                     "rsm; dismount it with rsmctl dismount first",
                                     d.row.number, lib.name));
    return success();
}

}  // namespace

Result<JobDone> run(const JobContext &job, const engine::work::Mtx &work) {
    using engine::work::MtxOp;
    if (work.op == MtxOp::Inquiry || work.op == MtxOp::Elements)
        // rsmd answers these from the worker's element map at once (Robots::withMap), without
        // a request; only a request an older rsmd queued gets here.
        return Error(ErrorCode::InvalidOperation,
                     fmt::format("rsmd answers mtx {} without a queued request; run the command "
                                 "again",
                                 engine::mtxOpName(work.op)));
    auto &[engine, options, request, lib, prepared, link] = job;
    Mover mover(engine, lib, options, job.link);
    auto changer = mover.changer();
    if (!changer)
        return changer.error();
    sg::Changer &c = **changer;
    const bool invert = work.invert;
    const auto &source = work.source;
    const auto &destination = work.destination;

    Result<void> done = success();
    std::string what;
    if (work.op == MtxOp::Move && source && destination) {
        RSM_TRY_VOID(notMounted(engine, lib, *source));
        done = c.move(*source, *destination, invert);
        what = fmt::format("moved {} to {}", *source, *destination);
    } else if (work.op == MtxOp::Exchange && source && destination && work.second) {
        RSM_TRY_VOID(notMounted(engine, lib, *source));
        RSM_TRY_VOID(notMounted(engine, lib, *destination));
        done = c.exchange(*source, *destination, *work.second);
        what = fmt::format("exchanged {} and {}", *source, *destination);
    } else if (work.op == MtxOp::Position && destination) {
        done = c.position(*destination, invert);
        what = fmt::format("positioned at {}", *destination);
    } else if (work.op == MtxOp::Initialize) {
        done = c.initializeStatus();
        what = "initialized the element status";
    } else {
        return Error(ErrorCode::InvalidParameter,
                     fmt::format("rsmd runs no mtx operation \"{}\" with these parameters",
                                 engine::mtxOpName(work.op)));
    }
    // Whatever the robot did, the database follows it.
    (void)statusAndReconcile(engine, options, c, lib, link);
    if (!done)
        return done.error();
    return JobDone{what, false};
}

}  // namespace rsm::library
