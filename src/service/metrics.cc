#include "src/service/metrics.h"

#include <bitset>
#include <chrono>

namespace rsm::service {

using metrics::Family;
using metrics::Labels;
using metrics::Type;

namespace {

// Robot moves: a second or two on a small library, a minute on a big one with a slow robot.
const std::vector<double> kMoveBuckets = {0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300};
constexpr int kEventBatch = 10'000;

double unixNow() {
    return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

Family counter(std::string name, std::string help) {
    return Family{std::move(name), std::move(help), Type::Counter, {}};
}

}  // namespace

MetricsCollector::MetricsCollector(engine::Engine &engine) : engine_(engine) {}

void MetricsCollector::request(std::string_view verb, std::optional<ErrorCode> error) {
    std::lock_guard lock(mutex_);
    ++requests_[std::string(verb)];
    if (error)
        ++errors_[std::string(errorName(*error))];
}

void MetricsCollector::moved(const std::string &library, double seconds, bool ok) {
    std::lock_guard lock(mutex_);
    ++moves_[{library, ok ? "ok" : "failed"}];
    if (ok)
        moveSeconds_.try_emplace(library, kMoveBuckets).first->second.observe(seconds);
}

void MetricsCollector::health(const Uuid &drive, const DriveHealth &reading) {
    std::lock_guard lock(mutex_);
    ++readings_[drive];
    if (reading.volume) {
        // The last mount's megabytes (10^6 bytes), as the volume statistics page counts them.
        if (reading.volume->lastMountWrittenMB)
            bytesWritten_[drive] += *reading.volume->lastMountWrittenMB * 1'000'000ULL;
        if (reading.volume->lastMountReadMB)
            bytesRead_[drive] += *reading.volume->lastMountReadMB * 1'000'000ULL;
    }
    if (reading.tapeAlertFlags)
        alertFlags_[drive] = static_cast<int>(std::bitset<64>(*reading.tapeAlertFlags).count());
}

void MetricsCollector::addGauges(GaugeReader reader) {
    std::lock_guard lock(mutex_);
    gauges_.push_back(std::move(reader));
}

Result<void> MetricsCollector::catchUp() {
    if (!seeded_) {
        auto snapshot = engine_.objectSnapshot();
        if (!snapshot)
            return snapshot.error();
        for (const engine::ObjectState &row : snapshot->rows)
            model_.apply(row);
        position_ = snapshot->settled;
        seeded_ = true;
    }
    // Everything after the position, batch by batch; the position then moves to the last
    // event before the first recent one (those are read again next time).
    std::int64_t cursor = position_;
    std::optional<std::int64_t> settled;
    for (;;) {
        auto batch = engine_.objectEvents(cursor, kEventBatch);
        if (!batch)
            return batch.error();
        for (const engine::ObjectState &row : batch->rows)
            model_.apply(row);
        eventsRead_ += batch->rows.size();
        if (batch->recent && !settled)
            settled = batch->settled;
        if (batch->rows.empty())
            break;
        cursor = batch->rows.back().seq;
        if (batch->rows.size() < static_cast<std::size_t>(kEventBatch))
            break;
    }
    position_ = settled.value_or(cursor);
    model_.forget(position_);
    return success();
}

Result<std::string> MetricsCollector::scrape() {
    std::lock_guard lock(mutex_);
    if (auto caught = catchUp(); !caught) {
        if (!seeded_)
            return caught.error();
        ++readErrors_;
    }
    std::vector<Family> out = model_.families(unixNow());

    auto pairs = [&](Family f, const auto &map, const char *first, const char *second) {
        for (const auto &[key, value] : map)
            f.samples.push_back(
                {{{first, key.first}, {second, key.second}}, static_cast<double>(value), {}});
        out.push_back(std::move(f));
    };
    pairs(counter("rsm_robot_moves_total", "Robot moves by library and result"), moves_, "library",
          "result");
    Family moveSeconds{
        "rsm_robot_move_duration_seconds", "Time a robot move took", Type::Histogram, {}};
    for (const auto &[library, h] : moveSeconds_)
        h.appendTo(moveSeconds, {{"library", library}});
    out.push_back(std::move(moveSeconds));
    // Per drive, named by its library and number (a drive the model no longer has is left out).
    auto perDrive = [&](Family f, const auto &map) {
        for (const auto &[drive, value] : map)
            if (auto labels = model_.driveLabels(drive))
                f.samples.push_back({*labels, static_cast<double>(value), {}});
        out.push_back(std::move(f));
    };
    perDrive(counter("rsm_drive_written_bytes_total",
                     "Bytes written in the mounts of the drive, from its volume statistics"),
             bytesWritten_);
    perDrive(counter("rsm_drive_read_bytes_total",
                     "Bytes read in the mounts of the drive, from its volume statistics"),
             bytesRead_);
    perDrive(counter("rsm_drive_health_readings_total", "Health readings of the drive"), readings_);
    perDrive(Family{"rsm_drive_tapealert_flags",
                    "TapeAlert flags the drive raised at its last health reading",
                    Type::Gauge,
                    {}},
             alertFlags_);

    Family requests = counter("rsm_requests_total", "Protocol requests answered, by verb");
    for (const auto &[verb, n] : requests_)
        requests.samples.push_back({{{"verb", verb}}, static_cast<double>(n), {}});
    out.push_back(std::move(requests));
    Family errors = counter("rsm_request_errors_total",
                            "Protocol requests answered with an RSM error, by error");
    for (const auto &[error, n] : errors_)
        errors.samples.push_back({{{"error", error}}, static_cast<double>(n), {}});
    out.push_back(std::move(errors));
    Family events =
        counter("rsm_metrics_events_read_total", "Event log rows the metrics read to stay current");
    events.samples.push_back({{}, static_cast<double>(eventsRead_), {}});
    out.push_back(std::move(events));
    Family readErrors = counter("rsm_metrics_read_errors_total",
                                "Scrapes that could not read the event log (figures kept)");
    readErrors.samples.push_back({{}, static_cast<double>(readErrors_), {}});
    out.push_back(std::move(readErrors));
    for (const GaugeReader &reader : gauges_)
        for (Family &f : reader())
            out.push_back(std::move(f));
    return metrics::exposition(out);
}

}  // namespace rsm::service
