// TapeDrive's block I/O against a simulated drive (TapeModel) instead of a script: every block
// length around the one asked for, on a transport that keeps the data of a CHECK CONDITION
// (SG_IO) and on one that loses it (libiscsi).

#include <doctest/doctest.h>

#include <cstdint>
#include <memory>
#include <vector>

#include "sg/cdb.h"
#include "sg/tape_drive.h"
#include "tests/sg/tape_model.h"

using namespace rsm;
using namespace rsm::sg;
using rsm::sg::test::TapeModel;

namespace {

struct ModelRig {
    TapeModel *model = nullptr;
    std::unique_ptr<TapeDrive> drive;

    explicit ModelRig(bool losesData) {
        auto transport = std::make_unique<TapeModel>(losesData);
        model = transport.get();
        TapeDriveOptions options;
        options.sleep = [](std::chrono::milliseconds) {};
        drive = std::make_unique<TapeDrive>(std::move(transport), std::move(options));
    }

    std::size_t reads() const {
        std::size_t n = 0;
        for (auto op : model->opcodes())
            n += op == cdb::op::Read6 ? 1 : 0;
        return n;
    }
};

std::vector<std::uint8_t> pattern(std::size_t n, unsigned seed) {
    std::vector<std::uint8_t> b(n);
    for (std::size_t i = 0; i < n; ++i)
        b[i] = static_cast<std::uint8_t>((i * 31 + seed) ^ (i >> 8));
    return b;
}

}  // namespace

TEST_CASE("TapeDrive: the first block of every length comes back whole (or cut to maxLength)") {
    constexpr std::uint32_t maxLength = 1024;
    for (bool losesData : {false, true}) {
        for (std::size_t length :
             {1u, 2u, 79u, 80u, 81u, 512u, 1023u, 1024u, 1025u, 2048u, 32768u, 65536u}) {
            CAPTURE(losesData);
            CAPTURE(length);
            ModelRig rig(losesData);
            const auto block = pattern(length, static_cast<unsigned>(length));
            REQUIRE(rig.drive->writeBlock(block).ok());
            REQUIRE(rig.drive->writeFilemarks(1).ok());
            REQUIRE(rig.model->tape().size() == 2);

            auto data = rig.drive->readFirstBlock(maxLength);
            REQUIRE_MESSAGE(data.ok(), data.error().toString());
            const std::size_t expected = std::min<std::size_t>(length, maxLength);
            CHECK(*data == std::vector<std::uint8_t>(block.begin(), block.begin() + expected));
            // One READ when the block is exactly as long as asked or the transport kept the
            // data; a second one, of exactly the block's length, when it lost it.
            const bool again = losesData && length != maxLength;
            CHECK(rig.reads() == (again ? 2u : 1u));
            if (again)
                CHECK(rig.model->readLengths().back() == length);
            CHECK(rig.model->tape().size() == 2);  // reading changed nothing on the tape
        }
    }
}

TEST_CASE("TapeDrive: a filemark or nothing at BOT reads as an empty block") {
    for (bool losesData : {false, true}) {
        CAPTURE(losesData);
        SUBCASE("blank tape") {
            ModelRig rig(losesData);
            auto data = rig.drive->readFirstBlock();
            REQUIRE_MESSAGE(data.ok(), data.error().toString());
            CHECK(data->empty());
            CHECK(rig.reads() == 1);
        }
        SUBCASE("a filemark first") {
            ModelRig rig(losesData);
            REQUIRE(rig.drive->writeFilemarks(1).ok());
            REQUIRE(rig.drive->writeBlock(pattern(80, 1)).ok());
            auto data = rig.drive->readFirstBlock();
            REQUIRE(data.ok());
            CHECK(data->empty());
            CHECK(rig.reads() == 1);
        }
    }
}

TEST_CASE("TapeDrive: writing at BOT replaces what the tape held") {
    ModelRig rig(true);
    rig.model->setTape({pattern(100, 1), std::nullopt, pattern(200, 2), std::nullopt});
    auto old = rig.drive->readFirstBlock();
    REQUIRE(old.ok());
    CHECK(*old == pattern(100, 1));

    REQUIRE(rig.drive->rewind().ok());
    REQUIRE(rig.drive->writeBlock(pattern(80, 3)).ok());
    REQUIRE(rig.drive->writeFilemarks(1).ok());
    CHECK(rig.model->tape().size() == 2);
    auto now = rig.drive->readFirstBlock();
    REQUIRE(now.ok());
    CHECK(*now == pattern(80, 3));
}
