#pragma once
// Parsers of the medium-changer mode pages: 1Dh element address assignment and 1Fh device
// capabilities, from MODE SENSE(6) or MODE SENSE(10) parameter data (header and block
// descriptors skipped). Pure; never read out of bounds; malformed data -> ERROR_BAD_FORMAT.

#include <array>
#include <cstdint>
#include <span>

#include "rsm/error.h"
#include "sg/element.h"

namespace rsm::sg {

enum class ModeHeader { Six, Ten };  // which MODE SENSE the data came from

constexpr std::uint8_t kElementAddressAssignmentPage = 0x1D;
constexpr std::uint8_t kDeviceCapabilitiesPage = 0x1F;

Result<ElementAddressAssignment> parseElementAddressAssignment(
    std::span<const std::uint8_t> modeData, ModeHeader header);

struct DeviceCapabilities {
    // Which element types can store media (StorMT, StorST, StorIE, StorDT).
    bool storeTransport = false;
    bool storeStorage = false;
    bool storeImportExport = false;
    bool storeDataTransfer = false;
    // moveFrom[t] / exchangeFrom[t]: bit 0 -> transport, 1 -> storage, 2 -> IE, 3 -> drive,
    // for source type t (index: 1 transport, 2 storage, 3 IE, 4 drive; index 0 unused).
    std::array<std::uint8_t, 5> moveFrom{};
    std::array<std::uint8_t, 5> exchangeFrom{};

    bool canMove(ElementType from, ElementType to) const;
    bool canExchange(ElementType from, ElementType to) const;
};

Result<DeviceCapabilities> parseDeviceCapabilities(std::span<const std::uint8_t> modeData,
                                                   ModeHeader header);

}  // namespace rsm::sg
