#include "src/library/probe.h"

#include <fmt/format.h>

#include "sg/changer.h"
#include "sg/discovery.h"
#include "sg/inquiry.h"
#include "sg/iscsi_scan.h"
#include "sg/open.h"

namespace rsm::library {

namespace {

std::optional<std::string> nonEmpty(std::string s) {
    if (s.empty())
        return std::nullopt;
    return s;
}

std::vector<int> addresses(const sg::ElementRange &range) {
    std::vector<int> out;
    for (std::uint32_t i = 0; i < range.count; ++i)
        out.push_back(static_cast<int>(range.first + i));
    return out;
}

// The tape drives the library's drives may be: for an iSCSI library the tape LUNs of its
// target (their URLs as device names), else the tape drives in sysfs (/dev/nstN).
std::vector<sg::ScsiDevice> tapeDevices(const std::string &device, const ProbeOptions &options) {
    std::vector<sg::ScsiDevice> out;
    if (!sg::isIscsiUrl(device)) {
        auto found = sg::discoverDevices(options.discovery);
        if (found)
            for (const sg::ScsiDevice &d : *found)
                if (d.peripheralType == sg::peripheral::Tape)
                    out.push_back(d);
        return out;
    }
    auto url = sg::parseIscsiUrl(device);
    if (!url)
        return out;
    sg::IscsiOptions iscsi;
    iscsi.connectTimeout = std::min(options.commandTimeout, std::chrono::seconds(10));
    return sg::scanTapeLuns(*url, iscsi);
}

// The drive is `tape`: its device, and its own serial number, which wins over the one the
// robot reported (a robot may cut its identifiers short: tgtd's last drive says "DR").
void useDevice(engine::NewLibrary::Drive &drive, const sg::ScsiDevice &tape) {
    drive.device = tape.tapePath.value_or(tape.sgPath);
    drive.problem.reset();
    if (const std::string serial = sg::trimBlanksAndNuls(tape.serial); !serial.empty())
        drive.serial = serial;
}

}  // namespace

sg::ChangerTimeouts changerTimeouts(const ProbeOptions &options) {
    sg::ChangerTimeouts t;
    t.inquiry = options.commandTimeout;
    t.modeSense = options.commandTimeout;
    t.preventAllow = options.commandTimeout;
    t.elementStatus = options.statusTimeout;
    t.move = options.moveTimeout;
    t.position = options.moveTimeout;
    t.initialize = options.initializeTimeout;
    return t;
}

Result<engine::NewLibrary> probeLibrary(const std::string &device, const ProbeOptions &options) {
    sg::IscsiOptions iscsi;
    iscsi.connectTimeout = options.commandTimeout;
    auto transport = sg::openTransport(device, iscsi);
    if (!transport)
        return transport.error().withContext("library device " + device);
    sg::ChangerOptions changerOptions;
    changerOptions.timeouts = changerTimeouts(options);
    sg::Changer changer(std::move(*transport), changerOptions);

    auto inquiry = changer.inquiry();
    if (!inquiry)
        return inquiry.error().withContext("library device " + device);
    if (inquiry->peripheralType != sg::peripheral::MediumChanger)
        return Error(ErrorCode::InvalidLibrary,
                     fmt::format("{} is not a medium changer (SCSI peripheral type {}; a tape "
                                 "drive is 1, a changer 8)",
                                 device, inquiry->peripheralType));
    engine::NewLibrary out;
    out.device = device;
    out.vendor = nonEmpty(sg::trimBlanksAndNuls(inquiry->vendor));
    out.product = nonEmpty(sg::trimBlanksAndNuls(inquiry->product));
    if (auto serial = changer.serialNumber(); serial.ok())
        out.serial = nonEmpty(sg::trimBlanksAndNuls(*serial));

    auto map = changer.elementMap();
    if (!map)
        return map.error().withContext("library device " + device);
    out.changers = addresses(map->transport);
    out.slots = addresses(map->storage);
    out.ieports = addresses(map->importExport);
    auto drives = changer.status(sg::ElementType::DataTransfer);
    if (!drives)
        return drives.error().withContext("library device " + device + ": drive status");
    std::vector<std::string> identifiers;
    for (const sg::Element &e : *drives) {
        engine::NewLibrary::Drive d;
        d.address = e.address;
        // DVCID: a T10 vendor identification — vendor (8), product (16), then the serial.
        if (e.identifier)
            d.serial = nonEmpty(sg::trimBlanksAndNuls(
                e.identifier->size() > 24 ? e.identifier->substr(24) : *e.identifier));
        identifiers.push_back(e.identifier.value_or(""));
        out.drives.push_back(d);
    }
    auto tapes = tapeDevices(device, options);
    std::vector<bool> taken(tapes.size(), false);
    std::vector<std::size_t> unmatched;
    for (std::size_t i = 0; i < out.drives.size(); ++i) {
        const sg::DriveMatch match = sg::matchDrive(tapes, identifiers[i]);
        if (!match.device) {
            out.drives[i].problem = match.reason;
            unmatched.push_back(i);
            continue;
        }
        const auto at = static_cast<std::size_t>(match.device - tapes.data());
        taken[at] = true;
        useDevice(out.drives[i], tapes[at]);
    }
    // A drive whose identifier the robot cut short (tgtd's last drive) or did not give (a
    // small autoloader) gets the one tape device left, when exactly one drive and one device
    // are left.
    std::vector<std::size_t> left;
    for (std::size_t t = 0; t < tapes.size(); ++t)
        if (!taken[t])
            left.push_back(t);
    if (unmatched.size() == 1 && left.size() == 1)
        useDevice(out.drives[unmatched.front()], tapes[left.front()]);
    return out;
}

}  // namespace rsm::library
