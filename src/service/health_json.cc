#include "src/service/health_json.h"

#include "src/service/to_json.h"

namespace rsm::service {

using nlohmann::json;

namespace {

template <typename T>
json partOrNull(const std::optional<T> &part) {
    return part ? toJson(*part) : json(nullptr);
}

}  // namespace

json toJson(const MediumAttributes &a) {
    return {{"remaining_capacity_mib", orNull(a.remainingCapacityMiB)},
            {"maximum_capacity_mib", orNull(a.maximumCapacityMiB)},
            {"load_count", orNull(a.loadCount)},
            {"lifetime_written_mib", orNull(a.lifetimeWrittenMiB)},
            {"lifetime_read_mib", orNull(a.lifetimeReadMiB)},
            {"manufacturer", orNull(a.manufacturer)},
            {"serial_number", orNull(a.serialNumber)},
            {"manufacture_date", orNull(a.manufactureDate)},
            {"medium_type", orNull(a.mediumType)},
            {"worm", a.mediumType ? json(a.worm()) : json(nullptr)},
            {"cleaning", a.mediumType ? json(a.cleaning()) : json(nullptr)}};
}

json toJson(const VolumeStatistics &v) {
    return {{"thread_count", orNull(v.threadCount)},
            {"datasets_written", orNull(v.datasetsWritten)},
            {"write_retries", orNull(v.writeRetries)},
            {"unrecovered_write_errors", orNull(v.unrecoveredWriteErrors)},
            {"datasets_read", orNull(v.datasetsRead)},
            {"read_retries", orNull(v.readRetries)},
            {"unrecovered_read_errors", orNull(v.unrecoveredReadErrors)},
            {"last_mount_written_mb", orNull(v.lastMountWrittenMB)},
            {"last_mount_read_mb", orNull(v.lastMountReadMB)},
            {"lifetime_written_mb", orNull(v.lifetimeWrittenMB)},
            {"lifetime_read_mb", orNull(v.lifetimeReadMB)},
            {"native_capacity_mb", orNull(v.nativeCapacityMB)},
            {"used_native_capacity_mb", orNull(v.usedNativeCapacityMB)},
            {"volume_serial", orNull(v.volumeSerial)},
            {"write_protect", orNull(v.writeProtect)},
            {"worm", orNull(v.worm)}};
}

json toJson(const ErrorCounters &c) {
    return {{"corrected_without_delay", orNull(c.correctedWithoutDelay)},
            {"corrected_with_delay", orNull(c.correctedWithDelay)},
            {"total_retries", orNull(c.totalRetries)},
            {"total_corrected", orNull(c.totalCorrected)},
            {"correction_invocations", orNull(c.correctionInvocations)},
            {"bytes_processed", orNull(c.bytesProcessed)},
            {"uncorrected", orNull(c.uncorrected)}};
}

json toJson(const DriveHealth &h) {
    json flags = nullptr;
    if (h.tapeAlertFlags) {
        flags = json::array();
        for (int flag = 1; flag <= 64; ++flag)
            if ((*h.tapeAlertFlags >> (flag - 1)) & 1U)
                flags.push_back(flag);
    }
    return {{"attributes", partOrNull(h.attributes)},
            {"volume_statistics", partOrNull(h.volume)},
            {"write_errors", partOrNull(h.writeErrors)},
            {"read_errors", partOrNull(h.readErrors)},
            {"tapealert", flags},
            {"unsupported", h.unsupported},
            {"failed", h.failed}};
}

}  // namespace rsm::service
