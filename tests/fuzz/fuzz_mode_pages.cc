// libFuzzer target: MODE SENSE parameter data (sg/mode_pages.h), parsed as MODE SENSE(6) and
// as MODE SENSE(10) data, for page 1Dh (element address assignment) and page 1Fh (device
// capabilities).
//
// Invariants: no read outside the bytes (AddressSanitizer); failures are ERROR_BAD_FORMAT;
// a parsed page lies inside the data, so a page 1Dh needs at least 4 + 18 bytes (6) or
// 8 + 18 (10), a page 1Fh 4 + 16 or 8 + 16; ElementAddressAssignment::typeOf agrees with the
// ranges; DeviceCapabilities only has the four low bits of each matrix entry.

#include <cstddef>
#include <cstdint>
#include <span>

#include "sg/mode_pages.h"
#include "tests/fuzz/fuzz_check.h"

namespace {

using namespace rsm::sg;

void assignment(std::span<const std::uint8_t> bytes, ModeHeader header) {
    auto map = parseElementAddressAssignment(bytes, header);
    if (!map) {
        FUZZ_CHECK(map.error().code() == rsm::ErrorCode::BadFormat);
        return;
    }
    FUZZ_CHECK(bytes.size() >= (header == ModeHeader::Six ? 4u : 8u) + 18u);
    for (ElementType type : {ElementType::Transport, ElementType::Storage,
                             ElementType::ImportExport, ElementType::DataTransfer}) {
        const ElementRange &range = map->range(type);
        if (range.count == 0) {
            FUZZ_CHECK(!range.contains(range.first));
            continue;
        }
        // The first address of a non-empty range belongs to this type or to one before it.
        auto owner = map->typeOf(range.first);
        FUZZ_CHECK(owner.has_value());
        FUZZ_CHECK(static_cast<int>(*owner) <= static_cast<int>(type));
        FUZZ_CHECK(map->range(*owner).contains(range.first));
    }
    FUZZ_CHECK(&map->range(ElementType::All) == &map->storage);
}

void capabilities(std::span<const std::uint8_t> bytes, ModeHeader header) {
    auto caps = parseDeviceCapabilities(bytes, header);
    if (!caps) {
        FUZZ_CHECK(caps.error().code() == rsm::ErrorCode::BadFormat);
        return;
    }
    FUZZ_CHECK(bytes.size() >= (header == ModeHeader::Six ? 4u : 8u) + 16u);
    FUZZ_CHECK(caps->moveFrom[0] == 0 && caps->exchangeFrom[0] == 0);
    for (int from = 0; from <= 4; ++from) {
        FUZZ_CHECK((caps->moveFrom[static_cast<std::size_t>(from)] & 0xF0) == 0);
        FUZZ_CHECK((caps->exchangeFrom[static_cast<std::size_t>(from)] & 0xF0) == 0);
        for (int to = 0; to <= 4; ++to) {
            const auto f = static_cast<ElementType>(from);
            const auto t = static_cast<ElementType>(to);
            if (from == 0 || to == 0)
                FUZZ_CHECK(!caps->canMove(f, t) && !caps->canExchange(f, t));
        }
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
    const std::span<const std::uint8_t> bytes(data, size);
    for (ModeHeader header : {ModeHeader::Six, ModeHeader::Ten}) {
        assignment(bytes, header);
        capabilities(bytes, header);
    }
    return 0;
}
