#pragma once
// A drive's health reading (rsm/health.h, issue 19) as the protocol sends it: the reply of
// `drive.health` and the figures of `media show` / `media health`. Field names are part of the
// protocol (docs/json.md, "Health"): add, never rename. A figure the drive did not report is
// null; a part the drive did not give (refused or failed) is null and named in `unsupported`
// or `failed`.
// Thread-safety: pure functions.

#include <nlohmann/json.hpp>

#include "rsm/health.h"

namespace rsm::service {

// {"attributes", "volume_statistics", "write_errors", "read_errors", "tapealert",
//  "unsupported", "failed"}; "tapealert" is the list of the flag numbers raised (1..64).
nlohmann::json toJson(const DriveHealth &health);
nlohmann::json toJson(const MediumAttributes &attributes);
nlohmann::json toJson(const VolumeStatistics &volume);
nlohmann::json toJson(const ErrorCounters &counters);

}  // namespace rsm::service
