// libFuzzer target: INQUIRY data (sg/inquiry.h): the standard page, VPD page 80h (unit serial
// number), and the INQUIRY JSON rsmd hands to `rsmctl mtx` (src/protocol/elements.h).
//
// Invariants: no read outside the bytes; failures are ERROR_BAD_FORMAT; the string fields are
// at most 8/16/4 bytes and exactly the bytes received at their offsets; a serial number is at
// most the page length, with no leading blank and no trailing blank or NUL; INQUIRY data
// survives inquiryToJson -> a protocol line -> inquiryFromJson byte for byte.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>

#include <nlohmann/json.hpp>

#include "sg/inquiry.h"
#include "src/protocol/codec.h"
#include "src/protocol/elements.h"
#include "tests/fuzz/fuzz_check.h"

namespace {

void checkField(const std::string &field, const std::uint8_t *data, std::size_t size,
                std::size_t offset, std::size_t length) {
    const std::size_t expected = offset >= size ? 0 : std::min(length, size - offset);
    FUZZ_CHECK(field.size() == expected);
    FUZZ_CHECK(expected == 0 || std::memcmp(field.data(), data + offset, expected) == 0);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
    using namespace rsm::sg;
    const std::span<const std::uint8_t> bytes(data, size);

    auto inquiry = parseInquiry(bytes);
    if (inquiry) {
        FUZZ_CHECK(size >= 8);
        FUZZ_CHECK(inquiry->peripheralType == (data[0] & 0x1F));
        FUZZ_CHECK(inquiry->peripheralQualifier <= 7);
        checkField(inquiry->vendor, data, size, 8, 8);
        checkField(inquiry->product, data, size, 16, 16);
        checkField(inquiry->revision, data, size, 32, 4);
        const std::string line =
            rsm::protocol::resultLine(1, rsm::protocol::inquiryToJson(*inquiry));
        const auto parsed = nlohmann::json::parse(line, nullptr, false);
        FUZZ_CHECK(!parsed.is_discarded());
        auto back = rsm::protocol::inquiryFromJson(parsed["result"]);
        FUZZ_CHECK(back.ok());
        FUZZ_CHECK(back->peripheralQualifier == inquiry->peripheralQualifier);
        FUZZ_CHECK(back->peripheralType == inquiry->peripheralType);
        FUZZ_CHECK(back->removable == inquiry->removable);
        FUZZ_CHECK(back->version == inquiry->version);
        FUZZ_CHECK(back->mediumChanger == inquiry->mediumChanger);
        FUZZ_CHECK(back->vendor == inquiry->vendor);
        FUZZ_CHECK(back->product == inquiry->product);
        FUZZ_CHECK(back->revision == inquiry->revision);
    } else {
        FUZZ_CHECK(inquiry.error().code() == rsm::ErrorCode::BadFormat);
        FUZZ_CHECK(size < 8);
    }

    auto serial = parseUnitSerialNumber(bytes);
    if (serial) {
        FUZZ_CHECK(size >= 4 && data[1] == 0x80);
        const std::size_t length = std::size_t{data[2]} << 8 | data[3];
        FUZZ_CHECK(length <= size - 4);
        FUZZ_CHECK(serial->size() <= length);
        if (!serial->empty()) {
            FUZZ_CHECK(serial->front() != ' ');
            FUZZ_CHECK(serial->back() != ' ' && serial->back() != '\0');
            // The serial number is a piece of the page.
            const auto page = std::string_view(reinterpret_cast<const char *>(data) + 4, length);
            FUZZ_CHECK(page.find(*serial) != std::string_view::npos);
        }
    } else {
        FUZZ_CHECK(serial.error().code() == rsm::ErrorCode::BadFormat);
    }
    return 0;
}
