#pragma once
// CommandRunner: runs commands on a Transport with rsm's retry rules, and turns every outcome
// that is not success into an Error carrying the RSM code and the sense.
//   - GOOD, or CHECK CONDITION with NO SENSE / RECOVERED ERROR: success (the reply keeps its
//     sense bytes, so callers such as READ(6) can see ILI and filemarks).
//   - UNIT ATTENTION: repeated, up to RetryPolicy::unitAttentionRetries times.
//   - NOT READY "becoming ready" / "operation in progress" and BUSY / TASK SET FULL status:
//     repeated every pollInterval until notReadyWait has passed, then ERROR_TIMEOUT.
//   - anything else: Error(errorCodeForSense(...), "<command>: <sense in words>", sense).
// Thread-safety: as the Transport (one thread at a time).

#include <chrono>
#include <functional>

#include "rsm/error.h"
#include "sg/sense.h"
#include "sg/transport.h"

namespace rsm::sg {

struct RetryPolicy {
    int unitAttentionRetries = 5;
    std::chrono::milliseconds notReadyWait{120'000};
    std::chrono::milliseconds pollInterval{1'000};
};

// Whether `error` is a command that got no answer from the device — a timeout, a connection
// lost or refused, an adapter failure (DID_NO_CONNECT, DID_TIME_OUT) — rather than the device
// refusing it (Error::isUnanswered(), set by the transports). A caller never follows such a
// failure with fallback commands meant for a device that refused a command.
bool isTransportFailure(const Error &error);

class CommandRunner {
public:
    using Sleeper = std::function<void(std::chrono::milliseconds)>;

    explicit CommandRunner(Transport &transport, RetryPolicy policy = {}, Sleeper sleep = {});

    Result<Reply> run(const Command &command);

    Transport &transport() { return transport_; }
    const RetryPolicy &policy() const { return policy_; }

private:
    Transport &transport_;
    RetryPolicy policy_;
    Sleeper sleep_;
};

}  // namespace rsm::sg
