// Mode page parsers for the medium changer: 1Dh (element address assignment) and 1Fh (device
// capabilities). The mode parameter header and block descriptors are skipped; the pages are
// then walked by their own lengths until the wanted one is found.
//
// Lengths: the header's mode data length bounds the pages when it is smaller than the reply
// (bytes past it are padding); when the reply was cut short of it, the received bytes bound
// them; a mode data length too small to hold the header itself is ignored. A page that is wanted
// but cut short is a format error, never read past.

#include "sg/mode_pages.h"

#include <fmt/format.h>

#include <algorithm>

namespace rsm::sg {

namespace {

std::uint16_t be16(const std::uint8_t *p) {
    return static_cast<std::uint16_t>(p[0] << 8 | p[1]);
}

Error badFormat(std::string message) {
    return Error(ErrorCode::BadFormat, std::move(message));
}

// The bytes of page `code` (its 2-byte header included), or an error saying what is wrong.
Result<std::span<const std::uint8_t>> findPage(std::span<const std::uint8_t> data,
                                               ModeHeader header, std::uint8_t code,
                                               std::size_t minimumLength) {
    const bool six = header == ModeHeader::Six;
    const std::size_t headerLength = six ? 4 : 8;
    if (data.size() < headerLength)
        return badFormat(fmt::format("mode parameter header: {} byte(s) received, {} needed",
                                     data.size(), headerLength));
    // Mode data length counts the bytes after itself.
    const std::size_t declared = six ? std::size_t{data[0]} + 1 : std::size_t{be16(&data[0])} + 2;
    // A mode data length too small to cover its own header is ignored (received bytes rule).
    const std::size_t end = declared < headerLength ? data.size() : std::min(data.size(), declared);
    const std::size_t blockDescriptors = six ? data[3] : be16(&data[6]);
    std::size_t pos = headerLength + blockDescriptors;
    if (pos > end)
        return badFormat(
            fmt::format("mode data: {} bytes of block descriptors overrun the {} "
                        "bytes of data",
                        blockDescriptors, end));
    while (end - pos >= 2) {
        const bool subpageFormat = data[pos] & 0x40;
        const std::uint8_t pageCode = data[pos] & 0x3F;
        std::size_t length = 0;
        std::size_t pageHeader = 2;
        if (subpageFormat) {
            if (end - pos < 4)
                break;
            length = be16(&data[pos + 2]);
            pageHeader = 4;
        } else {
            length = data[pos + 1];
        }
        const std::size_t total = pageHeader + length;
        if (pageCode == code && !subpageFormat) {
            const std::size_t present = std::min(total, end - pos);
            if (present < minimumLength)
                return badFormat(fmt::format("mode page {:02X}h at byte {}: {} byte(s), {} needed",
                                             code, pos, present, minimumLength));
            return data.subspan(pos, present);
        }
        if (total > end - pos)
            break;
        pos += total;
    }
    return badFormat(fmt::format("mode page {:02X}h not found in the mode data", code));
}

ElementRange readRange(std::span<const std::uint8_t> page, std::size_t offset) {
    return ElementRange{be16(&page[offset]), be16(&page[offset + 2])};
}

bool matrixBit(const std::array<std::uint8_t, 5> &matrix, ElementType from, ElementType to) {
    const auto f = static_cast<std::size_t>(from);
    const auto t = static_cast<unsigned>(to);
    if (f < 1 || f > 4 || t < 1 || t > 4)
        return false;
    return (matrix[f] >> (t - 1)) & 1;
}

}  // namespace

Result<ElementAddressAssignment> parseElementAddressAssignment(
    std::span<const std::uint8_t> modeData, ModeHeader header) {
    auto page = findPage(modeData, header, kElementAddressAssignmentPage, 18);
    if (!page)
        return page.error();
    ElementAddressAssignment a;
    a.transport = readRange(*page, 2);
    a.storage = readRange(*page, 6);
    a.importExport = readRange(*page, 10);
    a.dataTransfer = readRange(*page, 14);
    return a;
}

Result<DeviceCapabilities> parseDeviceCapabilities(std::span<const std::uint8_t> modeData,
                                                   ModeHeader header) {
    auto found = findPage(modeData, header, kDeviceCapabilitiesPage, 16);
    if (!found)
        return found.error();
    const auto &page = *found;
    DeviceCapabilities c;
    c.storeDataTransfer = page[2] & 0x08;
    c.storeImportExport = page[2] & 0x04;
    c.storeStorage = page[2] & 0x02;
    c.storeTransport = page[2] & 0x01;
    for (std::size_t type = 1; type <= 4; ++type) {
        c.moveFrom[type] = page[3 + type] & 0x0F;
        c.exchangeFrom[type] = page[11 + type] & 0x0F;
    }
    return c;
}

bool DeviceCapabilities::canMove(ElementType from, ElementType to) const {
    return matrixBit(moveFrom, from, to);
}

bool DeviceCapabilities::canExchange(ElementType from, ElementType to) const {
    return matrixBit(exchangeFrom, from, to);
}

}  // namespace rsm::sg
