// The life of media in a pool (docs/lifecycle.md): pool policies, media states beyond RSM's,
// the retention listing and the lifecycle sweep. Every time compared is the engine's clock.

#include <ctime>
#include <map>

#include <fmt/format.h>

#include "src/engine/engine.h"

namespace rsm::engine {

namespace {

std::int64_t unixSeconds(WallTime t) {
    return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

// The calendar period (UTC) a time falls in, as a number that grows with time.
std::int64_t periodOf(std::int64_t t, AllocationPeriod p) {
    const std::int64_t days = t >= 0 ? t / 86400 : (t - 86399) / 86400;
    switch (p) {
        case AllocationPeriod::Day:
            return days;
        case AllocationPeriod::Week:  // weeks from Monday: 1970-01-01 was a Thursday
            return (days + 3) >= 0 ? (days + 3) / 7 : (days + 3 - 6) / 7;
        case AllocationPeriod::Month: {
            const std::time_t tt = static_cast<std::time_t>(t);
            std::tm tm{};
            gmtime_r(&tt, &tm);
            return static_cast<std::int64_t>(tm.tm_year) * 12 + tm.tm_mon;
        }
    }
    return days;
}

bool requestOpen(Tx &tx, const std::optional<Uuid> &id) {
    if (!id)
        return false;
    auto r = tx.operatorRequest(*id);
    return r && (r->state == OperatorRequestState::Submitted ||
                 r->state == OperatorRequestState::Active ||
                 r->state == OperatorRequestState::InProgress);
}

}  // namespace

Result<PoolPolicy> Engine::setPoolPolicy(const Uuid &session, const Uuid &poolId,
                                         const PoolPolicyChange &change) {
    if (poolId.isNil())
        return Error(ErrorCode::InvalidParameter, "the pool is missing");
    if (change.retentionSeconds && *change.retentionSeconds <= 0)
        return Error(ErrorCode::InvalidParameter,
                     "a retention is a positive span (such as 30d or 12h), or keep");
    if ((change.lowMark && *change.lowMark < 0) || (change.highMark && *change.highMark < 0))
        return Error(ErrorCode::InvalidParameter, "a water mark is a count of media, 0 or more");
    return asCaller<PoolPolicy>(session, [&](Tx &tx, const Caller &c) -> Result<PoolPolicy> {
        auto pool = tx.pool(poolId);
        if (!pool)
            return Error(ErrorCode::InvalidMediaPool,
                         fmt::format("no media pool {}", poolId.toString()));
        const std::string path = poolPath(tx, *pool);
        RSM_TRY_VOID(require(tx, c, ObjectKind::Pool, pool->id, rights::Modify, "pool " + path));
        PoolPolicy p = tx.poolPolicy(pool->id);
        const bool appOnly = change.retentionSeconds || change.keep || change.basis ||
                             change.action || change.allocation;
        if (appOnly && pool->kind != PoolKind::Application)
            return Error(ErrorCode::InvalidMediaPool,
                         fmt::format("{} is a system pool: retention and allocation policies are "
                                     "set on application pools; a system pool takes water marks "
                                     "only (--low-mark, --high-mark)",
                                     path));
        if (change.keep)
            p.retentionSeconds.reset();
        if (change.retentionSeconds)
            p.retentionSeconds = change.retentionSeconds;
        if (change.basis)
            p.basis = *change.basis;
        if (change.action)
            p.action = *change.action;
        if (change.allocation)
            p.allocation = *change.allocation;
        if (change.period)
            p.period = *change.period;
        if (change.noLowMark)
            p.lowMark.reset();
        if (change.lowMark)
            p.lowMark = change.lowMark;
        if (change.noHighMark)
            p.highMark.reset();
        if (change.highMark)
            p.highMark = change.highMark;
        if (p.lowMark && p.highMark && *p.lowMark > *p.highMark)
            return Error(ErrorCode::InvalidParameter,
                         fmt::format("pool {}'s low mark ({}) is above its high mark ({}): give "
                                     "a low mark at or below the high mark",
                                     path, *p.lowMark, *p.highMark));
        tx.setPoolPolicy(pool->id, p);
        return p;
    });
}

Result<void> Engine::setMediaLife(const Uuid &session, const Uuid &mediaId, MediaLife life) {
    if (mediaId.isNil())
        return Error(ErrorCode::InvalidParameter, "the medium is missing");
    return asCaller<void>(session, [&](Tx &tx, const Caller &c) -> Result<void> {
        auto media = physical(tx, mediaId);
        if (!media)
            return media.error();
        auto pool = tx.pool(media->poolId);
        RSM_TRY_VOID(require(tx, c, ObjectKind::Pool, media->poolId, rights::Control,
                             [&] { return "pool " + (pool ? poolPath(tx, *pool) : "?"); }));
        tx.setMediaLife(media->id, life);
        return success();
    });
}

std::int64_t Engine::freeMedia(Tx &tx, const PoolRow &pool) const {
    std::int64_t n = tx.poolCounts(pool.id).available;
    if (pool.kind == PoolKind::Application && pool.allocateFromFree)
        if (auto free = tx.systemPool(pool.mediaTypeId, PoolKind::Free))
            n += tx.poolCounts(free->id).available;
    return n;
}

bool Engine::wantsNewMedium(Tx &tx, const PoolRow &pool) const {
    const PoolPolicy p = tx.poolPolicy(pool.id);
    if (p.allocation == AllocationPolicy::New)
        return true;
    if (p.allocation != AllocationPolicy::Period)
        return false;
    auto last = tx.lastAllocation(pool.id);
    return !last || periodOf(*last, p.period) < periodOf(unixSeconds(now()), p.period);
}

Result<std::vector<SweepSide>> Engine::retentionList(const Uuid &session,
                                                     const RetentionFilter &filter) {
    using Out = std::vector<SweepSide>;
    return asCaller<Out>(session, [&](Tx &tx, const Caller &c) -> Result<Out> {
        Out out;
        std::map<Uuid, std::optional<std::string>> paths;  // none: the caller may not see it
        for (const RetentionRow &r : tx.retentionSides(filter)) {
            auto it = paths.find(r.poolId);
            if (it == paths.end()) {
                std::optional<std::string> path;
                auto pool = tx.pool(r.poolId);
                if (pool && has(tx, c, ObjectKind::Pool, r.poolId, rights::Use))
                    path = poolPath(tx, *pool);
                it = paths.emplace(r.poolId, path).first;
            }
            if (it->second)
                out.push_back(SweepSide{r, *it->second, {}});
        }
        return out;
    });
}

std::string Engine::expireSide(const RetentionRow &side) {
    if (side.action == ExpireAction::Report)
        return "reported";
    if (side.worm)
        return "kept: WORM";
    // READ COMMITTED, locked as a client's deallocation is (Engine::deallocateOwned).
    auto done = store_.transact(
        "rsmd",
        [&](Tx &tx) -> Result<void> {
            tx.setPrincipal("rsmd");
            auto o = owned(tx, side.lmidId);
            if (!o)
                return o.error();
            if (o->side.id != side.sideId)
                return Error(ErrorCode::InvalidMedia, "the LMID has another side now");
            return deallocateOwned(tx, nullptr, *o);
        },
        Isolation::ReadCommitted);
    if (!done)
        return "failed: " + done.error().toString();
    return "deallocated";
}

SweepPool Engine::checkMarks(Tx &tx, const PoolRow &pool, const PoolPolicy &policy) {
    SweepPool out;
    out.poolId = pool.id;
    out.pool = poolPath(tx, pool);
    out.free = freeMedia(tx, pool);
    out.lowMark = policy.lowMark;
    out.highMark = policy.highMark;
    auto request = tx.poolLowRequest(pool.id);
    const bool open = requestOpen(tx, request);
    const bool low = policy.lowMark && out.free < *policy.lowMark;
    const int refill = policy.highMark ? *policy.highMark : policy.lowMark.value_or(0);
    if (low && !open) {
        const std::string message = fmt::format(
            "pool {} has {} free media, below its low mark of {}: add scratch media (inject new "
            "cartridges, or rsmctl media move-to-pool) up to its high mark of {}",
            out.pool, out.free, *policy.lowMark, refill);
        out.request = operatorRequestIn(tx, OperatorRequestKind::NewMedia, message, std::nullopt,
                                        std::nullopt, std::nullopt);
        tx.setPoolLowRequest(pool.id, out.request, out.free);
        out.raised = true;
    } else if (open && (!policy.lowMark || out.free >= refill)) {
        tx.endOperatorRequest(*request, OperatorRequestState::Complete,
                              fmt::format("pool {} has {} free media again", out.pool, out.free));
        tx.setPoolLowRequest(pool.id, std::nullopt, std::nullopt);
        out.withdrawn = true;
    } else if (open) {
        out.request = request;
    } else if (request) {
        tx.setPoolLowRequest(pool.id, std::nullopt, std::nullopt);  // answered by an operator
    }
    return out;
}

Result<SweepReport> Engine::applyLifecycle() {
    SweepReport report;
    report.now = unixSeconds(now());
    auto due = asDaemon<std::vector<SweepSide>>([&](Tx &tx) -> Result<std::vector<SweepSide>> {
        std::vector<SweepSide> out;
        for (const RetentionRow &r : tx.retentionSides({std::nullopt, std::nullopt, report.now}))
            if (auto pool = tx.pool(r.poolId))
                out.push_back(SweepSide{r, poolPath(tx, *pool), {}});
        return out;
    });
    if (!due)
        return due.error();
    for (SweepSide &s : *due) {
        s.outcome = expireSide(s.side);
        report.sides.push_back(std::move(s));
    }
    auto pools = asDaemon<std::vector<SweepPool>>([&](Tx &tx) -> Result<std::vector<SweepPool>> {
        std::vector<SweepPool> out;
        for (const Uuid &id : tx.poolsWithPolicy()) {
            auto pool = tx.pool(id);
            const PoolPolicy policy = tx.poolPolicy(id);
            if (pool && (policy.lowMark || tx.poolLowRequest(id)))
                out.push_back(checkMarks(tx, *pool, policy));
        }
        return out;
    });
    if (!pools)
        return pools.error();
    report.pools = std::move(*pools);
    return report;
}

Result<SweepReport> Engine::applyLifecycle(const Uuid &session) {
    RSM_TRY_VOID(asCaller<void>(session, [&](Tx &tx, const Caller &c) -> Result<void> {
        return require(tx, c, ObjectKind::Computer, tx.computerId(), rights::Control,
                       "the computer (the lifecycle sweep acts on every pool)");
    }));
    return applyLifecycle();
}

}  // namespace rsm::engine
