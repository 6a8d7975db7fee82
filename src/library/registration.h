#pragma once
// Registering a library: the one way a robot becomes a library of the database, used by rsmd's
// start-up (the [library] sections of rsmd.conf) and by the library.add verb. Checks that the
// session may add it before any device is touched, probes the device (probe.h), records the
// library with its drives, slots and ports, and brings the workers in step so that it has one
// (Robots). Thread-safety: as Engine and Robots; any thread.

#include <string>

#include "rsm/error.h"
#include "src/engine/engine.h"
#include "src/library/robots.h"

namespace rsm::library {

struct LibraryToRegister {
    std::string name;
    std::string device;  // /dev/sgN or iscsi://…
    std::string description;
};

// The steps of a registration, in order.
enum class RegistrationStep {
    Check,  // may the session add it: rights, a free name and device (nothing touched)
    Probe,  // what the device is (nothing recorded)
    Add,    // the library recorded (nothing recorded when it fails)
    Start,  // its worker started (the library is recorded even when this fails)
};

struct Registered {
    Uuid id;
    engine::NewLibrary library;  // as probed and recorded
};

// Registers `library` for `session`. The error is the failed step's own, unchanged; `failed`,
// when given, is set to that step.
Result<Registered> registerLibrary(engine::Engine &engine, Robots &robots, const Uuid &session,
                                   const LibraryToRegister &library,
                                   RegistrationStep *failed = nullptr);

}  // namespace rsm::library
