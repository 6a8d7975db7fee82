// The "health" robot job (rsmctl drive health, issue 19): the drive's health read through its
// device, with the cartridge in it, and recorded with trigger Demand (DriveSession::
// recordHealth). No robot move. The reading goes back to the client through
// RobotOptions::healthRead (Robots::takeReading).
#include "src/library/jobs/jobs.h"

#include <fmt/format.h>

namespace rsm::library {

namespace {

// "4 of 5 parts read; not supported: attributes; failed: …".
std::string summary(const DriveHealth &h) {
    const int read = (h.attributes ? 1 : 0) + (h.volume ? 1 : 0) + (h.writeErrors ? 1 : 0) +
                     (h.readErrors ? 1 : 0) + (h.tapeAlertFlags ? 1 : 0);
    std::string out = fmt::format("{} of 5 parts read", read);
    if (!h.unsupported.empty())
        out += fmt::format("; not supported: {}", fmt::join(h.unsupported, ", "));
    if (!h.failed.empty())
        out += fmt::format("; failed: {}", fmt::join(h.failed, "; "));
    return out;
}

}  // namespace

Result<JobDone> run(const JobContext &job, const engine::work::Health &) {
    auto &[engine, options, request, lib, prepared, link] = job;
    if (!request.driveId)
        return Error(ErrorCode::InvalidParameter, "the health request names no drive");
    if (!prepared.view)
        return Error(ErrorCode::InvalidParameter, "the health was prepared without a robot view");
    const engine::RobotView::Drive *drive = prepared.view->drive(*request.driveId);
    if (!drive)
        return Error(ErrorCode::InvalidDrive, "the drive is not in library " + lib.name);
    const std::string name = fmt::format("{}/{}", lib.name, drive->row.number);
    // The figures are the cartridge's and those of the drive with it: an empty drive has none.
    if (!drive->media)
        return Error(ErrorCode::MediaNotAvailable,
                     fmt::format("drive {} holds no cartridge: its health is read with a tape in "
                                 "it (mount one, or see the readings of its last dismounts)",
                                 name));
    DriveSession drives(engine, lib, options);
    auto health = drives.recordHealth(drive->row, drive->media->id, request.id,
                                      engine::HealthTrigger::Demand);
    if (!health)
        return health.error().withContext("reading the health of drive " + name);
    return JobDone{fmt::format("health of drive {} with {}: {}", name, cartridgeName(*drive->media),
                               summary(*health))};
}

}  // namespace rsm::library
