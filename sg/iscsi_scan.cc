#include "sg/iscsi_scan.h"

#include <algorithm>

#include "sg/cdb.h"
#include "sg/command_runner.h"
#include "sg/inquiry.h"
#include "sg/open.h"
#include "sg/tape_drive.h"
#include "sg/vpd.h"

namespace rsm::sg {

namespace {

constexpr std::uint16_t kFirstVpdAllocation = 252;

// The bytes a VPD page says it has, header included; 0 when it is not page `code`.
std::size_t declaredLength(const std::vector<std::uint8_t> &page, std::uint8_t code) {
    if (page.size() < 4 || page[1] != code)
        return 0;
    return 4 + (std::size_t{page[2]} << 8 | page[3]);
}

// The designators of VPD page 83h: asked for kFirstVpdAllocation bytes, then once more for the
// whole page when its page length says it is longer (as the kernel reads VPD pages). Empty when
// the LUN refuses the page, gives it malformed or does not answer.
std::vector<Designator> readDesignators(Transport &transport) {
    CommandRunner runner(transport);
    auto reply = runner.run(cdb::inquiryVpd(kDeviceIdentificationPage, kFirstVpdAllocation));
    if (reply) {
        const std::size_t whole = declaredLength(reply->data, kDeviceIdentificationPage);
        if (whole > kFirstVpdAllocation && whole > reply->data.size())
            reply = runner.run(
                cdb::inquiryVpd(kDeviceIdentificationPage,
                                static_cast<std::uint16_t>(std::min<std::size_t>(whole, 0xFFFF))));
    }
    if (!reply)
        return {};
    auto designators = parseDeviceIdentification(reply->data);
    return designators ? std::move(*designators) : std::vector<Designator>{};
}

}  // namespace

std::vector<ScsiDevice> scanTapeLuns(const IscsiUrl &changer, const LunOpener &open) {
    std::vector<ScsiDevice> out;
    for (int lun = 0; lun < kScannedLuns; ++lun) {
        if (lun == changer.lun)
            continue;
        IscsiUrl candidate = changer;
        candidate.lun = lun;
        auto transport = open(candidate.toString());
        if (!transport)
            continue;
        TapeDrive tape(std::move(*transport));
        auto inquiry = tape.inquiry();
        if (!inquiry || inquiry->peripheralQualifier != 0 ||
            inquiry->peripheralType != peripheral::Tape)
            continue;
        ScsiDevice d;
        d.sgPath = candidate.toString();
        d.peripheralType = peripheral::Tape;
        d.vendor = trimBlanksAndNuls(inquiry->vendor);
        d.model = trimBlanksAndNuls(inquiry->product);
        auto serial = tape.serialNumber();
        if (serial)
            d.serial = trimBlanksAndNuls(*serial);
        if (serial || !isTransportFailure(serial.error()))
            d.designators = readDesignators(tape.transport());
        out.push_back(std::move(d));
    }
    return out;
}

std::vector<ScsiDevice> scanTapeLuns(const IscsiUrl &changer, const IscsiOptions &options) {
    return scanTapeLuns(changer,
                        [&options](const std::string &url) { return openTransport(url, options); });
}

}  // namespace rsm::sg
