// The scan of an iSCSI target's tape LUNs (sg/iscsi_scan.h) through scripted fake transports,
// one per LUN.

#include <doctest/doctest.h>

#include <map>
#include <string>
#include <vector>

#include "sg/cdb.h"
#include "sg/fake_transport.h"
#include "sg/inquiry.h"
#include "sg/iscsi_scan.h"

using namespace rsm;
using namespace rsm::sg;

namespace {

using Bytes = std::vector<std::uint8_t>;

Bytes standardInquiry(std::uint8_t byte0, const std::string &vendor, const std::string &product) {
    Bytes b = {byte0, 0x80, 0x06, 0x02, 31, 0, 0, 0};
    b.insert(b.end(), vendor.begin(), vendor.end());
    b.insert(b.end(), product.begin(), product.end());
    b.insert(b.end(), {'0', '1', '0', '4'});
    return b;
}

Bytes serialPage(const std::string &serial) {
    Bytes b = {0x01, 0x80, 0x00, static_cast<std::uint8_t>(serial.size())};
    b.insert(b.end(), serial.begin(), serial.end());
    return b;
}

bool asksSerial(const Command &c) {
    return c.cdb[1] == 0x01 && c.cdb[2] == 0x80;
}

// The LUNs a test scripts, by URL; every other LUN cannot be opened.
struct Target {
    std::map<std::string, FakeTransport> luns;
    std::vector<std::string> opened;

    LunOpener opener() {
        return [this](const std::string &url) -> Result<std::unique_ptr<Transport>> {
            opened.push_back(url);
            auto it = luns.find(url);
            if (it == luns.end())
                return Error(ErrorCode::DeviceNotAvailable, url + ": no such LUN");
            return std::unique_ptr<Transport>(std::make_unique<BorrowedTransport>(it->second));
        };
    }

    // Every scripted step used, nothing unexpected.
    void checkScriptsDone() const {
        for (const auto &lun : luns) {
            const std::string &url = lun.first;
            INFO(url);
            CHECK(lun.second.pending() == 0);
            CHECK(lun.second.unexpected().empty());
        }
    }
};

}  // namespace

TEST_CASE("iSCSI scan: the target's tape LUNs but the changer's, with vendor, model, serial") {
    const std::string base = "iscsi://127.0.0.1:3261/iqn.2024-01.org.rsm:vtl/";
    auto changer = parseIscsiUrl(base + "2");
    REQUIRE(changer.ok());
    Target target;
    // LUN 0: a tape drive whose serial number comes padded.
    target.luns[base + "0"]
        .expect(cdb::op::Inquiry,
                FakeTransport::dataReply(standardInquiry(0x01, "HP      ", "Ultrium-5-SCSI  ")))
        .expect(cdb::op::Inquiry, asksSerial, FakeTransport::dataReply(serialPage(" SN0001 \t")));
    // LUN 1: a disk; LUN 3: a tape drive the target supports but has not connected.
    target.luns[base + "1"].expect(cdb::op::Inquiry, FakeTransport::dataReply(standardInquiry(
                                                         0x00, "LIO-ORG ", "disk            ")));
    target.luns[base + "3"].expect(cdb::op::Inquiry, FakeTransport::dataReply(standardInquiry(
                                                         0x21, "IBM     ", "ULT3580-TD5     ")));
    // LUN 4: a tape drive whose serial number page is malformed: kept without a serial.
    target.luns[base + "4"]
        .expect(cdb::op::Inquiry,
                FakeTransport::dataReply(standardInquiry(0x01, "IBM     ", "ULT3580-TD5     ")))
        .expect(cdb::op::Inquiry, asksSerial, FakeTransport::dataReply({0x01, 0x83, 0x00}));

    std::vector<ScsiDevice> tapes = scanTapeLuns(*changer, target.opener());

    REQUIRE(tapes.size() == 2);
    CHECK(tapes[0].sgPath == base + "0");
    CHECK(tapes[0].peripheralType == peripheral::Tape);
    CHECK(tapes[0].vendor == "HP");
    CHECK(tapes[0].model == "Ultrium-5-SCSI");
    CHECK(tapes[0].serial == "SN0001");
    CHECK(!tapes[0].tapePath);
    CHECK(tapes[1].sgPath == base + "4");
    CHECK(tapes[1].vendor == "IBM");
    CHECK(tapes[1].model == "ULT3580-TD5");
    CHECK(tapes[1].serial.empty());
    // Every LUN up to kScannedLuns is tried, except the changer's own.
    REQUIRE(target.opened.size() == static_cast<std::size_t>(kScannedLuns - 1));
    CHECK(target.opened.front() == base + "0");
    CHECK(target.opened[2] == base + "3");
    CHECK(target.opened.back() == base + std::to_string(kScannedLuns - 1));
    target.checkScriptsDone();
}

TEST_CASE("iSCSI scan: a target with nothing but its changer has no tape drives") {
    auto changer = parseIscsiUrl("iscsi://127.0.0.1/iqn.x:lonely/0");
    REQUIRE(changer.ok());
    Target target;
    CHECK(scanTapeLuns(*changer, target.opener()).empty());
    CHECK(target.opened.size() == static_cast<std::size_t>(kScannedLuns - 1));
}
