#include "src/library/jobs/drive_views.h"

#include <chrono>

namespace rsm::library {

const engine::RobotView::Drive *driveHolding(const engine::RobotView &view, const Uuid &media) {
    for (const auto &d : view.drives)
        if (d.media && d.media->id == media)
            return &d;
    return nullptr;
}

std::vector<DriveView> driveViews(const engine::RobotView &view) {
    std::vector<DriveView> out;
    for (const auto &d : view.drives) {
        DriveView v;
        v.id = d.row.id;
        v.number = d.row.number;
        v.enabled = d.row.enabled;
        v.hasDevice = d.row.devicePath.has_value() && d.row.address.has_value();
        v.deviceProblem =
            !d.row.address ? std::optional<std::string>("no element address") : d.row.deviceProblem;
        v.state = d.row.state;
        if (d.media)
            v.media = d.media->id;
        v.mountCount = d.row.mountCount;
        if (d.row.dismountAfter)
            v.dismountAfter =
                std::chrono::system_clock::time_point(std::chrono::seconds(*d.row.dismountAfter));
        out.push_back(v);
    }
    return out;
}

}  // namespace rsm::library
