// The scan of an iSCSI target's tape LUNs (sg/iscsi_scan.h) through scripted fake transports,
// one per LUN: INQUIRY, then VPD pages 80h (serial number) and 83h (designators).

#include <doctest/doctest.h>

#include <algorithm>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "sg/cdb.h"
#include "sg/fake_transport.h"
#include "sg/inquiry.h"
#include "sg/iscsi_scan.h"
#include "sg/vpd.h"
#include "tests/sg/smc_reply.h"

using namespace rsm;
using namespace rsm::sg;
using rsm::test::fromHex;

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

// VPD page 83h of tgtd 1.0.85's tape LUN 1: a T10 vendor identification, NAA 3 and NAA 6.
constexpr const char *kTgtdDesignators =
    "01 83 00 48 02 01 00 24 49 45 54 20 20 20 20 20 30 30 30 31 30 30 30 31 00 00 00 00"
    "00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 01 03 00 08 30 00 00 01 00 00 00 01"
    "01 03 00 10 60 00 00 00 00 00 00 00 0e 00 00 00 00 01 00 01";

bool asksSerial(const Command &c) {
    return c.cdb[1] == 0x01 && c.cdb[2] == 0x80;
}

bool asksDesignators(const Command &c) {
    return c.cdb[1] == 0x01 && c.cdb[2] == 0x83;
}

// Asks for page 83h with this allocation length.
std::function<bool(const Command &)> asksDesignatorsWith(std::uint16_t allocation) {
    return [allocation](const Command &c) {
        return asksDesignators(c) && c.allocationLength == allocation &&
               (c.cdb[3] << 8 | c.cdb[4]) == allocation;
    };
}

// A page 83h of `count` NAA 6 names (20 bytes each), cut to `received` bytes.
Bytes longDesignatorPage(std::size_t count, std::size_t received) {
    Bytes b = {0x01, 0x83, 0, 0};
    for (std::size_t i = 0; i < count; ++i) {
        b.insert(b.end(), {0x01, 0x03, 0x00, 0x10, 0x60});
        b.insert(b.end(), 14, 0x00);
        b.push_back(static_cast<std::uint8_t>(i));
    }
    b[2] = static_cast<std::uint8_t>((b.size() - 4) >> 8);
    b[3] = static_cast<std::uint8_t>(b.size() - 4);
    b.resize(std::min(received, b.size()));
    return b;
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

TEST_CASE("iSCSI scan: the target's tape LUNs but the changer's, with their identities") {
    const std::string base = "iscsi://127.0.0.1:3261/iqn.2024-01.org.rsm:vtl/";
    auto changer = parseIscsiUrl(base + "2");
    REQUIRE(changer.ok());
    Target target;
    // LUN 0: a tape drive whose serial number comes padded.
    target.luns[base + "0"]
        .expect(cdb::op::Inquiry,
                FakeTransport::dataReply(standardInquiry(0x01, "HP      ", "Ultrium-5-SCSI  ")))
        .expect(cdb::op::Inquiry, asksSerial, FakeTransport::dataReply(serialPage(" SN0001 \t")))
        .expect(cdb::op::Inquiry, asksDesignatorsWith(252),
                FakeTransport::dataReply(fromHex(kTgtdDesignators)));
    // LUN 1: a disk; LUN 3: a tape drive the target supports but has not connected.
    target.luns[base + "1"].expect(cdb::op::Inquiry, FakeTransport::dataReply(standardInquiry(
                                                         0x00, "LIO-ORG ", "disk            ")));
    target.luns[base + "3"].expect(cdb::op::Inquiry, FakeTransport::dataReply(standardInquiry(
                                                         0x21, "IBM     ", "ULT3580-TD5     ")));
    // LUN 4: a tape drive whose serial number page is malformed and which refuses page 83h
    // (ILLEGAL REQUEST, INVALID FIELD IN CDB): kept without a serial or designators.
    target.luns[base + "4"]
        .expect(cdb::op::Inquiry,
                FakeTransport::dataReply(standardInquiry(0x01, "IBM     ", "ULT3580-TD5     ")))
        .expect(cdb::op::Inquiry, asksSerial, FakeTransport::dataReply({0x01, 0x83, 0x00}))
        .expect(cdb::op::Inquiry, asksDesignators, FakeTransport::senseReply(0x05, 0x24, 0x00));
    // LUN 5: a tape drive that refuses page 80h and sends a malformed page 83h.
    target.luns[base + "5"]
        .expect(cdb::op::Inquiry,
                FakeTransport::dataReply(standardInquiry(0x01, "IBM     ", "ULT3580-TD6     ")))
        .expect(cdb::op::Inquiry, asksSerial, FakeTransport::senseReply(0x05, 0x24, 0x00))
        .expect(cdb::op::Inquiry, asksDesignators,
                FakeTransport::dataReply(fromHex("01 83 00 08 01 03 00 08 50 01 02 03")));

    std::vector<ScsiDevice> tapes = scanTapeLuns(*changer, target.opener());

    REQUIRE(tapes.size() == 3);
    CHECK(tapes[0].sgPath == base + "0");
    CHECK(tapes[0].peripheralType == peripheral::Tape);
    CHECK(tapes[0].vendor == "HP");
    CHECK(tapes[0].model == "Ultrium-5-SCSI");
    CHECK(tapes[0].serial == "SN0001");
    REQUIRE(tapes[0].designators.size() == 3);
    CHECK(tapes[0].designators[0].type == designator_type::T10VendorId);
    CHECK(designatorText(tapes[0].designators[0]) == "IET     00010001");
    CHECK(designatorText(tapes[0].designators[1]) == "3000000100000001");
    CHECK(designatorText(tapes[0].designators[2]) == "60000000000000000e00000000010001");
    CHECK(!tapes[0].tapePath);
    CHECK(tapes[1].sgPath == base + "4");
    CHECK(tapes[1].vendor == "IBM");
    CHECK(tapes[1].model == "ULT3580-TD5");
    CHECK(tapes[1].serial.empty());
    CHECK(tapes[1].designators.empty());
    CHECK(tapes[2].sgPath == base + "5");
    CHECK(tapes[2].serial.empty());
    CHECK(tapes[2].designators.empty());
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

TEST_CASE("iSCSI scan: a page 83h longer than asked for is read again whole") {
    const std::string base = "iscsi://127.0.0.1:3260/iqn.x:big/";
    auto changer = parseIscsiUrl(base + "0");
    REQUIRE(changer.ok());
    Target target;
    const Bytes whole = longDesignatorPage(20, 9999);  // 4 + 400 bytes
    REQUIRE(whole.size() == 404);
    target.luns[base + "1"]
        .expect(cdb::op::Inquiry,
                FakeTransport::dataReply(standardInquiry(0x01, "IBM     ", "ULT3580-TD8     ")))
        .expect(cdb::op::Inquiry, asksSerial, FakeTransport::dataReply(serialPage("SN1")))
        .expect(cdb::op::Inquiry, asksDesignatorsWith(252),
                FakeTransport::dataReply(longDesignatorPage(20, 252)))
        .expect(cdb::op::Inquiry, asksDesignatorsWith(404), FakeTransport::dataReply(whole));
    // A LUN whose second reply is cut again gets no designators (and is not asked a third time).
    target.luns[base + "2"]
        .expect(cdb::op::Inquiry,
                FakeTransport::dataReply(standardInquiry(0x01, "IBM     ", "ULT3580-TD8     ")))
        .expect(cdb::op::Inquiry, asksSerial, FakeTransport::dataReply(serialPage("SN2")))
        .expect(cdb::op::Inquiry, asksDesignatorsWith(252),
                FakeTransport::dataReply(longDesignatorPage(20, 252)))
        .expect(cdb::op::Inquiry, asksDesignatorsWith(404),
                FakeTransport::dataReply(longDesignatorPage(20, 300)));

    std::vector<ScsiDevice> tapes = scanTapeLuns(*changer, target.opener());

    REQUIRE(tapes.size() == 2);
    REQUIRE(tapes[0].designators.size() == 20);
    CHECK(designatorText(tapes[0].designators[19]) == "60000000000000000000000000000013");
    CHECK(tapes[1].serial == "SN2");
    CHECK(tapes[1].designators.empty());
    target.checkScriptsDone();
}

TEST_CASE("iSCSI scan: after a VPD command that got no answer, the LUN is asked nothing more") {
    const std::string base = "iscsi://127.0.0.1:3260/iqn.x:flaky/";
    auto changer = parseIscsiUrl(base + "0");
    REQUIRE(changer.ok());
    Target target;
    target.luns[base + "1"]
        .expect(cdb::op::Inquiry,
                FakeTransport::dataReply(standardInquiry(0x01, "HP      ", "Ultrium-5-SCSI  ")))
        .expectError(cdb::op::Inquiry,
                     Error(ErrorCode::Timeout, "INQUIRY (VPD): timed out").unanswered());
    // A LUN whose page 83h command got no answer keeps its serial number.
    target.luns[base + "2"]
        .expect(cdb::op::Inquiry,
                FakeTransport::dataReply(standardInquiry(0x01, "HP      ", "Ultrium-5-SCSI  ")))
        .expect(cdb::op::Inquiry, asksSerial, FakeTransport::dataReply(serialPage("DRV002")))
        .expectError(cdb::op::Inquiry,
                     Error(ErrorCode::DeviceNotAvailable, "connection lost").unanswered());

    std::vector<ScsiDevice> tapes = scanTapeLuns(*changer, target.opener());

    REQUIRE(tapes.size() == 2);
    CHECK(tapes[0].serial.empty());
    CHECK(tapes[0].designators.empty());
    CHECK(tapes[1].serial == "DRV002");
    CHECK(tapes[1].designators.empty());
    target.checkScriptsDone();
    CHECK(target.luns[base + "1"].commands().size() == 2);
}
