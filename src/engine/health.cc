// Health (issue 19): the readings a drive gives at a dismount or on demand, kept one per
// reading, and the flags derived from them in the same transaction: a suspect tape (errors
// per GB of a mount or of its life, or its load count, at a threshold), a suspect drive (high
// error rates on several different tapes in a row), a cleaning due (TapeAlert 20 or 21, or
// clean_after_mounts mounts since the drive was last cleaned).
// A flag stays raised until an administrator clears it. docs/health.md is the reference.

#include <ctime>
#include <set>

#include <fmt/format.h>

#include "src/engine/engine.h"

namespace rsm::engine {

namespace {

constexpr std::uint64_t kCleanNow = 1ULL << 19;       // TapeAlert flag 20
constexpr std::uint64_t kCleanPeriodic = 1ULL << 20;  // TapeAlert flag 21
// How many of a drive's readings are read to find its last rated ones.
constexpr int kDriveWindow = 50;

std::uint64_t value(const std::optional<std::uint64_t> &v) {
    return v.value_or(0);
}

// Errors per GB (10^9 bytes), when at least `minimum` GB were moved.
std::optional<double> perGigabyte(std::uint64_t errors, double gigabytes, double minimum) {
    if (gigabytes < minimum || gigabytes <= 0)
        return std::nullopt;
    return static_cast<double>(errors) / gigabytes;
}

Result<void> checkLimit(int limit) {
    if (limit < 1 || limit > 1000)
        return Error(ErrorCode::InvalidParameter,
                     fmt::format("limit {} is outside 1..1000", limit));
    return success();
}

std::string rate(double r) {
    return fmt::format("{:.1f}", r);
}

// The report's names of its readings' drives and media, each read once.
HealthReport named(Tx &tx, std::optional<std::string> suspect,
                   std::vector<HealthReadingRow> readings) {
    HealthReport out{std::move(suspect), std::move(readings), {}, {}};
    std::map<Uuid, std::string> libraries;
    for (const HealthReadingRow &r : out.readings) {
        if (!out.drives.count(r.driveId)) {
            auto d = tx.drive(r.driveId);
            std::string name = r.driveId.toString();
            if (d) {
                auto [lib, added] = libraries.try_emplace(d->libraryId);
                if (added) {
                    auto l = tx.library(d->libraryId);
                    lib->second = l ? l->name : d->libraryId.toString();
                }
                name = fmt::format("{}/{}", lib->second, d->number);
            }
            out.drives.emplace(r.driveId, std::move(name));
        }
        if (r.mediaId && !out.barcodes.count(*r.mediaId))
            if (auto m = tx.media(*r.mediaId); m && m->barcode)
                out.barcodes.emplace(*r.mediaId, *m->barcode);
    }
    return out;
}

// Seconds since the epoch of an ISO 8601 UTC time as the store writes them
// ("2026-12-07T04:20:00.123Z"); nullopt when it is not one.
std::optional<std::int64_t> isoSeconds(const std::string &iso) {
    std::tm tm{};
    const char *end = strptime(iso.c_str(), "%Y-%m-%dT%H:%M:%S", &tm);
    if (!end)
        return std::nullopt;
    return static_cast<std::int64_t>(timegm(&tm));
}

// The drive's mounts since its last cleaning, counted by its readings at dismount (newest
// first), up to `enough`.
int mountsSinceCleaned(Tx &tx, const DriveRow &drive, int enough) {
    int mounts = 0;
    for (const HealthReadingRow &r : tx.healthReadings(drive.id, true, enough + 16)) {
        if (r.trigger != HealthTrigger::Dismount)
            continue;
        const auto taken = isoSeconds(r.taken);
        if (drive.lastCleaned && taken && *taken < *drive.lastCleaned)
            break;
        if (++mounts >= enough)
            break;
    }
    return mounts;
}

}  // namespace

HealthRates healthRates(const DriveHealth &health, const HealthThresholds &thresholds) {
    HealthRates out;
    // The last mount: the write and read error counter pages, which drives count per load.
    if (health.writeErrors || health.readErrors) {
        const ErrorCounters none;
        const ErrorCounters &w = health.writeErrors ? *health.writeErrors : none;
        const ErrorCounters &r = health.readErrors ? *health.readErrors : none;
        const std::uint64_t errors = value(w.uncorrected) + value(w.totalCorrected) +
                                     value(r.uncorrected) + value(r.totalCorrected);
        double bytes = static_cast<double>(value(w.bytesProcessed) + value(r.bytesProcessed));
        if (!w.bytesProcessed && !r.bytesProcessed && health.volume)
            bytes = static_cast<double>(value(health.volume->lastMountWrittenMB) +
                                        value(health.volume->lastMountReadMB)) *
                    1e6;
        out.mountErrorsPerGigabyte = perGigabyte(errors, bytes / 1e9, thresholds.minGigabytes);
    }
    // The tape's life: the volume statistics page.
    if (health.volume) {
        const VolumeStatistics &v = *health.volume;
        if (v.unrecoveredWriteErrors || v.unrecoveredReadErrors || v.writeRetries ||
            v.readRetries) {
            const std::uint64_t errors = value(v.unrecoveredWriteErrors) +
                                         value(v.unrecoveredReadErrors) + value(v.writeRetries) +
                                         value(v.readRetries);
            const double gigabytes =
                static_cast<double>(value(v.lifetimeWrittenMB) + value(v.lifetimeReadMB)) / 1e3;
            out.lifetimeErrorsPerGigabyte = perGigabyte(errors, gigabytes, thresholds.minGigabytes);
        }
    }
    if (health.attributes && health.attributes->loadCount)
        out.loadCount = health.attributes->loadCount;
    else if (health.volume && health.volume->threadCount)
        out.loadCount = health.volume->threadCount;
    return out;
}

std::string healthSummary(const DriveHealth &health, const HealthThresholds &thresholds) {
    const HealthRates rates = healthRates(health, thresholds);
    std::vector<std::string> parts;
    if (rates.mountErrorsPerGigabyte)
        parts.push_back(rate(*rates.mountErrorsPerGigabyte) + " errors/GB");
    if (rates.lifetimeErrorsPerGigabyte)
        parts.push_back(rate(*rates.lifetimeErrorsPerGigabyte) + " errors/GB in its life");
    if (rates.loadCount)
        parts.push_back(fmt::format("{} loads", *rates.loadCount));
    if (health.tapeAlertFlags && *health.tapeAlertFlags != 0) {
        std::string flags;
        for (int flag = 1; flag <= 64; ++flag)
            if ((*health.tapeAlertFlags >> (flag - 1)) & 1U)
                flags += (flags.empty() ? "" : ",") + std::to_string(flag);
        parts.push_back("TapeAlert " + flags);
    }
    if (parts.empty())
        return health.attributes || health.volume || health.writeErrors || health.readErrors
                   ? "health: read"
                   : "health: nothing reported";
    std::string out = "health: " + parts.front();
    for (std::size_t i = 1; i < parts.size(); ++i)
        out += ", " + parts[i];
    return out;
}

Result<HealthOutcome> Engine::recordHealth(const HealthRecord &record) {
    return asDaemon<HealthOutcome>([&](Tx &tx) -> Result<HealthOutcome> {
        auto drive = tx.drive(record.driveId);
        if (!drive)
            return Error(ErrorCode::InvalidDrive, "no drive " + record.driveId.toString());
        HealthReadingRow row;
        row.driveId = record.driveId;
        row.requestId = record.requestId;
        row.trigger = record.trigger;
        row.health = record.health;
        if (record.mediaId && tx.media(*record.mediaId))
            row.mediaId = record.mediaId;  // a medium deleted meanwhile is left out
        tx.insertHealthReading(row);
        // The drive says the cartridge is WORM (its MAM medium type, else page 17h): it is
        // never deallocated to scratch (docs/lifecycle.md).
        if (row.mediaId && ((record.health.attributes && record.health.attributes->worm()) ||
                            (record.health.volume && record.health.volume->worm.value_or(false))))
            tx.setMediaWorm(*row.mediaId);

        HealthOutcome out;
        std::vector<std::string> reasons;
        const HealthThresholds &th = health_;
        const HealthRates rates = healthRates(record.health, th);
        if (row.mediaId) {
            std::vector<std::string> tape;
            if (rates.mountErrorsPerGigabyte &&
                *rates.mountErrorsPerGigabyte >= th.errorsPerGigabyte)
                tape.push_back(fmt::format("{} errors per GB in its last mount (threshold {})",
                                           rate(*rates.mountErrorsPerGigabyte),
                                           rate(th.errorsPerGigabyte)));
            if (rates.lifetimeErrorsPerGigabyte &&
                *rates.lifetimeErrorsPerGigabyte >= th.errorsPerGigabyte)
                tape.push_back(fmt::format("{} errors per GB in its life (threshold {})",
                                           rate(*rates.lifetimeErrorsPerGigabyte),
                                           rate(th.errorsPerGigabyte)));
            if (rates.loadCount && *rates.loadCount >= th.loadCount)
                tape.push_back(
                    fmt::format("loaded {} times (threshold {})", *rates.loadCount, th.loadCount));
            if (!tape.empty() && !tx.suspect(ObjectKind::PhysicalMedia, *row.mediaId)) {
                std::string why = "tape: " + tape.front();
                for (std::size_t i = 1; i < tape.size(); ++i)
                    why += "; " + tape[i];
                tx.setSuspect(ObjectKind::PhysicalMedia, *row.mediaId, why);
                out.mediaSuspect = true;
                reasons.push_back(why);
            }
        }
        // The drive: its last rated readings, all high, on enough different tapes.
        if (rates.mountErrorsPerGigabyte && th.driveReadings > 0 &&
            !tx.suspect(ObjectKind::Drive, drive->id)) {
            int rated = 0;
            bool allHigh = true;
            std::set<Uuid> tapes;
            for (const HealthReadingRow &r : tx.healthReadings(drive->id, true, kDriveWindow)) {
                const auto mount = healthRates(r.health, th).mountErrorsPerGigabyte;
                if (!mount)
                    continue;
                allHigh = allHigh && *mount >= th.errorsPerGigabyte;
                if (r.mediaId)
                    tapes.insert(*r.mediaId);
                if (++rated == th.driveReadings)
                    break;
            }
            if (rated == th.driveReadings && allHigh &&
                static_cast<int>(tapes.size()) >= th.driveTapes) {
                const std::string why = fmt::format(
                    "drive: its last {} readings, on {} different tapes, had {} or more errors "
                    "per GB",
                    rated, tapes.size(), rate(th.errorsPerGigabyte));
                tx.setSuspect(ObjectKind::Drive, drive->id, why);
                out.driveSuspect = true;
                reasons.push_back(why);
            }
        }
        const std::uint64_t flags = record.health.tapeAlertFlags.value_or(0);
        if ((flags & (kCleanNow | kCleanPeriodic)) != 0 && !drive->needsCleaning) {
            requestCleaning(tx, *drive);
            out.cleaningDue = true;
            reasons.push_back(fmt::format("drive: TapeAlert {} asks for cleaning",
                                          (flags & kCleanNow) != 0 ? 20 : 21));
        }
        if (!out.cleaningDue && !drive->needsCleaning && th.cleanAfterMounts > 0 &&
            record.trigger == HealthTrigger::Dismount) {
            const int mounts = mountsSinceCleaned(tx, *drive, th.cleanAfterMounts);
            if (mounts >= th.cleanAfterMounts) {
                requestCleaning(tx, *drive);
                out.cleaningDue = true;
                reasons.push_back(fmt::format(
                    "drive: {} mounts since it was last cleaned (clean_after_mounts {})", mounts,
                    th.cleanAfterMounts));
            }
        }
        for (std::size_t i = 0; i < reasons.size(); ++i)
            out.reason += (i > 0 ? "; " : "") + reasons[i];
        return out;
    });
}

Result<HealthReport> Engine::mediaHealth(const Uuid &session, const Uuid &mediaId, int limit) {
    RSM_TRY_VOID(checkLimit(limit));
    return asCaller<HealthReport>(session, [&](Tx &tx, const Caller &c) -> Result<HealthReport> {
        auto media = physical(tx, mediaId);
        if (!media)
            return media.error();
        RSM_TRY_VOID(
            require(tx, c, ObjectKind::Pool, media->poolId, rights::Use, "the medium's pool"));
        return named(tx, tx.suspect(ObjectKind::PhysicalMedia, mediaId),
                     tx.healthReadings(mediaId, false, limit));
    });
}

Result<HealthReport> Engine::driveHealthReadings(const Uuid &session, const Uuid &driveId,
                                                 int limit) {
    RSM_TRY_VOID(checkLimit(limit));
    return asCaller<HealthReport>(session, [&](Tx &tx, const Caller &c) -> Result<HealthReport> {
        if (auto found = driveAndLibrary(tx, c, driveId, rights::Use); !found)
            return found.error();
        return named(tx, tx.suspect(ObjectKind::Drive, driveId),
                     tx.healthReadings(driveId, true, limit));
    });
}

Result<void> Engine::clearSuspect(const Uuid &session, ObjectKind kind, const Uuid &id) {
    return asCaller<void>(session, [&](Tx &tx, const Caller &c) -> Result<void> {
        if (!isAdmin(c.principal))
            return Error(ErrorCode::AccessDenied, "only an administrator clears a suspect flag");
        if (kind == ObjectKind::Drive) {
            if (!tx.drive(id))
                return Error(ErrorCode::InvalidDrive, "no such drive");
        } else if (kind == ObjectKind::PhysicalMedia) {
            auto media = physical(tx, id);
            if (!media)
                return media.error();
        } else {
            return Error(ErrorCode::InvalidParameter, "only media and drives are suspect");
        }
        if (tx.suspect(kind, id))
            tx.setSuspect(kind, id, std::nullopt);
        return success();
    });
}

}  // namespace rsm::engine
