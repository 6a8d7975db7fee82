// The library's element map as the worker keeps it (ChangerLink): read whole, remembered, and
// the database made to follow it; or the one kept, when the robot says nothing happened.
#include <fmt/format.h>

#include "src/library/inventory.h"
#include "src/library/jobs/jobs.h"

namespace rsm::library {

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
    if (auto r = engine.reconcileInventory(lib.id, inventoryOf(*elements)); !r)
        report(options, RobotLog::Warning,
               fmt::format("{}: the database could not follow the element status: {}", lib.name,
                           r.error().toString()));
    return elements;
}

Result<const std::vector<sg::Element> *> currentMap(engine::Engine &engine,
                                                    const RobotOptions &options,
                                                    const engine::LibraryRow &lib,
                                                    ChangerLink &link) {
    if (!lib.enabled)
        return Error(ErrorCode::ResourceDisabled,
                     fmt::format("library {} is disabled; rsmctl library enable {} first", lib.name,
                                 lib.name));
    if (!lib.device)
        return Error(ErrorCode::InvalidLibrary, fmt::format("library {} has no device", lib.name));
    auto changer = link.changer(*lib.device, options);
    if (!changer) {
        link.drop();
        return changer.error();
    }
    if (!link.map()) {
        auto elements = statusAndReconcile(engine, options, **changer, lib, &link);
        if (!elements) {
            link.drop();
            return elements.error();
        }
    }
    return link.map();
}

}  // namespace rsm::library
