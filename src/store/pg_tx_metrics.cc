// PgTx: what rsmd's metrics follow (src/engine/object_state.h). A snapshot of the objects
// and the event log's rows of the same kinds go through one extraction from the row's JSON,
// so that both give the same columns.

#include "src/store/pg_rows.h"
#include "src/store/pg_tx.h"

namespace rsm::store {

using namespace rsm::engine;
using namespace detail;

namespace {

// The columns of ObjectState from a row as JSON (`data`) of kind `kind`.
#define RSM_OBJECT_COLUMNS                                                                   \
    " kind, id, deleted,"                                                                    \
    " rsm_event_uuid(data, 'library_id'), rsm_event_uuid(data, 'pool_id'),"                  \
    " rsm_event_uuid(data, 'media_id'), rsm_event_uuid(data, 'parent_id'),"                  \
    " rsm_event_uuid(data, 'slot_id'), rsm_event_uuid(data, 'drive_id'),"                    \
    " rsm_event_uuid(data, 'ieport_id'), rsm_event_uuid(data, 'media_type_id'),"             \
    " coalesce(CASE WHEN kind = 'library_request' THEN data ->> 'kind'"                      \
    "   ELSE data ->> 'name' END, ''),"                                                      \
    " CASE WHEN kind IN ('library', 'pool', 'operator_request')"                             \
    "   THEN (data ->> 'kind')::int ELSE 0 END,"                                             \
    " coalesce((data ->> 'state')::int, 0), coalesce((data ->> 'location')::int, 0),"        \
    " coalesce((data ->> 'number')::int, 0), coalesce((data ->> 'enabled')::boolean, true)," \
    " (data ->> 'unreachable_since') IS NULL,"                                               \
    " coalesce((data ->> 'needs_cleaning')::boolean, false),"                                \
    " coalesce((data ->> 'suspect')::boolean, false),"                                       \
    " coalesce((data ->> 'mount_count')::bigint, 0),"                                        \
    " CASE kind WHEN 'library_request' THEN extract(epoch FROM"                              \
    "   (data ->> 'finished')::timestamptz - (data ->> 'started')::timestamptz)::float8"     \
    "   WHEN 'operator_request' THEN extract(epoch FROM (data ->> 'created')::timestamptz)"  \
    "   ::float8 END,"                                                                       \
    " (data ->> 'error_code')::int,"                                                         \
    " (data ->> 'low_mark')::int, (data ->> 'high_mark')::int,"                              \
    " coalesce((data ->> 'life')::int, 0)"

// The columns start at r[from].
ObjectState objectState(const pqxx::row &row, int from, std::int64_t seq) {
    auto r = [&](int i) { return row[from + i]; };
    ObjectState o;
    o.seq = seq;
    o.kind = r(0).as<std::string>();
    o.id = uuid(r(1));
    o.deleted = r(2).as<bool>();
    o.libraryId = optUuid(r(3));
    o.poolId = optUuid(r(4));
    o.mediaId = optUuid(r(5));
    o.parentId = optUuid(r(6));
    o.slotId = optUuid(r(7));
    o.driveId = optUuid(r(8));
    o.ieportId = optUuid(r(9));
    o.mediaTypeId = optUuid(r(10));
    o.name = r(11).as<std::string>();
    o.kindCode = r(12).as<int>();
    o.state = r(13).as<int>();
    o.location = r(14).as<int>();
    o.number = r(15).as<int>();
    o.enabled = r(16).as<bool>();
    o.reachable = r(17).as<bool>();
    o.needsCleaning = r(18).as<bool>();
    o.suspect = r(19).as<bool>();
    o.mountCount = r(20).as<long long>();
    if (!r(21).is_null())
        o.seconds = r(21).as<double>();
    if (!r(22).is_null())
        o.errorCode = r(22).as<int>();
    if (!r(23).is_null())
        o.lowMark = r(23).as<int>();
    if (!r(24).is_null())
        o.highMark = r(24).as<int>();
    o.life = r(25).as<int>();
    return o;
}

}  // namespace

ObjectStates PgTx::objectSnapshot() {
    ObjectStates out;
    // The events of the last seconds are read again after a snapshot (see objectEvents); the
    // snapshot's rows count as of its last event, so those events older than it are skipped.
    pqxx::result at = exec("rsm_object_snapshot_at",
                           "SELECT coalesce(max(seq), 0), coalesce((SELECT min(seq) - 1 FROM"
                           " event_log WHERE at > now() - interval '10 seconds'), max(seq), 0)"
                           " FROM event_log");
    const std::int64_t last = at[0][0].as<long long>();
    out.settled = at[0][1].as<long long>();
    pqxx::result r =
        exec("rsm_object_snapshot",
             "SELECT" RSM_OBJECT_COLUMNS
             " FROM ("
             " SELECT 'library' AS kind, id, false AS deleted, to_jsonb(t) AS data FROM library t"
             " UNION ALL SELECT 'drive', id, false, to_jsonb(t) FROM drive t"
             " UNION ALL SELECT 'slot', id, false, to_jsonb(t) FROM slot t"
             " UNION ALL SELECT 'ieport', id, false, to_jsonb(t) FROM ieport t"
             " UNION ALL SELECT 'media_type', id, false, to_jsonb(t) FROM media_type t"
             " UNION ALL SELECT 'pool', id, false, to_jsonb(t) FROM pool t"
             " UNION ALL SELECT 'physical_media', id, false, to_jsonb(t) FROM physical_media t"
             " UNION ALL SELECT 'side', id, false, to_jsonb(t) FROM side t"
             " UNION ALL SELECT 'library_request', id, false, to_jsonb(t) FROM library_request t"
             "   WHERE state IN (0, 1, 5, 6)"
             " UNION ALL SELECT 'operator_request', id, false, to_jsonb(t) FROM operator_request t"
             "   WHERE state IN (1, 2, 3)) o");
    out.rows.reserve(r.size());
    for (const auto &row : r)
        out.rows.push_back(objectState(row, 0, last));
    return out;
}

ObjectStates PgTx::objectEvents(std::int64_t after, int limit) {
    ObjectStates out;
    out.settled = after;
    pqxx::result r = exec(
        "rsm_object_events",
        "SELECT seq, at > now() - interval '10 seconds'," RSM_OBJECT_COLUMNS
        " FROM ("
        " SELECT seq, at, object_kind AS kind, object_id AS id, op = 'delete' AS deleted,"
        " data FROM event_log_full WHERE seq > $1 AND object_kind IN ('library', 'drive', 'slot',"
        " 'ieport', 'media_type', 'pool', 'physical_media', 'side', 'library_request',"
        " 'operator_request') ORDER BY seq LIMIT $2) e",
        static_cast<long long>(after), limit);
    out.rows.reserve(r.size());
    for (const auto &row : r) {
        const std::int64_t seq = row[0].as<long long>();
        if (row[1].as<bool>())
            out.recent = true;
        if (!out.recent)
            out.settled = seq;
        out.rows.push_back(objectState(row, 2, seq));
    }
    return out;
}

#undef RSM_OBJECT_COLUMNS

}  // namespace rsm::store
