// PgTx: the life of media (schema/017_lifecycle.sql): pool policies, the states of media beyond
// RSM's, and the sides whose retention ends. Times are compared with the engine's clock, given
// as a parameter (Unix seconds), never with the database's now().

#include "src/store/pg_rows.h"
#include "src/store/pg_tx.h"

namespace rsm::store {

using namespace rsm::engine;

using namespace detail;

namespace {

using OptInt = std::optional<long long>;

OptInt optInt(const std::optional<std::int64_t> &v) {
    if (!v)
        return std::nullopt;
    return static_cast<long long>(*v);
}

std::optional<int> optInt32(const pqxx::field &f) {
    if (f.is_null())
        return std::nullopt;
    return f.as<int>();
}

}  // namespace

PoolPolicy PgTx::poolPolicy(const Uuid &pool) {
    pqxx::result r = exec("rsm_pool_policy",
                          "SELECT retention_seconds, retention_basis, expire_action,"
                          " allocation_policy, allocation_period, low_mark, high_mark"
                          " FROM pool WHERE id = $1::uuid",
                          pool.toString());
    PoolPolicy p;
    if (r.empty())
        return p;
    if (!r[0][0].is_null())
        p.retentionSeconds = r[0][0].as<long long>();
    p.basis = enumValue<RetentionBasis>(r[0][1]);
    p.action = enumValue<ExpireAction>(r[0][2]);
    p.allocation = enumValue<AllocationPolicy>(r[0][3]);
    p.period = enumValue<AllocationPeriod>(r[0][4]);
    p.lowMark = optInt32(r[0][5]);
    p.highMark = optInt32(r[0][6]);
    return p;
}

void PgTx::setPoolPolicy(const Uuid &pool, const PoolPolicy &p) {
    exec("rsm_set_pool_policy",
         "UPDATE pool SET retention_seconds = $2, retention_basis = $3, expire_action = $4,"
         " allocation_policy = $5, allocation_period = $6, low_mark = $7, high_mark = $8"
         " WHERE id = $1::uuid",
         pool.toString(), optInt(p.retentionSeconds), number(p.basis), number(p.action),
         number(p.allocation), number(p.period), p.lowMark, p.highMark);
}

std::optional<Uuid> PgTx::poolLowRequest(const Uuid &pool) {
    pqxx::result r = exec("rsm_pool_low_request",
                          "SELECT low_request FROM pool WHERE id = $1::uuid", pool.toString());
    if (r.empty())
        return std::nullopt;
    return optUuid(r[0][0]);
}

void PgTx::setPoolLowRequest(const Uuid &pool, const std::optional<Uuid> &request,
                             std::optional<std::int64_t> free) {
    std::optional<std::string> id = text(request);
    exec("rsm_set_pool_low_request",
         "UPDATE pool SET low_request = $2::uuid, low_free = $3 WHERE id = $1::uuid",
         pool.toString(), nullable(id), optInt(free));
}

std::vector<Uuid> PgTx::poolsWithPolicy() {
    pqxx::result r = exec("rsm_pools_with_policy",
                          "SELECT id FROM pool WHERE retention_seconds IS NOT NULL"
                          " OR low_mark IS NOT NULL OR low_request IS NOT NULL ORDER BY id");
    std::vector<Uuid> out;
    for (const auto &row : r)
        out.push_back(uuid(row[0]));
    return out;
}

std::optional<std::int64_t> PgTx::lastAllocation(const Uuid &pool) {
    pqxx::result r = exec("rsm_last_allocation",
                          "SELECT " RSM_EPOCH("max(coalesce(l.allocated, l.created))")
                          " FROM logical_media l JOIN side s ON s.id = l.side_id"
                          " JOIN physical_media m ON m.id = s.media_id WHERE m.pool_id = $1::uuid",
                          pool.toString());
    if (r.empty() || r[0][0].is_null())
        return std::nullopt;
    return r[0][0].as<long long>();
}

MediaLifeRow PgTx::mediaLife(const Uuid &media) {
    pqxx::result r =
        exec("rsm_media_life", "SELECT life, worm FROM physical_media WHERE id = $1::uuid",
             media.toString());
    if (r.empty())
        return {};
    return MediaLifeRow{enumValue<MediaLife>(r[0][0]), r[0][1].as<bool>()};
}

void PgTx::setMediaLife(const Uuid &media, MediaLife life) {
    exec("rsm_set_media_life", "UPDATE physical_media SET life = $2 WHERE id = $1::uuid",
         media.toString(), number(life));
}

void PgTx::setMediaWorm(const Uuid &media) {
    exec("rsm_set_media_worm",
         "UPDATE physical_media SET worm = true WHERE id = $1::uuid AND NOT worm",
         media.toString());
}

std::vector<RetentionRow> PgTx::retentionSides(const RetentionFilter &filter) {
    std::optional<std::string> pool = text(filter.pool);
    // The basis: the completion, or (retention_basis 1) the last write, else the completion;
    // a side still ALLOCATED counts only by its last write.
    pqxx::result r =
        exec("rsm_retention_sides",
             "SELECT s.id, s.media_id, m.pool_id, l.id, m.barcode, l.name, s.number, b.t,"
             " b.t + p.retention_seconds, m.worm, m.life, p.expire_action"
             " FROM side s JOIN physical_media m ON m.id = s.media_id"
             " JOIN pool p ON p.id = m.pool_id JOIN logical_media l ON l.side_id = s.id"
             " CROSS JOIN LATERAL (SELECT extract(epoch FROM CASE"
             "   WHEN p.retention_basis = 1 THEN coalesce(s.last_written,"
             "     CASE WHEN s.state = 6 THEN s.completed END)"
             "   WHEN s.state = 6 THEN s.completed END)::bigint AS t) b"
             " WHERE p.retention_seconds IS NOT NULL AND s.state IN (5, 6) AND b.t IS NOT NULL"
             " AND ($1::uuid IS NULL OR m.pool_id = $1::uuid)"
             " AND ($2::bigint IS NULL OR b.t + p.retention_seconds > $2::bigint)"
             " AND ($3::bigint IS NULL OR b.t + p.retention_seconds <= $3::bigint)"
             " ORDER BY b.t + p.retention_seconds, m.barcode NULLS LAST, s.number",
             nullable(pool), optInt(filter.after), optInt(filter.until));
    std::vector<RetentionRow> out;
    for (const auto &row : r) {
        RetentionRow s;
        s.sideId = uuid(row[0]);
        s.mediaId = uuid(row[1]);
        s.poolId = uuid(row[2]);
        s.lmidId = uuid(row[3]);
        s.barcode = optText(row[4]);
        s.lmidName = row[5].as<std::string>();
        s.sideNumber = row[6].as<int>();
        s.basis = row[7].as<long long>();
        s.ends = row[8].as<long long>();
        s.worm = row[9].as<bool>();
        s.life = enumValue<MediaLife>(row[10]);
        s.action = enumValue<ExpireAction>(row[11]);
        out.push_back(std::move(s));
    }
    return out;
}

}  // namespace rsm::store
