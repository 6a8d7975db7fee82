// Drive choice: the rules of drive_choice.h over the drives' recorded state.
//
// Readings of the header where it leaves room:
// - EMPTY is state DISMOUNTED with no medium recorded; a drive in any other state, or
//   DISMOUNTED with a medium recorded, is in use (not a candidate).
// - A DISMOUNTABLE drive with no time recorded is due now: it goes before any with a time.
//   Ties (same time) go to the lowest number.
// - "The medium is mounted" looks at every drive, usable or not: a medium MOUNTED or LOADED
//   anywhere is busy.

#include "src/library/drive_choice.h"

#include <algorithm>

namespace rsm::library {

namespace {

bool usable(const DriveView &d) {
    return d.enabled && d.hasDevice;
}

bool empty(const DriveView &d) {
    return d.state == DriveState::Dismounted && !d.media;
}

bool mountedHere(const DriveView &d, const Uuid &media) {
    return d.media == media && (d.state == DriveState::Mounted || d.state == DriveState::Loaded);
}

// Rule 2's order: fewest mounts, then the lowest number.
bool fresher(const DriveView &a, const DriveView &b) {
    if (a.mountCount != b.mountCount)
        return a.mountCount < b.mountCount;
    return a.number < b.number;
}

// Rule 3's order: the deferral that ends first (none recorded: due now), then the lowest number.
bool dueSooner(const DriveView &a, const DriveView &b) {
    if (a.dismountAfter != b.dismountAfter) {
        if (!a.dismountAfter || !b.dismountAfter)
            return !a.dismountAfter;
        return *a.dismountAfter < *b.dismountAfter;
    }
    return a.number < b.number;
}

std::string driveName(const DriveView &d, const std::string &library) {
    return (library.empty() ? std::string("LIBRARY") : library) + "/" + std::to_string(d.number);
}

std::string noDevice(const DriveView &d, const std::string &library) {
    const std::string name = driveName(d, library);
    return "drive " + name + " has no device" +
           (d.deviceProblem ? " (" + *d.deviceProblem + ")" : std::string()) +
           ": set it with rsmctl drive set-device " + name +
           " DEVICE (rsmctl library discover lists the tape devices)";
}

std::string disabled(const DriveView &d, const std::string &library) {
    const std::string name = driveName(d, library);
    return "drive " + name + " is disabled: rsmctl drive enable " + name;
}

std::string noUsableDrive(const std::vector<DriveView> &drives, const std::string &library) {
    const std::string name = library.empty() ? "the library" : "library " + library;
    if (drives.empty())
        return name + " has no drive";
    for (const DriveView &d : drives)
        if (d.enabled)  // enabled, so without a device
            return "no drive of " + name + " has a device; " + noDevice(d, library);
    return "every drive of " + name + " is disabled: rsmctl drive enable " +
           driveName(drives.front(), library);
}

}  // namespace

Result<DriveChoice> chooseDrive(const std::vector<DriveView> &drives, const MountWish &wish) {
    std::vector<const DriveView *> candidates;
    if (wish.specificDrive) {
        auto it = std::find_if(drives.begin(), drives.end(),
                               [&](const DriveView &d) { return d.id == *wish.specificDrive; });
        if (it == drives.end())
            return Error(ErrorCode::InvalidDrive,
                         "drive " + wish.specificDrive->toString() + " is not in this library");
        if (!usable(*it))
            return Error(ErrorCode::ResourceDisabled,
                         it->enabled ? noDevice(*it, wish.library) : disabled(*it, wish.library));
        candidates.push_back(&*it);
    } else {
        for (const DriveView &d : drives)
            if (usable(d))
                candidates.push_back(&d);
        if (candidates.empty())
            return Error(ErrorCode::ResourceDisabled, noUsableDrive(drives, wish.library));
    }
    for (const DriveView &d : drives)
        if (mountedHere(d, wish.media))
            return Error(ErrorCode::Busy,
                         "the medium is mounted in drive " + std::to_string(d.number) + " already");

    const DriveView *holding = nullptr, *emptiest = nullptr, *deferred = nullptr;
    for (const DriveView *d : candidates) {
        if (d->state == DriveState::Dismountable && d->media == wish.media)
            holding = d;
        else if (empty(*d) && (!emptiest || fresher(*d, *emptiest)))
            emptiest = d;
        else if (d->state == DriveState::Dismountable && d->media &&
                 (!deferred || dueSooner(*d, *deferred)))
            deferred = d;
    }
    if (holding)
        return DriveChoice{holding->id, true, std::nullopt};
    if (emptiest)
        return DriveChoice{emptiest->id, false, std::nullopt};
    if (deferred)
        return DriveChoice{deferred->id, false, deferred->media};
    return Error(ErrorCode::Busy,
                 wish.specificDrive ? "the drive is in use" : "every usable drive is in use");
}

}  // namespace rsm::library
