#pragma once
// The lifecycle sweep as rsmd's periodic work (rsmd.conf lifecycle_interval;
// docs/lifecycle.md): a PeriodicJob runs Engine::applyLifecycle at start and then every
// interval (zero: never; rsmctl pool sweep still runs it), and reports what it did: each side
// deallocated or reported, each low-mark request posted or completed.
// Thread-safety: the work runs on the job's thread; the engine is thread-safe.

#include <functional>
#include <string>
#include <vector>

#include "src/engine/engine.h"
#include "src/service/periodic_job.h"

namespace rsm::service {

// One sweep, for PeriodicJob.
std::function<void()> sweepWork(engine::Engine &engine, JobReport report);

// The log lines of a sweep: one per side acted on and per pool request raised or completed.
std::vector<std::string> sweepLines(const engine::SweepReport &report);

}  // namespace rsm::service
