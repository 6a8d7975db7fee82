#include "src/mtx/changer_backend.h"

#include "sg/cdb.h"
#include "sg/command_runner.h"

namespace rsm::mtx {

namespace {

// The changer's view of the recorder: sg::Changer owns its transport, the backend keeps the
// recorder (and the device behind it) across changers.
}  // namespace

Result<sg::Reply> SenseRecorder::execute(const sg::Command &command) {
    auto reply = inner_->execute(command);
    if (reply && reply->status == sg::status::CheckCondition && !reply->sense.empty())
        last_ = reply->sense;
    return reply;
}

ChangerBackend::ChangerBackend(std::unique_ptr<sg::Transport> transport, sg::ChangerOptions options,
                               DeviceLock lock)
    : lock_(std::move(lock)), recorder_(std::move(transport)), options_(std::move(options)) {
    options_.deviceIdentifiers = false;  // mtx prints none; tgtd and some robots mishandle them
}

sg::Changer &ChangerBackend::changer(bool volumeTags) {
    if (!changer_ || changer_->options().volumeTags != volumeTags) {
        sg::ChangerOptions options = options_;
        options.volumeTags = volumeTags;
        changer_ = std::make_unique<sg::Changer>(std::make_unique<sg::BorrowedTransport>(recorder_),
                                                 options);
    }
    return *changer_;
}

sg::Changer &ChangerBackend::current() {
    return changer(changer_ ? changer_->options().volumeTags : options_.volumeTags);
}

std::uint16_t ChangerBackend::transportAddress() {
    auto map = current().elementMap();
    if (map && map->transport.count > 0)
        return map->transport.first;
    return 0;
}

Result<void> ChangerBackend::runCommand(sg::Command command, std::chrono::milliseconds timeout) {
    command.timeout = timeout;
    sg::CommandRunner runner(recorder_, options_.retry, options_.sleep);
    auto reply = runner.run(command);
    if (!reply)
        return reply.error();
    return success();
}

Result<sg::InquiryData> ChangerBackend::inquiry() {
    recorder_.clear();
    return current().inquiry();
}

Result<void> ChangerBackend::elements(bool volumeTags, SlotMapBuilder &map) {
    recorder_.clear();
    sg::Changer &c = changer(volumeTags);
    auto ranges = c.elementMap();
    if (!ranges)
        return ranges.error();
    map.reserve(std::size_t{ranges->transport.count} + ranges->storage.count +
                ranges->importExport.count + ranges->dataTransfer.count);
    // Straight from the replies into the map: no sg::Element for each of a big library's slots.
    return c.scan([&map](const sg::ElementDescriptor &d) { map.add(d); });
}

Result<void> ChangerBackend::move(std::uint16_t source, std::uint16_t destination,
                                  const MoveFlags &flags) {
    recorder_.clear();
    if (flags.eepos == 0)
        return current().move(source, destination, flags.invert);
    sg::Command c = sg::cdb::moveMedium(transportAddress(), source, destination, flags.invert);
    c.cdb[11] = static_cast<std::uint8_t>(flags.eepos << 6);
    return runCommand(std::move(c), options_.timeouts.move);
}

Result<void> ChangerBackend::exchange(std::uint16_t source, std::uint16_t destination,
                                      std::uint16_t second, const MoveFlags &flags) {
    recorder_.clear();
    if (flags.plain())  // sg::Changer also copes with libraries that lack EXCHANGE MEDIUM
        return current().exchange(source, destination, second);
    sg::Command c = sg::cdb::exchangeMedium(transportAddress(), source, destination, second,
                                            flags.invert2, flags.invert);
    c.cdb[11] = static_cast<std::uint8_t>(flags.eepos << 6);
    return runCommand(std::move(c), options_.timeouts.move);
}

Result<void> ChangerBackend::position(std::uint16_t destination) {
    recorder_.clear();
    return current().position(destination);
}

Result<void> ChangerBackend::initializeElementStatus() {
    recorder_.clear();
    return current().initializeStatus();
}

Result<void> ChangerBackend::eject() {
    recorder_.clear();
    return runCommand(sg::cdb::startStopUnit(true, false), options_.timeouts.move);
}

}  // namespace rsm::mtx
