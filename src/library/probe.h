#pragma once
// Probing a robot: open its device, ask what it is (INQUIRY, unit serial number) and where its
// elements are (element address assignment, drive identifiers). What registration and the
// "probe" library request record. Thread-safety: a free function; each call opens its own
// transport.

#include <chrono>
#include <string>

#include "rsm/error.h"
#include "sg/changer.h"
#include "sg/discovery.h"
#include "src/engine/engine.h"

namespace rsm::library {

// How long each robot and drive command may take (rsmd.conf: command_timeout and the per-class
// settings). A command that gets no answer in that time fails, and no other command is tried
// in its place.
struct ProbeOptions {
    // INQUIRY, MODE SENSE, TEST UNIT READY, PREVENT/ALLOW MEDIUM REMOVAL, and the drives'
    // short commands (TEST UNIT READY, INQUIRY, LOG SENSE); iSCSI logins too.
    std::chrono::seconds commandTimeout{60};
    std::chrono::seconds statusTimeout{60};        // READ ELEMENT STATUS
    std::chrono::seconds moveTimeout{300};         // MOVE MEDIUM, EXCHANGE MEDIUM, POSITION
    std::chrono::seconds initializeTimeout{1800};  // INITIALIZE ELEMENT STATUS (a full scan)
    // Where the host's SCSI devices are looked for (rsmd.conf: sysfs_root, dev_root).
    sg::DiscoveryRoots discovery;
};

// The changer command timeouts these options give.
sg::ChangerTimeouts changerTimeouts(const ProbeOptions &options);

// The library as found at `device` (/dev/sgN or iscsi://…); name and description are left
// empty. The device must be a medium changer: anything else is ERROR_INVALID_LIBRARY.
Result<engine::NewLibrary> probeLibrary(const std::string &device, const ProbeOptions &options);

}  // namespace rsm::library
