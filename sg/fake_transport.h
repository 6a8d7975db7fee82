#pragma once
// FakeTransport: a scripted Transport for unit tests of the driver layer and for faults a real
// library cannot be made to produce. Each step says which command is expected (operation code,
// optionally a CDB predicate) and what comes back (a Reply or a transport Error). A command
// that does not match the next step is answered with an Error naming both, and recorded in
// `unexpected()`, so a test fails with a clear message instead of hanging or crashing.
// Thread-safety: one thread at a time.

#include <cstdint>
#include <deque>
#include <functional>
#include <string>
#include <variant>
#include <vector>

#include "sg/transport.h"

namespace rsm::sg {

struct FakeStep {
    std::uint8_t opcode = 0;
    std::function<bool(const Command &)> matches;  // optional: further checks on the CDB
    std::variant<Reply, Error> outcome = Reply{};
};

class FakeTransport : public Transport {
public:
    FakeTransport &expect(std::uint8_t opcode, Reply reply);
    FakeTransport &expect(std::uint8_t opcode, std::function<bool(const Command &)> matches,
                          Reply reply);
    FakeTransport &expectError(std::uint8_t opcode, Error error);
    // A CHECK CONDITION with fixed-format sense key/asc/ascq.
    FakeTransport &expectSense(std::uint8_t opcode, std::uint8_t key, std::uint8_t asc,
                               std::uint8_t ascq);

    Result<Reply> execute(const Command &command) override;
    std::string describe() const override { return "fake"; }
    std::optional<std::uint32_t> maxTransferLength() const override { return maxTransfer_; }
    // The limit maxTransferLength() reports (none by default).
    void setMaxTransferLength(std::optional<std::uint32_t> bytes) { maxTransfer_ = bytes; }

    const std::vector<Command> &commands() const { return commands_; }
    const std::vector<std::string> &unexpected() const { return unexpected_; }
    std::size_t pending() const { return steps_.size(); }

    // Helpers for building replies.
    static Reply dataReply(std::vector<std::uint8_t> data);
    static Reply senseReply(std::uint8_t key, std::uint8_t asc, std::uint8_t ascq);

private:
    std::deque<FakeStep> steps_;
    std::vector<Command> commands_;
    std::vector<std::string> unexpected_;
    std::optional<std::uint32_t> maxTransfer_;
};

}  // namespace rsm::sg
