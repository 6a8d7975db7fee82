// Health at the dismount (issue 19) through Mover::putAway, DriveSession and scripted drives
// (FaultRig): the reading goes to Engine::recordHealth with the drive, the cartridge, the
// request and the trigger, as RobotOptions::healthRead sees it, for drives that support every
// part, some, and none (tgtd); TapeAlert is read once and still asks for cleaning; a drive that
// stops answering still dismounts.

#include <doctest/doctest.h>

#include "tests/engine/fault_rig.h"

using namespace rsm;
using namespace rsm::test;

namespace {

using Bytes = std::vector<std::uint8_t>;

Bytes logReply(std::uint8_t page, Bytes parameters) {
    Bytes out = {page, 0, static_cast<std::uint8_t>(parameters.size() >> 8),
                 static_cast<std::uint8_t>(parameters.size() & 0xFF)};
    out.insert(out.end(), parameters.begin(), parameters.end());
    return out;
}

// LOAD COUNT (0003h) 9.
const Bytes kMam = {0, 0, 0, 13, 0x00, 0x03, 0x80, 0, 8, 0, 0, 0, 0, 0, 0, 0, 9};

struct DismountRig : FaultRig {
    std::vector<engine::HealthRecord> readings;

    DismountRig() {
        options.healthRead = [this](const engine::HealthRecord &r) { readings.push_back(r); };
    }

    // Puts A00003L5 away from drive 501 into slot 1002 (the first free), for request `request`.
    void putAway(const std::optional<Uuid> &request) {
        tape(kDrive1).expect(op::StartStopUnit, sg::Reply{});
        scriptMap();
        scriptMove(kDrive1, kSlot + 2, sg::Reply{});
        auto view = rig.engine->robotView(library);
        REQUIRE_OK(view);
        auto drives = this->drives();
        REQUIRE_OK(mover().putAway(drives, *view, viewOf(kDrive1), request));
        CHECK(where("A00003L5") == "slot 1002 IDLE");
    }

    // The reading of the one put-away, with its drive, cartridge, request and trigger checked.
    const DriveHealth &reading(const std::optional<Uuid> &request) {
        REQUIRE(readings.size() == 1);
        const engine::HealthRecord &r = readings.front();
        CHECK(r.driveId == viewOf(kDrive1).row.id);
        CHECK(r.mediaId == media("A00003L5").id);
        CHECK(r.requestId == request);
        CHECK(r.trigger == engine::HealthTrigger::Dismount);
        return r.health;
    }
};

}  // namespace

TEST_CASE("health at dismount: a drive that supports every part") {
    DismountRig f;
    f.tape(kDrive1).expect(op::ReadAttribute, FakeTransport::dataReply(kMam));
    f.tape(kDrive1).expect(op::LogSense, FaultRig::logPage(0x17),
                           FakeTransport::dataReply(logReply(0x17, {0, 0x01, 0x60, 1, 4})));
    f.tape(kDrive1).expect(op::LogSense, FaultRig::logPage(0x02),
                           FakeTransport::dataReply(logReply(0x02, {0, 0x06, 0x60, 1, 1})));
    f.tape(kDrive1).expect(op::LogSense, FaultRig::logPage(0x03),
                           FakeTransport::dataReply(logReply(0x03, {0, 0x02, 0x60, 1, 3})));
    f.tape(kDrive1).expect(op::LogSense, FaultRig::logPage(0x2E),
                           FakeTransport::dataReply(logReply(0x2E, {0, 3, 0x40, 1, 1})));
    // A request that exists (the robot's move names it): a clean request of the drive.
    auto queued = f.rig.engine->submitClean(f.rig.root, f.viewOf(kDrive1).row.id);
    REQUIRE_OK(queued);
    const Uuid request = queued->id;
    f.putAway(request);
    const DriveHealth &h = f.reading(request);
    REQUIRE(h.attributes);
    CHECK(h.attributes->loadCount == 9);
    REQUIRE(h.volume);
    CHECK(h.volume->threadCount == 4);
    REQUIRE(h.writeErrors);
    CHECK(h.writeErrors->uncorrected == 1);
    REQUIRE(h.readErrors);
    CHECK(h.readErrors->totalRetries == 3);
    CHECK(h.tapeAlertFlags == 0b100);  // flag 3: no cleaning asked
    CHECK(h.unsupported.empty());
    CHECK(h.failed.empty());
    CHECK_FALSE(f.viewOf(kDrive1).row.needsCleaning);
}

TEST_CASE("health at dismount: a drive that supports some parts; TapeAlert read once") {
    DismountRig f;
    f.tape(kDrive1).expectSense(op::ReadAttribute, 5, 0x24, 0x00);
    f.tape(kDrive1).expect(op::LogSense, FaultRig::logPage(0x17),
                           FakeTransport::dataReply(logReply(0x17, {0, 0x01, 0x60, 1, 7})));
    f.tape(kDrive1).expectSense(op::LogSense, 5, 0x24, 0x00);  // 02h
    f.tape(kDrive1).expectSense(op::LogSense, 5, 0x24, 0x00);  // 03h
    f.tape(kDrive1).expect(op::LogSense, FaultRig::logPage(0x2E),
                           FakeTransport::dataReply(logReply(0x2E, {0, 20, 0x40, 1, 1})));
    f.putAway(std::nullopt);
    const DriveHealth &h = f.reading(std::nullopt);
    CHECK_FALSE(h.attributes);
    REQUIRE(h.volume);
    CHECK(h.volume->threadCount == 7);
    CHECK(h.unsupported == std::vector<std::string>{"attributes", "write errors", "read errors"});
    CHECK(h.tapeAlertFlags == (std::uint64_t{1} << 19));
    // The same reading asked for cleaning: one LOG SENSE 2Eh only (the fake would refuse a
    // second), and a clean request.
    CHECK(f.viewOf(kDrive1).row.needsCleaning);
    CHECK(f.log.find("drive 1 asks to be cleaned (TapeAlert 20 (clean now))") != std::string::npos);
}

TEST_CASE("health at dismount: a drive that supports none (tgtd) dismounts as before") {
    DismountRig f;
    f.scriptNoHealth(kDrive1);
    f.putAway(std::nullopt);
    const DriveHealth &h = f.reading(std::nullopt);
    CHECK(h.unsupported == std::vector<std::string>{"attributes", "volume statistics",
                                                    "write errors", "read errors", "tapealert"});
    CHECK(h.failed.empty());
    CHECK_FALSE(f.viewOf(kDrive1).row.needsCleaning);
    // The commands the drive saw: the five health commands, then the unload.
    const auto &sent = f.tape(kDrive1).commands();
    REQUIRE(sent.size() == 6);
    CHECK(sent[0].cdb[0] == op::ReadAttribute);
    CHECK(sent[5].cdb[0] == op::StartStopUnit);
}

TEST_CASE("health at dismount: a drive that stops answering still unloads and is put away") {
    DismountRig f;
    f.tape(kDrive1).expectError(op::ReadAttribute,
                                Error(ErrorCode::Timeout, "no answer").unanswered());
    f.putAway(std::nullopt);
    const DriveHealth &h = f.reading(std::nullopt);
    CHECK(h.failed.size() == 5);
    CHECK(h.unsupported.empty());
}
