// libFuzzer target: VPD page 83h (device identification, sg/vpd.h), and drive matching
// (sg/discovery.h) over the designators it gives.
//
// Invariants: no read outside the bytes; failures are ERROR_BAD_FORMAT; a parsed page is page
// 83h whose page length fits the bytes received, and its designators are exactly the
// descriptors that fill the page length, in order, with their header fields and bytes; the text
// of an ASCII or UTF-8 designator is a trimmed piece of it, of any other code set its lowercase
// hex; every designator that is not a port number, taken as a library's identifier, finds the
// tape drive that has it (unless two of the page's designators have the same text, which is no
// ambiguity: one device).

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "sg/discovery.h"
#include "sg/vpd.h"
#include "tests/fuzz/fuzz_check.h"

namespace {

bool isPortNumber(std::uint8_t type) {
    using namespace rsm::sg::designator_type;
    return type == RelativeTargetPort || type == TargetPortGroup || type == LogicalUnitGroup;
}

bool isBlank(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\0';
}

void checkText(const rsm::sg::Designator &d) {
    using namespace rsm::sg;
    const std::string text = designatorText(d);
    const std::string_view value(reinterpret_cast<const char *>(d.value.data()), d.value.size());
    if (d.codeSet == code_set::Ascii || d.codeSet == code_set::Utf8) {
        FUZZ_CHECK(text.size() <= value.size());
        FUZZ_CHECK(text.empty() || value.find(text) != std::string_view::npos);
        FUZZ_CHECK(text.empty() ||
                   (text.front() != ' ' && text.back() != ' ' && text.back() != '\0'));
    } else {
        FUZZ_CHECK(text.size() == 2 * value.size());
        for (char c : text)
            FUZZ_CHECK((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'));
    }
    FUZZ_CHECK(!designatorTypeName(d.type).empty());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
    using namespace rsm::sg;
    auto parsed = parseDeviceIdentification(std::span<const std::uint8_t>(data, size));
    if (!parsed) {
        FUZZ_CHECK(parsed.error().code() == rsm::ErrorCode::BadFormat);
        return 0;
    }
    FUZZ_CHECK(size >= 4 && data[1] == kDeviceIdentificationPage);
    const std::size_t end = 4 + (std::size_t{data[2]} << 8 | data[3]);
    FUZZ_CHECK(end <= size);

    std::size_t pos = 4;
    for (const Designator &d : *parsed) {
        FUZZ_CHECK(pos + 4 <= end);
        FUZZ_CHECK(d.codeSet == (data[pos] & 0x0F));
        FUZZ_CHECK(d.association == ((data[pos + 1] >> 4) & 0x03));
        FUZZ_CHECK(d.type == (data[pos + 1] & 0x0F));
        FUZZ_CHECK(d.value.size() == data[pos + 3]);
        FUZZ_CHECK(pos + 4 + d.value.size() <= end);
        FUZZ_CHECK(std::vector<std::uint8_t>(data + pos + 4, data + pos + 4 + d.value.size()) ==
                   d.value);
        pos += 4 + d.value.size();
        checkText(d);
    }
    FUZZ_CHECK(pos == end);

    std::vector<ScsiDevice> devices(1);
    devices[0].sgPath = "/dev/sg1";
    devices[0].peripheralType = 1;
    devices[0].designators = *parsed;
    for (const Designator &d : *parsed) {
        const std::string text = designatorText(d);
        std::string_view trimmed = text;
        while (!trimmed.empty() && isBlank(trimmed.front()))
            trimmed.remove_prefix(1);
        while (!trimmed.empty() && isBlank(trimmed.back()))
            trimmed.remove_suffix(1);
        const DriveMatch m = matchDrive(devices, text);
        if (isPortNumber(d.type) || trimmed.empty())
            continue;
        FUZZ_CHECK(m.device == &devices[0]);
        FUZZ_CHECK(m.reason.empty() && !m.how.empty());
    }
    return 0;
}
