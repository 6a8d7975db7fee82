#pragma once
// Probing a robot: open its device, ask what it is (INQUIRY, unit serial number) and where its
// elements are (element address assignment, drive identifiers). What registration and the
// "probe" library request record. Thread-safety: a free function; each call opens its own
// transport.

#include <chrono>
#include <string>

#include "rsm/error.h"
#include "src/engine/engine.h"

namespace rsm::library {

struct ProbeOptions {
    std::chrono::seconds commandTimeout{60};  // per SCSI command
};

// The library as found at `device` (/dev/sgN or iscsi://…); name and description are left
// empty. The device must be a medium changer: anything else is ERROR_INVALID_LIBRARY.
Result<engine::NewLibrary> probeLibrary(const std::string &device, const ProbeOptions &options);

}  // namespace rsm::library
