// INQUIRY parsers (SPC-4 6.6): the standard data and VPD page 80h.
//
// Short standard data: the first 8 bytes (qualifier, type, RMB, version, MCHNGR) are required;
// a reply shorter than 36 bytes is accepted and its string fields hold only the bytes that
// arrived (a short or empty vendor, product or revision). The ADDITIONAL LENGTH byte is not
// used to cut the strings: mtx prints the bytes as received, and so must rsm.

#include "sg/inquiry.h"

#include <fmt/format.h>

#include <algorithm>

namespace rsm::sg {

namespace {

constexpr std::size_t kMinimumInquiry = 8;

std::string rawField(std::span<const std::uint8_t> data, std::size_t offset, std::size_t length) {
    if (offset >= data.size())
        return {};
    const std::size_t n = std::min(length, data.size() - offset);
    return std::string(reinterpret_cast<const char *>(data.data() + offset), n);
}

}  // namespace

Result<InquiryData> parseInquiry(std::span<const std::uint8_t> data) {
    if (data.size() < kMinimumInquiry)
        return Error(ErrorCode::BadFormat,
                     fmt::format("INQUIRY data: {} byte(s) received, at least {} needed",
                                 data.size(), kMinimumInquiry));
    InquiryData inq;
    inq.peripheralQualifier = static_cast<std::uint8_t>(data[0] >> 5);
    inq.peripheralType = static_cast<std::uint8_t>(data[0] & 0x1F);
    inq.removable = data[1] & 0x80;
    inq.version = data[2];
    inq.mediumChanger = data[6] & 0x08;
    inq.vendor = rawField(data, 8, 8);
    inq.product = rawField(data, 16, 16);
    inq.revision = rawField(data, 32, 4);
    return inq;
}

Result<std::string> parseUnitSerialNumber(std::span<const std::uint8_t> data) {
    if (data.size() < 4)
        return Error(
            ErrorCode::BadFormat,
            fmt::format("VPD page 80h: {} byte(s) received, the header needs 4", data.size()));
    if (data[1] != 0x80)
        return Error(ErrorCode::BadFormat,
                     fmt::format("VPD page 80h expected, page {:02X}h received", data[1]));
    const std::size_t length = static_cast<std::size_t>(data[2] << 8 | data[3]);
    // A serial number cut by the allocation length would be a wrong identity: refuse it.
    if (length > data.size() - 4)
        return Error(ErrorCode::BadFormat,
                     fmt::format("VPD page 80h declares {} serial number bytes, {} received",
                                 length, data.size() - 4));
    return trimField(rawField(data, 4, length));
}

std::string peripheralTypeName(std::uint8_t type) {
    switch (type) {
        case peripheral::Disk:
            return "a disk";
        case peripheral::Tape:
            return "a tape drive";
        case 0x05:
            return "a CD/DVD drive";
        case 0x07:
            return "an optical disk";
        case peripheral::MediumChanger:
            return "a medium changer";
        case 0x0C:
            return "a storage array controller";
        case 0x0D:
            return "an enclosure";
        default:
            return fmt::format("a device of SCSI peripheral type {:02X}h", type);
    }
}

std::string trimField(std::string_view field) {
    std::size_t begin = 0;
    std::size_t end = field.size();
    while (end > 0 && (field[end - 1] == ' ' || field[end - 1] == '\0'))
        --end;
    while (begin < end && field[begin] == ' ')
        ++begin;
    return std::string(field.substr(begin, end - begin));
}

std::string trimBlanksAndNuls(std::string_view field) {
    constexpr std::string_view blanks(" \t\0", 3);
    const std::size_t first = field.find_first_not_of(blanks);
    if (first == std::string_view::npos)
        return {};
    const std::size_t last = field.find_last_not_of(blanks);
    return std::string(field.substr(first, last - first + 1));
}

std::string printableField(std::string_view field) {
    std::string out = trimBlanksAndNuls(field);
    for (char &c : out)
        if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) > 0x7E)
            c = '?';
    return out;
}

}  // namespace rsm::sg
