#include "src/library/probe.h"

#include <fmt/format.h>

#include "sg/changer.h"
#include "sg/open.h"

namespace rsm::library {

namespace {

std::string trimmed(const std::string &s) {
    std::size_t first = s.find_first_not_of(" \t\0", 0, 3);
    if (first == std::string::npos)
        return {};
    std::size_t last = s.find_last_not_of(" \t\0", std::string::npos, 3);
    return s.substr(first, last - first + 1);
}

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

}  // namespace

Result<engine::NewLibrary> probeLibrary(const std::string &device, const ProbeOptions &options) {
    sg::IscsiOptions iscsi;
    iscsi.connectTimeout = options.commandTimeout;
    auto transport = sg::openTransport(device, iscsi);
    if (!transport)
        return transport.error().withContext("library device " + device);
    sg::ChangerOptions changerOptions;
    auto cap = [&](std::chrono::milliseconds &t) {
        t = std::min<std::chrono::milliseconds>(t, options.commandTimeout);
    };
    cap(changerOptions.timeouts.inquiry);
    cap(changerOptions.timeouts.modeSense);
    sg::Changer changer(std::move(*transport), changerOptions);

    auto inquiry = changer.inquiry();
    if (!inquiry)
        return inquiry.error().withContext("library device " + device);
    if (inquiry->peripheralType != 8)
        return Error(ErrorCode::InvalidLibrary,
                     fmt::format("{} is not a medium changer (SCSI peripheral type {}; a tape "
                                 "drive is 1, a changer 8)",
                                 device, inquiry->peripheralType));
    engine::NewLibrary out;
    out.device = device;
    out.vendor = nonEmpty(trimmed(inquiry->vendor));
    out.product = nonEmpty(trimmed(inquiry->product));
    if (auto serial = changer.serialNumber(); serial.ok())
        out.serial = nonEmpty(trimmed(*serial));

    auto map = changer.elementMap();
    if (!map)
        return map.error().withContext("library device " + device);
    out.changers = addresses(map->transport);
    out.slots = addresses(map->storage);
    out.ieports = addresses(map->importExport);
    auto drives = changer.status(sg::ElementType::DataTransfer);
    if (!drives)
        return drives.error().withContext("library device " + device + ": drive status");
    for (const sg::Element &e : *drives) {
        engine::NewLibrary::Drive d;
        d.address = e.address;
        // DVCID: a T10 vendor identification — vendor (8), product (16), then the serial.
        if (e.identifier)
            d.serial = nonEmpty(
                trimmed(e.identifier->size() > 24 ? e.identifier->substr(24) : *e.identifier));
        out.drives.push_back(d);
    }
    return out;
}

}  // namespace rsm::library
