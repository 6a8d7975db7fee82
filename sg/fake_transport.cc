#include "sg/fake_transport.h"

#include <fmt/format.h>

namespace rsm::sg {

FakeTransport &FakeTransport::expect(std::uint8_t opcode, Reply reply) {
    steps_.push_back({opcode, nullptr, std::move(reply)});
    return *this;
}

FakeTransport &FakeTransport::expect(std::uint8_t opcode,
                                     std::function<bool(const Command &)> matches, Reply reply) {
    steps_.push_back({opcode, std::move(matches), std::move(reply)});
    return *this;
}

FakeTransport &FakeTransport::expectError(std::uint8_t opcode, Error error) {
    steps_.push_back({opcode, nullptr, std::move(error)});
    return *this;
}

FakeTransport &FakeTransport::expectSense(std::uint8_t opcode, std::uint8_t key, std::uint8_t asc,
                                          std::uint8_t ascq) {
    return expect(opcode, senseReply(key, asc, ascq));
}

Result<Reply> FakeTransport::execute(const Command &command) {
    commands_.push_back(command);
    const std::uint8_t opcode = command.cdb.empty() ? 0xFF : command.cdb[0];
    if (steps_.empty()) {
        auto what = fmt::format("fake transport: unexpected {} (opcode {:02X}h): script is empty",
                                command.name, opcode);
        unexpected_.push_back(what);
        return Error(ErrorCode::DeviceNotAvailable, what);
    }
    FakeStep step = std::move(steps_.front());
    steps_.pop_front();
    if (step.opcode != opcode || (step.matches && !step.matches(command))) {
        auto what = fmt::format("fake transport: got {} (opcode {:02X}h), expected opcode {:02X}h",
                                command.name, opcode, step.opcode);
        unexpected_.push_back(what);
        return Error(ErrorCode::DeviceNotAvailable, what);
    }
    if (auto *error = std::get_if<Error>(&step.outcome))
        return *error;
    Reply reply = std::get<Reply>(std::move(step.outcome));
    if (command.direction == Direction::FromDevice && reply.data.size() > command.allocationLength)
        reply.data.resize(command.allocationLength);  // a device never sends more than asked
    return reply;
}

Reply FakeTransport::dataReply(std::vector<std::uint8_t> data) {
    Reply reply;
    reply.data = std::move(data);
    return reply;
}

Reply FakeTransport::senseReply(std::uint8_t key, std::uint8_t asc, std::uint8_t ascq) {
    Reply reply;
    reply.status = status::CheckCondition;
    reply.sense.assign(18, 0);
    reply.sense[0] = 0x70;
    reply.sense[2] = key & 0x0F;
    reply.sense[7] = 10;  // additional sense length
    reply.sense[12] = asc;
    reply.sense[13] = ascq;
    return reply;
}

}  // namespace rsm::sg
