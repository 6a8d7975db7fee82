#pragma once
// rsmctl mtx through rsmd: when DEVICE names a library rsmd manages (its name, or the device
// rsmd drives it by), each mtx command becomes a library.mtx request, queued in rsmd behind the
// library's other robot work, and the database follows every move (src/library/jobs/mtx.cc).
// Thread-safety: one thread at a time.

#include <memory>
#include <string>

#include "src/cli/client.h"
#include "src/mtx/backend.h"

namespace rsm::cli {

// The rsmd backend for `device`: a library name (no '/', not an iscsi:// URL) must be one rsmd
// manages; a device path or URL is routed through rsmd when one of its libraries has that
// device, and otherwise answers nullptr (the caller then opens the device directly). A name
// with rsmd unreachable is an error; a device with rsmd unreachable is nullptr.
Result<std::unique_ptr<mtx::MtxBackend>> openDaemonBackend(const std::string &device);

}  // namespace rsm::cli
