#pragma once
// Transport: the seam between rsm and a SCSI device. One command goes in; either the command
// completed at the transport level (a Reply with the SCSI status, any data-in and any sense
// bytes), or it did not (an Error: the device is gone, the connection broke, the command timed
// out). The three levels — transport/OS error, SCSI status, sense — are never mixed.
// Implementations: SgTransport (/dev/sg* via libsgutils2), IscsiTransport (libiscsi), and
// FakeTransport (scripted, for tests).
// Thread-safety: a Transport is used by one thread at a time.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rsm/error.h"

namespace rsm::sg {

enum class Direction { None, FromDevice, ToDevice };

// A SCSI command as a value: built by the pure functions of cdb.h, run by a Transport.
struct Command {
    std::vector<std::uint8_t> cdb;
    Direction direction = Direction::None;
    std::vector<std::uint8_t> dataOut;   // with Direction::ToDevice
    std::uint32_t allocationLength = 0;  // data-in bytes accepted, with Direction::FromDevice
    std::chrono::milliseconds timeout{60'000};
    std::string_view name = "SCSI command";  // for messages: "READ ELEMENT STATUS"
};

namespace status {
constexpr std::uint8_t Good = 0x00;
constexpr std::uint8_t CheckCondition = 0x02;
constexpr std::uint8_t ConditionMet = 0x04;
constexpr std::uint8_t Busy = 0x08;
constexpr std::uint8_t ReservationConflict = 0x18;
constexpr std::uint8_t TaskSetFull = 0x28;
constexpr std::uint8_t TaskAborted = 0x40;
}  // namespace status

struct Reply {
    std::uint8_t status = status::Good;
    std::vector<std::uint8_t> data;   // data-in actually transferred (residual removed)
    std::vector<std::uint8_t> sense;  // raw sense bytes (fixed or descriptor format), may be empty
};

class Transport {
public:
    virtual ~Transport() = default;

    // Runs one command. An Error means the command did not complete at the transport level:
    // ERROR_TIMEOUT when it ran out of time, ERROR_DEVICE_NOT_AVAILABLE otherwise.
    virtual Result<Reply> execute(const Command &command) = 0;

    // What this transport talks to, for messages: "/dev/sg3", "iscsi://127.0.0.1:3261/iqn…/3".
    virtual std::string describe() const = 0;

    // The most data-in bytes one command may carry, when the transport knows a limit (an sg
    // node: what the kernel lets the device's queue transfer); nullopt when it knows none (the
    // device may still refuse a long transfer).
    virtual std::optional<std::uint32_t> maxTransferLength() const { return std::nullopt; }
};

// A Transport that forwards every call to another it does not own, which must outlive it: for
// handing a transport kept elsewhere to something that takes ownership of one (a Changer).
class BorrowedTransport : public Transport {
public:
    explicit BorrowedTransport(Transport &inner) : inner_(inner) {}
    Result<Reply> execute(const Command &command) override { return inner_.execute(command); }
    std::string describe() const override { return inner_.describe(); }
    std::optional<std::uint32_t> maxTransferLength() const override {
        return inner_.maxTransferLength();
    }

private:
    Transport &inner_;
};

}  // namespace rsm::sg
