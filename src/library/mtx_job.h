#pragma once
// The "mtx" robot job: `rsmctl mtx -f LIBRARY` on a library rsmd manages. Each mtx command
// becomes one request, queued behind the library's other robot work instead of colliding with
// it; what the robot then reports is reconciled with the database (as a FAST inventory), so
// that the database follows every move. Parameters: {"op": "inquiry" | "elements" | "move" |
// "exchange" | "position" | "initialize", "source", "destination", "second", "invert"}.
// A cartridge that rsm mounted for an application is not moved out of its drive (ERROR_BUSY).
// Thread-safety: runs on the library's worker thread.

#include "src/engine/engine.h"
#include "src/library/mover.h"
#include "src/library/worker.h"

namespace rsm::library {

Result<JobDone> mtxJob(engine::Engine &engine, const RobotOptions &options,
                       const engine::RequestRow &request, const engine::LibraryRow &lib);

}  // namespace rsm::library
