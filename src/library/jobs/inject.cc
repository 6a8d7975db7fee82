#include "src/library/jobs/jobs.h"

#include <algorithm>

#include <fmt/format.h>

#include "src/library/mover.h"

namespace rsm::library {

// Inject: cartridges an operator put in the IE ports go to free slots. New barcodes become
// media (as an inventory makes them); with no free slot left, the rest stay in their ports.
Result<JobDone> run(const JobContext &job, const engine::work::Inject &) {
    auto &[engine, options, request, lib, prepared, link] = job;
    Mover mover(engine, lib, options, job.link);
    auto seen = mover.status();
    if (!seen)
        return seen.error();
    auto reconciled = engine.reconcileInventory(lib.id, *seen);
    if (!reconciled)
        return reconciled.error();
    auto view = engine.robotView(lib.id);
    if (!view)
        return view.error();
    const std::vector<engine::MediaRow> inPorts = view->inPorts;
    int injected = 0;
    std::string names;
    for (const engine::MediaRow &m : inPorts) {
        const engine::ElementRow *to = view->freeSlotFor(m);
        auto from = placeOf(*view, m);
        if (!to || !from)
            continue;
        RSM_TRY_VOID(
            mover.move(m, *from, Place{ObjectKind::Slot, to->id, to->address}, request.id));
        view->occupied.insert(
            std::upper_bound(view->occupied.begin(), view->occupied.end(), to->id), to->id);
        ++injected;
        names += fmt::format("{}{} -> slot {}{}", names.empty() ? ": " : ", ", cartridgeName(m),
                             to->address, view->isCleaner(m.id) ? " (cleaner)" : "");
    }
    const std::size_t left = inPorts.size() - static_cast<std::size_t>(injected);
    std::string rest;
    if (left) {
        rest = fmt::format("; {} left in the IE ports: no free slot", left);
        auto asked = engine.postOperatorRequest(
            OperatorRequestKind::Message,
            fmt::format("library {} has no free slot for {} cartridge{} in its IE ports: eject "
                        "or take out some cartridges, then inject again",
                        lib.name, left, left == 1 ? "" : "s"),
            lib.id);
        if (asked)
            rest += " (operator request " + asked->toString() + ")";
    }
    return JobDone{
        fmt::format("{} cartridge{} injected{}{}", injected, injected == 1 ? "" : "s", names, rest),
        false};
}

}  // namespace rsm::library
