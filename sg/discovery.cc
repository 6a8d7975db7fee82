#include "sg/discovery.h"

#include <algorithm>
#include <charconv>
#include <fstream>
#include <iterator>
#include <span>
#include <system_error>
#include <utility>

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

std::span<const std::uint8_t> bytesOf(const std::string &content) {
    return {reinterpret_cast<const std::uint8_t *>(content.data()), content.size()};
}

std::string readSerial(const fs::path &vpdPage80) {
    auto content = readFile(vpdPage80);
    if (!content || content->empty())
        return {};
    auto serial = parseUnitSerialNumber(bytesOf(*content));
    return serial ? std::string(trimmed(*serial)) : std::string();
}

// VPD page 83h as the kernel read it (the whole page, header included).
std::vector<Designator> readDesignators(const fs::path &vpdPage83) {
    auto content = readFile(vpdPage83);
    if (!content || content->empty())
        return {};
    auto designators = parseDeviceIdentification(bytesOf(*content));
    return designators ? std::move(*designators) : std::vector<Designator>{};
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

bool equalIgnoringCase(std::string_view a, std::string_view b) {
    auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(),
                                              [&](char x, char y) { return lower(x) == lower(y); });
}

// An identifier as it may be shown in a message: bytes outside printable ASCII as \xNN (a
// robot's identifier may hold any byte; the message must stay valid UTF-8).
std::string printable(std::string_view text) {
    std::string out;
    for (char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte >= 0x20 && byte < 0x7F && c != '\\' && c != '"')
            out += c;
        else
            out += fmt::format("\\x{:02x}", byte);
    }
    return out;
}

// Port numbers: small values that every device of a target or a library may share.
bool isPortNumber(const Designator &d) {
    return d.type == designator_type::RelativeTargetPort ||
           d.type == designator_type::TargetPortGroup ||
           d.type == designator_type::LogicalUnitGroup;
}

// The T10 vendor identification of a device with this serial number: vendor padded to 8 bytes,
// model to 16, then the serial. Empty when the vendor or model is too long to be one.
std::string t10VendorId(const ScsiDevice &device, std::string_view serial) {
    if (device.vendor.size() > 8 || device.model.size() > 16)
        return {};
    return fmt::format("{:<8}{:<16}{}", device.vendor, device.model, serial);
}

// How `device` matches the trimmed, non-empty identifier `id` ("serial", "naa designator"...);
// empty when it does not.
std::string howMatches(const ScsiDevice &device, std::string_view id) {
    const std::string_view serial = trimmed(device.serial);
    if (!serial.empty()) {
        if (id == serial)
            return "serial";
        if (id.size() > serial.size() && id.ends_with(serial) &&
            isBlankOrNul(id[id.size() - serial.size() - 1]))
            return "serial";
        if (id == t10VendorId(device, serial))
            return "serial";
    }
    for (const Designator &d : device.designators) {
        if (isPortNumber(d))
            continue;
        const std::string whole = designatorText(d);
        const std::string_view text = trimmed(whole);  // as the identifier: tabs, leading NULs
        if (text.empty())
            continue;
        const bool isText = d.codeSet == code_set::Ascii || d.codeSet == code_set::Utf8;
        if (isText ? text == id : equalIgnoringCase(text, id))
            return fmt::format("{} designator", designatorTypeName(d.type));
    }
    return {};
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
        d.designators = readDesignators(device / "vpd_pg83");
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

DriveMatch matchDrive(const std::vector<ScsiDevice> &devices, std::string_view identifier) {
    DriveMatch out;
    const std::string_view id = trimmed(identifier);
    if (id.empty()) {
        out.reason = "no identifier from the robot";
        return out;
    }
    std::size_t candidates = 0;
    std::size_t anonymous = 0;
    std::vector<std::pair<const ScsiDevice *, std::string>> found;
    for (const ScsiDevice &device : devices) {
        // A changer can share its serial number with the drive it lives in (one LUN each).
        if (device.peripheralType == peripheral::MediumChanger)
            continue;
        ++candidates;
        if (trimmed(device.serial).empty() && device.designators.empty())
            ++anonymous;
        if (std::string how = howMatches(device, id); !how.empty())
            found.emplace_back(&device, std::move(how));
    }
    if (found.size() == 1) {
        out.device = found.front().first;
        out.how = std::move(found.front().second);
        return out;
    }
    if (found.size() > 1) {
        std::string which;
        for (const auto &[device, how] : found)
            which += fmt::format("{}{} by {}", which.empty() ? "" : ", ", device->sgPath, how);
        out.reason = fmt::format("several devices match \"{}\" ({})", printable(id), which);
        return out;
    }
    if (candidates == 0) {
        out.reason = fmt::format("no tape device to match \"{}\" against", printable(id));
        return out;
    }
    out.reason = fmt::format("no serial or designator match for \"{}\" among {} tape device(s)",
                             printable(id), candidates);
    if (anonymous > 0)
        out.reason += fmt::format(" ({} without serial number or designators)", anonymous);
    return out;
}

const ScsiDevice *matchDriveByIdentifier(const std::vector<ScsiDevice> &drives,
                                         std::string_view identifier) {
    return matchDrive(drives, identifier).device;
}

}  // namespace rsm::sg
