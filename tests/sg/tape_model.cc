#include "tests/sg/tape_model.h"

#include "sg/cdb.h"
#include "sg/fake_transport.h"
#include "sg/sense.h"

namespace rsm::sg::test {

namespace {

std::uint32_t transferLength(const Command &command) {
    return static_cast<std::uint32_t>(command.cdb[2] << 16 | command.cdb[3] << 8 | command.cdb[4]);
}

}  // namespace

Reply streamSenseReply(std::uint8_t key, std::uint8_t asc, std::uint8_t ascq, bool filemark,
                       bool ili, std::optional<std::int32_t> information) {
    Reply reply = FakeTransport::senseReply(key, asc, ascq);
    reply.sense[2] =
        static_cast<std::uint8_t>((filemark ? 0x80 : 0) | (ili ? 0x20 : 0) | (key & 0x0F));
    if (information) {
        reply.sense[0] |= 0x80;  // VALID
        const auto v = static_cast<std::uint32_t>(*information);
        reply.sense[3] = static_cast<std::uint8_t>(v >> 24);
        reply.sense[4] = static_cast<std::uint8_t>(v >> 16);
        reply.sense[5] = static_cast<std::uint8_t>(v >> 8);
        reply.sense[6] = static_cast<std::uint8_t>(v);
    }
    return reply;
}

Result<Reply> TapeModel::execute(const Command &command) {
    if (command.cdb.size() != 6)
        return FakeTransport::senseReply(sense_key::IllegalRequest, 0x20, 0x00);
    const std::uint8_t opcode = command.cdb[0];
    opcodes_.push_back(opcode);
    Reply reply;
    switch (opcode) {
        case cdb::op::TestUnitReady:
            break;
        case cdb::op::Rewind:
            position_ = 0;
            break;
        case cdb::op::Read6:
            if ((command.cdb[1] & 0x01) != 0)  // FIXED: this drive is in variable-block mode
                return FakeTransport::senseReply(sense_key::IllegalRequest, 0x24, 0x00);
            readLengths_.push_back(transferLength(command));
            reply = read(transferLength(command));
            break;
        case cdb::op::Write6:
            if ((command.cdb[1] & 0x01) != 0)
                return FakeTransport::senseReply(sense_key::IllegalRequest, 0x24, 0x00);
            reply = write(command, transferLength(command));
            break;
        case cdb::op::WriteFilemarks6:
            reply = writeFilemarks(transferLength(command));
            break;
        default:
            return FakeTransport::senseReply(sense_key::IllegalRequest, 0x20, 0x00);
    }
    if (command.direction == Direction::FromDevice && reply.data.size() > command.allocationLength)
        reply.data.resize(command.allocationLength);
    if (losesData_ && reply.status == status::CheckCondition)
        reply.data.clear();
    return reply;
}

Reply TapeModel::read(std::uint32_t length) {
    const auto requested = static_cast<std::int32_t>(length);
    if (length == 0)
        return {};
    if (position_ >= tape_.size())
        return streamSenseReply(sense_key::BlankCheck, 0x00, 0x05, false, false, requested);
    const Entry &entry = tape_[position_++];
    if (!entry)
        return streamSenseReply(sense_key::NoSense, 0x00, 0x01, true, false, requested);
    const auto &block = *entry;
    if (block.size() == length)
        return FakeTransport::dataReply(block);
    Reply reply = streamSenseReply(sense_key::NoSense, 0x00, 0x00, false, true,
                                   requested - static_cast<std::int32_t>(block.size()));
    reply.data.assign(block.begin(), block.begin() + std::min<std::size_t>(block.size(), length));
    return reply;
}

Reply TapeModel::write(const Command &command, std::uint32_t length) {
    if (command.direction != Direction::ToDevice || command.dataOut.size() != length)
        return FakeTransport::senseReply(sense_key::IllegalRequest, 0x24, 0x00);
    if (length == 0)
        return {};
    tape_.resize(position_);  // writing ends the data at the new block
    tape_.push_back(command.dataOut);
    ++position_;
    return {};
}

Reply TapeModel::writeFilemarks(std::uint32_t count) {
    if (count == 0)
        return {};
    tape_.resize(position_);
    for (std::uint32_t i = 0; i < count; ++i)
        tape_.push_back(std::nullopt);
    position_ += count;
    return {};
}

}  // namespace rsm::sg::test
