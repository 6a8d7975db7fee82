#pragma once
// ChangerBackend: MtxBackend straight to the device through sg::Changer (UNIT ATTENTION and
// becoming-ready retries; element status read per type, and scanned into the slot map without
// an sg::Element per slot). It keeps the sense bytes
// of the last failed command as the device sent them, for mtx's REQUEST SENSE dump, and can
// hold the DeviceLock of the device for as long as it lives.
// Thread-safety: one thread at a time.

#include <memory>

#include "sg/changer.h"
#include "sg/transport.h"
#include "src/mtx/backend.h"
#include "src/mtx/device_lock.h"

namespace rsm::mtx {

// A Transport that forwards to another one and remembers the sense bytes of the last reply
// that carried CHECK CONDITION.
class SenseRecorder : public sg::Transport {
public:
    explicit SenseRecorder(std::unique_ptr<sg::Transport> inner) : inner_(std::move(inner)) {}

    Result<sg::Reply> execute(const sg::Command &command) override;
    std::string describe() const override { return inner_->describe(); }
    std::optional<std::uint32_t> maxTransferLength() const override {
        return inner_->maxTransferLength();
    }

    const std::vector<std::uint8_t> &lastSense() const { return last_; }
    void clear() { last_.clear(); }

private:
    std::unique_ptr<sg::Transport> inner_;
    std::vector<std::uint8_t> last_;
};

class ChangerBackend : public MtxBackend {
public:
    explicit ChangerBackend(std::unique_ptr<sg::Transport> transport,
                            sg::ChangerOptions options = {}, DeviceLock lock = {});

    Result<sg::InquiryData> inquiry() override;
    Result<void> elements(bool volumeTags, SlotMapBuilder &map) override;
    Result<void> move(std::uint16_t source, std::uint16_t destination,
                      const MoveFlags &flags) override;
    Result<void> exchange(std::uint16_t source, std::uint16_t destination, std::uint16_t second,
                          const MoveFlags &flags) override;
    Result<void> position(std::uint16_t destination) override;
    Result<void> initializeElementStatus() override;
    Result<void> eject() override;
    std::vector<std::uint8_t> lastSense() const override { return recorder_.lastSense(); }

private:
    // The changer asking for volume tags or not (a new sg::Changer when that changes).
    sg::Changer &changer(bool volumeTags);
    // The changer as it is (asking for volume tags unless told otherwise).
    sg::Changer &current();
    // A command of our own making (EEPOS, INV1/INV2, eject) with the changer's retry rules.
    Result<void> runCommand(sg::Command command, std::chrono::milliseconds timeout);
    std::uint16_t transportAddress();

    DeviceLock lock_;
    SenseRecorder recorder_;
    sg::ChangerOptions options_;
    std::unique_ptr<sg::Changer> changer_;
};

}  // namespace rsm::mtx
