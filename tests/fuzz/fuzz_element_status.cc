// libFuzzer target: READ ELEMENT STATUS data (sg/element_status.h), as a library or tgtd
// sends it, then through the JSON rsmd hands to `rsmctl mtx` (src/protocol/elements.h).
//
// Invariants:
// - the parser never reads outside the bytes (AddressSanitizer) and never fails other than
//   with ERROR_BAD_FORMAT;
// - every element came from at least 2 received bytes of a page behind an 8-byte header, so
//   the count is at most (received - 8) / 2 (received: the bytes up to the declared end);
// - element types are 1..4; volume tags hold exactly 32 identifier bytes; IE flags only on IE
//   ports, LUN/ID only on drives;
// - elementsToJson -> one protocol line -> parse -> elementsFromJson gives the same elements
//   (the first, middle and last; identifiers are compared when they are valid UTF-8: the
//   line replaces other bytes), and the JSON is always written, never an exception (the
//   library worker's dump() of it threw on a non-UTF-8 identifier, which aborted rsmd).

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sg/element_status.h"
#include "src/protocol/codec.h"
#include "src/protocol/elements.h"
#include "tests/fuzz/fuzz_check.h"

namespace {

using rsm::sg::Element;
using rsm::sg::ElementType;

// Whether nlohmann::json keeps the string as it is (valid UTF-8): what dump() with
// error_handler_t::replace leaves alone.
bool validUtf8(const std::string &s) {
    return nlohmann::json(s).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) ==
           nlohmann::json(s).dump(-1, ' ', false, nlohmann::json::error_handler_t::ignore);
}

bool sameTag(const std::optional<rsm::sg::VolumeTag> &a,
             const std::optional<rsm::sg::VolumeTag> &b) {
    if (a.has_value() != b.has_value())
        return false;
    return !a || (a->identifier == b->identifier && a->sequence == b->sequence);
}

bool same(const Element &a, const Element &b) {
    const bool identifiers =
        a.identifier.has_value() == b.identifier.has_value() &&
        (!a.identifier || !validUtf8(*a.identifier) || *a.identifier == *b.identifier);
    return a.type == b.type && a.address == b.address && a.full == b.full &&
           a.exception == b.exception && a.accessible == b.accessible &&
           a.importExport == b.importExport && a.importEnabled == b.importEnabled &&
           a.exportEnabled == b.exportEnabled && a.asc == b.asc && a.ascq == b.ascq &&
           a.sourceAddress == b.sourceAddress && a.invert == b.invert &&
           sameTag(a.primaryTag, b.primaryTag) && sameTag(a.alternateTag, b.alternateTag) &&
           identifiers && a.scsiLun == b.scsiLun && a.scsiId == b.scsiId;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
    const std::span<const std::uint8_t> bytes(data, size);
    auto report = rsm::sg::parseElementStatus(bytes);
    if (!report) {
        FUZZ_CHECK(report.error().code() == rsm::ErrorCode::BadFormat);
        return 0;
    }
    FUZZ_CHECK(size >= 8);
    const std::size_t declaredEnd = 8 + std::size_t{report->reportBytesAvailable};
    const std::size_t received = std::min(size, declaredEnd);
    FUZZ_CHECK(report->elements.size() <= (received - 8) / 2);
    for (const Element &e : report->elements) {
        const auto type = static_cast<int>(e.type);
        FUZZ_CHECK(type >= 1 && type <= 4);
        if (e.primaryTag)
            FUZZ_CHECK(e.primaryTag->identifier.size() == 32);
        if (e.alternateTag)
            FUZZ_CHECK(e.alternateTag->identifier.size() == 32);
        if (e.type != ElementType::ImportExport)
            FUZZ_CHECK(!e.importExport && !e.importEnabled && !e.exportEnabled);
        if (e.type != ElementType::DataTransfer)
            FUZZ_CHECK(!e.scsiLun && !e.scsiId);
        if (e.type != ElementType::ImportExport && e.type != ElementType::DataTransfer)
            FUZZ_CHECK(e.accessible);
        if (e.identifier)
            FUZZ_CHECK(e.identifier->size() <= 2 * 255);
    }

    // What mtx's status reads without building Elements (sg::Changer::scan): the same
    // descriptors, and the fields the descriptor decodes itself agree with the Element's.
    std::size_t visited = 0;
    auto scanned = rsm::sg::scanElementStatus(bytes, [&](const rsm::sg::ElementDescriptor &d) {
        FUZZ_CHECK(visited < report->elements.size());
        const Element &e = report->elements[visited++];
        FUZZ_CHECK(same(d.element(), e));
        FUZZ_CHECK(d.type() == e.type && d.address() == e.address && d.full() == e.full);
        FUZZ_CHECK(d.asc() == e.asc && d.ascq() == e.ascq && d.sourceAddress() == e.sourceAddress);
        FUZZ_CHECK(d.primaryIdentifier() ==
                   (e.primaryTag ? std::string_view(e.primaryTag->identifier) : ""));
        FUZZ_CHECK(d.alternateIdentifier() ==
                   (e.alternateTag ? std::string_view(e.alternateTag->identifier) : ""));
    });
    FUZZ_CHECK(scanned.ok() && scanned->truncated == report->truncated);
    FUZZ_CHECK(visited == report->elements.size());

    // Through rsmd's reply line and back, as `rsmctl mtx` receives it: the first, the middle
    // and the last element (each element takes the same path, and the JSON library's code is
    // slow under the sanitizers and the fuzzer's instrumentation).
    std::vector<Element> some;
    const std::size_t n = report->elements.size();
    for (std::size_t i = 0; i < n; i = i < n / 2 ? n / 2 : (i < n - 1 ? n - 1 : n))
        some.push_back(report->elements[i]);
    // The result of library.mtx as its job stores it (src/library/jobs/mtx.cc: dumpLine, where
    // dump() threw on an identifier that is not UTF-8), and the reply line that carries it.
    const nlohmann::json result = {{"elements", rsm::protocol::elementsToJson(some)}};
    FUZZ_CHECK(
        !nlohmann::json::parse(rsm::protocol::dumpLine(result), nullptr, false).is_discarded());
    const std::string line = rsm::protocol::resultLine(1, result);
    FUZZ_CHECK(line.find('\n') == std::string::npos);
    const auto parsed = nlohmann::json::parse(line, nullptr, false);
    FUZZ_CHECK(!parsed.is_discarded());
    auto back =
        rsm::protocol::elementsFromJson(parsed["result"].value("elements", nlohmann::json()));
    FUZZ_CHECK(back.ok());
    FUZZ_CHECK(back->size() == some.size());
    for (std::size_t i = 0; i < back->size(); ++i)
        FUZZ_CHECK(same(some[i], (*back)[i]));
    return 0;
}
