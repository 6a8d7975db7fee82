#include "sg/discovery.h"

#include <algorithm>
#include <charconv>
#include <fstream>
#include <iterator>
#include <system_error>

#include <fmt/format.h>

#include "sg/inquiry.h"

namespace fs = std::filesystem;

namespace rsm::sg {

namespace {

bool isBlankOrNul(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\0';
}

std::string_view trimmed(std::string_view s) {
    while (!s.empty() && isBlankOrNul(s.front()))
        s.remove_prefix(1);
    while (!s.empty() && isBlankOrNul(s.back()))
        s.remove_suffix(1);
    return s;
}

std::optional<std::string> readFile(const fs::path &path) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return std::nullopt;
    std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (in.bad())
        return std::nullopt;
    return content;
}

std::string readField(const fs::path &path) {
    auto content = readFile(path);
    return content ? std::string(trimmed(*content)) : std::string();
}

// The number after `prefix` when the whole name is prefix + decimal digits: "sg12" -> 12.
std::optional<unsigned> numberAfter(std::string_view name, std::string_view prefix) {
    if (!name.starts_with(prefix) || name.size() == prefix.size())
        return std::nullopt;
    const std::string_view digits = name.substr(prefix.size());
    unsigned value = 0;
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    if (ec != std::errc() || end != digits.data() + digits.size())
        return std::nullopt;
    return value;
}

std::optional<std::uint8_t> readType(const fs::path &path) {
    auto content = readFile(path);
    if (!content)
        return std::nullopt;
    const std::string_view text = trimmed(*content);
    unsigned value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || value > 0x1F)
        return std::nullopt;
    return static_cast<std::uint8_t>(value);
}

// "2:0:1:0": the name of the SCSI device directory that sgN/device links to.
std::string readHctl(const fs::path &deviceLink) {
    std::error_code ec;
    fs::path target = fs::read_symlink(deviceLink, ec);
    if (ec)
        return {};
    while (!target.empty() && !target.has_filename())
        target = target.parent_path();  // a trailing slash
    return target.filename().string();
}

std::string readSerial(const fs::path &vpdPage80) {
    auto content = readFile(vpdPage80);
    if (!content || content->empty())
        return {};
    std::span<const std::uint8_t> bytes(reinterpret_cast<const std::uint8_t *>(content->data()),
                                        content->size());
    auto serial = parseUnitSerialNumber(bytes);
    return serial ? std::string(trimmed(*serial)) : std::string();
}

// The no-rewind tape node: device/scsi_tape/nstN (current kernels), device/scsi_tape:nstN (old
// ones), or the rewinding stN from either place turned into nstN.
std::optional<std::string> findTapeNode(const fs::path &device, const fs::path &devRoot) {
    std::optional<unsigned> noRewind;
    std::optional<unsigned> rewinding;
    auto consider = [&](std::string_view name) {
        if (auto n = numberAfter(name, "nst"); n && !noRewind)
            noRewind = n;
        else if (auto m = numberAfter(name, "st"); m && !rewinding)
            rewinding = m;
    };
    std::error_code ec;
    for (fs::directory_iterator it(device / "scsi_tape", ec), end; !ec && it != end;
         it.increment(ec))
        consider(it->path().filename().string());
    if (!noRewind && !rewinding) {
        for (fs::directory_iterator it(device, ec), end; !ec && it != end; it.increment(ec)) {
            const std::string name = it->path().filename().string();
            if (name.starts_with("scsi_tape:"))
                consider(std::string_view(name).substr(10));
        }
    }
    if (auto n = noRewind ? noRewind : rewinding)
        return (devRoot / fmt::format("nst{}", *n)).string();
    return std::nullopt;
}

}  // namespace

Result<std::vector<ScsiDevice>> discoverDevices(const DiscoveryRoots &roots) {
    const fs::path classDir = roots.sys / "class" / "scsi_generic";
    std::error_code ec;
    const bool present = fs::exists(classDir, ec);
    if (ec)
        return Error(ErrorCode::DeviceNotAvailable,
                     fmt::format("cannot read {}: {}", classDir.string(), ec.message()));
    if (!present)
        return std::vector<ScsiDevice>{};

    std::vector<std::pair<unsigned, ScsiDevice>> found;
    fs::directory_iterator it(classDir, ec);
    if (ec)
        return Error(ErrorCode::DeviceNotAvailable,
                     fmt::format("cannot list {}: {}", classDir.string(), ec.message()));
    for (fs::directory_iterator end; it != end; it.increment(ec)) {
        const std::string name = it->path().filename().string();
        const auto number = numberAfter(name, "sg");
        if (!number)
            continue;
        const fs::path device = it->path() / "device";
        const auto type = readType(device / "type");
        if (!type || (*type != peripheral::Tape && *type != peripheral::MediumChanger))
            continue;

        ScsiDevice d;
        d.sgPath = (roots.dev / name).string();
        d.hctl = readHctl(device);
        d.peripheralType = *type;
        d.vendor = readField(device / "vendor");
        d.model = readField(device / "model");
        d.revision = readField(device / "rev");
        d.serial = readSerial(device / "vpd_pg80");
        if (*type == peripheral::Tape)
            d.tapePath = findTapeNode(device, roots.dev);
        found.emplace_back(*number, std::move(d));
    }
    if (ec)
        return Error(ErrorCode::DeviceNotAvailable,
                     fmt::format("cannot list {}: {}", classDir.string(), ec.message()));

    std::sort(found.begin(), found.end(),
              [](const auto &a, const auto &b) { return a.first < b.first; });
    std::vector<ScsiDevice> devices;
    devices.reserve(found.size());
    for (auto &entry : found)
        devices.push_back(std::move(entry.second));
    return devices;
}

const ScsiDevice *matchDriveByIdentifier(const std::vector<ScsiDevice> &drives,
                                         std::string_view identifier) {
    const std::string_view id = trimmed(identifier);
    if (id.empty())
        return nullptr;
    for (const ScsiDevice &drive : drives) {
        // A changer can share its serial number with the drive it lives in (one LUN each).
        if (drive.peripheralType == peripheral::MediumChanger)
            continue;
        const std::string_view serial = trimmed(drive.serial);
        if (serial.empty() || !id.ends_with(serial))
            continue;
        if (id.size() == serial.size() || isBlankOrNul(id[id.size() - serial.size() - 1]))
            return &drive;
    }
    return nullptr;
}

}  // namespace rsm::sg
