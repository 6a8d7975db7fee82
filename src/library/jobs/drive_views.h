#pragma once
// The drives of a library's robot view as the jobs need them: which drive holds a medium, and
// the drives as the mount policy (drive_choice.h) takes them. Pure functions; thread-safe.

#include <vector>

#include "src/engine/engine.h"
#include "src/library/drive_choice.h"

namespace rsm::library {

// The drive the view has holding `media`, or null.
const engine::RobotView::Drive *driveHolding(const engine::RobotView &view, const Uuid &media);

// Every drive of the view, as chooseDrive() takes them.
std::vector<DriveView> driveViews(const engine::RobotView &view);

}  // namespace rsm::library
