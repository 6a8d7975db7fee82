// The "mtx" robot job: `rsmctl mtx -f LIBRARY` on a library rsmd manages. Each mtx command
// becomes one request, queued behind the library's other robot work instead of colliding with
// it; what the robot then reports is reconciled with the database (as a FAST inventory), so
// that the database follows every move. A cartridge that rsm mounted for an application is not
// moved out of its drive (ERROR_BUSY).
#include "src/library/jobs/jobs.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "src/library/inventory.h"
#include "src/protocol/codec.h"
#include "src/protocol/elements.h"

namespace rsm::library {

namespace {

using nlohmann::json;

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

// The database follows what the robot now reports; a reconciliation that fails is logged and
// left to the next inventory (the robot's move happened, and mtx's caller must hear so).
Result<std::vector<sg::Element>> statusAndReconcile(engine::Engine &engine,
                                                    const RobotOptions &options,
                                                    sg::Changer &changer,
                                                    const engine::LibraryRow &lib,
                                                    ChangerLink *link) {
    auto elements = changer.status();
    if (!elements)
        return elements.error();
    if (link)
        link->remember(*elements);
    if (auto r = engine.reconcileInventory(lib.id, inventoryOf(*elements)); !r && options.log)
        options.log(RobotLog::Warning,
                    fmt::format("{}: the database could not follow rsmctl mtx: {}", lib.name,
                                r.error().toString()));
    return elements;
}

}  // namespace

Result<JobDone> run(const JobContext &job, const engine::work::Mtx &work) {
    using engine::work::MtxOp;
    auto &[engine, options, request, lib, prepared, link] = job;
    Mover mover(engine, lib, options, job.link);
    auto changer = mover.changer();
    if (!changer)
        return changer.error();
    sg::Changer &c = **changer;
    const bool invert = work.invert;
    const auto &source = work.source;
    const auto &destination = work.destination;

    if (work.op == MtxOp::Inquiry) {
        auto data = c.inquiry();
        if (!data)
            return data.error();
        return JobDone{"INQUIRY", false, protocol::dumpLine(protocol::inquiryToJson(*data))};
    }
    if (work.op == MtxOp::Elements) {
        // The worker's element map, when the robot says nothing happened since it was read
        // (the database follows it already), and the list as the last answer from it wrote it.
        if (const std::vector<sg::Element> *map = link ? link->map() : nullptr) {
            if (!link->mapResult())
                link->keepMapResult(
                    protocol::dumpLine(json{{"elements", protocol::elementsToJson(*map)}}));
            return JobDone{fmt::format("{} elements (element map)", map->size()), false,
                           *link->mapResult()};
        }
        auto elements = statusAndReconcile(engine, options, c, lib, link);
        if (!elements)
            return elements.error();
        // Not dump(): a drive's DVCID identifier that is not UTF-8 made it throw, on the
        // library's worker thread (rsmd aborted).
        std::string result =
            protocol::dumpLine(json{{"elements", protocol::elementsToJson(*elements)}});
        if (link)
            link->keepMapResult(result);
        return JobDone{fmt::format("{} elements", elements->size()), false, std::move(result)};
    }
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
