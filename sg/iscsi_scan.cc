#include "sg/iscsi_scan.h"

#include "sg/inquiry.h"
#include "sg/open.h"
#include "sg/tape_drive.h"

namespace rsm::sg {

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
        if (auto serial = tape.serialNumber(); serial)
            d.serial = trimBlanksAndNuls(*serial);
        out.push_back(d);
    }
    return out;
}

std::vector<ScsiDevice> scanTapeLuns(const IscsiUrl &changer, const IscsiOptions &options) {
    return scanTapeLuns(changer,
                        [&options](const std::string &url) { return openTransport(url, options); });
}

}  // namespace rsm::sg
