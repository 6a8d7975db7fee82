// Health readings through rsmd and rsmctl (docs/health.md): media show and media health with
// no reading, then with one kept in the database as a dismount would keep it (tgtd's drives
// report none of the figures, so the figures are written here); the suspect flag shown, and
// cleared by an administrator only.

#include <doctest/doctest.h>

#include "tests/integration/vtl_library.h"
#include "tests/rsmd/robot_helpers.h"
#include "tests/rsmd/rsmd_rig.h"
#include "tests/rsmd/seed_helpers.h"

using namespace rsm::test;
using nlohmann::json;

namespace {

// A reading of `barcode` in drive vtl/0, as recordHealth keeps one: 100 corrected write
// errors over 2 GB (50 per GB), load count 7, the volume statistics refused.
void keepReading(const RsmdRig &rig, const std::string &barcode) {
    rig.sql(
        "INSERT INTO health_reading (drive_id, media_id, trigger, load_count, mam_serial,"
        " write_corrected, write_uncorrected, write_bytes, tape_alert_flags, unsupported)"
        " SELECT d.id, m.id, 0, 7, 'MAM0001', 100, 0, 2000000000, 524288,"
        " '{\"volume statistics\"}' FROM drive d JOIN library l ON l.id = d.library_id,"
        " physical_media m WHERE l.name = 'vtl' AND d.number = 0 AND m.barcode = '" +
        barcode + "' RETURNING id");
}

}  // namespace

TEST_CASE(
    "health: media show, media health and drive show give the readings kept and the suspect "
    "flags") {
    VirtualLibrary vtl(smallLibrary());
    RsmdRig rig;
    prepareLibrary(rig, vtl);
    const std::string barcode = vtl.barcodes().at(0);

    json shown = rig.json({"media", "show", barcode});
    CHECK(shown["media"]["suspect"] == false);
    CHECK(shown["media"]["suspect_reason"].is_null());
    CHECK(shown["media"]["health"].is_null());
    json none = rig.json({"media", "health", barcode});
    CHECK(none["readings"] == json::array());
    CHECK(none["suspect"] == false);

    keepReading(rig, barcode);
    shown = rig.json({"media", "show", barcode});
    const json &latest = shown["media"]["health"];
    CHECK(latest["trigger"] == "dismount");
    CHECK(latest["drive"] == "vtl/0");
    CHECK(latest["barcode"] == barcode);
    CHECK(latest["errors_per_gb"] == 50.0);
    CHECK(latest["lifetime_errors_per_gb"].is_null());
    CHECK(latest["load_count"] == 7);
    CHECK(latest["health"]["attributes"]["load_count"] == 7);
    CHECK(latest["health"]["attributes"]["serial_number"] == "MAM0001");
    CHECK(latest["health"]["write_errors"]["total_corrected"] == 100);
    CHECK(latest["health"]["volume_statistics"].is_null());
    CHECK(latest["health"]["tapealert"] == json::array({20}));
    CHECK(latest["health"]["unsupported"] == json::array({"volume statistics"}));

    json report = rig.json({"media", "health", barcode});
    REQUIRE(report["readings"].size() == 1);
    CHECK(report["readings"][0]["drive_id"].is_string());
    RunResult table = rig.ctl({"media", "health", barcode});
    CHECK(table.status == 0);
    CHECK(table.out.find("suspect: no") != std::string::npos);
    CHECK(table.out.find("vtl/0") != std::string::npos);
    CHECK(table.out.find("volume statistics") != std::string::npos);
    RunResult showTable = rig.ctl({"media", "show", barcode});
    CHECK(showTable.status == 0);
    CHECK(showTable.out.find("latest reading:") != std::string::npos);
    CHECK(showTable.out.find("errors per GB (last mount): 50") != std::string::npos);

    // A suspect tape, as a reading over the thresholds leaves it.
    rig.sql(
        "UPDATE physical_media SET suspect = true, suspect_reason = 'tape: worn' WHERE "
        "barcode = '" +
        barcode + "' RETURNING id");
    shown = rig.json({"media", "show", barcode});
    CHECK(shown["media"]["suspect"] == true);
    CHECK(shown["media"]["suspect_reason"] == "tape: worn");
    CHECK(rig.ctl({"media", "health", barcode}).out.find("suspect: yes (tape: worn)") !=
          std::string::npos);
    // Only an administrator clears it.
    expectError(rig, {"media", "clear-suspect", barcode}, 5, "ERROR_ACCESS_DENIED",
                Who{1500, {1500}});
    expectOk(rig, {"media", "clear-suspect", barcode});
    CHECK(rig.json({"media", "show", barcode})["media"]["suspect"] == false);

    // drive show: the drive's latest reading and its suspect flag, cleared by an administrator.
    rig.sql(
        "UPDATE drive SET suspect = true, suspect_reason = 'drive: 3 tapes' WHERE number = 0 "
        "RETURNING id");
    json drive = rig.json({"drive", "show", "vtl/0"})["drive"];
    CHECK(drive["number"] == 0);
    CHECK(drive["suspect"] == true);
    CHECK(drive["suspect_reason"] == "drive: 3 tapes");
    CHECK(drive["health"]["barcode"] == barcode);
    CHECK(drive["health"]["errors_per_gb"] == 50.0);
    RunResult driveTable = rig.ctl({"drive", "show", "vtl/0"});
    CHECK(driveTable.status == 0);
    CHECK(driveTable.out.find("latest reading:") != std::string::npos);
    CHECK(rig.json({"drive", "show", "vtl/1"})["drive"]["health"].is_null());
    expectOk(rig, {"drive", "clear-suspect", "vtl/0"});
    CHECK(rig.json({"drive", "show", "vtl/0"})["drive"]["suspect"] == false);
    expectError(rig, {"drive", "clear-suspect", "vtl/9"}, 15, "ERROR_INVALID_DRIVE");
    expectError(rig, {"drive", "show", "vtl/9"}, 15, "ERROR_INVALID_DRIVE");
}
