#include <doctest/doctest.h>

#include <chrono>
#include <memory>
#include <optional>
#include <vector>

#include "sg/cdb.h"
#include "sg/fake_transport.h"
#include "sg/sense.h"
#include "sg/tape_drive.h"
#include "tests/sg/tape_model.h"

using namespace rsm;
using namespace rsm::sg;
using std::chrono::milliseconds;

namespace {

// A TapeDrive over a FakeTransport, with a sleeper that records instead of sleeping.
struct Rig {
    FakeTransport *fake = nullptr;
    std::shared_ptr<std::vector<milliseconds>> sleeps =
        std::make_shared<std::vector<milliseconds>>();
    std::unique_ptr<TapeDrive> drive;

    explicit Rig(TapeDriveOptions options = {}) {
        auto transport = std::make_unique<FakeTransport>();
        fake = transport.get();
        options.sleep = [sleeps = sleeps](milliseconds d) { sleeps->push_back(d); };
        drive = std::make_unique<TapeDrive>(std::move(transport), std::move(options));
    }

    // Every scripted step used, nothing unexpected.
    void checkScriptDone() const {
        CHECK(fake->pending() == 0);
        CHECK(fake->unexpected().empty());
    }
};

Reply streamSense(std::uint8_t key, std::uint8_t asc, std::uint8_t ascq, bool filemark, bool ili,
                  std::optional<std::int32_t> information = std::nullopt) {
    return sg::test::streamSenseReply(key, asc, ascq, filemark, ili, information);
}

std::vector<std::uint8_t> block(std::size_t n) {
    std::vector<std::uint8_t> b(n);
    for (std::size_t i = 0; i < n; ++i)
        b[i] = static_cast<std::uint8_t>(i * 7 + 1);
    return b;
}

std::uint32_t read6Length(const Command &c) {
    return static_cast<std::uint32_t>(c.cdb[2] << 16 | c.cdb[3] << 8 | c.cdb[4]);
}

}  // namespace

TEST_CASE("TapeDrive: TEST UNIT READY on a ready drive") {
    Rig rig;
    rig.fake->expect(cdb::op::TestUnitReady, Reply{});
    CHECK(rig.drive->testUnitReady().ok());
    rig.checkScriptDone();
    CHECK(rig.sleeps->empty());
}

TEST_CASE("TapeDrive: no medium is MEDIA_NOT_AVAILABLE with the sense record") {
    Rig rig;
    rig.fake->expectSense(cdb::op::TestUnitReady, sense_key::NotReady, 0x3A, 0x02);
    auto ready = rig.drive->testUnitReady();
    REQUIRE(!ready.ok());
    CHECK(ready.error().code() == ErrorCode::MediaNotAvailable);
    CHECK(ready.error().message() == "no medium in fake");
    REQUIRE(ready.error().sense().has_value());
    CHECK(*ready.error().sense() == SenseRecord{2, 0x3A, 0x02});
    rig.checkScriptDone();
}

TEST_CASE("TapeDrive: a drive becoming ready is waited for") {
    Rig rig;
    rig.fake->expectSense(cdb::op::TestUnitReady, sense_key::NotReady, 0x04, 0x01)
        .expectSense(cdb::op::TestUnitReady, sense_key::NotReady, 0x04, 0x01)
        .expect(cdb::op::TestUnitReady, Reply{});
    CHECK(rig.drive->testUnitReady().ok());
    rig.checkScriptDone();
    CHECK(*rig.sleeps == std::vector<milliseconds>{milliseconds(1'000), milliseconds(1'000)});
}

TEST_CASE("TapeDrive: UNIT ATTENTION is repeated") {
    Rig rig;
    rig.fake->expectSense(cdb::op::TestUnitReady, sense_key::UnitAttention, 0x29, 0x00)
        .expectSense(cdb::op::TestUnitReady, sense_key::UnitAttention, 0x28, 0x00)
        .expect(cdb::op::TestUnitReady, Reply{});
    CHECK(rig.drive->testUnitReady().ok());
    rig.checkScriptDone();
    CHECK(rig.fake->commands().size() == 3);
}

TEST_CASE("TapeDrive: waitReady polls until the medium is there") {
    Rig rig;
    rig.fake->expectSense(cdb::op::TestUnitReady, sense_key::NotReady, 0x3A, 0x00)
        .expectSense(cdb::op::TestUnitReady, sense_key::NotReady, 0x3A, 0x00)
        .expectSense(cdb::op::TestUnitReady, sense_key::NotReady, 0x04, 0x01)
        .expect(cdb::op::TestUnitReady, Reply{});
    CHECK(rig.drive->waitReady(milliseconds(60'000)).ok());
    rig.checkScriptDone();
    CHECK(rig.sleeps->size() == 3);  // two between polls, one inside the becoming-ready wait
    for (auto d : *rig.sleeps)
        CHECK(d == milliseconds(1'000));
}

TEST_CASE("TapeDrive: waitReady gives up with TIMEOUT") {
    SUBCASE("no medium, ever") {
        Rig rig;
        for (int i = 0; i < 4; ++i)
            rig.fake->expectSense(cdb::op::TestUnitReady, sense_key::NotReady, 0x3A, 0x00);
        auto ready = rig.drive->waitReady(milliseconds(3'000));
        REQUIRE(!ready.ok());
        CHECK(ready.error().code() == ErrorCode::Timeout);
        CHECK(ready.error().message() == "fake not ready after 3 s: no medium in fake");
        REQUIRE(ready.error().sense().has_value());
        CHECK(*ready.error().sense() == SenseRecord{2, 0x3A, 0x00});
        rig.checkScriptDone();
        CHECK(rig.sleeps->size() == 3);
    }
    SUBCASE("becoming ready for longer than the timeout") {
        Rig rig;
        for (int i = 0; i < 3; ++i)
            rig.fake->expectSense(cdb::op::TestUnitReady, sense_key::NotReady, 0x04, 0x01);
        auto ready = rig.drive->waitReady(milliseconds(2'000));
        REQUIRE(!ready.ok());
        CHECK(ready.error().code() == ErrorCode::Timeout);
        CHECK(ready.error().message().starts_with("fake not ready after 2 s: "));
        rig.checkScriptDone();
        CHECK(rig.sleeps->size() == 2);  // the runner's wait is cut to waitReady's deadline
    }
}

TEST_CASE("TapeDrive: waitReady stops at once on a hard failure") {
    Rig rig;
    rig.fake->expectSense(cdb::op::TestUnitReady, sense_key::HardwareError, 0x44, 0x00);
    auto ready = rig.drive->waitReady(milliseconds(60'000));
    REQUIRE(!ready.ok());
    CHECK(ready.error().code() != ErrorCode::Timeout);
    REQUIRE(ready.error().sense().has_value());
    CHECK(*ready.error().sense() == SenseRecord{4, 0x44, 0x00});
    CHECK(rig.sleeps->empty());
    rig.checkScriptDone();
}

TEST_CASE("TapeDrive: readFirstBlock rewinds, then reads one variable block") {
    TapeDriveOptions options;
    options.rewindTimeout = milliseconds(111'000);
    options.readTimeout = milliseconds(222'000);
    Rig rig(options);
    const auto label = block(80);

    SUBCASE("a block of exactly the length asked") {
        rig.fake->expect(cdb::op::Rewind, Reply{})
            .expect(cdb::op::Read6, FakeTransport::dataReply(label));
        auto data = rig.drive->readFirstBlock(80);
        REQUIRE(data.ok());
        CHECK(*data == label);
        rig.checkScriptDone();
        const auto &commands = rig.fake->commands();
        REQUIRE(commands.size() == 2);
        CHECK(commands[0].timeout == milliseconds(111'000));
        CHECK(commands[1].timeout == milliseconds(222'000));
        CHECK(read6Length(commands[1]) == 80);
        CHECK((commands[1].cdb[1] & 0x01) == 0);  // variable-block mode
        CHECK(commands[1].direction == Direction::FromDevice);
        CHECK(commands[1].allocationLength == 80);
    }
    SUBCASE("a shorter block: ILI with a positive residue") {
        Reply reply = streamSense(sense_key::NoSense, 0, 0, false, true, 1024 - 80);
        reply.data = label;
        rig.fake->expect(cdb::op::Rewind, Reply{}).expect(cdb::op::Read6, reply);
        auto data = rig.drive->readFirstBlock(1024);
        REQUIRE(data.ok());
        CHECK(*data == label);
        rig.checkScriptDone();
    }
    SUBCASE("a shorter block from a transport that did not cut the buffer") {
        Reply reply = streamSense(sense_key::NoSense, 0, 0, false, true, 1024 - 80);
        reply.data = block(1024);
        rig.fake->expect(cdb::op::Rewind, Reply{}).expect(cdb::op::Read6, reply);
        auto data = rig.drive->readFirstBlock(1024);
        REQUIRE(data.ok());
        CHECK(*data == label);
    }
    SUBCASE("a block longer than asked: ILI with a negative residue gives the bytes received") {
        Reply reply = streamSense(sense_key::NoSense, 0, 0, false, true, 64 - 80);
        reply.data = std::vector<std::uint8_t>(label.begin(), label.begin() + 64);
        rig.fake->expect(cdb::op::Rewind, Reply{}).expect(cdb::op::Read6, reply);
        auto data = rig.drive->readFirstBlock(64);
        REQUIRE(data.ok());
        CHECK(*data == std::vector<std::uint8_t>(label.begin(), label.begin() + 64));
        rig.checkScriptDone();
        CHECK(read6Length(rig.fake->commands()[1]) == 64);
    }
    SUBCASE("a longer block, descriptor-format sense") {
        Reply reply;
        reply.status = status::CheckCondition;
        reply.sense = {0x72, 0x00, 0x00, 0x00, 0, 0, 0, 16,
                       // information descriptor, VALID, -16
                       0x00, 0x0A, 0x80, 0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xF0,
                       // stream commands descriptor, ILI
                       0x04, 0x02, 0x00, 0x20};
        reply.data = std::vector<std::uint8_t>(label.begin(), label.begin() + 64);
        rig.fake->expect(cdb::op::Rewind, Reply{}).expect(cdb::op::Read6, reply);
        auto data = rig.drive->readFirstBlock(64);
        REQUIRE(data.ok());
        CHECK(data->size() == 64);
    }
    SUBCASE("a filemark at BOT: an empty first file") {
        rig.fake->expect(cdb::op::Rewind, Reply{})
            .expect(cdb::op::Read6, streamSense(sense_key::NoSense, 0x00, 0x01, true, false, 1024));
        auto data = rig.drive->readFirstBlock(1024);
        REQUIRE(data.ok());
        CHECK(data->empty());
        rig.checkScriptDone();
    }
    SUBCASE("a blank tape: BLANK CHECK, end of data") {
        rig.fake->expect(cdb::op::Rewind, Reply{})
            .expectSense(cdb::op::Read6, sense_key::BlankCheck, 0x00, 0x05);
        auto data = rig.drive->readFirstBlock(1024);
        REQUIRE(data.ok());
        CHECK(data->empty());
        rig.checkScriptDone();
    }
    SUBCASE("a medium error is an error") {
        rig.fake->expect(cdb::op::Rewind, Reply{})
            .expectSense(cdb::op::Read6, sense_key::MediumError, 0x11, 0x00);
        auto data = rig.drive->readFirstBlock(1024);
        REQUIRE(!data.ok());
        REQUIRE(data.error().sense().has_value());
        CHECK(*data.error().sense() == SenseRecord{3, 0x11, 0x00});
        rig.checkScriptDone();
    }
}

TEST_CASE("TapeDrive: readFirstBlock reads again when the transport lost the data of an ILI") {
    Rig rig;
    const auto label = block(80);
    auto lengthIs = [](std::uint32_t n) {
        return [n](const Command &c) { return read6Length(c) == n && c.allocationLength == n; };
    };

    SUBCASE("a shorter block: sense only, then exactly the block's length with GOOD") {
        rig.fake->expect(cdb::op::Rewind, Reply{})
            .expect(cdb::op::Read6, lengthIs(1024),
                    streamSense(sense_key::NoSense, 0, 0, false, true, 1024 - 80))
            .expect(cdb::op::Rewind, Reply{})
            .expect(cdb::op::Read6, lengthIs(80), FakeTransport::dataReply(label));
        auto data = rig.drive->readFirstBlock(1024);
        REQUIRE_MESSAGE(data.ok(), data.error().toString());
        CHECK(*data == label);
        rig.checkScriptDone();
    }
    SUBCASE("a shorter block of which only part came back") {
        Reply partial = streamSense(sense_key::NoSense, 0, 0, false, true, 1024 - 80);
        partial.data = std::vector<std::uint8_t>(label.begin(), label.begin() + 18);
        rig.fake->expect(cdb::op::Rewind, Reply{})
            .expect(cdb::op::Read6, lengthIs(1024), partial)
            .expect(cdb::op::Rewind, Reply{})
            .expect(cdb::op::Read6, lengthIs(80), FakeTransport::dataReply(label));
        auto data = rig.drive->readFirstBlock(1024);
        REQUIRE(data.ok());
        CHECK(*data == label);
        rig.checkScriptDone();
    }
    SUBCASE("a longer block: read whole, then cut to maxLength") {
        rig.fake->expect(cdb::op::Rewind, Reply{})
            .expect(cdb::op::Read6, lengthIs(64),
                    streamSense(sense_key::NoSense, 0, 0, false, true, 64 - 80))
            .expect(cdb::op::Rewind, Reply{})
            .expect(cdb::op::Read6, lengthIs(80), FakeTransport::dataReply(label));
        auto data = rig.drive->readFirstBlock(64);
        REQUIRE(data.ok());
        CHECK(*data == std::vector<std::uint8_t>(label.begin(), label.begin() + 64));
        rig.checkScriptDone();
    }
    SUBCASE("the second read returns another length: an error, not a wrong label") {
        rig.fake->expect(cdb::op::Rewind, Reply{})
            .expect(cdb::op::Read6, streamSense(sense_key::NoSense, 0, 0, false, true, 944))
            .expect(cdb::op::Rewind, Reply{})
            .expect(cdb::op::Read6, FakeTransport::dataReply(block(79)));
        auto data = rig.drive->readFirstBlock(1024);
        REQUIRE(!data.ok());
        CHECK(data.error().code() == ErrorCode::DeviceNotAvailable);
        CHECK(data.error().message() ==
              "READ(6) on fake: the first block is 80 bytes long, but a read of that length "
              "returned 79 bytes");
        rig.checkScriptDone();
    }
    SUBCASE("the second read ends in ILI again") {
        rig.fake->expect(cdb::op::Rewind, Reply{})
            .expect(cdb::op::Read6, streamSense(sense_key::NoSense, 0, 0, false, true, 944))
            .expect(cdb::op::Rewind, Reply{})
            .expect(cdb::op::Read6, streamSense(sense_key::NoSense, 0, 0, false, true, 10));
        auto data = rig.drive->readFirstBlock(1024);
        REQUIRE(!data.ok());
        CHECK(data.error().code() == ErrorCode::DeviceNotAvailable);
        REQUIRE(data.error().sense().has_value());
        CHECK(*data.error().sense() == SenseRecord{0, 0, 0});
        rig.checkScriptDone();
    }
    SUBCASE("the rewind before the second read fails") {
        rig.fake->expect(cdb::op::Rewind, Reply{})
            .expect(cdb::op::Read6, streamSense(sense_key::NoSense, 0, 0, false, true, 944))
            .expectSense(cdb::op::Rewind, sense_key::HardwareError, 0x44, 0x00);
        auto data = rig.drive->readFirstBlock(1024);
        REQUIRE(!data.ok());
        REQUIRE(data.error().sense().has_value());
        CHECK(*data.error().sense() == SenseRecord{4, 0x44, 0x00});
        rig.checkScriptDone();
    }
    SUBCASE("ILI without INFORMATION and without data") {
        rig.fake->expect(cdb::op::Rewind, Reply{})
            .expect(cdb::op::Read6, streamSense(sense_key::NoSense, 0, 0, false, true));
        auto data = rig.drive->readFirstBlock(1024);
        REQUIRE(!data.ok());
        CHECK(data.error().code() == ErrorCode::DeviceNotAvailable);
        CHECK(data.error().message() ==
              "READ(6) on fake: incorrect length without the block's length");
        rig.checkScriptDone();
    }
    SUBCASE("ILI without INFORMATION, with data: the data") {
        Reply reply = streamSense(sense_key::NoSense, 0, 0, false, true);
        reply.data = label;
        rig.fake->expect(cdb::op::Rewind, Reply{}).expect(cdb::op::Read6, reply);
        auto data = rig.drive->readFirstBlock(1024);
        REQUIRE(data.ok());
        CHECK(*data == label);
        rig.checkScriptDone();
    }
    SUBCASE("a residue that leaves no block, or one past 24 bits, is refused") {
        for (std::int32_t residue : {1024, 1025, 1024 - 0x1000000}) {
            CAPTURE(residue);
            rig.fake->expect(cdb::op::Rewind, Reply{})
                .expect(cdb::op::Read6,
                        streamSense(sense_key::NoSense, 0, 0, false, true, residue));
            auto data = rig.drive->readFirstBlock(1024);
            REQUIRE(!data.ok());
            CHECK(data.error().code() == ErrorCode::DeviceNotAvailable);
            CHECK(data.error().message().starts_with(
                "READ(6) on fake: the drive gives the first block a length of "));
        }
        rig.checkScriptDone();
    }
}

TEST_CASE("TapeDrive: writeBlock sends WRITE(6) in variable-block mode") {
    TapeDriveOptions options;
    options.writeTimeout = milliseconds(444'000);
    Rig rig(options);
    const auto data = block(80);

    SUBCASE("one block") {
        rig.fake->expect(cdb::op::Write6, Reply{});
        CHECK(rig.drive->writeBlock(data).ok());
        rig.checkScriptDone();
        const Command &c = rig.fake->commands().at(0);
        CHECK(c.cdb == std::vector<std::uint8_t>{0x0A, 0, 0, 0, 80, 0});
        CHECK(c.direction == Direction::ToDevice);
        CHECK(c.dataOut == data);
        CHECK(c.timeout == milliseconds(444'000));
    }
    SUBCASE("early warning (NO SENSE, EOM) is a block written") {
        Reply warning = streamSense(sense_key::NoSense, 0x00, 0x02, false, false);
        warning.sense[2] |= 0x40;  // EOM
        rig.fake->expect(cdb::op::Write6, warning);
        CHECK(rig.drive->writeBlock(data).ok());
        rig.checkScriptDone();
    }
    SUBCASE("a write-protected cartridge") {
        rig.fake->expectSense(cdb::op::Write6, sense_key::DataProtect, 0x27, 0x00);
        auto written = rig.drive->writeBlock(data);
        REQUIRE(!written.ok());
        CHECK(written.error().code() == ErrorCode::WriteProtect);
        REQUIRE(written.error().sense().has_value());
        CHECK(*written.error().sense() == SenseRecord{7, 0x27, 0x00});
        rig.checkScriptDone();
    }
    SUBCASE("end of partition: VOLUME OVERFLOW is an error") {
        rig.fake->expectSense(cdb::op::Write6, 0x0D, 0x00, 0x02);
        CHECK(!rig.drive->writeBlock(data).ok());
        rig.checkScriptDone();
    }
    SUBCASE("no block, or one longer than 24 bits, is refused without a command") {
        auto empty = rig.drive->writeBlock({});
        REQUIRE(!empty.ok());
        CHECK(empty.error().code() == ErrorCode::InvalidParameter);
        const std::vector<std::uint8_t> huge(0x1000000, 0);
        auto tooLong = rig.drive->writeBlock(huge);
        REQUIRE(!tooLong.ok());
        CHECK(tooLong.error().code() == ErrorCode::InvalidParameter);
        CHECK(tooLong.error().message() ==
              "WRITE(6) on fake: a block of 16777216 bytes (1 to 16777215 can be written)");
        CHECK(rig.fake->commands().empty());
    }
}

TEST_CASE("TapeDrive: writeFilemarks") {
    TapeDriveOptions options;
    options.writeTimeout = milliseconds(555'000);
    Rig rig(options);
    rig.fake->expect(cdb::op::WriteFilemarks6, Reply{})
        .expect(cdb::op::WriteFilemarks6, Reply{})
        .expectSense(cdb::op::WriteFilemarks6, sense_key::DataProtect, 0x27, 0x00);
    CHECK(rig.drive->writeFilemarks(1).ok());
    CHECK(rig.drive->writeFilemarks(0).ok());
    auto protectedTape = rig.drive->writeFilemarks(2);
    REQUIRE(!protectedTape.ok());
    CHECK(protectedTape.error().code() == ErrorCode::WriteProtect);
    rig.checkScriptDone();
    const auto &commands = rig.fake->commands();
    REQUIRE(commands.size() == 3);
    CHECK(commands[0].cdb == std::vector<std::uint8_t>{0x10, 0, 0, 0, 1, 0});
    CHECK(commands[1].cdb == std::vector<std::uint8_t>{0x10, 0, 0, 0, 0, 0});
    CHECK(commands[2].cdb == std::vector<std::uint8_t>{0x10, 0, 0, 0, 2, 0});
    CHECK(commands[0].timeout == milliseconds(555'000));

    for (int bad : {-1, 0x1000000}) {
        auto refused = rig.drive->writeFilemarks(bad);
        REQUIRE(!refused.ok());
        CHECK(refused.error().code() == ErrorCode::InvalidParameter);
    }
    CHECK(rig.fake->commands().size() == 3);
}

TEST_CASE("TapeDrive: a rewind failure stops readFirstBlock with the sense record") {
    Rig rig;
    rig.fake->expectSense(cdb::op::Rewind, sense_key::HardwareError, 0x44, 0x00);
    auto data = rig.drive->readFirstBlock();
    REQUIRE(!data.ok());
    CHECK(data.error().code() == ErrorCode::DeviceNotAvailable);
    REQUIRE(data.error().sense().has_value());
    CHECK(*data.error().sense() == SenseRecord{4, 0x44, 0x00});
    CHECK(rig.fake->commands().size() == 1);  // no READ after a failed REWIND
    rig.checkScriptDone();
}

TEST_CASE("TapeDrive: readFirstBlock refuses a zero length and caps READ(6) at 24 bits") {
    Rig rig;
    auto none = rig.drive->readFirstBlock(0);
    REQUIRE(!none.ok());
    CHECK(none.error().code() == ErrorCode::InvalidParameter);
    CHECK(rig.fake->commands().empty());

    rig.fake->expect(cdb::op::Rewind, Reply{})
        .expect(cdb::op::Read6, FakeTransport::dataReply(block(10)));
    auto data = rig.drive->readFirstBlock(0x2000000);
    REQUIRE(data.ok());
    CHECK(data->size() == 10);
    CHECK(read6Length(rig.fake->commands()[1]) == 0xFFFFFF);
}

TEST_CASE("TapeDrive: load and unload use SSC LOAD/UNLOAD with the load timeout") {
    TapeDriveOptions options;
    options.loadTimeout = milliseconds(333'000);
    Rig rig(options);
    rig.fake
        ->expect(
            cdb::op::StartStopUnit, [](const Command &c) { return (c.cdb[4] & 0x01) == 1; },
            Reply{})
        .expect(
            cdb::op::StartStopUnit, [](const Command &c) { return (c.cdb[4] & 0x01) == 0; },
            Reply{})
        .expectSense(cdb::op::StartStopUnit, sense_key::IllegalRequest, 0x53, 0x02);
    CHECK(rig.drive->load().ok());
    CHECK(rig.drive->unload().ok());
    auto prevented = rig.drive->unload();
    REQUIRE(!prevented.ok());
    CHECK(prevented.error().code() == ErrorCode::UnableToEjectMountedMedia);
    rig.checkScriptDone();
    for (const auto &c : rig.fake->commands())
        CHECK(c.timeout == milliseconds(333'000));
}

TEST_CASE("TapeDrive: inquiry and serial number") {
    Rig rig;
    std::vector<std::uint8_t> inquiry(36, ' ');
    inquiry[0] = 0x01;
    inquiry[1] = 0x80;
    inquiry[2] = 0x06;
    inquiry[3] = 0x02;
    inquiry[4] = 31;
    inquiry[5] = inquiry[6] = inquiry[7] = 0;
    const std::string ident = "IBM     ULT3580-TD5     C7R3";
    std::copy(ident.begin(), ident.end(), inquiry.begin() + 8);
    const std::string serial = "1013000654";
    std::vector<std::uint8_t> vpd{0x01, 0x80, 0x00, static_cast<std::uint8_t>(serial.size())};
    for (char c : serial)
        vpd.push_back(static_cast<std::uint8_t>(c));

    rig.fake->expect(cdb::op::Inquiry, FakeTransport::dataReply(inquiry))
        .expect(
            cdb::op::Inquiry, [](const Command &c) { return c.cdb[1] == 0x01 && c.cdb[2] == 0x80; },
            FakeTransport::dataReply(vpd))
        .expect(cdb::op::Inquiry, FakeTransport::dataReply({0x01, 0x83, 0x00}));
    auto inq = rig.drive->inquiry();
    REQUIRE(inq.ok());
    CHECK(inq->peripheralType == 1);
    CHECK(inq->vendor == "IBM     ");
    CHECK(inq->product == "ULT3580-TD5     ");
    auto sn = rig.drive->serialNumber();
    REQUIRE(sn.ok());
    CHECK(*sn == "1013000654");
    auto bad = rig.drive->serialNumber();
    REQUIRE(!bad.ok());
    CHECK(bad.error().code() == ErrorCode::BadFormat);
    CHECK(bad.error().message().starts_with("unit serial number of fake: "));
    rig.checkScriptDone();
}
