// The metrics' pure parts: the Prometheus text (src/service/metrics_text.h) and the model kept
// from object rows and events (src/service/metrics_model.h), including events read twice.

#include <doctest/doctest.h>

#include <cmath>

#include "rsm/error_code.h"

#include "rsm/model.h"
#include "src/service/metrics_model.h"
#include "src/service/metrics_text.h"

namespace rsm::service {

namespace {

using engine::ObjectState;
using metrics::Family;

ObjectState row(const char *kind, const Uuid &id, std::int64_t seq) {
    ObjectState o;
    o.kind = kind;
    o.id = id;
    o.seq = seq;
    return o;
}

// The value of one sample of the model's families; NaN when it has none.
double value(const MetricsModel &model, const std::string &series, double now = 1000) {
    const std::string text = metrics::exposition(model.families(now));
    const auto at = text.find("\n" + series + " ");
    if (at == std::string::npos)
        return std::nan("");
    return std::stod(text.substr(at + series.size() + 2));
}

struct Library {
    Uuid lib = Uuid::random(), slot1 = Uuid::random(), slot2 = Uuid::random(),
         pool = Uuid::random(), type = Uuid::random(), media = Uuid::random(),
         side = Uuid::random();
};

MetricsModel withLibrary(const Library &l) {
    MetricsModel m;
    ObjectState lib = row("library", l.lib, 10);
    lib.name = "vtl";
    lib.kindCode = static_cast<int>(LibraryKind::Online);
    m.apply(lib);
    for (const Uuid &s : {l.slot1, l.slot2}) {
        ObjectState slot = row("slot", s, 10);
        slot.libraryId = l.lib;
        m.apply(slot);
    }
    ObjectState type = row("media_type", l.type, 10);
    type.name = "LTO-5";
    m.apply(type);
    ObjectState pool = row("pool", l.pool, 10);
    pool.name = "free:LTO-5";
    pool.kindCode = static_cast<int>(PoolKind::Free);
    pool.mediaTypeId = l.type;
    m.apply(pool);
    ObjectState media = row("physical_media", l.media, 10);
    media.libraryId = l.lib;
    media.poolId = l.pool;
    media.location = static_cast<int>(LocationKind::Slot);
    media.slotId = l.slot1;
    m.apply(media);
    ObjectState side = row("side", l.side, 10);
    side.mediaId = l.media;
    side.state = static_cast<int>(SideState::Available);
    m.apply(side);
    return m;
}

const char *kFull = R"(rsm_library_slots{library="vtl",state="full"})";
const char *kEmpty = R"(rsm_library_slots{library="vtl",state="empty"})";
const char *kScratch =
    R"(rsm_pool_available_media{pool="free:LTO-5",kind="free",media_type="LTO-5"})";

}  // namespace

TEST_CASE("metrics text: HELP and TYPE, escaped labels, cumulative histogram buckets") {
    Family gauge{"rsm_g", "A gauge", metrics::Type::Gauge, {}};
    gauge.samples.push_back({{{"name", "a\"b\\c\nd"}}, 2.5, {}});
    Family empty{"rsm_none_total", "Nothing", metrics::Type::Counter, {}};
    Family hist{"rsm_h_seconds", "A histogram", metrics::Type::Histogram, {}};
    metrics::Histogram h({1, 5});
    h.observe(0.5);
    h.observe(1);
    h.observe(3);
    h.observe(60);
    h.appendTo(hist, {{"library", "vtl"}});
    CHECK(metrics::exposition({gauge, empty, hist}) ==
          "# HELP rsm_g A gauge\n# TYPE rsm_g gauge\n"
          "rsm_g{name=\"a\\\"b\\\\c\\nd\"} 2.5\n"
          "# HELP rsm_h_seconds A histogram\n# TYPE rsm_h_seconds histogram\n"
          "rsm_h_seconds_bucket{library=\"vtl\",le=\"1\"} 2\n"
          "rsm_h_seconds_bucket{library=\"vtl\",le=\"5\"} 3\n"
          "rsm_h_seconds_bucket{library=\"vtl\",le=\"+Inf\"} 4\n"
          "rsm_h_seconds_sum{library=\"vtl\"} 64.5\n"
          "rsm_h_seconds_count{library=\"vtl\"} 4\n");
}

TEST_CASE("metrics model: a pool's water marks, and retired media out of the scratch level") {
    const Library l;
    MetricsModel m = withLibrary(l);
    const char *low = R"(rsm_pool_low_mark{pool="free:LTO-5",kind="free",media_type="LTO-5"})";
    const char *high = R"(rsm_pool_high_mark{pool="free:LTO-5",kind="free",media_type="LTO-5"})";
    CHECK(std::isnan(value(m, low)));  // no mark: no series
    ObjectState pool = row("pool", l.pool, 20);
    pool.name = "free:LTO-5";
    pool.kindCode = static_cast<int>(PoolKind::Free);
    pool.mediaTypeId = l.type;
    pool.lowMark = 3;
    pool.highMark = 5;
    m.apply(pool);
    CHECK(value(m, low) == 3);
    CHECK(value(m, high) == 5);
    CHECK(value(m, kScratch) == 1);
    ObjectState retired = row("physical_media", l.media, 21);
    retired.libraryId = l.lib;
    retired.poolId = l.pool;
    retired.location = static_cast<int>(LocationKind::Slot);
    retired.slotId = l.slot1;
    retired.life = 3;
    m.apply(retired);
    CHECK(value(m, kScratch) == 0);
}

TEST_CASE("metrics model: slots, scratch level and drives follow the rows") {
    const Library l;
    MetricsModel m = withLibrary(l);
    CHECK(value(m, kFull) == 1);
    CHECK(value(m, kEmpty) == 1);
    CHECK(value(m, kScratch) == 1);

    // The side allocated: no scratch tape left. An older row of it, read again, changes nothing.
    ObjectState allocated = row("side", l.side, 20);
    allocated.mediaId = l.media;
    allocated.state = static_cast<int>(SideState::Allocated);
    m.apply(allocated);
    CHECK(value(m, kScratch) == 0);
    ObjectState stale = row("side", l.side, 15);
    stale.mediaId = l.media;
    stale.state = static_cast<int>(SideState::Available);
    m.apply(stale);
    CHECK(value(m, kScratch) == 0);

    // Into a drive: the slot is empty, the drive mounted.
    const Uuid drive = Uuid::random();
    ObjectState d = row("drive", drive, 21);
    d.libraryId = l.lib;
    d.number = 1;
    d.needsCleaning = true;
    m.apply(d);
    ObjectState moved = row("physical_media", l.media, 22);
    moved.libraryId = l.lib;
    moved.poolId = l.pool;
    moved.location = static_cast<int>(LocationKind::Drive);
    moved.driveId = drive;
    m.apply(moved);
    CHECK(value(m, kFull) == 0);
    CHECK(value(m, kEmpty) == 2);
    CHECK(value(m, R"(rsm_drive_mounted{library="vtl",drive="1"})") == 1);
    CHECK(value(m, R"(rsm_drive_needs_cleaning{library="vtl",drive="1"})") == 1);
    CHECK(value(m, R"(rsm_drive_state{library="vtl",drive="1",state="dismounted"})") == 1);
}

TEST_CASE("metrics model: a deleted object stays deleted when its older events come again") {
    const Library l;
    MetricsModel m = withLibrary(l);
    ObjectState gone = row("slot", l.slot2, 30);
    gone.deleted = true;
    m.apply(gone);
    CHECK(value(m, kEmpty) == 0);
    ObjectState again = row("slot", l.slot2, 25);
    again.libraryId = l.lib;
    m.apply(again);
    CHECK(value(m, kEmpty) == 0);
    // Once the reader's position is past the deletion, its tombstone goes.
    m.forget(30);
    CHECK(m.objects() == 6);
}

TEST_CASE("metrics model: an ended library request counts once, however often it is read") {
    const Library l;
    MetricsModel m = withLibrary(l);
    const Uuid request = Uuid::random();
    ObjectState queued = row("library_request", request, 40);
    queued.libraryId = l.lib;
    queued.name = "mount";
    m.apply(queued);
    CHECK(value(m, R"(rsm_library_requests{library="vtl",kind="mount",state="queued"})") == 1);
    ObjectState failed = queued;
    failed.seq = 41;
    failed.state = static_cast<int>(RequestState::Failed);
    failed.seconds = 2.0;
    failed.errorCode = static_cast<int>(ErrorCode::Cancelled);
    for (int i = 0; i < 3; ++i) {
        m.apply(queued);
        m.apply(failed);
    }
    CHECK(
        std::isnan(value(m, R"(rsm_library_requests{library="vtl",kind="mount",state="queued"})")));
    CHECK(
        value(
            m,
            R"(rsm_library_request_failures_total{library="vtl",kind="mount",error="ERROR_CANCELLED"})") ==
        1);
    CHECK(value(m, R"(rsm_library_request_duration_seconds_count{library="vtl",kind="mount"})") ==
          1);
    CHECK(value(m,
                R"(rsm_library_requests_ended_total{library="vtl",kind="mount",state="failed"})") ==
          1);
}

TEST_CASE("metrics model: operator requests open and the oldest one's age") {
    MetricsModel m;
    CHECK(value(m, "rsm_operator_request_oldest_age_seconds") == 0);
    const Uuid a = Uuid::random(), b = Uuid::random();
    ObjectState first = row("operator_request", a, 1);
    first.kindCode = static_cast<int>(OperatorRequestKind::MoveMedia);
    first.state = static_cast<int>(OperatorRequestState::Submitted);
    first.seconds = 400;
    ObjectState second = first;
    second.id = b;
    second.seconds = 900;
    m.apply(first);
    m.apply(second);
    CHECK(value(m, R"(rsm_operator_requests_open{kind="movemedia"})") == 2);
    CHECK(value(m, "rsm_operator_request_oldest_age_seconds", 1000) == 600);
    first.seq = 2;
    first.state = static_cast<int>(OperatorRequestState::Complete);
    m.apply(first);
    CHECK(value(m, R"(rsm_operator_requests_open{kind="movemedia"})") == 1);
    CHECK(value(m, "rsm_operator_request_oldest_age_seconds", 1000) == 100);
}

}  // namespace rsm::service
