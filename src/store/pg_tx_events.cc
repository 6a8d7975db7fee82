// PgTx: the event log and the retention (schema/008_retention.sql): reading the log for
// watchers, and purging old events and closed sessions.

#include "src/store/pg_rows.h"
#include "src/store/pg_tx.h"

namespace rsm::store {

using namespace rsm::engine;

using namespace detail;

namespace {

std::optional<std::uint32_t> optUid(const pqxx::field &f) {
    if (f.is_null())
        return std::nullopt;
    const long long uid = f.as<long long>();
    if (uid < 0 || uid > 0xffffffffLL)
        return std::nullopt;
    return static_cast<std::uint32_t>(uid);
}

}  // namespace

// The columns that say whom a row concerns come out of the row's JSON here, so that the
// engine decides visibility without reading JSON. Values that are not UUIDs read as NULL.
std::vector<EventRow> PgTx::events(std::int64_t after, int limit) {
    return all<EventRow>(
        exec("rsm_events",
             "SELECT seq, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'),"
             " object_kind, object_id, op, principal, data::text,"
             " rsm_event_uuid(data, 'pool_id'), rsm_event_uuid(data, 'library_id'),"
             " rsm_event_uuid(data, 'media_id'), rsm_event_uuid(data, 'side_id'),"
             " rsm_event_uuid(data, 'session_id'),"
             " CASE WHEN object_kind IN ('attribute', 'acl')"
             " THEN rsm_event_uuid(data, 'object_id') END,"
             " CASE WHEN object_kind = 'session' AND (data ->> 'uid') ~ '^[0-9]{1,10}$'"
             " THEN (data ->> 'uid')::bigint END,"
             // the names of what the event is about: a medium's barcode, an LMID's name
             " CASE WHEN object_kind = 'physical_media' THEN data ->> 'barcode'"
             " WHEN object_kind IN ('side', 'logical_media', 'library_request',"
             "   'operator_request') THEN (SELECT m.barcode FROM physical_media m WHERE m.id ="
             "   coalesce(rsm_event_uuid(data, 'media_id'), (SELECT s.media_id FROM side s"
             "     WHERE s.id = rsm_event_uuid(data, 'side_id')))) END,"
             " nullif(CASE object_kind WHEN 'logical_media' THEN data ->> 'name'"
             " WHEN 'side' THEN (SELECT l.name FROM logical_media l WHERE l.side_id = object_id)"
             " WHEN 'physical_media' THEN (SELECT string_agg(nullif(l.name, ''), ','"
             "   ORDER BY s.number) FROM side s JOIN logical_media l ON l.side_id = s.id"
             "   WHERE s.media_id = object_id) END, '')"
             " FROM " RSM_EVENT_ROWS " WHERE seq > $1 ORDER BY seq LIMIT $2) e ORDER BY seq",
             static_cast<long long>(after), limit),
        [](const pqxx::row &r) {
            EventRow e{r[0].as<long long>(),
                       r[1].as<std::string>(),
                       r[2].as<std::string>(),
                       uuid(r[3]),
                       r[4].as<std::string>(),
                       r[5].as<std::string>(),
                       r[6].as<std::string>(),
                       {},
                       {},
                       {},
                       {},
                       {},
                       {},
                       {}};
            e.poolId = optUuid(r[7]);
            e.libraryId = optUuid(r[8]);
            e.mediaId = optUuid(r[9]);
            e.sideId = optUuid(r[10]);
            e.sessionId = optUuid(r[11]);
            e.ownerObject = optUuid(r[12]);
            e.uid = optUid(r[13]);
            e.barcode = optText(r[14]);
            e.lmidName = optText(r[15]);
            return e;
        });
}

std::int64_t PgTx::lastEventSeq() {
    pqxx::result r = exec("rsm_last_event_seq", "SELECT coalesce(max(seq), 0) FROM event_log");
    return r[0][0].as<long long>();
}

std::int64_t PgTx::purgedThrough() {
    pqxx::result r = exec("rsm_purged_through",
                          "SELECT coalesce((SELECT through_seq FROM event_log_purged), 0)");
    return r[0][0].as<long long>();
}

std::int64_t PgTx::purgeEvents(std::int64_t keepSeconds, int maxRows) {
    pqxx::result r =
        exec("rsm_purge_events", "SELECT rsm_purge_events(make_interval(secs => $1), $2)",
             static_cast<long long>(keepSeconds), maxRows);
    return r[0][0].as<long long>();
}

// --- sessions ---

void PgTx::logSessionChanges() {
    exec("rsm_log_sessions", "SELECT set_config('rsm.log_sessions', 'on', true)");
}

std::int64_t PgTx::purgeSessions(std::int64_t keepSeconds, int maxRows) {
    pqxx::result r =
        exec("rsm_purge_sessions", "SELECT rsm_purge_sessions(make_interval(secs => $1), $2)",
             static_cast<long long>(keepSeconds), maxRows);
    return r[0][0].as<long long>();
}

std::vector<HistoryEventRow> PgTx::historyEvents(const Uuid &object, bool drive, int limit) {
#define RSM_HISTORY(column)                                                                    \
    "SELECT seq, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'),"         \
    " object_kind, object_id, op, principal,"                                                  \
    " CASE WHEN object_kind = 'library_request' THEN data ->> 'kind' END, data ->> 'message'," \
    " data ->> 'last_cleaned', (data ->> 'state')::int, (data ->> 'location')::int,"           \
    " (data ->> 'error_code')::int, rsm_event_uuid(data, 'library_id'),"                       \
    " rsm_event_uuid(data, 'slot_id'), rsm_event_uuid(data, 'drive_id'),"                      \
    " rsm_event_uuid(data, 'ieport_id'), rsm_event_uuid(data, 'pool_id'),"                     \
    " (data ->> 'needs_cleaning')::boolean FROM " RSM_EVENT_ROWS                               \
    " WHERE object_id = $1::uuid OR (object_kind = 'library_request'"                          \
    " AND data_as_logged ->> '" column                                                         \
    "' = $1::uuid::text)"                                                                      \
    " ORDER BY seq DESC LIMIT $2) e ORDER BY seq DESC"
    pqxx::result r =
        drive ? exec("rsm_history_drive", RSM_HISTORY("drive_id"), object.toString(), limit)
              : exec("rsm_history_media", RSM_HISTORY("media_id"), object.toString(), limit);
#undef RSM_HISTORY
    return all<HistoryEventRow>(r, [](const pqxx::row &row) {
        HistoryEventRow e;
        e.seq = row[0].as<long long>();
        e.at = row[1].as<std::string>();
        e.kind = row[2].as<std::string>();
        e.objectId = uuid(row[3]);
        e.op = row[4].as<std::string>();
        e.principal = row[5].as<std::string>();
        e.requestKind = optText(row[6]);
        e.message = optText(row[7]);
        e.lastCleaned = optText(row[8]);
        if (!row[9].is_null())
            e.state = row[9].as<int>();
        if (!row[10].is_null())
            e.location = row[10].as<int>();
        if (!row[11].is_null())
            e.errorCode = row[11].as<int>();
        e.libraryId = optUuid(row[12]);
        e.slotId = optUuid(row[13]);
        e.driveId = optUuid(row[14]);
        e.ieportId = optUuid(row[15]);
        e.poolId = optUuid(row[16]);
        if (!row[17].is_null())
            e.needsCleaning = row[17].as<bool>();
        return e;
    });
}

}  // namespace rsm::store
