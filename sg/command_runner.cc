#include "sg/command_runner.h"

#include <thread>

#include <fmt/format.h>

namespace rsm::sg {

namespace {

void realSleep(std::chrono::milliseconds d) {
    std::this_thread::sleep_for(d);
}

Error statusError(const Command &command, const Transport &transport, std::uint8_t status) {
    if (status == status::ReservationConflict)
        return Error(ErrorCode::Busy,
                     fmt::format("{} on {}: reservation conflict (the device is reserved by "
                                 "another initiator)",
                                 command.name, transport.describe()));
    return Error(
        ErrorCode::DeviceNotAvailable,
        fmt::format("{} on {}: SCSI status {:02X}h", command.name, transport.describe(), status));
}

}  // namespace

bool isTransportFailure(const Error &error) {
    return error.isUnanswered();
}

CommandRunner::CommandRunner(Transport &transport, RetryPolicy policy, Sleeper sleep)
    : transport_(transport), policy_(policy), sleep_(sleep ? std::move(sleep) : realSleep) {}

Result<Reply> CommandRunner::run(const Command &command) {
    int unitAttentions = 0;
    std::chrono::milliseconds waited{0};
    std::optional<SenseRecord> notReady;  // the last NOT READY sense, kept with the timeout
    for (;;) {
        auto result = transport_.execute(command);
        if (!result) {
            // The transports name the command themselves ("MOVE MEDIUM on /dev/sg5: ...").
            if (result.error().message().starts_with(command.name))
                return result.error();
            return result.error().withContext(std::string(command.name));
        }
        Reply &reply = *result;

        bool waitAndRepeat = false;
        if (reply.status == status::Good || reply.status == status::ConditionMet)
            return result;
        if (reply.status == status::Busy || reply.status == status::TaskSetFull) {
            waitAndRepeat = true;
        } else if (reply.status != status::CheckCondition) {
            return statusError(command, transport_, reply.status);
        } else {
            auto sense = parseSense(reply.sense);
            if (!sense)
                return Error(ErrorCode::DeviceNotAvailable,
                             fmt::format("{} on {}: CHECK CONDITION without usable sense data",
                                         command.name, transport_.describe()));
            switch (classifySense(*sense)) {
                case SenseAction::Success:
                    return result;
                case SenseAction::Retry:
                    if (++unitAttentions <= policy_.unitAttentionRetries)
                        continue;
                    break;
                case SenseAction::WaitReady:
                    waitAndRepeat = true;
                    notReady = sense->record();
                    break;
                case SenseAction::Fail:
                    break;
            }
            if (!waitAndRepeat)
                return Error(errorCodeForSense(*sense),
                             fmt::format("{} on {}: {}", command.name, transport_.describe(),
                                         describeSense(*sense)),
                             sense->record());
        }
        if (waited >= policy_.notReadyWait) {
            const std::string message = fmt::format(
                "{} on {}: device still not ready after {} s", command.name, transport_.describe(),
                std::chrono::duration_cast<std::chrono::seconds>(waited).count());
            // With the device's last word (mtx's REQUEST SENSE dump says "Sense Key=Not
            // Ready", which Amanda's chg-robot waits on), when it said NOT READY.
            if (notReady)
                return Error(ErrorCode::Timeout, message, *notReady);
            return Error(ErrorCode::Timeout, message);
        }
        sleep_(policy_.pollInterval);
        waited += policy_.pollInterval;
    }
}

}  // namespace rsm::sg
