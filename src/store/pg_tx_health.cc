// PgTx: health readings and the suspect flags of media and drives (schema/016_health.sql).
// Counters travel as bigint: a figure above 2^63 - 1 is kept as that; the TapeAlert flags
// keep their 64 bits as the bigint of the same bits.

#include <limits>

#include "src/store/pg_rows.h"
#include "src/store/pg_tx.h"

namespace rsm::store {

using namespace rsm::engine;

using namespace detail;

namespace {

using OptInt = std::optional<long long>;

OptInt big(const std::optional<std::uint64_t> &v) {
    if (!v)
        return std::nullopt;
    constexpr auto kMax = static_cast<std::uint64_t>(std::numeric_limits<long long>::max());
    return static_cast<long long>(*v > kMax ? kMax : *v);
}

std::optional<std::uint64_t> unsignedOf(const pqxx::field &f) {
    if (f.is_null())
        return std::nullopt;
    const long long v = f.as<long long>();
    return v < 0 ? 0 : static_cast<std::uint64_t>(v);
}

// The record's parts, as the columns' values: empty parts are all NULL.
const MediumAttributes kNoAttributes;
const VolumeStatistics kNoVolume;
const ErrorCounters kNoCounters;

std::string textArray(const std::vector<std::string> &items) {
    ArrayLiteral a;
    for (const std::string &item : items)
        a.add(item);
    return a.done();
}

// array_to_string(…, U+001F) back into its items.
std::vector<std::string> splitUnits(const pqxx::field &f) {
    std::vector<std::string> out;
    const std::string s = f.as<std::string>();
    if (s.empty())
        return out;
    std::size_t start = 0;
    for (;;) {
        const std::size_t end = s.find('\x1f', start);
        out.push_back(s.substr(start, end - start));
        if (end == std::string::npos)
            return out;
        start = end + 1;
    }
}

#define RSM_HEALTH_COLUMNS \
    "id, drive_id, media_id, request_id, trigger, " RSM_ISO_TIME("taken")                      \
    ", load_count, lifetime_written_mib, lifetime_read_mib, remaining_capacity_mib,"           \
    " maximum_capacity_mib, mam_serial, manufacturer, manufacture_date, medium_type, worm,"    \
    " thread_count, datasets_written, write_retries, unrecovered_write_errors, datasets_read," \
    " read_retries, unrecovered_read_errors, last_mount_written_mb, last_mount_read_mb,"       \
    " lifetime_written_mb, lifetime_read_mb, write_uncorrected, write_corrected,"              \
    " write_retries_total, write_bytes, read_uncorrected, read_corrected, read_retries_total,"  \
    " read_bytes, tape_alert_flags, array_to_string(unsupported, E'\\x1f'),"                    \
    " array_to_string(failed, E'\\x1f'), native_capacity_mb, used_native_capacity_mb,"          \
    " volume_serial, write_protect, volume_worm, write_corrected_without_delay,"               \
    " write_corrected_with_delay, write_correction_invocations, read_corrected_without_delay," \
    " read_corrected_with_delay, read_correction_invocations"

HealthReadingRow healthRow(const pqxx::row &r) {
    HealthReadingRow h;
    h.id = r[0].as<long long>();
    h.driveId = uuid(r[1]);
    h.mediaId = optUuid(r[2]);
    h.requestId = optUuid(r[3]);
    h.trigger = enumValue<HealthTrigger>(r[4]);
    h.taken = r[5].as<std::string>();
    bool anyAttribute = false;
    for (int i = 6; i <= 14; ++i)  // not 15 (worm): page 17h may say it
        anyAttribute = anyAttribute || !r[i].is_null();
    if (anyAttribute) {
        MediumAttributes a;
        a.loadCount = unsignedOf(r[6]);
        a.lifetimeWrittenMiB = unsignedOf(r[7]);
        a.lifetimeReadMiB = unsignedOf(r[8]);
        a.remainingCapacityMiB = unsignedOf(r[9]);
        a.maximumCapacityMiB = unsignedOf(r[10]);
        a.serialNumber = optText(r[11]);
        a.manufacturer = optText(r[12]);
        a.manufactureDate = optText(r[13]);
        if (!r[14].is_null())
            a.mediumType = static_cast<std::uint8_t>(r[14].as<int>());
        h.health.attributes = a;
    }
    bool anyVolume = false;
    for (int i = 16; i <= 26; ++i)
        anyVolume = anyVolume || !r[i].is_null();
    for (int i = 38; i <= 42; ++i)
        anyVolume = anyVolume || !r[i].is_null();
    if (anyVolume) {
        VolumeStatistics v;
        v.threadCount = unsignedOf(r[16]);
        v.datasetsWritten = unsignedOf(r[17]);
        v.writeRetries = unsignedOf(r[18]);
        v.unrecoveredWriteErrors = unsignedOf(r[19]);
        v.datasetsRead = unsignedOf(r[20]);
        v.readRetries = unsignedOf(r[21]);
        v.unrecoveredReadErrors = unsignedOf(r[22]);
        v.lastMountWrittenMB = unsignedOf(r[23]);
        v.lastMountReadMB = unsignedOf(r[24]);
        v.lifetimeWrittenMB = unsignedOf(r[25]);
        v.lifetimeReadMB = unsignedOf(r[26]);
        v.nativeCapacityMB = unsignedOf(r[38]);
        v.usedNativeCapacityMB = unsignedOf(r[39]);
        v.volumeSerial = optText(r[40]);
        if (!r[41].is_null())
            v.writeProtect = r[41].as<bool>();
        if (!r[42].is_null())
            v.worm = r[42].as<bool>();
        h.health.volume = v;
    }
    // `at`: uncorrected, corrected, retries, bytes; `more`: the corrections with and without
    // delay and the correction invocations.
    auto counters = [&](int at, int more) -> std::optional<ErrorCounters> {
        bool anyCounter = false;
        for (int i = at; i < at + 4; ++i)
            anyCounter = anyCounter || !r[i].is_null();
        for (int i = more; i < more + 3; ++i)
            anyCounter = anyCounter || !r[i].is_null();
        if (!anyCounter)
            return std::nullopt;
        ErrorCounters c;
        c.uncorrected = unsignedOf(r[at]);
        c.totalCorrected = unsignedOf(r[at + 1]);
        c.totalRetries = unsignedOf(r[at + 2]);
        c.bytesProcessed = unsignedOf(r[at + 3]);
        c.correctedWithoutDelay = unsignedOf(r[more]);
        c.correctedWithDelay = unsignedOf(r[more + 1]);
        c.correctionInvocations = unsignedOf(r[more + 2]);
        return c;
    };
    h.health.writeErrors = counters(27, 43);
    h.health.readErrors = counters(31, 46);
    if (!r[35].is_null())
        h.health.tapeAlertFlags = static_cast<std::uint64_t>(r[35].as<long long>());
    h.health.unsupported = splitUnits(r[36]);
    h.health.failed = splitUnits(r[37]);
    return h;
}

}  // namespace

std::int64_t PgTx::insertHealthReading(const HealthReadingRow &row) {
    const DriveHealth &h = row.health;
    const MediumAttributes &a = h.attributes ? *h.attributes : kNoAttributes;
    const VolumeStatistics &v = h.volume ? *h.volume : kNoVolume;
    const ErrorCounters &w = h.writeErrors ? *h.writeErrors : kNoCounters;
    const ErrorCounters &rd = h.readErrors ? *h.readErrors : kNoCounters;
    std::optional<bool> worm = v.worm;
    if (a.mediumType)
        worm = a.worm();
    const OptInt mediumType = a.mediumType ? OptInt(*a.mediumType) : std::nullopt;
    const OptInt flags =
        h.tapeAlertFlags ? OptInt(static_cast<long long>(*h.tapeAlertFlags)) : std::nullopt;
    return exec("rsm_insert_health",
                "INSERT INTO health_reading (drive_id, media_id, request_id, trigger,"
                " load_count, lifetime_written_mib, lifetime_read_mib, remaining_capacity_mib,"
                " maximum_capacity_mib, mam_serial, manufacturer, manufacture_date, medium_type,"
                " worm, thread_count, datasets_written, write_retries, unrecovered_write_errors,"
                " datasets_read, read_retries, unrecovered_read_errors, last_mount_written_mb,"
                " last_mount_read_mb, lifetime_written_mb, lifetime_read_mb, write_uncorrected,"
                " write_corrected, write_retries_total, write_bytes, read_uncorrected,"
                " read_corrected, read_retries_total, read_bytes, tape_alert_flags, unsupported,"
                " failed, native_capacity_mb, used_native_capacity_mb, volume_serial,"
                " write_protect, volume_worm, write_corrected_without_delay,"
                " write_corrected_with_delay, write_correction_invocations,"
                " read_corrected_without_delay, read_corrected_with_delay,"
                " read_correction_invocations) VALUES ($1::uuid, $2::uuid, $3::uuid, $4, $5, $6,"
                " $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22,"
                " $23, $24, $25, $26, $27, $28, $29, $30, $31, $32, $33, $34, $35::text[],"
                " $36::text[], $37, $38, $39, $40, $41, $42, $43, $44, $45, $46, $47)"
                " RETURNING id",
                row.driveId.toString(), text(row.mediaId), text(row.requestId), number(row.trigger),
                big(a.loadCount), big(a.lifetimeWrittenMiB), big(a.lifetimeReadMiB),
                big(a.remainingCapacityMiB), big(a.maximumCapacityMiB), a.serialNumber,
                a.manufacturer, a.manufactureDate, mediumType, worm, big(v.threadCount),
                big(v.datasetsWritten), big(v.writeRetries), big(v.unrecoveredWriteErrors),
                big(v.datasetsRead), big(v.readRetries), big(v.unrecoveredReadErrors),
                big(v.lastMountWrittenMB), big(v.lastMountReadMB), big(v.lifetimeWrittenMB),
                big(v.lifetimeReadMB), big(w.uncorrected), big(w.totalCorrected),
                big(w.totalRetries), big(w.bytesProcessed), big(rd.uncorrected),
                big(rd.totalCorrected), big(rd.totalRetries), big(rd.bytesProcessed), flags,
                textArray(h.unsupported), textArray(h.failed), big(v.nativeCapacityMB),
                big(v.usedNativeCapacityMB), v.volumeSerial, v.writeProtect, v.worm,
                big(w.correctedWithoutDelay), big(w.correctedWithDelay),
                big(w.correctionInvocations), big(rd.correctedWithoutDelay),
                big(rd.correctedWithDelay), big(rd.correctionInvocations))[0][0]
        .as<long long>();
}

std::vector<HealthReadingRow> PgTx::healthReadings(const Uuid &object, bool drive, int limit) {
    pqxx::result r = drive ? exec("rsm_health_of_drive",
                                  "SELECT " RSM_HEALTH_COLUMNS
                                  " FROM health_reading WHERE drive_id = $1::uuid"
                                  " ORDER BY id DESC LIMIT $2",
                                  object.toString(), limit)
                           : exec("rsm_health_of_media",
                                  "SELECT " RSM_HEALTH_COLUMNS
                                  " FROM health_reading WHERE media_id = $1::uuid"
                                  " ORDER BY id DESC LIMIT $2",
                                  object.toString(), limit);
    return all<HealthReadingRow>(r, healthRow);
}

std::optional<std::string> PgTx::suspect(ObjectKind kind, const Uuid &id) {
    pqxx::result r =
        kind == ObjectKind::Drive
            ? exec("rsm_drive_suspect",
                   "SELECT suspect, suspect_reason FROM drive WHERE id = $1::uuid", id.toString())
            : exec("rsm_media_suspect",
                   "SELECT suspect, suspect_reason FROM physical_media WHERE id = $1::uuid",
                   id.toString());
    if (r.empty() || !r[0][0].as<bool>())
        return std::nullopt;
    return r[0][1].as<std::string>();
}

bool PgTx::setSuspect(ObjectKind kind, const Uuid &id, const std::optional<std::string> &reason) {
    const std::string why = reason ? reason->substr(0, 1024) : std::string();
    pqxx::result r =
        kind == ObjectKind::Drive
            ? exec("rsm_set_drive_suspect",
                   "UPDATE drive SET suspect = $2, suspect_reason = $3 WHERE id = $1::uuid",
                   id.toString(), reason.has_value(), why)
            : exec("rsm_set_media_suspect",
                   "UPDATE physical_media SET suspect = $2, suspect_reason = $3"
                   " WHERE id = $1::uuid",
                   id.toString(), reason.has_value(), why);
    return r.affected_rows() > 0;
}

}  // namespace rsm::store
