#pragma once
// Health records (issue 19): what a drive reported at a dismount or on demand, kept per mount
// in the store, and the signals derived from them (a suspect tape, a suspect drive, a cleaning
// due). The thresholds are HealthThresholds; docs/health.md says how each signal is derived.
// Thread-safety: values only.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

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

// A reading as the store keeps it (schema/016_health.sql): the record, its number and time.
// Every figure of the DriveHealth is kept and read back as it was given (counters above
// 2^63 - 1 read back as that).
struct HealthReadingRow {
    std::int64_t id = 0;  // the store numbers readings in the order they were taken
    Uuid driveId;
    std::optional<Uuid> mediaId;
    std::optional<Uuid> requestId;
    HealthTrigger trigger = HealthTrigger::Dismount;
    std::string taken;  // ISO 8601 UTC, set by the store
    DriveHealth health;
};

// The thresholds that make a reading raise a flag (docs/health.md says why these values).
// A rate is counted only over a mount (or a life) that moved at least minGigabytes.
struct HealthThresholds {
    // A tape is suspect when the errors (uncorrected and corrected, write and read) of one
    // mount, or of its life (17h: unrecovered errors and retries), per GB moved reach this.
    double errorsPerGigabyte = 50.0;
    double minGigabytes = 1.0;
    // A tape is suspect when its load count (MAM, else 17h thread count) reaches this.
    std::uint64_t loadCount = 5000;
    // A drive is suspect when its last driveReadings rated readings, of at least driveTapes
    // different tapes, are all at or above errorsPerGigabyte.
    int driveReadings = 3;
    int driveTapes = 3;
    // A drive is due for cleaning by usage after this many mounts (readings at dismount) since
    // it was last cleaned; 0: only when its TapeAlert flags ask (rsmd.conf clean_after_mounts).
    int cleanAfterMounts = 0;
};

// What a medium or drive's readings say (Engine::mediaHealth): its flag and its readings,
// newest first.
struct HealthReport {
    std::optional<std::string> suspect;  // the reason, while the flag is raised
    std::vector<HealthReadingRow> readings;
    std::map<Uuid, std::string> drives;    // the readings' drives as "LIB/N"
    std::map<Uuid, std::string> barcodes;  // the readings' media that have a barcode
};

// Derived figures of one reading (pure; src/engine/health.cc).
struct HealthRates {
    std::optional<double> mountErrorsPerGigabyte;     // 02h/03h over the bytes they counted
    std::optional<double> lifetimeErrorsPerGigabyte;  // 17h over its lifetime MB
    std::optional<std::uint64_t> loadCount;           // MAM, else 17h
};
HealthRates healthRates(const DriveHealth &health, const HealthThresholds &thresholds);
// A reading in a few words for a history entry: "health: 50.0 errors/GB, 12 loads" or
// "health: nothing reported".
std::string healthSummary(const DriveHealth &health, const HealthThresholds &thresholds);

}  // namespace rsm::engine
