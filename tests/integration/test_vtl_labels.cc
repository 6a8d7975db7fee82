// Media labels on tgtd's virtual tapes: each format's first block is written onto a cartridge
// through the robot and a drive (tape_labels.h), then read back as FULL inventory will —
// cartridge into a drive, TapeDrive::readFirstBlock over iSCSI, label::recognize.

#include <doctest/doctest.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sg/cdb.h"
#include "sg/open.h"
#include "sg/sense.h"
#include "src/label/label.h"
#include "tests/integration/tape_labels.h"

// Shapes are written with designated initializers naming only what differs from the defaults.
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

using namespace rsm;
using namespace rsm::sg;
using namespace rsm::test::labels;
using rsm::test::VirtualLibrary;

namespace {

using namespace std::chrono_literals;

// Forwards to the iSCSI transport and keeps what each READ(6) got back.
class Recorder : public Transport {
public:
    struct Read {
        std::uint32_t length = 0;
        std::uint8_t status = 0;
        std::size_t bytes = 0;
        std::optional<Sense> sense;
    };

    explicit Recorder(std::unique_ptr<Transport> inner) : inner_(std::move(inner)) {}
    Result<Reply> execute(const Command &command) override {
        auto reply = inner_->execute(command);
        if (reply && command.cdb.at(0) == cdb::op::Read6)
            reads_.push_back({command.allocationLength, reply->status, reply->data.size(),
                              parseSense(reply->sense)});
        return reply;
    }
    std::string describe() const override { return inner_->describe(); }
    const std::vector<Read> &reads() const { return reads_; }

private:
    std::unique_ptr<Transport> inner_;
    std::vector<Read> reads_;
};

// A drive of the library with the cartridge of `slot` loaded; moves it back when done.
class Mounted {
public:
    Mounted(const VirtualLibrary &vtl, std::uint16_t slot) : slot_(slot) {
        changer_ = test::openChanger(vtl);
        const auto drive = test::freeDrive(vtl, *changer_);
        drive_ = drive.address;
        auto moved = changer_->move(slot, drive_);
        REQUIRE_MESSAGE(moved.ok(), moved.error().toString());
        auto transport = openTransport(vtl.driveUrls()[drive.index]);
        REQUIRE_MESSAGE(transport.ok(), transport.error().toString());
        auto recorder = std::make_unique<Recorder>(std::move(*transport));
        recorder_ = recorder.get();
        tape_ = std::make_unique<TapeDrive>(std::move(recorder));
        auto ready = tape_->waitReady(30s);
        REQUIRE_MESSAGE(ready.ok(), ready.error().toString());
    }
    ~Mounted() {
        tape_.reset();
        auto back = changer_->move(drive_, slot_);
        CHECK_MESSAGE(back.ok(), back.error().toString());
    }
    Mounted(const Mounted &) = delete;
    Mounted &operator=(const Mounted &) = delete;

    TapeDrive &tape() { return *tape_; }
    const std::vector<Recorder::Read> &reads() const { return recorder_->reads(); }

private:
    std::uint16_t slot_;
    std::uint16_t drive_ = 0;
    std::unique_ptr<Changer> changer_;
    std::unique_ptr<TapeDrive> tape_;
    Recorder *recorder_ = nullptr;
};

std::vector<std::uint8_t> pattern(std::size_t n) {
    std::vector<std::uint8_t> b(n);
    for (std::size_t i = 0; i < n; ++i)
        b[i] = static_cast<std::uint8_t>(i * 13 + (i >> 9) + 1);
    return b;
}

struct LabelCase {
    std::uint16_t slot;
    Block block;
    std::string type;
    std::string id;
};

}  // namespace

TEST_CASE("vtl labels: each format written on a tape is read back and recognized") {
    VirtualLibrary lib({.slots = 10, .drives = 1, .tapes = 8});
    BaculaVolume bacula;
    bacula.volumeName = "SMC003L5";
    bacula.labelType = -2;  // VOL_LABEL
    const std::vector<LabelCase> cases = {
        {1000, ansiVol1("ABC123", "rsm-test", "operator"), "VOL1", "ABC123"},
        {1001, ltfsVol1("SMC002L5"), "LTFS", "SMC002"},
        {1002, baculaBlock(bacula), "Bacula", "SMC003L5"},
        {1003, baculaBlock(bareosVolume("Full-0001")), "Bareos", "Full-0001"},
        {1004, amandaBlock("20240315123456", "DailySet1-005"), "Amanda", "DailySet1-005"},
        {1005,
         tarBlock(TarFormat::Gnu, {{"etc/", '5', ""}, {"etc/hosts", '0', "127.0.0.1 localhost\n"}}),
         "tar", "etc/"},
        {1006, ibmVol1("XY0001", "PAYROLL"), "VOL1", "XY0001"},
    };
    for (const LabelCase &c : cases) {
        CAPTURE(c.type);
        test::writeLabel(lib, c.slot, c.block);
    }

    for (const LabelCase &c : cases) {
        CAPTURE(c.type);
        Mounted mounted(lib, c.slot);
        auto block = mounted.tape().readFirstBlock();
        REQUIRE_MESSAGE(block.ok(), block.error().toString());
        CHECK(*block == c.block);
        auto label = label::recognize(*block);
        REQUIRE_MESSAGE(label.ok(), label.error().toString());
        CHECK(label->type == c.type);
        CHECK(label->id == c.id);

        // Over iSCSI the first READ (256 KiB asked, a shorter block) ends in ILI with the data
        // lost; the second, of exactly the block's length, ends in GOOD.
        const auto &reads = mounted.reads();
        REQUIRE(reads.size() == 2);
        CHECK(reads[0].length == 256 * 1024);
        CHECK(reads[0].status == status::CheckCondition);
        CHECK(reads[0].bytes == 0);
        REQUIRE(reads[0].sense.has_value());
        CHECK(reads[0].sense->key == sense_key::NoSense);
        CHECK(reads[0].sense->incorrectLength);
        REQUIRE(reads[0].sense->information.has_value());
        CHECK(*reads[0].sense->information == 256 * 1024 - c.block.size());
        CHECK(reads[1].length == c.block.size());
        CHECK(reads[1].status == status::Good);
        CHECK(reads[1].bytes == c.block.size());
    }
}

TEST_CASE("vtl labels: a blank tape reads as empty and has no label") {
    VirtualLibrary lib({.slots = 4, .drives = 1, .tapes = 2});
    Mounted mounted(lib, 1001);
    auto block = mounted.tape().readFirstBlock();
    REQUIRE_MESSAGE(block.ok(), block.error().toString());
    CHECK(block->empty());
    auto label = label::recognize(*block);
    REQUIRE(!label.ok());
    CHECK(label.error().code() == ErrorCode::BadFormat);

    // tgtd's answer at BOT of a blank tape: BLANK CHECK with EOM, ASC/ASCQ 00/00, no
    // INFORMATION (not 00/05 END-OF-DATA DETECTED as SSC has it).
    REQUIRE(mounted.reads().size() == 1);
    const auto &read = mounted.reads()[0];
    CHECK(read.status == status::CheckCondition);
    REQUIRE(read.sense.has_value());
    CHECK(read.sense->key == sense_key::BlankCheck);
    CHECK(read.sense->endOfMedium);
    CHECK(read.sense->asc == 0x00);
    CHECK(read.sense->ascq == 0x00);
    CHECK(!read.sense->information.has_value());
}

TEST_CASE("vtl labels: a tape that starts with a filemark, and reads past the written data") {
    VirtualLibrary lib({.slots = 4, .drives = 1, .tapes = 1});
    Mounted mounted(lib, 1000);
    TapeDrive &tape = mounted.tape();
    REQUIRE(tape.rewind().ok());
    REQUIRE(tape.writeFilemarks(1).ok());
    REQUIRE(tape.writeBlock(ansiVol1("LATE01")).ok());
    REQUIRE(tape.writeFilemarks(1).ok());
    auto block = tape.readFirstBlock();
    REQUIRE_MESSAGE(block.ok(), block.error().toString());
    CHECK(block->empty());
    REQUIRE(mounted.reads().size() == 1);
    REQUIRE(mounted.reads()[0].sense.has_value());
    CHECK(mounted.reads()[0].sense->filemark);
    CHECK(mounted.reads()[0].sense->asc == 0x00);
    CHECK(mounted.reads()[0].sense->ascq == 0x01);

    // The filemark was read: the drive is now before the VOL1 block, then a filemark, then the
    // end of the data.
    auto label = tape.transport().execute(cdb::read6Variable(80));
    REQUIRE(label.ok());
    CHECK(label->status == status::Good);
    CHECK(label->data == ansiVol1("LATE01"));
    auto filemark = tape.transport().execute(cdb::read6Variable(80));
    REQUIRE(filemark.ok());
    auto fm = parseSense(filemark->sense);
    REQUIRE(fm.has_value());
    CHECK(fm->filemark);
    auto end = tape.transport().execute(cdb::read6Variable(80));
    REQUIRE(end.ok());
    CHECK(end->status == status::CheckCondition);
    auto eod = parseSense(end->sense);
    REQUIRE(eod.has_value());
    CHECK(eod->key == sense_key::BlankCheck);
    CHECK(eod->endOfMedium);
}

TEST_CASE("vtl labels: first blocks of every size come back whole over iSCSI") {
    VirtualLibrary lib({.slots = 4, .drives = 1, .tapes = 1});
    Mounted mounted(lib, 1000);
    TapeDrive &tape = mounted.tape();
    constexpr std::uint32_t maxLength = 256 * 1024;
    for (std::size_t n : {1u, 3u, 4u, 80u, 512u, 1024u, 10240u, 32768u, 65536u, 262143u, 262144u,
                          262145u, 1048576u, 4194304u}) {
        CAPTURE(n);
        const auto data = pattern(n);
        REQUIRE(tape.rewind().ok());
        auto written = tape.writeBlock(data);
        REQUIRE_MESSAGE(written.ok(), written.error().toString());
        REQUIRE(tape.writeFilemarks(1).ok());
        auto block = tape.readFirstBlock(maxLength);
        REQUIRE_MESSAGE(block.ok(), block.error().toString());
        const std::size_t expected = std::min<std::size_t>(n, maxLength);
        CHECK(block->size() == expected);
        CHECK(*block == std::vector<std::uint8_t>(data.begin(), data.begin() + expected));
    }
}
