#include "src/library/drive_session.h"

#include <bitset>
#include <thread>

#include <fmt/format.h>

#include "sg/sense.h"
#include "src/label/label.h"

namespace rsm::library {

DriveSession::DriveSession(engine::Engine &engine, const engine::LibraryRow &library,
                           const RobotOptions &options)
    : engine_(engine), library_(library.name), options_(options) {}

void DriveSession::log(RobotLog level, const std::string &message) const {
    if (options_.log)
        options_.log(level, library_ + ": " + message);
}

Result<sg::TapeDrive *> DriveSession::openDrive(const engine::DriveRow &drive) {
    if (!drive.devicePath)
        return Error(ErrorCode::DeviceNotAvailable,
                     fmt::format("drive {0}/{1} has no device{2}: set it with rsmctl drive "
                                 "set-device {0}/{1} DEVICE (rsmctl library discover lists the "
                                 "tape devices)",
                                 library_, drive.number,
                                 drive.deviceProblem ? " (" + *drive.deviceProblem + ")" : ""));
    if (auto known = drives_.find(*drive.devicePath); known != drives_.end())
        return known->second.get();
    auto transport = openDevice(*drive.devicePath, options_);
    if (!transport)
        return transport.error().withContext("drive device " + *drive.devicePath);
    sg::TapeDriveOptions tape;
    tape.loadTimeout = options_.readyTimeout;
    tape.commandTimeout = options_.probe.commandTimeout;
    tape.retry = options_.retry;
    tape.sleep = options_.sleep;
    auto &slot = drives_[*drive.devicePath];
    slot = std::make_unique<sg::TapeDrive>(std::move(*transport), tape);
    return slot.get();
}

Result<void> DriveSession::unload(const engine::DriveRow &drive) {
    auto tape = openDrive(drive);
    if (!tape)
        return tape.error();
    log(RobotLog::Debug, fmt::format("unloading drive {}", drive.number));
    auto unloaded = (*tape)->unload();
    if (!unloaded && unloaded.error().code() != ErrorCode::MediaNotAvailable)
        return unloaded.error().withContext(fmt::format("unloading drive {}", drive.number));
    return success();
}

Result<void> DriveSession::waitReady(const engine::DriveRow &drive) {
    auto tape = openDrive(drive);
    if (!tape)
        return tape.error();
    log(RobotLog::Debug, fmt::format("waiting for drive {} to be ready", drive.number));
    auto ready = (*tape)->waitReady(options_.readyTimeout);
    if (!ready)
        return ready.error().withContext(fmt::format("waiting for drive {}", drive.number));
    return success();
}

Result<DriveHealth> DriveSession::readHealth(const engine::DriveRow &drive) {
    auto tape = openDrive(drive);
    if (!tape)
        return tape.error();
    log(RobotLog::Debug, fmt::format("reading the health of drive {}", drive.number));
    return (*tape)->health();
}

void DriveSession::checkAlerts(const engine::DriveRow &drive, const DriveHealth &health) {
    if (!health.tapeAlertFlags) {
        for (const std::string &failed : health.failed)
            if (failed.starts_with("tapealert"))
                log(RobotLog::Debug, fmt::format("TapeAlert of drive {}: {}", drive.number,
                                                 failed.substr(failed.find(':') + 2)));
        return;
    }
    sg::TapeAlerts alerts;
    alerts.flags = std::bitset<64>(*health.tapeAlertFlags);
    if (!alerts.wantsCleaning())
        return;
    auto queued = engine_.cleaningRequested(drive.id);
    log(RobotLog::Info,
        fmt::format("drive {} asks to be cleaned (TapeAlert {}){}", drive.number, alerts.describe(),
                    !queued   ? ": " + queued.error().toString()
                    : *queued ? "; clean request " + (*queued)->toString() + " queued"
                              : "; a clean request is queued already"));
}

Result<DriveHealth> DriveSession::recordHealth(const engine::DriveRow &drive,
                                               const std::optional<Uuid> &media,
                                               const std::optional<Uuid> &request,
                                               engine::HealthTrigger trigger) {
    auto health = readHealth(drive);
    if (!health) {
        log(RobotLog::Debug, fmt::format("health of drive {} not read: {}", drive.number,
                                         health.error().toString()));
        return health.error();
    }
    checkAlerts(drive, *health);
    const engine::HealthRecord record{drive.id, media, request, trigger, *health};
    if (options_.healthRead)
        options_.healthRead(record);
    auto outcome = engine_.recordHealth(record);
    if (!outcome) {
        log(RobotLog::Warning, fmt::format("health of drive {} not recorded: {}", drive.number,
                                           outcome.error().toString()));
    } else if (outcome->mediaSuspect || outcome->driveSuspect || outcome->cleaningDue) {
        log(RobotLog::Warning,
            fmt::format("drive {}: {}{}{}{}", drive.number,
                        outcome->mediaSuspect ? "the tape is suspect; " : "",
                        outcome->driveSuspect ? "the drive is suspect; " : "",
                        outcome->cleaningDue ? "the drive needs cleaning; " : "", outcome->reason));
    }
    return health;
}

Result<std::string> DriveSession::waitCleaned(const engine::DriveRow &drive) {
    auto tape = openDrive(drive);
    if (!tape)
        return tape.error();
    const auto sleep =
        options_.sleep ? options_.sleep
                       : sg::CommandRunner::Sleeper([](auto d) { std::this_thread::sleep_for(d); });
    const std::chrono::milliseconds interval = options_.retry.pollInterval.count() > 0
                                                   ? options_.retry.pollInterval
                                                   : std::chrono::milliseconds(1'000);
    const std::string name = fmt::format("drive {}", drive.number);
    std::chrono::milliseconds waited{0};
    for (;;) {
        auto ready = (*tape)->testUnitReady();
        if (ready)  // not cleaned: no use of the cleaner is counted, the drive is as it was
            return Error(ErrorCode::UnableToClean,
                         name +
                             " took the cleaner as a data tape and reported no cleaning "
                             "cycle: it was not cleaned; check that the cartridge is a "
                             "cleaner this drive accepts");
        const auto &sense = ready.error().sense();
        switch (sense ? sg::cleaningState(*sense) : sg::CleaningState::Other) {
            case sg::CleaningState::Ejected:
                return name + " cleaned and ejected the cleaner";
            case sg::CleaningState::Failed:
                return Error(ErrorCode::UnableToClean, name + " reports a cleaning failure",
                             *sense);
            case sg::CleaningState::CleanerRefused:
                return Error(ErrorCode::InvalidCleaner, name + " cannot use this cleaner", *sense);
            case sg::CleaningState::Other:
                return ready.error().withContext("cleaning " + name);
            case sg::CleaningState::Cleaning:
                break;
        }
        if (waited >= options_.readyTimeout)
            return Error(ErrorCode::Timeout, fmt::format("{} still cleaning after {} s", name,
                                                         options_.readyTimeout.count()));
        sleep(interval);
        waited += interval;
    }
}

Result<engine::LabelRead> DriveSession::readLabel(const engine::DriveRow &drive) {
    auto tape = openDrive(drive);
    if (!tape)
        return tape.error();
    log(RobotLog::Debug, fmt::format("reading the first block in drive {}", drive.number));
    auto block = (*tape)->readFirstBlock();
    if (!block)
        return block.error().withContext(fmt::format("reading drive {}", drive.number));
    engine::LabelRead read;
    if (block->empty()) {
        read.blank = true;
        return read;
    }
    if (auto label = label::recognize(*block)) {
        read.type = label->type;
        read.id = label->id;
        read.info = label->info;
    }
    return read;
}

}  // namespace rsm::library
