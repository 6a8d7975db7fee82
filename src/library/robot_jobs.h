#pragma once
// The robot work rsmd's library workers do, by request kind: "probe", "inventory", "audit",
// "mount", "dismount", "eject", "inject", "clean"; and their idle work, deferred dismounts that are
// due. Thread-safety: the jobs run on the library's worker thread; options must outlive them.

#include "src/engine/engine.h"
#include "src/library/mover.h"
#include "src/library/worker.h"

namespace rsm::library {

Jobs robotJobs(engine::Engine &engine, const RobotOptions &options);
Idle robotIdle(engine::Engine &engine, const RobotOptions &options);

// "3 cartridges: …; 1 unfinished move resolved" for an audit's record.
std::string describe(const engine::AuditResult &result);

}  // namespace rsm::library
