// Provisional implementation (replaced by the reviewed one with its unit tests).
#include "src/library/drive_choice.h"

#include <fmt/format.h>

namespace rsm::library {

Result<DriveChoice> chooseDrive(const std::vector<DriveView> &drives, const MountWish &wish) {
    std::vector<const DriveView *> usable;
    bool found = !wish.specificDrive;
    for (const DriveView &d : drives) {
        if (d.media == wish.media &&
            (d.state == DriveState::Mounted || d.state == DriveState::Loaded))
            return Error(ErrorCode::Busy,
                         fmt::format("the medium is mounted in drive {}", d.number));
        if (wish.specificDrive && d.id != *wish.specificDrive)
            continue;
        found = true;
        if (d.enabled && d.hasDevice)
            usable.push_back(&d);
    }
    if (!found)
        return Error(ErrorCode::InvalidDrive, "no such drive");
    if (usable.empty())
        return Error(ErrorCode::ResourceDisabled, "no usable drive");
    for (const DriveView *d : usable)
        if (d->media == wish.media && d->state == DriveState::Dismountable)
            return DriveChoice{d->id, true, std::nullopt};
    const DriveView *best = nullptr;
    for (const DriveView *d : usable)
        if (d->state == DriveState::Dismounted && !d->media &&
            (!best || d->mountCount < best->mountCount))
            best = d;
    if (best)
        return DriveChoice{best->id, false, std::nullopt};
    for (const DriveView *d : usable)
        if (d->state == DriveState::Dismountable && d->media &&
            (!best || d->dismountAfter < best->dismountAfter))
            best = d;
    if (best)
        return DriveChoice{best->id, false, best->media};
    return Error(ErrorCode::Busy, "every drive is in use");
}

}  // namespace rsm::library
