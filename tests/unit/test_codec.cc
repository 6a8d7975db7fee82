// The protocol's codec as rsmctl reads rsmd's error replies, and as rsmd writes lines holding a
// device's bytes: the cases tests/fuzz/fuzz_protocol_json and fuzz_element_status found.

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "src/protocol/codec.h"

namespace rsm::protocol {

using nlohmann::json;

TEST_CASE("codec: an error's sense is read only from integer members") {
    const json good = {{"code", 4319},
                       {"name", "ERROR_DEVICE_NOT_AVAILABLE"},
                       {"message", "m"},
                       {"sense", {{"key", 2}, {"asc", 0x04}, {"ascq", 0x01}}}};
    const Error e = errorFromJson(good);
    CHECK(e.code() == ErrorCode::DeviceNotAvailable);
    REQUIRE(e.sense().has_value());
    CHECK(e.sense()->key == 2);
    CHECK(e.sense()->asc == 0x04);
    CHECK(e.sense()->ascq == 0x01);

    // A string key threw json::type_error; 1e300 was converted to int (undefined behaviour).
    for (const json &key : {json("5"), json(1e300), json(nullptr), json::array()}) {
        json bad = good;
        bad["sense"]["key"] = key;
        const Error f = errorFromJson(bad);
        CHECK(f.code() == ErrorCode::DeviceNotAvailable);
        CHECK(f.message() == "m");
        CHECK(!f.sense().has_value());
    }
    json oddAsc = good;
    oddAsc["sense"]["asc"] = "x";
    const Error g = errorFromJson(oddAsc);
    REQUIRE(g.sense().has_value());
    CHECK(g.sense()->key == 2);
    CHECK(g.sense()->asc == 0);
}

TEST_CASE("codec: a line holding bytes that are not UTF-8 is written, not thrown") {
    // A drive's DVCID identifier in Latin-1: plain dump() threw on rsmd's worker thread.
    const json value = {{"identifier", std::string("caf\xe9")}};
    CHECK_THROWS(value.dump());
    CHECK(dumpLine(value) == "{\"identifier\":\"caf\xef\xbf\xbd\"}");
    CHECK(resultLine(1, value) == "{\"id\":1,\"result\":{\"identifier\":\"caf\xef\xbf\xbd\"}}");
}

// Issue 14, finding 14(f): a request with a key twice was read as the last one said.
TEST_CASE("codec: a request line's duplicate keys are found, at any depth") {
    const ParsedLine twice = parseLine(R"({"id":1,"verb":"pool show","verb":"pool delete"})");
    REQUIRE(twice.value.is_object());
    REQUIRE(twice.duplicateKey.has_value());
    CHECK(*twice.duplicateKey == "verb");

    const ParsedLine nested =
        parseLine(R"({"id":2,"verb":"x","params":{"name":"a","pool":"p","name":"b"}})");
    REQUIRE(nested.duplicateKey.has_value());
    CHECK(*nested.duplicateKey == "name");

    // Equal keys in different objects, or as values, are no duplicates.
    const ParsedLine fine =
        parseLine(R"({"id":3,"verb":"v","a":{"id":1,"verb":2},"b":[{"k":1},{"k":2}],"c":"verb"})");
    REQUIRE(fine.value.is_object());
    CHECK_FALSE(fine.duplicateKey.has_value());
    CHECK(fine.value["a"]["verb"] == 2);
    CHECK(fine.value["b"][1]["k"] == 2);

    // Escapes are read before comparing: "v\u0065rb" is "verb".
    const ParsedLine escaped = parseLine(R"({"verb":"a","v\u0065rb":"b"})");
    REQUIRE(escaped.duplicateKey.has_value());
    CHECK(*escaped.duplicateKey == "verb");

    // Not JSON: discarded, as before.
    CHECK(parseLine("{\"id\":").value.is_discarded());
    CHECK(parseLine("[1,2]").value.is_array());
}

}  // namespace rsm::protocol
