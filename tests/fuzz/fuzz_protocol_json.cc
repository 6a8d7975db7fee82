// libFuzzer target: the JSON of rsmd's protocol that a client decodes (src/protocol/codec.h,
// src/protocol/elements.h): error objects, element status and INQUIRY data, from any text.
// The input is parsed as JSON (a document, or a reply line {"id":…,"result"|"error":…}); every
// decoder is run on the document and on its "result" and "error" members.
//
// Invariants: no decoder throws or crashes, whatever the JSON; what a decoder accepts
// re-encodes to JSON it decodes to the same values (elements, INQUIRY data, errors); the reply
// lines the codec builds are one line of valid JSON holding the id they were given.

#include <cstddef>
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "src/protocol/codec.h"
#include "src/protocol/elements.h"
#include "tests/fuzz/fuzz_check.h"

namespace {

using nlohmann::json;
using namespace rsm;

void checkLine(const std::string &line, const json &id) {
    FUZZ_CHECK(line.find('\n') == std::string::npos);
    const json parsed = json::parse(line, nullptr, false);
    FUZZ_CHECK(!parsed.is_discarded() && parsed.is_object());
    FUZZ_CHECK(parsed.contains("id"));
    // Numbers may come back in another representation (1.0 -> 1.0); compare their text.
    FUZZ_CHECK(parsed["id"].dump() == protocol::dumpLine(id));
}

void errors(const json &j) {
    const Error first = protocol::errorFromJson(j);
    const json encoded = protocol::errorJson(first);
    const Error second = protocol::errorFromJson(json::parse(protocol::dumpLine(encoded)));
    FUZZ_CHECK(second.code() == first.code());
    if (protocol::dumpLine(first.message()) ==
        json(first.message()).dump(-1, ' ', false, json::error_handler_t::ignore))
        FUZZ_CHECK(second.message() == first.message());  // valid UTF-8 survives as it is
    FUZZ_CHECK(second.sense().has_value() == first.sense().has_value());
    if (first.sense())
        FUZZ_CHECK(*second.sense() == *first.sense());
    checkLine(protocol::errorLine(7, first), 7);
}

void elements(const json &j) {
    auto first = protocol::elementsFromJson(j);
    if (!first) {
        FUZZ_CHECK(first.error().code() == ErrorCode::BadFormat);
        return;
    }
    const json encoded = protocol::elementsToJson(*first);
    FUZZ_CHECK(encoded.size() == first->size());
    auto second = protocol::elementsFromJson(json::parse(encoded.dump()));
    FUZZ_CHECK(second.ok());
    FUZZ_CHECK(protocol::elementsToJson(*second) == encoded);
}

void inquiry(const json &j) {
    auto first = protocol::inquiryFromJson(j);
    if (!first) {
        FUZZ_CHECK(first.error().code() == ErrorCode::BadFormat);
        return;
    }
    const json encoded = protocol::inquiryToJson(*first);
    auto second = protocol::inquiryFromJson(json::parse(encoded.dump()));
    FUZZ_CHECK(second.ok());
    FUZZ_CHECK(protocol::inquiryToJson(*second) == encoded);
}

void all(const json &j) {
    errors(j);
    elements(j);
    inquiry(j);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
    const json document = json::parse(data, data + size, nullptr, false);
    if (document.is_discarded())
        return 0;
    all(document);
    if (document.is_object()) {
        for (const char *member : {"result", "error"})
            if (document.contains(member))
                all(document[member]);
        if (document.contains("result") && document["result"].is_object())
            for (const char *member : {"elements", "inquiry"})
                if (document["result"].contains(member))
                    all(document["result"][member]);
        const json id = document.value("id", json());
        if (id.is_primitive()) {
            checkLine(protocol::resultLine(id, document), id);
            checkLine(protocol::errorLine(id, Error(ErrorCode::InvalidParameter, "x")), id);
        }
    }
    return 0;
}
