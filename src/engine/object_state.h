#pragma once
// ObjectState: an object's row as rsmd's metrics follow it (issue 19): the columns the gauges
// need of libraries, drives, slots, I/E ports, pools, media, sides and requests, read once at
// start (a snapshot) and then from the event log, whose rows carry the whole row. The store
// extracts the columns (src/store/pg_tx_metrics.cc); src/service/metrics_model.h keeps them.
// Thread-safety: values only.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "rsm/uuid.h"

namespace rsm::engine {

struct ObjectState {
    std::int64_t seq = 0;  // the event's sequence number; a snapshot row has the snapshot's
    // "library", "drive", "slot", "ieport", "media_type", "pool", "physical_media", "side",
    // "library_request", "operator_request"
    std::string kind;
    Uuid id;
    bool deleted = false;
    std::optional<Uuid> libraryId, poolId, mediaId, parentId, slotId, driveId, ieportId,
        mediaTypeId;
    std::string name;  // a library's, media type's or pool's name; a library request's kind
    int kindCode = 0;  // library, pool and operator request kinds (rsm/model.h)
    int state = 0;
    int location = 0;  // physical_media
    int number = 0;    // drive
    bool enabled = true;
    bool reachable = true;        // library: its robot answers (unreachable_since is NULL)
    bool needsCleaning = false;   // drive
    bool suspect = false;         // drive, physical_media
    std::int64_t mountCount = 0;  // drive
    // library_request: seconds from started to finished (when both are set);
    // operator_request: its creation as seconds since the Unix epoch.
    std::optional<double> seconds;
    std::optional<int> errorCode;          // library_request
    std::optional<int> lowMark, highMark;  // pool (schema 017)
    int life = 0;                          // physical_media: MediaLife (schema 017)
};

// A batch for the metrics: the rows, and how far the log may be taken as read. The events of
// the last seconds are "recent": a transaction still running may yet commit events with lower
// sequence numbers than theirs, so the reader reads from before them again next time (each
// object skips rows older than the one it holds).
struct ObjectStates {
    std::vector<ObjectState> rows;
    // The last sequence number before the batch's first recent event (the batch's last when
    // none is recent, the position asked for when it has no rows or begins with a recent one).
    std::int64_t settled = 0;
    bool recent = false;  // the batch holds a recent event
};

}  // namespace rsm::engine
