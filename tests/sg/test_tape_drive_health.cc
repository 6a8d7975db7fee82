// TapeDrive's health reading (issue 19) through the scripted transport: a drive that supports
// every part, one that supports some, one that supports none (as tgtd), and a part that fails
// otherwise. The order of the commands is part of what is checked.

#include <doctest/doctest.h>

#include "sg/cdb.h"
#include "sg/fake_transport.h"
#include "sg/log_pages.h"
#include "sg/tape_alert.h"
#include "sg/tape_drive.h"

using namespace rsm;
using namespace rsm::sg;
using Bytes = std::vector<std::uint8_t>;

namespace {

// LOG SENSE of `page`.
std::function<bool(const Command &)> logPage(std::uint8_t page) {
    return [page](const Command &c) { return (c.cdb[2] & 0x3F) == page; };
}

Bytes logReply(std::uint8_t page, Bytes parameters) {
    Bytes out = {page, 0, static_cast<std::uint8_t>(parameters.size() >> 8),
                 static_cast<std::uint8_t>(parameters.size() & 0xFF)};
    out.insert(out.end(), parameters.begin(), parameters.end());
    return out;
}

// LOAD COUNT 9 and MEDIUM TYPE 00h (data).
const Bytes kAttributes = {0, 0, 0, 19, 0x00, 0x03, 0x80, 0,    8, 0, 0,   0,
                           0, 0, 0, 0,  9,    0x04, 0x08, 0x80, 0, 1, 0x00};

struct DriveHealthRig {
    FakeTransport *fake = nullptr;
    std::unique_ptr<TapeDrive> drive;

    DriveHealthRig() {
        auto transport = std::make_unique<FakeTransport>();
        fake = transport.get();
        TapeDriveOptions options;
        options.sleep = [](std::chrono::milliseconds) {};
        drive = std::make_unique<TapeDrive>(std::move(transport), std::move(options));
    }
    void refuse(std::uint8_t opcode, std::function<bool(const Command &)> matches = nullptr) {
        Reply reply = FakeTransport::senseReply(0x05, 0x24, 0x00);  // ILLEGAL REQUEST
        if (matches)
            fake->expect(opcode, std::move(matches), reply);
        else
            fake->expect(opcode, reply);
    }
};

}  // namespace

TEST_CASE("health: a drive that supports every part gives all five") {
    DriveHealthRig rig;
    rig.fake->expect(cdb::op::ReadAttribute, FakeTransport::dataReply(kAttributes));
    rig.fake->expect(cdb::op::LogSense, logPage(0x17),
                     FakeTransport::dataReply(logReply(0x17, {0x00, 0x01, 0x60, 1, 4})));
    rig.fake->expect(cdb::op::LogSense, logPage(0x02),
                     FakeTransport::dataReply(logReply(0x02, {0x00, 0x06, 0x60, 1, 2})));
    rig.fake->expect(cdb::op::LogSense, logPage(0x03),
                     FakeTransport::dataReply(logReply(0x03, {0x00, 0x03, 0x60, 1, 8})));
    rig.fake->expect(cdb::op::LogSense, logPage(0x2E),
                     FakeTransport::dataReply(logReply(0x2E, {0x00, 20, 0x40, 1, 1})));
    const DriveHealth h = rig.drive->health();
    CHECK(rig.fake->pending() == 0);
    CHECK(rig.fake->unexpected().empty());
    REQUIRE(h.attributes);
    CHECK(h.attributes->loadCount == 9);
    CHECK(h.attributes->mediumType == 0);
    REQUIRE(h.volume);
    CHECK(h.volume->threadCount == 4);
    REQUIRE(h.writeErrors);
    CHECK(h.writeErrors->uncorrected == 2);
    REQUIRE(h.readErrors);
    CHECK(h.readErrors->totalCorrected == 8);
    CHECK(h.tapeAlertFlags == (std::uint64_t{1} << 19));  // flag 20, clean now
    CHECK(h.unsupported.empty());
    CHECK(h.failed.empty());
}

TEST_CASE("health: a drive that refuses some parts names them and gives the rest") {
    DriveHealthRig rig;
    rig.refuse(cdb::op::ReadAttribute);
    rig.fake->expect(cdb::op::LogSense, logPage(0x17),
                     FakeTransport::dataReply(logReply(0x17, {0x00, 0x01, 0x60, 1, 4})));
    rig.refuse(cdb::op::LogSense, logPage(0x02));
    rig.refuse(cdb::op::LogSense, logPage(0x03));
    rig.fake->expect(cdb::op::LogSense, logPage(0x2E),
                     FakeTransport::dataReply(logReply(0x2E, {})));
    const DriveHealth h = rig.drive->health();
    CHECK(rig.fake->pending() == 0);
    CHECK_FALSE(h.attributes);
    REQUIRE(h.volume);
    CHECK(h.volume->threadCount == 4);
    CHECK_FALSE(h.writeErrors);
    CHECK_FALSE(h.readErrors);
    CHECK(h.tapeAlertFlags == 0);
    CHECK(h.unsupported == std::vector<std::string>{"attributes", "write errors", "read errors"});
    CHECK(h.failed.empty());
}

TEST_CASE("health: a drive that supports none (tgtd) gives every part unsupported") {
    DriveHealthRig rig;
    rig.refuse(cdb::op::ReadAttribute);
    for (std::uint8_t page : {0x17, 0x02, 0x03, 0x2E})
        rig.refuse(cdb::op::LogSense, logPage(page));
    const DriveHealth h = rig.drive->health();
    CHECK(rig.fake->pending() == 0);
    CHECK(rig.fake->unexpected().empty());
    CHECK(h.unsupported == std::vector<std::string>{"attributes", "volume statistics",
                                                    "write errors", "read errors", "tapealert"});
    CHECK_FALSE(h.attributes);
    CHECK_FALSE(h.volume);
    CHECK_FALSE(h.tapeAlertFlags);
    CHECK(h.failed.empty());
    // Each part alone says so too, as tapeAlerts() always has.
    DriveHealthRig one;
    one.refuse(cdb::op::LogSense, logPage(0x17));
    CHECK(one.drive->volumeStatistics().error().code() == ErrorCode::NotSupported);
}

TEST_CASE("health: a part that fails otherwise is named in failed, the others still read") {
    DriveHealthRig rig;
    // A malformed MAM reply, then a transport failure of page 17h.
    rig.fake->expect(cdb::op::ReadAttribute, FakeTransport::dataReply({0, 0}));
    rig.fake->expectError(cdb::op::LogSense, Error(ErrorCode::DeviceNotAvailable, "link down"));
    rig.refuse(cdb::op::LogSense, logPage(0x02));
    rig.refuse(cdb::op::LogSense, logPage(0x03));
    rig.fake->expect(cdb::op::LogSense, logPage(0x2E),
                     FakeTransport::dataReply(logReply(0x2E, {})));
    const DriveHealth h = rig.drive->health();
    REQUIRE(h.failed.size() == 2);
    CHECK(h.failed[0].starts_with("attributes: "));
    CHECK(h.failed[1].starts_with("volume statistics: "));
    CHECK(h.failed[1].find("link down") != std::string::npos);
    CHECK(h.unsupported == std::vector<std::string>{"write errors", "read errors"});
    CHECK(h.tapeAlertFlags == 0);
}

TEST_CASE("health: once the drive stops answering, the parts after are not asked for") {
    DriveHealthRig rig;
    rig.fake->expect(cdb::op::ReadAttribute, FakeTransport::dataReply(kAttributes));
    rig.fake->expectError(cdb::op::LogSense,
                          Error(ErrorCode::Timeout, "no answer in 60 s").unanswered());
    const DriveHealth h = rig.drive->health();
    CHECK(rig.fake->pending() == 0);
    CHECK(rig.fake->unexpected().empty());
    CHECK(rig.fake->commands().size() == 2);  // nothing sent after the timeout
    CHECK(h.attributes);
    REQUIRE(h.failed.size() == 4);
    CHECK(h.failed[0].starts_with("volume statistics: "));
    CHECK(h.failed[3] == "tapealert: not asked, the drive did not answer");
}
