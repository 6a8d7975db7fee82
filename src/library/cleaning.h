#pragma once
// The "clean" robot job: a cleaner cartridge into the drive, wait while the drive cleans, the
// cleaner back to its slot, one use fewer. With no cleaner left, a CLEANER operator request.
// Thread-safety: runs on the library's worker thread.

#include "src/engine/engine.h"
#include "src/library/mover.h"
#include "src/library/worker.h"

namespace rsm::library {

Result<JobDone> cleanDrive(engine::Engine &engine, const RobotOptions &options,
                           const engine::RequestRow &request, const engine::LibraryRow &lib);

}  // namespace rsm::library
