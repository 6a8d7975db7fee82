#pragma once
// MetricsModel: the gauges of rsm's libraries, drives, media and requests, kept current from
// rows (ObjectState) rather than counted anew by the database at each scrape: a snapshot at
// start, then the event log's rows as they come. Library requests that end are counted into
// a duration histogram and failures by RSM code as their last event goes by. Pure: no I/O.
//
// Events may be handed over more than once (the reader re-reads its last seconds, see
// engine::ObjectStates): each object keeps the sequence number of the row it holds and an
// older or equal row is ignored; a deleted (or finished) object leaves a tombstone until the
// reader's position passes it.
// Thread-safety: none; MetricsCollector serialises it.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "rsm/uuid.h"
#include "src/engine/object_state.h"
#include "src/service/metrics_text.h"

namespace rsm::service {

class MetricsModel {
public:
    MetricsModel();

    void apply(const engine::ObjectState &row);
    // Tombstones of events the reader will not hand over again (its position is past them).
    void forget(std::int64_t through);
    // The families, at `now` (seconds since the epoch: for ages).
    std::vector<metrics::Family> families(double now) const;

    std::size_t objects() const;
    // {library, drive number} labels of a drive; nullopt for one the model does not hold.
    std::optional<metrics::Labels> driveLabels(const Uuid &drive) const;

private:
    struct Held {
        engine::ObjectState row;
    };
    // A row replacing an older one: false when it is the same or older, or the object's
    // tombstone says it is gone.
    bool fresher(const engine::ObjectState &row) const;
    std::string poolPath(const Uuid &pool) const;
    std::string libraryName(const std::optional<Uuid> &library) const;
    void finished(const engine::ObjectState &request);

    // by kind, by id
    std::map<std::string, std::map<Uuid, engine::ObjectState>> objects_;
    std::map<Uuid, std::int64_t> tombstones_;
    // library, kind
    std::map<std::pair<std::string, std::string>, metrics::Histogram> durations_;
    // library, kind, error name
    std::map<std::tuple<std::string, std::string, std::string>, std::uint64_t> failures_;
    // library, kind, state name
    std::map<std::tuple<std::string, std::string, std::string>, std::uint64_t> ended_;
};

}  // namespace rsm::service
