#pragma once
// RobotOptions: how rsmd's robot work reaches a library's devices (the changer, the tape
// drives) and reports what it does: the transports, the retry rules and their clock, the
// timeouts, and rsmd's log. openDevice() opens a device as the options say, openChanger() the
// changer on it.
// Thread-safety: plain values; openDevice() may be called from any thread when the options'
// transport factory may.

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "rsm/error.h"
#include "sg/changer.h"
#include "sg/command_runner.h"
#include "sg/transport.h"
#include "src/engine/health.h"
#include "src/library/probe.h"

namespace rsm::library {

enum class RobotLog { Warning, Info, Debug };

// A device name (the library's, a drive's) to a transport.
using TransportFactory =
    std::function<Result<std::unique_ptr<sg::Transport>>(const std::string &device)>;

struct RobotOptions {
    ProbeOptions probe;
    // Where robot work is reported (rsmd's log); nothing when empty.
    std::function<void(RobotLog, const std::string &)> log;
    std::chrono::seconds readyTimeout{600};   // a drive's load until ready
    std::chrono::seconds dismountDelay{300};  // how long a DEFERRED dismount leaves a tape
    // How devices are opened; empty: sg::openTransport, iSCSI connecting within
    // probe.commandTimeout. Tests give scripted transports here.
    TransportFactory openTransport;
    // The retry rules of the changer's and the drives' commands, and the clock they wait on
    // (empty: the real one). Tests shorten both.
    sg::RetryPolicy retry;
    sg::CommandRunner::Sleeper sleep;
    // Each health reading of a drive (issue 19) as it goes to Engine::recordHealth, whether
    // recording it works or not; nothing when empty. Tests watch the readings here.
    std::function<void(const engine::HealthRecord &)> healthRead;
};

// Opens a device of the library (the changer or a drive) as the options say.
Result<std::unique_ptr<sg::Transport>> openDevice(const std::string &device,
                                                  const RobotOptions &options);
// The library's changer on `device`, with the options' retry rules, clock and timeouts; its
// transport passed through `wrap` first when given (a decorator that watches it).
using TransportWrap = std::function<std::unique_ptr<sg::Transport>(std::unique_ptr<sg::Transport>)>;
Result<std::unique_ptr<sg::Changer>> openChanger(const std::string &device,
                                                 const RobotOptions &options,
                                                 const TransportWrap &wrap = {});

}  // namespace rsm::library
