#pragma once
// TapeModel: a tape drive simulated behind the Transport seam, for tests of TapeDrive's block
// I/O against SSC's rules rather than against a script: REWIND, READ(6), WRITE(6) and WRITE
// FILEMARKS(6) in variable-block mode over a tape of blocks and filemarks. A READ of another
// length than the block's ends in CHECK CONDITION, NO SENSE, ILI with INFORMATION = requested
// minus actual; a filemark in NO SENSE with FM; end of data in BLANK CHECK 08/00/05.
// `losesDataOnCheckCondition` makes it behave as libiscsi does: the data-in of a command that
// ends in CHECK CONDITION is not handed back, only the sense.
// Thread-safety: one thread at a time.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sg/transport.h"

namespace rsm::sg::test {

class TapeModel : public Transport {
public:
    explicit TapeModel(bool losesDataOnCheckCondition = false)
        : losesData_(losesDataOnCheckCondition) {}

    Result<Reply> execute(const Command &command) override;
    std::string describe() const override { return "tape model"; }

    // What is on the tape: a block, or a filemark (nullopt).
    using Entry = std::optional<std::vector<std::uint8_t>>;
    const std::vector<Entry> &tape() const { return tape_; }
    void setTape(std::vector<Entry> tape) {
        tape_ = std::move(tape);
        position_ = 0;
    }
    std::size_t position() const { return position_; }

    // Operation codes of every command received, in order.
    const std::vector<std::uint8_t> &opcodes() const { return opcodes_; }
    // Transfer lengths of every READ(6) received, in order.
    const std::vector<std::uint32_t> &readLengths() const { return readLengths_; }

private:
    Reply read(std::uint32_t length);
    Reply write(const Command &command, std::uint32_t length);
    Reply writeFilemarks(std::uint32_t count);

    bool losesData_;
    std::vector<Entry> tape_;
    std::size_t position_ = 0;
    std::vector<std::uint8_t> opcodes_;
    std::vector<std::uint32_t> readLengths_;
};

// Fixed-format sense for stream commands: FM / ILI bits and, when given, a VALID signed
// INFORMATION field.
Reply streamSenseReply(std::uint8_t key, std::uint8_t asc, std::uint8_t ascq, bool filemark,
                       bool ili, std::optional<std::int32_t> information = std::nullopt);

}  // namespace rsm::sg::test
