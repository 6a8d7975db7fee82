// libFuzzer target: LOG SENSE page 2Eh (TapeAlert) data (sg/tape_alert.h).
//
// Invariants: no read outside the bytes; failures are ERROR_BAD_FORMAT; a parsed page is
// page 2Eh with a 4-byte header; a flag can only be set by a parameter 0001h..0040h that lies
// inside the page, so no more flags than the parameters the page could hold; describe() names
// exactly the flags set.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

#include "sg/tape_alert.h"
#include "tests/fuzz/fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
    using namespace rsm::sg;
    const std::span<const std::uint8_t> bytes(data, size);
    auto alerts = parseTapeAlerts(bytes);
    if (!alerts) {
        FUZZ_CHECK(alerts.error().code() == rsm::ErrorCode::BadFormat);
        return 0;
    }
    FUZZ_CHECK(size >= 4 && (data[0] & 0x3F) == kTapeAlertPage);
    const std::size_t end = std::min(size, 4 + (std::size_t{data[2]} << 8 | data[3]));
    // Each flag needs a parameter of at least 5 bytes (4-byte header, 1 byte of value).
    FUZZ_CHECK(alerts->flags.count() <= (end - 4) / 5);
    const std::string text = alerts->describe();
    std::size_t commas = static_cast<std::size_t>(std::count(text.begin(), text.end(), ','));
    FUZZ_CHECK(alerts->flags.none() ? text.empty() : commas + 1 == alerts->flags.count());
    FUZZ_CHECK(alerts->wantsCleaning() == (alerts->flags[19] || alerts->flags[20]));
    FUZZ_CHECK(!alerts->has(0) && !alerts->has(65));
    return 0;
}
