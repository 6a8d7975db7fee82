// libFuzzer target: LOG SENSE pages of drive health (sg/log_pages.h): the parameter walker,
// volume statistics (17h) and the error counters (02h, 03h).
//
// Invariants: no read outside the bytes; failures are ERROR_BAD_FORMAT; a parsed page is the
// page asked for with a 4-byte header; the walker's parameters lie inside the page, in order,
// each with its 4-byte header; a counter has 1 to 8 bytes; the parsers agree with the walker
// on success.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>

#include "sg/log_pages.h"
#include "tests/fuzz/fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
    using namespace rsm::sg;
    const std::span<const std::uint8_t> bytes(data, size);
    const std::uint8_t page = size > 0 ? (data[0] & 0x3F) : 0;
    auto parameters = logParameters(bytes, page, "fuzzed");
    if (!parameters) {
        FUZZ_CHECK(parameters.error().code() == rsm::ErrorCode::BadFormat);
    } else {
        FUZZ_CHECK(size >= 4);
        const std::size_t end = std::min(size, 4 + (std::size_t{data[2]} << 8 | data[3]));
        const std::uint8_t *last = data + 4;
        for (const LogParameter &p : *parameters) {
            FUZZ_CHECK(p.value.data() >= last + 4);
            FUZZ_CHECK(p.value.data() + p.value.size() <= data + end);
            last = p.value.data() + p.value.size();
            if (auto value = counterValue(p))
                FUZZ_CHECK(!p.value.empty() && p.value.size() <= 8);
        }
    }
    auto volume = parseVolumeStatistics(bytes);
    FUZZ_CHECK(volume.ok() == (parameters.ok() && page == kVolumeStatisticsPage));
    if (volume && volume->volumeSerial)
        FUZZ_CHECK(!volume->volumeSerial->empty() && volume->volumeSerial->size() < size);
    for (std::uint8_t counters : {kWriteErrorCounterPage, kReadErrorCounterPage}) {
        auto c = parseErrorCounters(bytes, counters);
        FUZZ_CHECK(c.ok() == (parameters.ok() && page == counters));
        if (!c)
            FUZZ_CHECK(c.error().code() == rsm::ErrorCode::BadFormat);
    }
    return 0;
}
