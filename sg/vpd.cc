// VPD page 83h (SPC-4 7.8.6). Each designation descriptor:
//   byte 0  protocol identifier (bits 7-4), code set (bits 3-0)
//   byte 1  PIV (bit 7), association (bits 5-4), designator type (bits 3-0)
//   byte 2  reserved
//   byte 3  designator length n
//   bytes 4..4+n-1  the designator

#include "sg/vpd.h"

#include <fmt/format.h>

#include "sg/inquiry.h"

namespace rsm::sg {

namespace {

constexpr std::size_t kHeaderLength = 4;

std::string hexString(std::span<const std::uint8_t> bytes) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string out;
    out.reserve(bytes.size() * 2);
    for (std::uint8_t b : bytes) {
        out += digits[b >> 4];
        out += digits[b & 0x0F];
    }
    return out;
}

}  // namespace

std::string designatorText(const Designator &designator) {
    if (designator.codeSet == code_set::Ascii || designator.codeSet == code_set::Utf8)
        return trimField(std::string_view(reinterpret_cast<const char *>(designator.value.data()),
                                          designator.value.size()));
    return hexString(designator.value);
}

std::string_view designatorTypeName(std::uint8_t type) {
    switch (type) {
        case designator_type::VendorSpecific:
            return "vendor";
        case designator_type::T10VendorId:
            return "t10";
        case designator_type::Eui64:
            return "eui64";
        case designator_type::Naa:
            return "naa";
        case designator_type::RelativeTargetPort:
            return "relative-port";
        case designator_type::TargetPortGroup:
            return "port-group";
        case designator_type::LogicalUnitGroup:
            return "lu-group";
        case designator_type::Md5LogicalUnit:
            return "md5";
        case designator_type::ScsiName:
            return "scsi-name";
        case designator_type::ProtocolSpecificPort:
            return "protocol-port";
        case designator_type::Uuid:
            return "uuid";
        default:
            return "reserved";
    }
}

Result<std::vector<Designator>> parseDeviceIdentification(std::span<const std::uint8_t> page) {
    if (page.size() < kHeaderLength)
        return Error(
            ErrorCode::BadFormat,
            fmt::format("VPD page 83h: {} byte(s) received, the header needs 4", page.size()));
    if (page[1] != kDeviceIdentificationPage)
        return Error(ErrorCode::BadFormat,
                     fmt::format("VPD page 83h expected, page {:02X}h received", page[1]));
    const std::size_t length = std::size_t{page[2]} << 8 | page[3];
    if (length > page.size() - kHeaderLength)
        return Error(ErrorCode::BadFormat,
                     fmt::format("VPD page 83h declares {} byte(s) of descriptors, {} received",
                                 length, page.size() - kHeaderLength));
    const std::span<const std::uint8_t> descriptors = page.subspan(kHeaderLength, length);

    std::vector<Designator> out;
    std::size_t pos = 0;
    while (pos < descriptors.size()) {
        const std::size_t left = descriptors.size() - pos;
        if (left < kHeaderLength)
            return Error(ErrorCode::BadFormat,
                         fmt::format("VPD page 83h: a descriptor header at byte {} is cut to {} "
                                     "byte(s)",
                                     kHeaderLength + pos, left));
        const std::size_t valueLength = descriptors[pos + 3];
        if (valueLength > left - kHeaderLength)
            return Error(ErrorCode::BadFormat,
                         fmt::format("VPD page 83h: the descriptor at byte {} declares {} byte(s) "
                                     "of designator, {} left in the page",
                                     kHeaderLength + pos, valueLength, left - kHeaderLength));
        Designator d;
        d.codeSet = descriptors[pos] & 0x0F;
        d.association = (descriptors[pos + 1] >> 4) & 0x03;
        d.type = descriptors[pos + 1] & 0x0F;
        const auto value = descriptors.subspan(pos + kHeaderLength, valueLength);
        d.value.assign(value.begin(), value.end());
        out.push_back(std::move(d));
        pos += kHeaderLength + valueLength;
    }
    return out;
}

}  // namespace rsm::sg
