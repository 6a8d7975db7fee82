// PgTx: the SQL behind each engine::Tx call. Parameters only ($1..$n); UUIDs travel as text
// cast to uuid, enums as their schema numbers, nullable values as null pointers.

#include "src/store/pg_tx.h"

#include "src/store/pg_rows.h"

#include <array>
#include <charconv>
#include <stdexcept>

#include <fmt/format.h>
#include <pqxx/binarystring>
#include <pqxx/result>

namespace rsm::store {

using namespace rsm::engine;

using namespace detail;

namespace {

// setObjectText's whitelist: the text columns each kind of object has, with their statements.
struct TextColumn {
    ObjectKind kind;
    std::string_view column;
    const char *statement;
    const char *sql;
};

constexpr std::array kTextColumns = {
#define RSM_TEXT(kind, table, column)                                    \
    TextColumn {                                                         \
        ObjectKind::kind, #column, "rsm_set_" #table "_" #column,        \
            "UPDATE " #table " SET " #column " = $2 WHERE id = $1::uuid" \
    }
    RSM_TEXT(Computer, computer, name),
    RSM_TEXT(Computer, computer, description),
    RSM_TEXT(Library, library, name),
    RSM_TEXT(Library, library, description),
    RSM_TEXT(Drive, drive, name),
    RSM_TEXT(Drive, drive, description),
    RSM_TEXT(MediaType, media_type, name),
    RSM_TEXT(MediaType, media_type, description),
    RSM_TEXT(PhysicalMedia, physical_media, name),
    RSM_TEXT(PhysicalMedia, physical_media, description),
    RSM_TEXT(LogicalMedia, logical_media, name),
    RSM_TEXT(LogicalMedia, logical_media, description),
    RSM_TEXT(Pool, pool, name),
    RSM_TEXT(Pool, pool, description),
    RSM_TEXT(Changer, changer, name),
#undef RSM_TEXT
};

}  // namespace

void PgTx::setPrincipal(const std::string &principal) {
    exec("rsm_set_principal", "SELECT set_config('rsm.principal', $1, true)", principal);
}

// --- sessions ---

std::optional<SessionRow> PgTx::session(const Uuid &id) {
    return first<SessionRow>(
        exec("rsm_session", "SELECT " RSM_SESSION_COLUMNS " FROM session WHERE id = $1::uuid",
             id.toString()),
        sessionRow);
}

std::optional<SessionRow> PgTx::sessionActing(const Uuid &id) {
    // 'uid:' || uid is Principal::toString() (tests/store: the event log names the caller).
    return first<SessionRow>(
        exec("rsm_session_acting",
             "SELECT " RSM_SESSION_COLUMNS ", set_config('rsm.principal', 'uid:' || uid, true)"
             " FROM session WHERE id = $1::uuid",
             id.toString()),
        sessionRow);
}

void PgTx::insertSession(const SessionRow &row) {
    exec("rsm_insert_session",
         "INSERT INTO session (id, uid, gids, application, closed)"
         " VALUES ($1::uuid, $2, $3::bigint[], $4, CASE WHEN $5::boolean THEN NULL ELSE now() END)",
         row.id.toString(), static_cast<long long>(row.uid), bigintArray(row.gids), row.application,
         row.open);
}

void PgTx::closeSession(const Uuid &id) {
    exec("rsm_close_session",
         "UPDATE session SET closed = now() WHERE id = $1::uuid AND closed IS NULL", id.toString());
}

void PgTx::cancelSessionRequests(const Uuid &session, const std::string &message) {
    exec("rsm_cancel_session_requests",
         "UPDATE library_request SET state = $2::smallint, error_code = $3::integer,"
         " message = $4, finished = now()"
         " WHERE session_id = $1::uuid AND state IN ($5::smallint, $6::smallint)",
         session.toString(), number(RequestState::Cancelled),
         static_cast<int>(ErrorCode::Cancelled), message, number(RequestState::Queued),
         number(RequestState::Waiting));
}

// --- access control ---

Uuid PgTx::computerId() {
    pqxx::result r = exec("rsm_computer_id", "SELECT id FROM computer LIMIT 1");
    if (r.empty())
        throw std::runtime_error("the computer row is missing");
    return uuid(r[0][0]);
}

std::uint32_t PgTx::rights(std::uint32_t uid, const std::vector<std::uint32_t> &gids, ObjectKind,
                           const Uuid &objectId) {
    pqxx::result r = exec("rsm_rights",
                          "SELECT coalesce(bit_or(rights), 0) FROM acl WHERE object_id = $1::uuid"
                          " AND ((principal_kind = 0 AND principal_id = $2)"
                          " OR (principal_kind = 1 AND principal_id = ANY ($3::bigint[])))",
                          objectId.toString(), static_cast<long long>(uid), bigintArray(gids));
    return static_cast<std::uint32_t>(r[0][0].as<int>());
}

std::vector<AclRow> PgTx::acl(const Uuid &objectId) {
    return all<AclRow>(exec("rsm_acl",
                            "SELECT " RSM_ACL_COLUMNS " FROM acl WHERE object_id = $1::uuid"
                            " ORDER BY principal_kind, principal_id",
                            objectId.toString()),
                       aclRow);
}

void PgTx::setAcl(const AclRow &row) {
    std::optional<std::string> id;
    if (!row.id.isNil())
        id = row.id.toString();
    exec("rsm_set_acl",
         "INSERT INTO acl (id, principal_kind, principal_id, object_kind, object_id, rights)"
         " VALUES (coalesce($1::uuid, gen_random_uuid()), $2, $3, $4, $5::uuid, $6)"
         " ON CONFLICT (object_id, principal_kind, principal_id)"
         " DO UPDATE SET rights = EXCLUDED.rights, object_kind = EXCLUDED.object_kind",
         nullable(id), number(row.principalKind), static_cast<long long>(row.principalId),
         number(row.objectKind), row.objectId.toString(), static_cast<int>(row.rights));
}

bool PgTx::deleteAcl(const Uuid &objectId, PrincipalKind kind, std::uint32_t id) {
    pqxx::result r = exec("rsm_delete_acl",
                          "DELETE FROM acl WHERE object_id = $1::uuid AND principal_kind = $2"
                          " AND principal_id = $3",
                          objectId.toString(), number(kind), static_cast<long long>(id));
    return r.affected_rows() > 0;
}

// --- media types ---

std::optional<MediaTypeRow> PgTx::mediaType(const Uuid &id) {
    return first<MediaTypeRow>(
        exec("rsm_media_type",
             "SELECT " RSM_MEDIA_TYPE_COLUMNS " FROM media_type WHERE id = $1::uuid",
             id.toString()),
        mediaTypeRow);
}

std::optional<MediaTypeRow> PgTx::mediaTypeByName(const std::string &name) {
    return first<MediaTypeRow>(
        exec("rsm_media_type_by_name",
             "SELECT " RSM_MEDIA_TYPE_COLUMNS " FROM media_type WHERE lower(name) = lower($1)",
             name),
        mediaTypeRow);
}

void PgTx::insertMediaType(const MediaTypeRow &row) {
    exec("rsm_insert_media_type",
         "INSERT INTO media_type (id, name, description, sides, worm)"
         " VALUES ($1::uuid, $2, $3, $4, $5)",
         row.id.toString(), row.name, row.description, row.sides, row.worm);
}

std::vector<MediaTypeRow> PgTx::mediaTypes() {
    return all<MediaTypeRow>(
        exec("rsm_media_types", "SELECT " RSM_MEDIA_TYPE_COLUMNS " FROM media_type ORDER BY name"),
        mediaTypeRow);
}

// --- pools ---

std::optional<PoolRow> PgTx::pool(const Uuid &id) {
    return first<PoolRow>(
        exec("rsm_pool", "SELECT " RSM_POOL_COLUMNS " FROM pool WHERE id = $1::uuid",
             id.toString()),
        poolRow);
}

std::optional<PoolRow> PgTx::poolLocked(const Uuid &id) {
    return first<PoolRow>(
        exec("rsm_pool_locked",
             "SELECT " RSM_POOL_COLUMNS " FROM pool WHERE id = $1::uuid FOR UPDATE", id.toString()),
        poolRow);
}

std::optional<PoolRow> PgTx::poolChild(const std::optional<Uuid> &parent, const std::string &name) {
    std::optional<std::string> parentText = text(parent);
    return first<PoolRow>(exec("rsm_pool_child",
                               "SELECT " RSM_POOL_COLUMNS " FROM pool"
                               " WHERE parent_id IS NOT DISTINCT FROM $1::uuid AND name = $2",
                               nullable(parentText), name),
                          poolRow);
}

std::optional<PoolRow> PgTx::systemPool(const Uuid &mediaTypeId, PoolKind kind) {
    return first<PoolRow>(exec("rsm_system_pool",
                               "SELECT " RSM_POOL_COLUMNS " FROM pool"
                               " WHERE media_type_id = $1::uuid AND kind = $2 AND kind <> 3",
                               mediaTypeId.toString(), number(kind)),
                          poolRow);
}

std::vector<PoolRow> PgTx::pools() {
    return all<PoolRow>(exec("rsm_pools", "SELECT " RSM_POOL_COLUMNS
                                          " FROM pool ORDER BY parent_id NULLS FIRST, name, id"),
                        poolRow);
}

void PgTx::insertPool(const PoolRow &row) {
    std::optional<std::string> parent = text(row.parentId);
    std::optional<std::string> maxAllocations = text(row.maxAllocations);
    exec("rsm_insert_pool",
         "INSERT INTO pool (" RSM_POOL_COLUMNS
         ") VALUES ($1::uuid, $2, $3, $4::uuid, $5::uuid, $6, $7, $8, $9, $10)",
         row.id.toString(), row.name, row.description, nullable(parent), row.mediaTypeId.toString(),
         number(row.kind), row.enabled, row.allocateFromFree, row.deallocateToFree,
         nullable(maxAllocations));
}

void PgTx::updatePool(const PoolRow &row) {
    std::optional<std::string> parent = text(row.parentId);
    std::optional<std::string> maxAllocations = text(row.maxAllocations);
    exec("rsm_update_pool",
         "UPDATE pool SET name = $2, description = $3, parent_id = $4::uuid,"
         " media_type_id = $5::uuid, kind = $6, enabled = $7, allocate_from_free = $8,"
         " deallocate_to_free = $9, max_allocations = $10 WHERE id = $1::uuid",
         row.id.toString(), row.name, row.description, nullable(parent), row.mediaTypeId.toString(),
         number(row.kind), row.enabled, row.allocateFromFree, row.deallocateToFree,
         nullable(maxAllocations));
}

void PgTx::deletePool(const Uuid &id) {
    exec("rsm_delete_pool", "DELETE FROM pool WHERE id = $1::uuid", id.toString());
}

engine::PoolCounts PgTx::poolCounts(const Uuid &id) {
    pqxx::result r = exec(
        "rsm_pool_counts",
        "SELECT count(*), count(*) FILTER (WHERE a), count(*) FILTER (WHERE a AND library_kind <> "
        "0)"
        " FROM (SELECT m.library_kind, m.enabled AND m.state = 0 AND m.life = 0"
        " AND EXISTS (SELECT 1 FROM side s"
        " WHERE s.media_id = m.id AND s.state = 4) AS a FROM physical_media m"
        " WHERE m.pool_id = $1::uuid) p",
        id.toString());
    return engine::PoolCounts{r[0][0].as<long long>(), r[0][1].as<long long>(),
                              r[0][2].as<long long>()};
}

std::int64_t PgTx::poolChildCount(const Uuid &id) {
    pqxx::result r = exec("rsm_pool_child_count",
                          "SELECT count(*) FROM pool WHERE parent_id = $1::uuid", id.toString());
    return r[0][0].as<long long>();
}

// --- physical media ---

std::optional<MediaRow> PgTx::media(const Uuid &id) {
    return first<MediaRow>(
        exec("rsm_media",
             "SELECT " RSM_MEDIA_COLUMNS RSM_MEDIA_TIMES " FROM physical_media WHERE id = $1::uuid",
             id.toString()),
        mediaRow);
}

std::optional<MediaRow> PgTx::mediaLocked(const Uuid &id) {
    return first<MediaRow>(
        exec("rsm_media_for_update",
             "SELECT " RSM_MEDIA_COLUMNS " FROM physical_media WHERE id = $1::uuid FOR UPDATE",
             id.toString()),
        mediaRow);
}

std::optional<MediaRow> PgTx::mediaByBarcode(const std::string &barcode) {
    return first<MediaRow>(
        exec("rsm_media_by_barcode",
             "SELECT " RSM_MEDIA_COLUMNS RSM_MEDIA_TIMES " FROM physical_media WHERE barcode = $1",
             barcode),
        mediaRow);
}

std::vector<MediaRow> PgTx::mediaInPool(const Uuid &poolId) {
    return all<MediaRow>(exec("rsm_media_in_pool",
                              "SELECT " RSM_MEDIA_COLUMNS " FROM physical_media"
                              " WHERE pool_id = $1::uuid ORDER BY barcode NULLS LAST, id",
                              poolId.toString()),
                         mediaRow);
}

std::vector<MediaRow> PgTx::allMedia() {
    return all<MediaRow>(exec("rsm_all_media", "SELECT " RSM_MEDIA_COLUMNS " FROM physical_media"
                                               " ORDER BY barcode NULLS LAST, id"),
                         mediaRow);
}

std::vector<MediaRow> PgTx::mediaMatching(const MediaFilter &filter) {
    std::optional<std::string> pool = text(filter.pool), library = text(filter.library);
    std::optional<std::string> sideState, mediaState, location, online;
    if (filter.sideState)
        sideState = std::to_string(number(*filter.sideState));
    if (filter.mediaState)
        mediaState = std::to_string(number(*filter.mediaState));
    if (filter.location)
        location = std::to_string(number(*filter.location));
    if (filter.online)
        online = *filter.online ? "true" : "false";
    std::optional<std::string> life, worm;
    if (filter.life)
        life = std::to_string(number(*filter.life));
    if (filter.worm)
        worm = *filter.worm ? "true" : "false";
    return all<MediaRow>(
        exec("rsm_media_matching",
             "SELECT " RSM_MEDIA_COLUMNS RSM_MEDIA_TIMES " FROM physical_media m"
             " WHERE ($1::uuid IS NULL OR m.pool_id = $1::uuid)"
             " AND ($2::uuid IS NULL OR m.library_id = $2::uuid)"
             " AND ($3::smallint IS NULL OR EXISTS (SELECT 1 FROM side s"
             "      WHERE s.media_id = m.id AND s.state = $3::smallint))"
             " AND ($4::smallint IS NULL OR m.state = $4::smallint)"
             " AND ($5::smallint IS NULL OR m.location = $5::smallint)"
             " AND ($6::boolean IS NULL OR (m.library_kind <> 0) = $6::boolean)"
             " AND ($7::smallint IS NULL OR m.life = $7::smallint)"
             " AND ($8::boolean IS NULL OR m.worm = $8::boolean)"
             " ORDER BY m.barcode NULLS LAST, m.id",
             nullable(pool), nullable(library), nullable(sideState), nullable(mediaState),
             nullable(location), nullable(online), nullable(life), nullable(worm)),
        mediaRow);
}

void PgTx::insertMedia(const MediaRow &row) {
    std::optional<std::string> slot = text(row.slotId), drive = text(row.driveId),
                               ieport = text(row.ieportId), home = text(row.homeSlotId);
    exec("rsm_insert_media",
         "INSERT INTO physical_media (" RSM_MEDIA_COLUMNS
         ") VALUES ($1::uuid, $2, $3, $4, $5::uuid, $6::uuid, $7::uuid, $8, $9, $10::uuid,"
         " $11::uuid, $12::uuid, $13::uuid, $14, $15, $16)",
         row.id.toString(), row.name, row.description, nullable(row.barcode),
         row.mediaTypeId.toString(), row.poolId.toString(), row.libraryId.toString(),
         number(row.libraryKind), number(row.location), nullable(slot), nullable(drive),
         nullable(ieport), nullable(home), number(row.state), row.sideCount, row.enabled);
}

void PgTx::updateMedia(const MediaRow &row) {
    std::optional<std::string> slot = text(row.slotId), drive = text(row.driveId),
                               ieport = text(row.ieportId), home = text(row.homeSlotId);
    exec("rsm_update_media",
         "UPDATE physical_media SET name = $2, description = $3, barcode = $4,"
         " media_type_id = $5::uuid, pool_id = $6::uuid, library_id = $7::uuid,"
         " library_kind = $8, location = $9, slot_id = $10::uuid, drive_id = $11::uuid,"
         " ieport_id = $12::uuid, home_slot_id = $13::uuid, state = $14, side_count = $15,"
         " enabled = $16 WHERE id = $1::uuid",
         row.id.toString(), row.name, row.description, nullable(row.barcode),
         row.mediaTypeId.toString(), row.poolId.toString(), row.libraryId.toString(),
         number(row.libraryKind), number(row.location), nullable(slot), nullable(drive),
         nullable(ieport), nullable(home), number(row.state), row.sideCount, row.enabled);
}

void PgTx::setMediaPool(const Uuid &mediaId, const Uuid &poolId) {
    exec("rsm_set_media_pool", "UPDATE physical_media SET pool_id = $2::uuid WHERE id = $1::uuid",
         mediaId.toString(), poolId.toString());
}

ServerPolicy PgTx::serverPolicy() {
    pqxx::result r = exec("rsm_server_policy",
                          "SELECT purge_offline_free, keep_offline_import FROM computer LIMIT 1");
    if (r.empty())
        throw std::runtime_error("the computer row is missing");
    return ServerPolicy{r[0][0].as<bool>(), r[0][1].as<bool>()};
}

void PgTx::setServerPolicy(const ServerPolicy &policy) {
    exec("rsm_set_server_policy",
         "UPDATE computer SET purge_offline_free = $1, keep_offline_import = $2",
         policy.purgeOfflineFree, policy.keepOfflineImport);
}

void PgTx::deleteMedia(const Uuid &id) {
    exec("rsm_delete_media", "DELETE FROM physical_media WHERE id = $1::uuid", id.toString());
}

bool PgTx::mediaHasActiveRequest(const Uuid &mediaId) {
    pqxx::result r = exec("rsm_media_has_active_request",
                          "SELECT EXISTS (SELECT 1 FROM library_request"
                          " WHERE media_id = $1::uuid AND state IN (0, 1, 5, 6))",
                          mediaId.toString());
    return r[0][0].as<bool>();
}

// --- sides ---

std::optional<SideRow> PgTx::side(const Uuid &id) {
    return first<SideRow>(
        exec("rsm_side", "SELECT " RSM_SIDE_COLUMNS RSM_SIDE_TIMES " FROM side WHERE id = $1::uuid",
             id.toString()),
        sideRow);
}

std::vector<SideRow> PgTx::sides(const Uuid &mediaId) {
    return all<SideRow>(exec("rsm_sides",
                             "SELECT " RSM_SIDE_COLUMNS RSM_SIDE_TIMES
                             " FROM side WHERE media_id = $1::uuid ORDER BY number",
                             mediaId.toString()),
                        sideRow);
}

std::vector<SideRow> PgTx::sidesLocked(const Uuid &mediaId) {
    return all<SideRow>(exec("rsm_sides_for_update",
                             "SELECT " RSM_SIDE_COLUMNS
                             " FROM side WHERE media_id = $1::uuid ORDER BY number FOR UPDATE",
                             mediaId.toString()),
                        sideRow);
}

std::vector<SideRow> PgTx::sidesInLibrary(const Uuid &library) {
    return all<SideRow>(exec("rsm_sides_in_library",
                             "SELECT " RSM_SIDE_COLUMNS " FROM side WHERE media_id IN"
                             " (SELECT id FROM physical_media WHERE library_id = $1::uuid)"
                             " ORDER BY media_id, number",
                             library.toString()),
                        sideRow);
}

void PgTx::insertSide(const SideRow &row) {
    exec("rsm_insert_side",
         "INSERT INTO side (" RSM_SIDE_COLUMNS
         ") VALUES ($1::uuid, $2::uuid, $3, $4, $5, $6, $7, $8, $9)",
         row.id.toString(), row.mediaId.toString(), row.number, number(row.state),
         nullable(row.labelType), nullable(row.labelId), nullable(row.labelInfo),
         static_cast<long long>(row.mountCount), row.allocateCount);
}

void PgTx::updateSide(const SideRow &row) {
    exec("rsm_update_side",
         "UPDATE side SET media_id = $2::uuid, number = $3, state = $4::smallint,"
         " label_type = $5, label_id = $6, label_info = $7, mount_count = $8::bigint,"
         " allocate_count = $9,"
         // the times follow the row (schema/015): in the same statement, at no extra cost
         " completed = CASE WHEN $4::smallint <> 6 THEN NULL WHEN state = 6 THEN completed"
         "   ELSE now() END,"
         " last_mounted = CASE WHEN $8::bigint > mount_count THEN now() ELSE last_mounted END"
         " WHERE id = $1::uuid",
         row.id.toString(), row.mediaId.toString(), row.number, number(row.state),
         nullable(row.labelType), nullable(row.labelId), nullable(row.labelInfo),
         static_cast<long long>(row.mountCount), row.allocateCount);
}

void PgTx::sideWritten(const Uuid &side) {
    exec("rsm_side_written", "UPDATE side SET last_written = now() WHERE id = $1::uuid",
         side.toString());
}

void PgTx::deleteSide(const Uuid &id) {
    exec("rsm_delete_side", "DELETE FROM side WHERE id = $1::uuid", id.toString());
}

// The sides Tx::allocatableSide may take: $1 the pool, $3 its FREE pool or null, $2 never
// allocated ones only.
#define RSM_ALLOCATABLE_WHERE                                                \
    " FROM side s JOIN physical_media m ON m.id = s.media_id"                \
    " WHERE m.pool_id IN ($1::uuid, $3::uuid) AND m.enabled AND m.state = 0" \
    " AND m.life = 0 AND s.state = 4"                                        \
    " AND (NOT $2::boolean OR (s.allocate_count = 0 AND NOT EXISTS ("        \
    "   SELECT 1 FROM side o WHERE o.media_id = m.id AND o.state IN (5, 6, 9))))"
// The best of them, locked.
#define RSM_ALLOCATABLE                                                      \
    "SELECT s.id, s.media_id, s.number, s.state, s.label_type, s.label_id,"  \
    " s.label_info, s.mount_count, s.allocate_count" RSM_ALLOCATABLE_WHERE   \
    " ORDER BY m.library_kind = 0, m.pool_id <> $1::uuid, s.allocate_count," \
    " m.barcode NULLS LAST, s.number"                                        \
    " LIMIT 1 FOR UPDATE OF s, m"

std::optional<SideRow> PgTx::allocatableSide(const Uuid &poolId,
                                             const std::optional<Uuid> &freePool,
                                             bool neverAllocated) {
    const std::string pool = poolId.toString();
    const std::optional<std::string> free = text(freePool);
    // Passing over held sides (SKIP LOCKED) can find none while the pool has some: each was
    // taken by an allocation that has not committed yet, or freed after this statement's
    // snapshot. Then the best is waited for (and passed over if its holder allocated it), and
    // when none was left while some are there now, the search runs again on a newer snapshot:
    // "no available media" only when there are none. A few rounds at most, each ended by
    // another allocation's end.
    for (int round = 0; round < 8; ++round) {
        auto got = first<SideRow>(exec("rsm_allocatable_side", RSM_ALLOCATABLE " SKIP LOCKED", pool,
                                       neverAllocated, free),
                                  sideRow);
        if (got)
            return got;
        got = first<SideRow>(
            exec("rsm_allocatable_side_wait", RSM_ALLOCATABLE, pool, neverAllocated, free),
            sideRow);
        if (got || exec("rsm_allocatable_side_any", "SELECT 1" RSM_ALLOCATABLE_WHERE " LIMIT 1",
                        pool, neverAllocated, free)
                       .empty())
            return got;
    }
    return std::nullopt;
}

// --- logical media ---

std::optional<LmidRow> PgTx::lmid(const Uuid &id) {
    return first<LmidRow>(
        exec("rsm_lmid",
             "SELECT " RSM_LMID_COLUMNS RSM_LMID_TIMES " FROM logical_media WHERE id = $1::uuid",
             id.toString()),
        lmidRow);
}

std::optional<LmidRow> PgTx::lmidLocked(const Uuid &id, bool forUpdate) {
    if (forUpdate)
        return first<LmidRow>(
            exec("rsm_lmid_for_update",
                 "SELECT " RSM_LMID_COLUMNS " FROM logical_media WHERE id = $1::uuid FOR UPDATE",
                 id.toString()),
            lmidRow);
    return first<LmidRow>(
        exec("rsm_lmid_for_share",
             "SELECT " RSM_LMID_COLUMNS " FROM logical_media WHERE id = $1::uuid FOR SHARE",
             id.toString()),
        lmidRow);
}

std::optional<LmidRow> PgTx::lmidBySide(const Uuid &sideId) {
    return first<LmidRow>(exec("rsm_lmid_by_side",
                               "SELECT " RSM_LMID_COLUMNS RSM_LMID_TIMES
                               " FROM logical_media WHERE side_id = $1::uuid",
                               sideId.toString()),
                          lmidRow);
}

std::vector<LmidRow> PgTx::lmids() {
    return all<LmidRow>(exec("rsm_lmids", "SELECT " RSM_LMID_COLUMNS RSM_LMID_TIMES
                                          " FROM logical_media ORDER BY name, id"),
                        lmidRow);
}

std::vector<LmidRow> PgTx::lmidsInLibrary(const Uuid &library) {
    return all<LmidRow>(exec("rsm_lmids_in_library",
                             "SELECT " RSM_LMID_COLUMNS " FROM logical_media WHERE side_id IN"
                             " (SELECT s.id FROM side s JOIN physical_media m ON m.id = s.media_id"
                             " WHERE m.library_id = $1::uuid) ORDER BY name, id",
                             library.toString()),
                        lmidRow);
}

std::vector<LmidRow> PgTx::lmidsByName(const std::string &name) {
    return all<LmidRow>(exec("rsm_lmids_by_name",
                             "SELECT " RSM_LMID_COLUMNS " FROM logical_media"
                             " WHERE name = $1 AND name <> '' ORDER BY id",
                             name),
                        lmidRow);
}

namespace {

// "$first::uuid, ..." for count parameters: a key list of a statement prepared per length, so
// that its one plan (PgStore plans each statement once) is made for that many keys — over an
// array of unknown length PostgreSQL plans for ten and, on a small table, reads all of it.
std::string placeholders(std::size_t first, std::size_t count, const char *type) {
    std::string out;
    for (std::size_t i = 0; i < count; ++i)
        out += fmt::format("{}${}::{}", i ? ", " : "", first + i, type);
    return out;
}

}  // namespace

std::vector<LmidHolding> PgTx::lmidHoldings(const std::vector<Uuid> &ids,
                                            const std::vector<std::string> &names) {
    std::vector<std::string> keys;
    for (const Uuid &id : ids)
        keys.push_back(id.toString());
    keys.insert(keys.end(), names.begin(), names.end());
    if (keys.empty())
        return {};
    // First the LMIDs' rows, locked in id order. On their own: a row another transaction
    // changed while this one waited is checked again as it now is (in a join, READ COMMITTED
    // would check it against the side it had, and drop it).
    std::string where;
    if (!ids.empty())
        where = fmt::format("id IN ({})", placeholders(1, ids.size(), "uuid"));
    if (!names.empty())
        where += fmt::format("{}(name IN ({}) AND name <> '')", where.empty() ? "" : " OR ",
                             placeholders(ids.size() + 1, names.size(), "text"));
    pqxx::result locked = execKeys(
        fmt::format("rsm_lock_lmids_{}_{}", ids.size(), names.size()),
        fmt::format("SELECT id FROM logical_media WHERE {} ORDER BY id FOR UPDATE", where), keys);
    if (locked.empty())
        return {};
    std::vector<std::string> lockedIds;
    for (const pqxx::row &row : locked)
        lockedIds.push_back(row[0].as<std::string>());
    // Then what holds them, read after the locks are held (under READ COMMITTED this statement
    // sees what the transactions it waited for committed, such as a mount's request). The
    // column lists of the readers, each table's own (pg_rows.h), side by side.
    pqxx::result r = execKeys(
        fmt::format("rsm_lmid_holdings_{}", lockedIds.size()),
        "SELECT l.id, l.side_id, l.name, l.description,"
        " s.id, s.media_id, s.number, s.state, s.label_type, s.label_id, s.label_info,"
        " s.mount_count, s.allocate_count,"
        " m.id, m.name, m.description, m.barcode, m.media_type_id, m.pool_id, m.library_id,"
        " m.library_kind, m.location, m.slot_id, m.drive_id, m.ieport_id, m.home_slot_id,"
        " m.state, m.side_count, m.enabled,"
        " p.id, p.name, p.description, p.parent_id, p.media_type_id, p.kind, p.enabled,"
        " p.allocate_from_free, p.deallocate_to_free, p.max_allocations,"
        " EXISTS (SELECT 1 FROM library_request q"
        "   WHERE q.media_id = m.id AND q.state IN (0, 1, 5, 6))"
        " FROM logical_media l"  // an LMID always has its side, medium and pool (keys)
        " JOIN side s ON s.id = l.side_id"
        " JOIN physical_media m ON m.id = s.media_id"
        " JOIN pool p ON p.id = m.pool_id"
        " WHERE l.id IN (" +
            placeholders(1, lockedIds.size(), "uuid") +
            ")"
            " ORDER BY l.id FOR SHARE OF s, m",
        lockedIds);
    std::vector<LmidHolding> out;
    out.reserve(r.size());
    for (const pqxx::row &row : r) {
        LmidHolding h;
        h.lmid = lmidRow(row.slice(0, 4));
        h.side = sideRow(row.slice(4, 13));
        h.media = mediaRow(row.slice(13, 29));
        h.pool = poolRow(row.slice(29, 39));
        h.mediaRequested = row[39].as<bool>();
        out.push_back(std::move(h));
    }
    return out;
}

void PgTx::insertLmid(const LmidRow &row) {
    exec("rsm_insert_lmid",
         "INSERT INTO logical_media (" RSM_LMID_COLUMNS ") VALUES ($1::uuid, $2::uuid, $3, $4)",
         row.id.toString(), row.sideId.toString(), row.name, row.description);
}

void PgTx::updateLmid(const LmidRow &row) {
    exec("rsm_update_lmid",
         "UPDATE logical_media SET side_id = $2::uuid, name = $3, description = $4"
         " WHERE id = $1::uuid",
         row.id.toString(), row.sideId.toString(), row.name, row.description);
}

void PgTx::deleteLmid(const Uuid &id) {
    exec("rsm_delete_lmid", "DELETE FROM logical_media WHERE id = $1::uuid", id.toString());
}

void PgTx::swapLmidSides(const LmidRow &a, const LmidRow &b) {
    // One statement: logical_media_one_per_side is checked at its end, not per row.
    exec("rsm_swap_lmid_sides",
         "UPDATE logical_media SET side_id = CASE id WHEN $1::uuid THEN $4::uuid ELSE $2::uuid END,"
         " allocated = now()"
         " WHERE (id, side_id) IN (($1::uuid, $2::uuid), ($3::uuid, $4::uuid))"
         " AND (SELECT count(*) FROM logical_media"
         "      WHERE (id, side_id) IN (($1::uuid, $2::uuid), ($3::uuid, $4::uuid))) = 2",
         a.id.toString(), a.sideId.toString(), b.id.toString(), b.sideId.toString());
}

std::vector<std::pair<std::string, Uuid>> PgTx::namesNear(ObjectKind kind, std::size_t shortest,
                                                          std::size_t longest) {
    const auto low = static_cast<long long>(shortest), high = static_cast<long long>(longest);
    pqxx::result r =
        kind == ObjectKind::LogicalMedia
            ? exec("rsm_lmid_names_near",
                   "SELECT l.name, m.pool_id FROM logical_media l"
                   " JOIN side s ON s.id = l.side_id JOIN physical_media m ON m.id = s.media_id"
                   " WHERE l.name <> '' AND octet_length(l.name) BETWEEN $1 AND $2"
                   " ORDER BY l.name LIMIT 10000",
                   low, high)
            : exec("rsm_barcodes_near",
                   "SELECT barcode, pool_id FROM physical_media WHERE barcode IS NOT NULL"
                   " AND octet_length(barcode) BETWEEN $1 AND $2 ORDER BY barcode LIMIT 10000",
                   low, high);
    std::vector<std::pair<std::string, Uuid>> out;
    out.reserve(r.size());
    for (const pqxx::row &row : r)
        out.emplace_back(row[0].as<std::string>(), uuid(row[1]));
    return out;
}

// --- any object ---

std::optional<ObjectKind> PgTx::objectKind(const Uuid &id) {
    pqxx::result r = exec("rsm_object_kind",
                          "SELECT kind FROM ("
                          " SELECT 0 AS kind FROM computer WHERE id = $1::uuid"
                          " UNION ALL SELECT 1 FROM library WHERE id = $1::uuid"
                          " UNION ALL SELECT 2 FROM drive WHERE id = $1::uuid"
                          " UNION ALL SELECT 3 FROM slot WHERE id = $1::uuid"
                          " UNION ALL SELECT 4 FROM ieport WHERE id = $1::uuid"
                          " UNION ALL SELECT 5 FROM media_type WHERE id = $1::uuid"
                          " UNION ALL SELECT 6 FROM physical_media WHERE id = $1::uuid"
                          " UNION ALL SELECT 7 FROM side WHERE id = $1::uuid"
                          " UNION ALL SELECT 8 FROM logical_media WHERE id = $1::uuid"
                          " UNION ALL SELECT 9 FROM pool WHERE id = $1::uuid"
                          " UNION ALL SELECT 10 FROM library_request WHERE id = $1::uuid"
                          " UNION ALL SELECT 11 FROM operator_request WHERE id = $1::uuid"
                          " UNION ALL SELECT 12 FROM changer WHERE id = $1::uuid"
                          ") AS found LIMIT 1",
                          id.toString());
    if (r.empty())
        return std::nullopt;
    return enumValue<ObjectKind>(r[0][0]);
}

bool PgTx::setObjectText(ObjectKind kind, const Uuid &id, const std::string &column,
                         const std::string &value) {
    for (const TextColumn &c : kTextColumns) {
        if (c.kind == kind && c.column == column)
            return exec(c.statement, c.sql, id.toString(), value).affected_rows() > 0;
    }
    throw std::invalid_argument(
        fmt::format("a {} has no text column \"{}\"", objectKindName(kind), column));
}

std::optional<AttributeRow> PgTx::attribute(const Uuid &objectId, const std::string &name) {
    return first<AttributeRow>(exec("rsm_attribute",
                                    "SELECT " RSM_ATTRIBUTE_COLUMNS
                                    " FROM attribute WHERE object_id = $1::uuid AND name = $2",
                                    objectId.toString(), name),
                               attributeRow);
}

std::vector<AttributeRow> PgTx::attributes(const Uuid &objectId) {
    return all<AttributeRow>(exec("rsm_attributes",
                                  "SELECT " RSM_ATTRIBUTE_COLUMNS
                                  " FROM attribute WHERE object_id = $1::uuid ORDER BY name",
                                  objectId.toString()),
                             attributeRow);
}

void PgTx::setAttribute(const AttributeRow &row) {
    exec("rsm_set_attribute",
         "INSERT INTO attribute (" RSM_ATTRIBUTE_COLUMNS
         ") VALUES ($1::uuid, $2, $3, $4)"
         " ON CONFLICT (object_id, name)"
         " DO UPDATE SET value = EXCLUDED.value, object_kind = EXCLUDED.object_kind",
         row.objectId.toString(), number(row.objectKind), row.name,
         pqxx::binarystring(row.value.data(), row.value.size()));
}

bool PgTx::deleteAttribute(const Uuid &objectId, const std::string &name) {
    pqxx::result r = exec("rsm_delete_attribute",
                          "DELETE FROM attribute WHERE object_id = $1::uuid AND name = $2",
                          objectId.toString(), name);
    return r.affected_rows() > 0;
}

}  // namespace rsm::store
