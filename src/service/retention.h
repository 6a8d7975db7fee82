#pragma once
// Retention: rsmd's periodic purge of the event log and of closed sessions (rsmd.conf
// event_retention, session_retention, purge_interval), run by a PeriodicJob: Engine::purge
// at start and then every interval, reporting what it deleted.
// Thread-safety: the work runs on the job's thread; the engine is thread-safe.

#include <chrono>
#include <functional>

#include "src/engine/engine.h"
#include "src/service/periodic_job.h"

namespace rsm::service {

struct RetentionOptions {
    std::chrono::seconds events{30 * 86400};  // zero: kept for good
    std::chrono::seconds sessions{7 * 86400};
    std::chrono::seconds interval{3600};
    JobReport report;
};

// How often the purge runs: zero (never) when both the events and the sessions are kept.
std::chrono::seconds purgeInterval(const RetentionOptions &options);

// One purge, for PeriodicJob.
std::function<void()> purgeWork(engine::Engine &engine, RetentionOptions options);

}  // namespace rsm::service
