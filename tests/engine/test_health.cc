// Health readings through Engine::recordHealth against the real store: a reading is kept
// with its figures; a tape becomes suspect by its errors per GB or its load count; a drive
// becomes suspect by high error rates on three different tapes, not by one bad tape read three
// times; TapeAlert 20, or clean_after_mounts mounts, make the drive need cleaning; only an
// administrator clears a flag.

#include <doctest/doctest.h>

#include "tests/engine/engine_fixture.h"

using namespace rsm;
using namespace rsm::engine;
using namespace rsm::test;

namespace {

struct HealthRig {
    EngineRig rig;
    Uuid library, drive;

    HealthRig() {
        NewLibrary l;
        l.name = "lib";
        l.device = "fake:changer";
        l.changers = {1};
        l.slots = {1000, 1001};
        l.drives = {{500, "SER0", "fake:drive0"}};
        auto id = rig.engine->addLibrary(rig.root, l);
        REQUIRE_OK(id);
        library = *id;
        drive = *Uuid::parse(
            rig.query("SELECT id FROM drive WHERE library_id = $1::uuid", {library.toString()}));
    }

    // A reading of a mount that moved `gigabytes` with `errors` corrected write errors.
    HealthRecord mount(const std::optional<Uuid> &media, std::uint64_t gigabytes,
                       std::uint64_t errors) const {
        HealthRecord r;
        r.driveId = drive;
        r.mediaId = media;
        r.requestId = Uuid::random();
        ErrorCounters w;
        w.totalCorrected = errors;
        w.uncorrected = 0;
        w.bytesProcessed = gigabytes * 1'000'000'000ULL;
        r.health.writeErrors = w;
        r.health.readErrors = ErrorCounters{};
        MediumAttributes a;
        a.loadCount = 10;
        a.serialNumber = "MAM123";
        a.manufacturer = "FUJIFILM";
        r.health.attributes = a;
        r.health.unsupported = {"volume statistics"};
        return r;
    }

    std::string suspect(const char *table, const Uuid &id) {
        return rig.query(std::string("SELECT suspect::text || ':' || suspect_reason FROM ") +
                             table + " WHERE id = $1::uuid",
                         {id.toString()});
    }
};

}  // namespace

TEST_CASE("health: a reading is kept with its figures and read back newest first") {
    HealthRig h;
    const Uuid tape = h.rig.offlineMedia("A00001L5");
    HealthRecord r = h.mount(tape, 100, 5);
    r.health.tapeAlertFlags = 1ULL << 63;  // flag 64: the top bit survives the bigint
    r.health.writeErrors->correctedWithDelay = 3;
    r.health.readErrors->correctionInvocations = 4;
    auto out = h.rig.engine->recordHealth(r);
    REQUIRE_OK(out);
    CHECK_FALSE(out->mediaSuspect);
    CHECK_FALSE(out->driveSuspect);
    CHECK_FALSE(out->cleaningDue);
    REQUIRE_OK(h.rig.engine->recordHealth(h.mount(tape, 10, 0)));

    auto report = h.rig.engine->mediaHealth(h.rig.root, tape, 10);
    REQUIRE_OK(report);
    CHECK_FALSE(report->suspect);
    REQUIRE(report->readings.size() == 2);
    const HealthReadingRow &older = report->readings[1];
    CHECK(report->readings[0].id > older.id);
    CHECK(older.driveId == h.drive);
    CHECK(older.requestId == r.requestId);
    CHECK(older.trigger == HealthTrigger::Dismount);
    CHECK(older.taken.size() == 24);
    REQUIRE(older.health.attributes);
    CHECK(older.health.attributes->loadCount == 10u);
    CHECK(older.health.attributes->serialNumber == "MAM123");
    CHECK(older.health.attributes->manufacturer == "FUJIFILM");
    CHECK_FALSE(older.health.attributes->manufactureDate);
    REQUIRE(older.health.writeErrors);
    CHECK(older.health.writeErrors->totalCorrected == 5u);
    CHECK(older.health.writeErrors->bytesProcessed == 100'000'000'000ULL);
    CHECK(older.health.writeErrors->correctedWithDelay == 3u);
    REQUIRE(older.health.readErrors);
    CHECK(older.health.readErrors->correctionInvocations == 4u);
    CHECK_FALSE(older.health.volume);
    CHECK(older.health.tapeAlertFlags == 1ULL << 63);
    CHECK(older.health.unsupported == std::vector<std::string>{"volume statistics"});

    auto ofDrive = h.rig.engine->driveHealthReadings(h.rig.root, h.drive, 1);
    REQUIRE_OK(ofDrive);
    CHECK(ofDrive->readings.size() == 1);
    CHECK(h.rig.count("SELECT count(*) FROM health_reading") == 2);
}

TEST_CASE("health: a tape with many errors per GB in a mount becomes suspect, once") {
    HealthRig h;
    const Uuid tape = h.rig.offlineMedia("A00001L5");
    // 200 errors over 2 GB: 100 per GB, over the default 50.
    auto out = h.rig.engine->recordHealth(h.mount(tape, 2, 200));
    REQUIRE_OK(out);
    CHECK(out->mediaSuspect);
    CHECK_FALSE(out->driveSuspect);
    CHECK(out->reason.find("100.0 errors per GB in its last mount") != std::string::npos);
    CHECK(h.suspect("physical_media", tape).starts_with("true:tape: 100.0 errors per GB"));
    // The event log has the flag's change.
    CHECK(h.rig.count("SELECT count(*) FROM event_log WHERE object_id = $1::uuid AND op = "
                      "'update' AND (data ->> 'suspect')::boolean",
                      {tape.toString()}) == 1);
    // Raised already: not raised again.
    auto again = h.rig.engine->recordHealth(h.mount(tape, 2, 200));
    REQUIRE_OK(again);
    CHECK_FALSE(again->mediaSuspect);
    // A mount that moved less than 1 GB is not rated.
    const Uuid other = h.rig.offlineMedia("A00002L5");
    REQUIRE_OK(h.rig.engine->recordHealth(h.mount(other, 0, 1000)));
    CHECK(h.suspect("physical_media", other) == "false:");
}

TEST_CASE("health: lifetime errors and the load count make a tape suspect") {
    HealthRig h;
    const Uuid worn = h.rig.offlineMedia("A00001L5");
    HealthRecord r = h.mount(worn, 10, 0);
    r.health.attributes->loadCount = 5000;
    auto out = h.rig.engine->recordHealth(r);
    REQUIRE_OK(out);
    CHECK(out->mediaSuspect);
    CHECK(out->reason.find("loaded 5000 times (threshold 5000)") != std::string::npos);

    const Uuid tired = h.rig.offlineMedia("A00002L5");
    HealthRecord life = h.mount(tired, 10, 0);
    VolumeStatistics v;
    v.writeRetries = 60'000;
    v.lifetimeWrittenMB = 1'000'000;  // 1,000 GB: 60 per GB
    v.volumeSerial = "VS0001";
    v.writeProtect = false;
    v.worm = true;
    life.health.volume = v;
    out = h.rig.engine->recordHealth(life);
    REQUIRE_OK(out);
    CHECK(out->mediaSuspect);
    CHECK(out->reason.find("60.0 errors per GB in its life") != std::string::npos);
    auto report = h.rig.engine->mediaHealth(h.rig.root, tired, 1);
    REQUIRE_OK(report);
    REQUIRE(report->suspect);
    const VolumeStatistics &kept = *report->readings[0].health.volume;
    CHECK(kept.writeRetries == 60'000u);
    CHECK(kept.volumeSerial == "VS0001");
    CHECK(kept.writeProtect == false);
    CHECK(kept.worm == true);
    // The MAM gave no medium type: page 17h says whether the medium is WORM.
    CHECK(h.rig.query("SELECT worm::text FROM health_reading ORDER BY id DESC LIMIT 1") == "true");
}

TEST_CASE("health: a drive is suspect after high errors on three tapes, not on one") {
    HealthRig h;
    const Uuid a = h.rig.offlineMedia("A00001L5");
    const Uuid b = h.rig.offlineMedia("A00002L5");
    const Uuid c = h.rig.offlineMedia("A00003L5");
    // One bad tape three times: the tape is suspect, the drive is not.
    for (int i = 0; i < 3; ++i) {
        auto out = h.rig.engine->recordHealth(h.mount(a, 1, 80));
        REQUIRE_OK(out);
        CHECK_FALSE(out->driveSuspect);
    }
    CHECK(h.suspect("drive", h.drive) == "false:");
    // Two more tapes, both bad: the last three readings are on three different tapes.
    auto out = h.rig.engine->recordHealth(h.mount(b, 1, 80));
    REQUIRE_OK(out);
    CHECK_FALSE(out->driveSuspect);
    out = h.rig.engine->recordHealth(h.mount(c, 1, 80));
    REQUIRE_OK(out);
    CHECK(out->driveSuspect);
    CHECK(out->mediaSuspect);
    CHECK(out->reason.find("drive: its last 3 readings, on 3 different tapes") !=
          std::string::npos);
    CHECK(h.suspect("drive", h.drive).starts_with("true:drive: its last 3 readings"));
}

TEST_CASE("health: a good mount between bad ones keeps the drive clear") {
    HealthRig h;
    const Uuid x = h.rig.offlineMedia("B00001L5");
    const Uuid y = h.rig.offlineMedia("B00002L5");
    const Uuid z = h.rig.offlineMedia("B00003L5");
    REQUIRE_OK(h.rig.engine->recordHealth(h.mount(x, 1, 80)));
    REQUIRE_OK(h.rig.engine->recordHealth(h.mount(y, 10, 1)));
    auto last = h.rig.engine->recordHealth(h.mount(z, 1, 80));
    REQUIRE_OK(last);
    CHECK_FALSE(last->driveSuspect);
    CHECK(last->mediaSuspect);
}

TEST_CASE("health: TapeAlert 20 makes the drive need cleaning and queues a clean") {
    HealthRig h;
    HealthRecord r = h.mount(std::nullopt, 0, 0);
    r.trigger = HealthTrigger::Demand;
    r.health.tapeAlertFlags = 1ULL << 19;
    auto out = h.rig.engine->recordHealth(r);
    REQUIRE_OK(out);
    CHECK(out->cleaningDue);
    CHECK(out->reason.find("TapeAlert 20") != std::string::npos);
    CHECK(h.rig.query("SELECT needs_cleaning::text FROM drive WHERE id = $1::uuid",
                      {h.drive.toString()}) == "true");
    CHECK(h.rig.count("SELECT count(*) FROM library_request WHERE drive_id = $1::uuid",
                      {h.drive.toString()}) == 1);
    // Needing it already: not due anew.
    out = h.rig.engine->recordHealth(r);
    REQUIRE_OK(out);
    CHECK_FALSE(out->cleaningDue);
    auto report = h.rig.engine->driveHealthReadings(h.rig.root, h.drive, 10);
    REQUIRE_OK(report);
    REQUIRE(report->readings.size() == 2);
    CHECK(report->readings[0].trigger == HealthTrigger::Demand);
    CHECK_FALSE(report->readings[0].mediaId);
}

TEST_CASE("health: only an administrator clears a suspect flag") {
    HealthRig h;
    const Uuid tape = h.rig.offlineMedia("A00001L5");
    REQUIRE_OK(h.rig.engine->recordHealth(h.mount(tape, 1, 500)));
    REQUIRE(h.suspect("physical_media", tape).starts_with("true:"));
    const Uuid user = h.rig.session(1500);
    REQUIRE_CODE(h.rig.engine->clearSuspect(user, ObjectKind::PhysicalMedia, tape),
                 ErrorCode::AccessDenied);
    REQUIRE_OK(h.rig.engine->clearSuspect(h.rig.root, ObjectKind::PhysicalMedia, tape));
    CHECK(h.suspect("physical_media", tape) == "false:");
    REQUIRE_OK(h.rig.engine->clearSuspect(h.rig.root, ObjectKind::PhysicalMedia, tape));
    REQUIRE_OK(h.rig.engine->clearSuspect(h.rig.root, ObjectKind::Drive, h.drive));
    REQUIRE_CODE(h.rig.engine->clearSuspect(h.rig.root, ObjectKind::Drive, Uuid::random()),
                 ErrorCode::InvalidDrive);
    // The next bad reading raises it again.
    auto out = h.rig.engine->recordHealth(h.mount(tape, 1, 500));
    REQUIRE_OK(out);
    CHECK(out->mediaSuspect);
}

TEST_CASE("health: clean_after_mounts makes a drive due for cleaning by its mounts") {
    HealthRig h;
    EngineConfig config;
    config.adminGid = kAdminGid;
    config.health.cleanAfterMounts = 3;
    Engine engine(*h.rig.t.store, config);
    const Uuid tape = h.rig.offlineMedia("USE001L5");
    for (int i = 0; i < 2; ++i) {
        auto out = engine.recordHealth(h.mount(tape, 1, 0));
        REQUIRE_OK(out);
        CHECK_FALSE(out->cleaningDue);
    }
    // A reading on demand is no mount.
    HealthRecord demand = h.mount(tape, 1, 0);
    demand.trigger = HealthTrigger::Demand;
    REQUIRE_OK(engine.recordHealth(demand));
    CHECK(h.rig.query("SELECT needs_cleaning::text FROM drive WHERE id = $1::uuid",
                      {h.drive.toString()}) == "false");
    auto third = engine.recordHealth(h.mount(tape, 1, 0));
    REQUIRE_OK(third);
    CHECK(third->cleaningDue);
    CHECK(third->reason == "drive: 3 mounts since it was last cleaned (clean_after_mounts 3)");
    CHECK(h.rig.query("SELECT needs_cleaning::text FROM drive WHERE id = $1::uuid",
                      {h.drive.toString()}) == "true");
    CHECK(h.rig.count("SELECT count(*) FROM library_request WHERE drive_id = $1::uuid",
                      {h.drive.toString()}) == 1);

    // Cleaned after those mounts: the count starts again.
    h.rig.sql("UPDATE drive SET needs_cleaning = false, last_cleaned = now() + interval '1 s'");
    h.rig.sql("UPDATE library_request SET state = 2");
    auto after = engine.recordHealth(h.mount(tape, 1, 0));
    REQUIRE_OK(after);
    CHECK_FALSE(after->cleaningDue);
    // The engine without the setting never counts.
    auto off = h.rig.engine->recordHealth(h.mount(tape, 1, 0));
    REQUIRE_OK(off);
    CHECK_FALSE(off->cleaningDue);
}

TEST_CASE(
    "health: a drive that reports a WORM cartridge makes the medium WORM (docs/lifecycle.md)") {
    HealthRig h;
    const Uuid tape = h.rig.offlineMedia("W00001L5");
    const Uuid other = h.rig.offlineMedia("A00001L5");
    REQUIRE_OK(h.rig.engine->recordHealth(h.mount(other, 1, 0)));  // a data cartridge
    HealthRecord r = h.mount(tape, 1, 0);
    r.health.attributes->mediumType = 0x80;  // MAM medium type: WORM
    REQUIRE_OK(h.rig.engine->recordHealth(r));
    CHECK(h.rig.query("SELECT worm::text FROM physical_media WHERE id = $1::uuid",
                      {tape.toString()}) == "true");
    CHECK(h.rig.query("SELECT worm::text FROM physical_media WHERE id = $1::uuid",
                      {other.toString()}) == "false");
}
