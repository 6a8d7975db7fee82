#pragma once
// Drive choice: which drive a mount uses, decided from the drives' recorded state alone, so
// that the worker, the tests and the mount-policy benchmark share one rule.
//
// In order of preference:
//   1. a drive that already holds the medium and is DISMOUNTABLE (deferred dismount): no move;
//   2. an EMPTY (DISMOUNTED) drive: one move; among several, the one with fewest mounts,
//      then the lowest number;
//   3. a DISMOUNTABLE drive holding another medium, the one whose deferral ends first: that
//      medium goes home first (two moves).
// A drive takes part only when it is enabled and has a device. With a specific drive, only
// that drive is considered, by the same rules.
// Pure functions; thread-safe.

#include <chrono>
#include <cstdint>
#include <optional>
#include <vector>

#include "rsm/error.h"
#include "rsm/model.h"
#include "rsm/uuid.h"

namespace rsm::library {

struct DriveView {
    Uuid id;
    int number = 0;
    bool enabled = true;
    bool hasDevice = true;
    std::optional<std::string> deviceProblem = {};  // without a device: why
    DriveState state = DriveState::Dismounted;
    std::optional<Uuid> media;  // the medium in the drive, if any
    std::int64_t mountCount = 0;
    // For a DISMOUNTABLE drive: when its deferred dismount is due.
    std::optional<std::chrono::system_clock::time_point> dismountAfter;
};

struct MountWish {
    Uuid media;
    std::optional<Uuid> specificDrive;
    std::string library = {};  // its name, for messages
};

struct DriveChoice {
    Uuid drive;
    bool alreadyThere = false;         // the medium is in the drive: no move
    std::optional<Uuid> putAwayFirst;  // a DISMOUNTABLE drive's medium, to send home first
};

// Errors:
//   ERROR_INVALID_DRIVE        the specific drive is not among `drives`
//   ERROR_RESOURCE_DISABLED    the specific drive, or every drive, is disabled or has no device
//   ERROR_BUSY                 the medium is mounted (MOUNTED/LOADED) in a drive already, or
//                              every usable drive is in use now (the caller may wait)
Result<DriveChoice> chooseDrive(const std::vector<DriveView> &drives, const MountWish &wish);

}  // namespace rsm::library
