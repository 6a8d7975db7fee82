#pragma once
// The life of media in a pool (issue 20; docs/lifecycle.md, schema/017_lifecycle.sql): a
// pool's policy (retention, what happens when it ends, allocation, the water marks of its free
// media), the states of a medium beyond RSM's side states (full, damaged, retired, and WORM),
// and what a lifecycle sweep (Engine::applyLifecycle) finds and does.
// Thread-safety: values only.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rsm/uuid.h"

namespace rsm::engine {

// From which time a side's retention runs: when it became COMPLETE, or its last write (a side
// never written: its completion).
enum class RetentionBasis : std::int16_t { Complete = 0, LastWrite = 1 };
// What the sweep does with a side whose retention ended.
enum class ExpireAction : std::int16_t { Deallocate = 0, Report = 1 };
// How the pool's allocations choose a medium: any available side (continue the media in use),
// a never-used medium each time, or a never-used medium for the first allocation of each
// calendar period (UTC).
enum class AllocationPolicy : std::int16_t { Continue = 0, New = 1, Period = 2 };
enum class AllocationPeriod : std::int16_t { Day = 0, Week = 1, Month = 2 };

struct PoolPolicy {
    std::optional<std::int64_t> retentionSeconds;  // none: kept for good ("keep")
    RetentionBasis basis = RetentionBasis::Complete;
    ExpireAction action = ExpireAction::Deallocate;
    AllocationPolicy allocation = AllocationPolicy::Continue;
    AllocationPeriod period = AllocationPeriod::Day;
    std::optional<int> lowMark, highMark;  // of the pool's free media; none: not watched
};

// A change of a pool's policy: each field given replaces the pool's; `keep` clears the
// retention, `noLowMark` / `noHighMark` the marks.
struct PoolPolicyChange {
    std::optional<std::int64_t> retentionSeconds;
    bool keep = false;
    std::optional<RetentionBasis> basis;
    std::optional<ExpireAction> action;
    std::optional<AllocationPolicy> allocation;
    std::optional<AllocationPeriod> period;
    std::optional<int> lowMark, highMark;
    bool noLowMark = false, noHighMark = false;
};

// A medium's state beyond RSM's: only Active media are allocated; Retired ones are kept until
// their sides' retention ends, then stay out of use.
enum class MediaLife : std::int16_t { Active = 0, Full = 1, Damaged = 2, Retired = 3 };

struct MediaLifeRow {
    MediaLife life = MediaLife::Active;
    bool worm = false;
};

// A side with a retention: an ALLOCATED or COMPLETE side of a medium in a pool with a
// retention, its basis time and when its retention ends (Unix seconds).
struct RetentionRow {
    Uuid sideId, mediaId, poolId, lmidId;
    std::optional<std::string> barcode;
    std::string lmidName;
    int sideNumber = 0;
    std::int64_t basis = 0, ends = 0;
    bool worm = false;
    MediaLife life = MediaLife::Active;
    ExpireAction action = ExpireAction::Deallocate;
};

// The sides a listing or a sweep wants: those whose retention ends after `after` and at or
// before `until` (either bound may be absent), of one pool or of all.
struct RetentionFilter {
    std::optional<Uuid> pool;
    std::optional<std::int64_t> after, until;
};

// What a sweep did, side by side and pool by pool.
struct SweepSide {
    RetentionRow side;
    std::string pool;     // path
    std::string outcome;  // "deallocated", "reported", "kept: WORM", "failed: …"
};
struct SweepPool {
    Uuid poolId;
    std::string pool;  // path
    std::int64_t free = 0;
    std::optional<int> lowMark, highMark;
    std::optional<Uuid> request;  // the low-mark operator request, when one is open
    bool raised = false;          // posted by this sweep
    bool withdrawn = false;       // completed by this sweep: the pool is back above its mark
};
struct SweepReport {
    std::int64_t now = 0;  // the clock the sweep read (Unix seconds)
    std::vector<SweepSide> sides;
    std::vector<SweepPool> pools;
};

std::string_view retentionBasisName(RetentionBasis b);
std::optional<RetentionBasis> retentionBasisFromName(std::string_view name);
std::string_view expireActionName(ExpireAction a);
std::optional<ExpireAction> expireActionFromName(std::string_view name);
// "continue", "new", "per-day", "per-week", "per-month".
std::string allocationName(AllocationPolicy a, AllocationPeriod p);
bool allocationFromName(std::string_view name, AllocationPolicy &a, AllocationPeriod &p);
std::string_view mediaLifeName(MediaLife l);
std::optional<MediaLife> mediaLifeFromName(std::string_view name);

}  // namespace rsm::engine
