#pragma once
// A drive's health reading for people, from its JSON as rsmd sends it (src/service/
// health_json.h; docs/json.md, "Health"): `rsmctl drive health` and the health figures of
// `media show`. One "part:" heading per part the drive gave, its figures indented below as
// "name: value" (units from the field names: "_mib" MiB, "_mb" MB), then the TapeAlert flags
// and the parts the drive refused or failed to give. Fields that are null are left out.
// Thread-safety: pure functions.

#include <string>

#include <nlohmann/json.hpp>

namespace rsm::cli {

// The lines for `health` (the DriveHealth object), each ending in '\n'.
std::string healthText(const nlohmann::json &health);

}  // namespace rsm::cli
