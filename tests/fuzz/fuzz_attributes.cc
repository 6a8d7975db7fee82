// libFuzzer target: READ ATTRIBUTE parameter data, ATTRIBUTE VALUES (sg/attributes.h).
//
// Invariants: no read outside the bytes; failures are ERROR_BAD_FORMAT; parsed data had its
// 4-byte header; a text attribute is no longer than the data and never ends in a blank or NUL;
// the medium type's WORM and cleaning views agree with it.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "sg/attributes.h"
#include "tests/fuzz/fuzz_check.h"

namespace {

void checkText(const std::optional<std::string> &text, std::size_t size) {
    if (!text)
        return;
    FUZZ_CHECK(!text->empty() && text->size() <= size);
    FUZZ_CHECK(text->back() != ' ' && text->back() != '\0');
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
    auto attributes = rsm::sg::parseAttributes(std::span<const std::uint8_t>(data, size));
    if (!attributes) {
        FUZZ_CHECK(attributes.error().code() == rsm::ErrorCode::BadFormat);
        return 0;
    }
    FUZZ_CHECK(size >= 4);
    checkText(attributes->manufacturer, size);
    checkText(attributes->serialNumber, size);
    checkText(attributes->manufactureDate, size);
    FUZZ_CHECK(attributes->worm() == (attributes->mediumType == std::uint8_t{0x80}));
    FUZZ_CHECK(attributes->cleaning() == (attributes->mediumType == std::uint8_t{0x01}));
    FUZZ_CHECK(!(attributes->worm() && attributes->cleaning()));
    return 0;
}
