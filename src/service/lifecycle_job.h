#pragma once
// The lifecycle sweep as rsmd's periodic work (rsmd.conf lifecycle_interval;
// docs/lifecycle.md): a PeriodicJob runs Engine::applyLifecycle at start and then every
// interval (zero: never; rsmctl pool sweep still runs it), and reports what it did: each side
// deallocated or reported, each low-mark request posted or completed.
// Thread-safety: the work runs on the job's thread; the engine is thread-safe.

#include <functional>
#include <set>
#include <string>
#include <vector>

#include "src/engine/engine.h"
#include "src/service/periodic_job.h"

namespace rsm::service {

// One sweep, for PeriodicJob.
std::function<void()> sweepWork(engine::Engine &engine, JobReport report);

// What is new in a sweep for the log. A side a report-only pool keeps or a WORM side is kept
// the same way at every sweep while it stays so: it is logged by the first sweep that finds it
// and not again until some sweep no longer finds it (`shown`: the keys of those the sweep
// before logged or found, updated here). Deallocations and failures are always new.
engine::SweepReport freshInSweep(const engine::SweepReport &report, std::set<std::string> &shown);

// The log lines of a sweep: one per side acted on and per pool request raised or completed.
std::vector<std::string> sweepLines(const engine::SweepReport &report);

}  // namespace rsm::service
