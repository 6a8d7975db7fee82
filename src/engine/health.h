#pragma once
// Health records (issue 19): what a drive reported at a dismount or on demand, kept per mount
// in the store, and the signals derived from them (a suspect tape, a suspect drive, a cleaning
// due). The thresholds are HealthThresholds; docs/health.md says how each signal is derived.
// Thread-safety: values only.

#include <cstdint>
#include <optional>
#include <string>

#include "rsm/health.h"
#include "rsm/uuid.h"

namespace rsm::engine {

enum class HealthTrigger { Dismount, Demand };

// One reading, as the library worker hands it to Engine::recordHealth.
struct HealthRecord {
    Uuid driveId;
    std::optional<Uuid> mediaId;    // the cartridge in the drive, when there was one
    std::optional<Uuid> requestId;  // the dismount or health request that read it
    HealthTrigger trigger = HealthTrigger::Dismount;
    DriveHealth health;
};

// What recording it changed: the flags newly raised, for the log and notifications.
struct HealthOutcome {
    bool mediaSuspect = false;  // the tape became suspect with this reading
    bool driveSuspect = false;  // the drive became suspect with this reading
    bool cleaningDue = false;   // the drive now needs cleaning
    std::string reason;         // why, for people
};

}  // namespace rsm::engine
