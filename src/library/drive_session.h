#pragma once
// DriveSession: the tape drives of one robot job (or one idle pass of the worker). Each drive
// is reached through its device (/dev/nstN or the drive's iscsi:// URL), opened on first use
// and kept open for the rest of the job instead of being opened again for every step: unloaded
// before the robot takes its cartridge, waited for after a move into it, its first block and
// its health and TapeAlert flags read and recorded (issue 19), and watched while it cleans. A
// drive whose TapeAlert flags ask for cleaning gets a clean request (Engine::cleaningRequested).
// Thread-safety: one thread (the library's worker).

#include <map>
#include <memory>
#include <optional>
#include <string>

#include "rsm/error.h"
#include "rsm/health.h"
#include "sg/tape_drive.h"
#include "src/engine/engine.h"
#include "src/library/robot_options.h"

namespace rsm::library {

class DriveSession {
public:
    // The drives are opened with the options' transports, retry rules and clock; `options`
    // must outlive the session.
    DriveSession(engine::Engine &engine, const engine::LibraryRow &library,
                 const RobotOptions &options);
    DriveSession(const DriveSession &) = delete;
    DriveSession &operator=(const DriveSession &) = delete;

    // Unloads the drive (rewind and eject), so that the robot can take the cartridge; a drive
    // that holds no loaded tape is fine.
    Result<void> unload(const engine::DriveRow &drive);
    // Waits until the drive reports ready (TEST UNIT READY) after a move into it.
    Result<void> waitReady(const engine::DriveRow &drive);
    // After a cleaner went into the drive: waits while the drive says it is cleaning (not
    // ready, 30/03) until it ejects the cleaner (3A). ERROR_UNABLE_TO_CLEAN when the drive
    // reports a cleaning failure, or takes the cleaner as a tape (ready: it ran no cleaning
    // cycle; tgtd's drives do so), ERROR_INVALID_CLEANER for a cleaner it cannot use (expired,
    // incompatible), ERROR_TIMEOUT after the ready timeout. Answers what the drive did.
    Result<std::string> waitCleaned(const engine::DriveRow &drive);
    // Reads the first block of the tape in the drive and offers it to the label libraries.
    Result<engine::LabelRead> readLabel(const engine::DriveRow &drive);
    // Reads the drive's health (sg::TapeDrive::health: MAM attributes, volume statistics, error
    // counters, TapeAlert). The parts the drive refuses or fails to give are named in the
    // reading; an error only when the drive cannot be opened.
    Result<DriveHealth> readHealth(const engine::DriveRow &drive);
    // Acts on a reading's TapeAlert flags: a drive that asks to be cleaned gets a clean request,
    // said in rsmd's log. A reading without TapeAlert is passed over (a refused page silently,
    // a failed one in the debug log).
    void checkAlerts(const engine::DriveRow &drive, const DriveHealth &health);
    // readHealth, checkAlerts on it, then Engine::recordHealth of the reading with the
    // cartridge, the request and the trigger (RobotOptions::healthRead sees it first). A flag
    // the reading raised is logged as a warning; a failure to record is logged and answered as
    // the reading all the same: neither ever fails the robot work. An error only when the
    // drive cannot be opened (logged too).
    Result<DriveHealth> recordHealth(const engine::DriveRow &drive,
                                     const std::optional<Uuid> &media,
                                     const std::optional<Uuid> &request,
                                     engine::HealthTrigger trigger);

private:
    Result<sg::TapeDrive *> openDrive(const engine::DriveRow &drive);
    void log(RobotLog level, const std::string &message) const;

    engine::Engine &engine_;
    std::string library_;  // its name, for the log
    const RobotOptions &options_;
    std::map<std::string, std::unique_ptr<sg::TapeDrive>> drives_;  // by device
};

}  // namespace rsm::library
