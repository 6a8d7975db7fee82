// Hostile input on rsmd's socket: garbage, oversize lines, deep nesting, stalls, floods and
// too many connections. Each gets an error reply or a closed connection, and another client
// keeps being served throughout.

#include <doctest/doctest.h>

#include <limits>
#include <map>
#include <memory>
#include <thread>
#include <vector>

#include "tests/rsmd/protocol_session.h"
#include "tests/rsmd/raw_client.h"
#include "tests/rsmd/rsmd_rig.h"

namespace rsm::test {

namespace {

// A client that must keep working while others misbehave.
void stillServed(RawClient &good, const std::string &session) {
    auto r = good.call({{"verb", "pool.list"}, {"session", session}});
    CHECK(r.contains("result"));
}

}  // namespace

TEST_CASE("hostile: lines that are not requests get errors and the connection stays open") {
    RsmdRig rig;
    RawClient c(rig.socket);
    std::string s = c.open();
    REQUIRE(!s.empty());
    const std::vector<std::string> garbage = {
        "not json",
        "{\"verb\":",
        "[1,2,3]",
        "\"hello\"",
        "null",
        std::string("{\"verb\":\"hello\0\"}", 17),
        "{\"verb\":\"\xff\xfe\"}",
        "{\"verb\":42}",
        "{}",
        std::string(1000, '{'),
    };
    for (const std::string &g : garbage) {
        CAPTURE(g.substr(0, 40));
        REQUIRE(c.send(g + "\n"));
        auto r = c.reply();
        CHECK((errorCode(r) == 87 || errorCode(r) == 4317));
    }
    stillServed(c, s);
}

TEST_CASE("hostile: deep nesting within the line limit does not hurt rsmd") {
    RsmdRig rig;
    RawClient good(rig.socket), bad(rig.socket);
    std::string s = good.open();
    const std::size_t depth = 30000;
    REQUIRE(bad.send("{\"verb\":\"hello\",\"x\":" + std::string(depth, '[') +
                     std::string(depth, ']') + "}\n"));
    CHECK(errorCode(bad.reply()) == 87);
    REQUIRE(bad.send(std::string(depth, '[') + std::string(depth, ']') + "\n"));
    CHECK(errorCode(bad.reply()) == 87);
    stillServed(good, s);
}

TEST_CASE("hostile: a line over 64 KiB is refused and its connection closed") {
    RsmdRig rig;
    RawClient good(rig.socket), bad(rig.socket);
    std::string s = good.open();
    bad.open();
    REQUIRE(bad.send("{\"verb\":\"pool.list\",\"pad\":\"" + std::string(70000, 'x') + "\"}\n"));
    auto r = bad.reply();
    CHECK(errorCode(r) == 4336);
    CHECK(r["error"]["name"] == "ERROR_MESSAGE_EXCEEDS_MAX_SIZE");
    CHECK(bad.closedByServer());
    stillServed(good, s);
}

TEST_CASE("hostile: a client that stalls mid-line is closed after the idle timeout") {
    RsmdRig rig("idle_timeout = 1\n");
    RawClient good(rig.socket), staller(rig.socket);
    std::string s = good.open();
    REQUIRE(staller.send("{\"verb\":\"hel"));
    stillServed(good, s);
    CHECK(staller.closedByServer(std::chrono::seconds(10)));
    // The good client was idle as long as the staller (and may be closed too): a new one.
    RawClient next(rig.socket);
    stillServed(next, next.open());
}

TEST_CASE("hostile: a client that floods requests and never reads does not stall others") {
    RsmdRig rig("write_timeout = 2\n");
    RawClient good(rig.socket), flood(rig.socket);
    std::string s = good.open();
    std::string fs = flood.open();
    std::atomic<bool> closed{false};
    std::thread writer([&] {
        std::string request = nlohmann::json{{"verb", "pool.list"}, {"session", fs}}.dump() + "\n";
        std::string burst;
        for (int i = 0; i < 200; ++i)
            burst += request;
        for (int i = 0; i < 2000 && !closed; ++i)
            if (!flood.send(burst))
                closed = true;
    });
    for (int i = 0; i < 20; ++i)
        stillServed(good, s);
    writer.join();
    // The flooder never read a reply: rsmd gave up on it once its writes stalled.
    CHECK(closed.load());
    stillServed(good, s);
}

TEST_CASE("hostile: connections over the limit get ERROR_BUSY and are closed") {
    // Users other than root and the admin group: those have admin_connections more.
    RsmdRig rig("max_connections = 3\n");
    std::vector<std::unique_ptr<RawClient>> clients;
    for (int i = 0; i < 3; ++i) {
        clients.push_back(
            std::make_unique<RawClient>(rig.socket, 5400 + i, std::vector<std::uint32_t>{5400}));
        REQUIRE(!clients.back()->open().empty());
    }
    RawClient extra(rig.socket, 5410, {5410});
    auto r = extra.reply();
    CHECK(errorCode(r) == 170);
    CHECK(extra.closedByServer());
    clients.pop_back();
    // A place freed is a place to take.
    bool served = false;
    for (int i = 0; i < 100 && !served; ++i) {
        RawClient again(rig.socket, 5411, {5411});
        served = !again.open().empty();
        if (!served)
            usleep(20'000);
    }
    CHECK(served);
}

}  // namespace rsm::test

// --- Requests that are wrong in every way a field can be: each gets its error, changes nothing
// in the database, leaves its connection open, and another client keeps being served. ---------

namespace rsm::test {

namespace {

using nlohmann::json;

// A rig with a small model (media type LTO-5, pool "backup" with one labelled medium and an
// LMID on it, an operator request), a root session sending the hostile requests, another
// client that must keep being served, and the database to compare.
struct HostileRig {
    RsmdRig rig;
    DatabaseProbe db{rig};
    ProtocolSession bad{rig};
    ProtocolSession good{rig};
    std::string operatorRequest;
    int inputs = 0;

    HostileRig() {
        REQUIRE(bad.open());
        REQUIRE(good.open());
        bad.ok("mediatype.create", {{"name", "LTO-5"}});
        bad.ok("pool.create", {{"path", "backup"}, {"media_type", "LTO-5"}});
        bad.ok("media.create", {{"media_type", "LTO-5"},
                                {"barcode", "A00001L5"},
                                {"pool", "backup"},
                                {"label_type", "Bacula"},
                                {"label_id", "A00001L5"}});
        bad.ok("lmid.allocate", {{"pool", "backup"}, {"name", "daily-1"}});
        operatorRequest =
            bad.ok("operator.submit",
                   {{"kind", "MESSAGE"}, {"message", "hello"}})["operator_request"]["id"];
    }

    // The bad session's line with `raw` (bytes, not JSON-escaped) as the text of field "@@".
    std::string line(json request, const std::string &raw) {
        request["session"] = bad.session();
        std::string text = request.dump();
        const std::string marker = "\"@@\"";
        auto at = text.find(marker);
        REQUIRE(at != std::string::npos);
        return text.replace(at, marker.size(), "\"" + raw + "\"");
    }
    // Sends a line and returns the reply; the database must be as it was before.
    json refused(const std::string &line) {
        ++inputs;
        const std::string before = db.modelState();
        REQUIRE(bad.raw().send(line + "\n"));
        json reply = bad.raw().reply();
        CHECK(db.modelState() == before);
        return reply;
    }
    void stillServed() {
        CHECK(good.call("pool.list").contains("result"));
        CHECK(bad.call("pool.list").contains("result"));  // the hostile connection too
    }
};

}  // namespace

TEST_CASE("hostile: every truncation of a request is refused and changes nothing") {
    HostileRig h;
    const std::string full = json{{"verb", "pool.create"},
                                  {"session", h.bad.session()},
                                  {"path", "truncated"},
                                  {"media_type", "LTO-5"},
                                  {"description", "a pool made only by the whole line"}}
                                 .dump();
    for (std::size_t n = 1; n < full.size(); ++n) {
        CAPTURE(full.substr(0, n));
        CHECK(errorCode(h.refused(full.substr(0, n))) == 87);
    }
    h.stillServed();
    // The whole line does what it says, once.
    REQUIRE(h.bad.raw().send(full + "\n"));
    CHECK(h.bad.raw().reply().contains("result"));
    CHECK(h.db.number("SELECT count(*) FROM pool WHERE name = 'truncated'") == 1);
    // A request cut short by the client closing its connection does nothing either.
    const std::string before = h.db.modelState();
    {
        ProtocolSession quitter(h.rig);
        REQUIRE(quitter.open());
        std::string half = json{
            {"verb", "pool.create"},
            {"session", quitter.session()},
            {"path", "half"},
            {"media_type",
             "LTO-5"}}.dump();
        REQUIRE(quitter.raw().send(half.substr(0, half.size() / 2)));
    }  // (its destructor's session.close goes into the same unfinished line)
    h.stillServed();
    CHECK(h.db.modelState() == before);
    MESSAGE("truncated requests: " << h.inputs);
}

TEST_CASE("hostile: a field of the wrong type or out of range is ERROR_INVALID_PARAMETER") {
    HostileRig h;
    // Values that are wrong for each kind of field.
    const std::vector<json> notText = {
        42, -1, 1.5, true, false, json::array(), {"x"}, json::object(), json{{"a", "b"}}};
    std::vector<json> requiredText = notText;
    requiredText.push_back("");       // empty is missing
    requiredText.push_back(nullptr);  // null is missing
    const std::vector<json> notFlag = {"true", "false", "yes",         "1",           1,
                                       0,      1.5,     json::array(), json::object()};
    // (out of range for all three integer fields below: sides 1..2, max_allocations
    // 1..1000000, side 0..1)
    const std::vector<json> badInteger = {"2",
                                          2.5,
                                          1.0,
                                          true,
                                          json::array(),
                                          json::object(),
                                          -1,
                                          2'000'000,
                                          1e300,
                                          json(18446744073709551615ULL),
                                          json(std::numeric_limits<std::int64_t>::max()),
                                          json(std::numeric_limits<std::int64_t>::min())};
    const std::vector<json> badUuid = {
        42,
        true,
        json::array(),
        json::object(),
        "",
        "not-a-uuid",
        "123e4567-e89b-12d3-a456-42661417400",     // 35 characters
        "123e4567-e89b-12d3-a456-4266141740000",   // 37
        "123e4567-e89b-12d3-a456-42661417400g",    // not hex
        "123e4567e-89b-12d3-a456-426614174000",    // a dash out of place
        "{123e4567-e89b-12d3-a456-426614174000}",  // braces
        " 123e4567-e89b-12d3-a456-426614174000",   // a space
        "123e4567-e89b-12d3-a456-42661417400\xc3\xa9",
    };
    const std::vector<json> badReference = {42, true,    json::array(), json::object(),
                                            "", nullptr, {"backup"}};
    const std::vector<json> badRights = {"use",   json::array(),    {1},       {"root"},
                                         {"USE"}, {json::object()}, {nullptr}, json{{"use", true}},
                                         7,       {"use", 4}};
    const std::vector<json> badPrincipal = {"root",        "",     "USER", "users", 42,
                                            json::array(), nullptr};
    const std::vector<json> badPrincipalId = {
        -1, "1000", 1.5, json(4294967295ULL), json::array(), nullptr, true};

    struct FieldCase {
        const char *kind;
        json request;  // a request that would succeed, or fail after its fields are read
        const char *field;
        const std::vector<json> &values;
    };
    const std::vector<FieldCase> fields = {
        {"required text",
         {{"verb", "pool.create"}, {"path", "p1"}, {"media_type", "LTO-5"}},
         "path",
         requiredText},
        {"required text", {{"verb", "mediatype.create"}, {"name", "T1"}}, "name", requiredText},
        {"required text",
         {{"verb", "operator.submit"}, {"kind", "MESSAGE"}, {"message", "m"}},
         "message",
         requiredText},
        {"required text",
         {{"verb", "attribute.set"}, {"object", "computer"}, {"name", "a"}, {"value", "v"}},
         "name",
         requiredText},
        {"optional text",
         {{"verb", "pool.create"}, {"path", "p2"}, {"media_type", "LTO-5"}},
         "description",
         notText},
        {"optional text",
         {{"verb", "media.create"}, {"media_type", "LTO-5"}, {"barcode", "B00001L5"}},
         "barcode",
         notText},
        {"optional text",
         {{"verb", "media.create"}, {"media_type", "LTO-5"}, {"barcode", "B00002L5"}},
         "label_type",
         notText},
        {"optional text", {{"verb", "lmid.allocate"}, {"pool", "backup"}}, "name", notText},
        {"optional text",
         {{"verb", "attribute.set"}, {"object", "computer"}, {"name", "a"}, {"value", "v"}},
         "value",
         notText},
        {"flag",
         {{"verb", "pool.create"}, {"path", "p3"}, {"media_type", "LTO-5"}},
         "allocate_from_free",
         notFlag},
        {"flag", {{"verb", "lmid.allocate"}, {"pool", "backup"}}, "new", notFlag},
        {"flag", {{"verb", "operator.list"}}, "all", notFlag},
        {"integer", {{"verb", "mediatype.create"}, {"name", "T2"}}, "sides", badInteger},
        {"integer",
         {{"verb", "pool.create"}, {"path", "p4"}, {"media_type", "LTO-5"}},
         "max_allocations",
         badInteger},
        {"integer", {{"verb", "media.decommission"}, {"media", "A00001L5"}}, "side", badInteger},
        {"uuid",
         {{"verb", "operator.satisfy"}, {"request", h.operatorRequest}},
         "request",
         badUuid},
        {"uuid", {{"verb", "request.cancel"}, {"request", h.operatorRequest}}, "request", badUuid},
        {"uuid", {{"verb", "media.decommission"}}, "side_id", badUuid},
        {"reference", {{"verb", "pool.delete"}, {"pool", "backup"}}, "pool", badReference},
        {"reference", {{"verb", "media.delete"}, {"media", "A00001L5"}}, "media", badReference},
        {"reference", {{"verb", "lmid.deallocate"}, {"lmid", "daily-1"}}, "lmid", badReference},
        {"reference",
         {{"verb", "object.describe"}, {"object", "computer"}, {"description", "d"}},
         "object",
         badReference},
        {"rights",
         {{"verb", "acl.grant"},
          {"object", "computer"},
          {"principal", "user"},
          {"principal_id", 1000},
          {"rights", {"use"}}},
         "rights",
         badRights},
        {"principal",
         {{"verb", "acl.grant"},
          {"object", "computer"},
          {"principal", "user"},
          {"principal_id", 1000},
          {"rights", {"use"}}},
         "principal",
         badPrincipal},
        {"principal id",
         {{"verb", "acl.grant"},
          {"object", "computer"},
          {"principal", "user"},
          {"principal_id", 1000},
          {"rights", {"use"}}},
         "principal_id",
         badPrincipalId},
    };
    std::map<std::string, int> perKind;
    for (const FieldCase &f : fields) {
        for (const json &value : f.values) {
            json request = f.request;
            request[f.field] = value;
            request["session"] = h.bad.session();
            CAPTURE(request.dump());
            json reply = h.refused(request.dump());
            CHECK(errorCode(reply) == 87);
            ++perKind[f.kind];
        }
    }
    // The envelope: id, verb, session, protocol.
    for (const json &id : {json::array(), json::object(), json{{"a", 1}}})
        CHECK(errorCode(h.refused(
                  json{{"id", id}, {"verb", "pool.list"}, {"session", h.bad.session()}}.dump())) ==
              87);
    for (const json &verb : {json(42), json(nullptr), json::array(), json::object(), json(true)})
        CHECK(errorCode(h.refused(json{{"verb", verb}, {"session", h.bad.session()}}.dump())) ==
              87);
    for (const json &session : {json(42), json::array(), json::object(), json("not-a-uuid"),
                                json(""), json("00000000-0000-0000-0000-000000000000"),
                                json(h.good.session())})  // another connection's
        CHECK(errorCode(h.refused(json{{"verb", "pool.list"}, {"session", session}}.dump())) == 6);
    for (const json &version : {json("1"), json(1.0), json(-1), json::array(), json(true)})
        CHECK(errorCode(h.refused(json{{"verb", "hello"}, {"protocol", version}}.dump())) == 87);
    h.stillServed();
    std::string summary;
    for (const auto &[kind, n] : perKind)
        summary += " " + std::string(kind) + "=" + std::to_string(n);
    MESSAGE("wrong field values:" << summary << "; all inputs " << h.inputs);
}

TEST_CASE("hostile: unknown fields and unknown verbs are refused and change nothing") {
    HostileRig h;
    const std::vector<std::string> unknownFields = {"Path",
                                                    "path ",
                                                    " path",
                                                    "paths",
                                                    "__proto__",
                                                    "constructor",
                                                    "sessions",
                                                    "ID",
                                                    std::string("path\0", 5),
                                                    "p\xc3\xa4th",
                                                    "'; DROP TABLE pool; --",
                                                    std::string(1000, 'f')};
    for (const std::string &field : unknownFields) {
        CAPTURE(field);
        json request = {{"verb", "pool.create"},
                        {"session", h.bad.session()},
                        {"path", "u1"},
                        {"media_type", "LTO-5"}};
        request[field] = "x";
        json reply = h.refused(request.dump());
        CHECK(errorCode(reply) == 87);
        // Before any session too: hello and session.open know their fields.
        json hello = {{"verb", "hello"}, {"protocol", 1}};
        hello[field] = 1;
        CHECK(errorCode(h.refused(hello.dump())) == 87);
        json open = {{"verb", "session.open"}, {"application", "x"}};
        open[field] = 1;
        CHECK(errorCode(h.refused(open.dump())) == 87);
    }
    // An unknown verb is ERROR_INVALID_OPERATION (docs/protocol.md), the connection stays.
    const std::vector<std::string> unknownVerbs = {"pool.drop",
                                                   "POOL.LIST",
                                                   "pool.list ",
                                                   " pool.list",
                                                   "pool",
                                                   "pool.",
                                                   ".list",
                                                   "",
                                                   "hello2",
                                                   std::string("pool.list\0", 10),
                                                   "pool.list\n",
                                                   "p\xc3\xb6ol.list",
                                                   "'; DROP TABLE pool; --",
                                                   "session.close; pool.delete",
                                                   std::string(60000, 'v')};
    for (const std::string &verb : unknownVerbs) {
        CAPTURE(verb.substr(0, 40));
        json reply = h.refused(json{{"verb", verb}, {"session", h.bad.session()}}.dump());
        CHECK(errorCode(reply) == 4317);
        CHECK(reply["error"]["name"] == "ERROR_INVALID_OPERATION");
    }
    h.stillServed();
    MESSAGE("unknown fields and verbs: " << h.inputs);
}

TEST_CASE("hostile: NUL bytes, non-UTF-8 and broken escapes in every text field are refused") {
    HostileRig h;
    // Requests with one text field "@@" each (the hostile bytes go there).
    const std::vector<json> requests = {
        {{"verb", "pool.create"}, {"path", "@@"}, {"media_type", "LTO-5"}},
        {{"verb", "pool.create"}, {"path", "n1"}, {"media_type", "LTO-5"}, {"description", "@@"}},
        {{"verb", "mediatype.create"}, {"name", "@@"}},
        {{"verb", "media.create"}, {"media_type", "LTO-5"}, {"barcode", "@@"}},
        {{"verb", "media.create"},
         {"media_type", "LTO-5"},
         {"barcode", "C00001L5"},
         {"name", "@@"}},
        {{"verb", "media.create"},
         {"media_type", "LTO-5"},
         {"barcode", "C00002L5"},
         {"label_id", "@@"}},
        {{"verb", "lmid.allocate"}, {"pool", "backup"}, {"name", "@@"}},
        {{"verb", "object.rename"}, {"object", "pool:backup"}, {"name", "@@"}},
        {{"verb", "object.describe"}, {"object", "media:A00001L5"}, {"description", "@@"}},
        {{"verb", "attribute.set"}, {"object", "computer"}, {"name", "@@"}, {"value", "v"}},
        {{"verb", "attribute.set"}, {"object", "computer"}, {"name", "a"}, {"value", "@@"}},
        {{"verb", "operator.submit"}, {"kind", "MESSAGE"}, {"message", "@@"}},
        {{"verb", "pool.show"}, {"pool", "@@"}},
        {{"verb", "media.show"}, {"media", "@@"}},
    };
    // Raw bytes inside the JSON string: NUL and control characters JSON wants escaped, invalid
    // UTF-8, and escapes that decode to a NUL byte or to no character at all.
    const std::vector<std::pair<const char *, std::string>> hostile = {
        {"raw NUL", std::string("A\0B", 3)},
        {"raw control character",
         "A\x01"
         "B"},
        {"escaped NUL", "A\\u0000B"},
        {"escaped NUL at the end", "AB\\u0000"},
        {"lone byte 0xff",
         "A\xff"
         "B"},
        {"Latin-1 e-acute", "caf\xe9"},
        {"overlong slash",
         "A\xc0\xaf"
         "B"},
        {"UTF-16 surrogate in UTF-8",
         "A\xed\xa0\x80"
         "B"},
        {"truncated sequence", "A\xe2\x82"},
        {"5-byte sequence",
         "A\xf8\x88\x80\x80\x80"
         "B"},
        {"code point above U+10FFFF",
         "A\xf4\x90\x80\x80"
         "B"},
        {"lone high surrogate escape", "A\\ud800B"},
        {"lone low surrogate escape", "A\\udc00B"},
        {"bad escape", "A\\xB"},
        {"short unicode escape", "A\\u12"},
    };
    std::map<std::string, int> perInput;
    for (const json &request : requests)
        for (const auto &[what, bytes] : hostile) {
            CAPTURE(request.dump());
            const std::string input = what;
            CAPTURE(input);
            json reply = h.refused(h.line(request, bytes));
            CHECK(errorCode(reply) == 87);
            ++perInput[what];
        }
    h.stillServed();
    CHECK(h.db.number("SELECT count(*) FROM pool WHERE name LIKE 'A%'") == 0);
    CHECK(h.db.number("SELECT count(*) FROM physical_media WHERE barcode LIKE 'A%' AND barcode <> "
                      "'A00001L5'") == 0);
    MESSAGE("NUL and non-UTF-8: " << h.inputs << " inputs (" << requests.size() << " fields x "
                                  << hostile.size() << " byte sequences)");
}

TEST_CASE("hostile: quotes and SQL in names and barcodes are stored verbatim, or refused") {
    HostileRig h;
    const std::vector<std::string> values = {
        "'; DROP TABLE pool; --",
        "x' OR '1'='1",
        "Robert'); DROP TABLE physical_media;--",  // 38 bytes: too long for a barcode
        "\"double\" 'single' `back`",
        "back\\slash\\",
        "$$; DROP TABLE acl; $$",
        "%s%n%x%d",
        "E'\\\\x00'",
        "--",
        "/*",
        "; SELECT pg_sleep(10); --",
        "B\xc3\xa4nder \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x8e\x9e",  // valid UTF-8: Bänder 日本
                                                                    // 🎞
    };
    const std::string tables = "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'";
    const long tableCount = h.db.number(tables);
    int stored = 0, refused = 0;
    auto outcome = [&](const json &reply, bool fits) {
        if (reply.contains("result")) {
            ++stored;
            return true;
        }
        CHECK(errorCode(reply) == 87);
        CHECK_FALSE(fits);  // refused only when the rules of the field say so
        ++refused;
        return false;
    };
    int n = 0;
    for (const std::string &v : values) {
        CAPTURE(v);
        ++n;
        const bool isPoolName =
            v.find('/') == std::string::npos && v.find(':') == std::string::npos;
        // A pool by that name, read back by that name.
        auto before = h.db.modelState();
        if (outcome(h.bad.call("pool.create", {{"path", v}, {"media_type", "LTO-5"}}),
                    isPoolName)) {
            CHECK(h.bad.ok("pool.show", {{"pool", v}})["pool"]["name"] == v);
        } else {
            CHECK(h.db.modelState() == before);
        }
        // A medium with that barcode, name and description, read back by barcode.
        const bool fitsBarcode = v.size() <= 32;
        before = h.db.modelState();
        if (outcome(h.bad.call("media.create", {{"media_type", "LTO-5"},
                                                {"barcode", v},
                                                {"name", v},
                                                {"description", v},
                                                {"pool", "backup"},
                                                {"label_type", "Bacula"},
                                                {"label_id", v}}),
                    fitsBarcode)) {
            json m = h.bad.ok("media.show", {{"media", v}})["media"];
            CHECK(m["barcode"] == v);
            CHECK(m["name"] == v);
            CHECK(m["description"] == v);
            CHECK(m["sides"][0]["label_id"] == v);
            // An LMID named so on it.
            h.bad.ok("lmid.allocate", {{"pool", "backup"}, {"name", v}});
            CHECK(h.bad.ok("lmid.show", {{"lmid", v}})["lmid"]["name"] == v);
        } else {
            CHECK(h.db.modelState() == before);
        }
        // Attributes, operator messages and a session's application name.
        h.bad.ok("attribute.set",
                 {{"object", "computer"}, {"name", "attr" + std::to_string(n)}, {"value", v}});
        CHECK(h.bad.ok("attribute.get", {{"object", "computer"},
                                         {"name", "attr" + std::to_string(n)}})["value"] == v);
        if (v.size() <= 64) {
            h.bad.ok("attribute.set", {{"object", "computer"}, {"name", v}, {"value", "named"}});
            CHECK(h.bad.ok("attribute.get", {{"object", "computer"}, {"name", v}})["value"] ==
                  "named");
        }
        std::string id = h.bad.ok("operator.submit",
                                  {{"kind", "MESSAGE"}, {"message", v}})["operator_request"]["id"];
        CHECK(h.bad.ok("operator.show", {{"request", id}})["operator_request"]["message"] == v);
        RawClient app(h.rig.socket);
        app.call({{"verb", "hello"}, {"protocol", 1}});
        CHECK(app.call({{"verb", "session.open"}, {"application", v}}).contains("result"));
        // References by that text find nothing else.
        CHECK(errorName(h.bad.call("pool.show", {{"pool", v + "x"}})) ==
              "ERROR_INVALID_MEDIA_POOL");
        CHECK(errorName(h.bad.call("media.show", {{"media", v + "x"}})) == "ERROR_INVALID_MEDIA");
        CHECK(h.db.number(tables) == tableCount);
    }
    // Every table is still there, and still holds what it held.
    CHECK(h.db.number(tables) == tableCount);
    for (const char *table : {"pool", "physical_media", "acl", "event_log", "session", "side",
                              "logical_media", "attribute", "operator_request"})
        CHECK(!h.db.text(std::string("SELECT to_regclass('public.") + table + "')").empty());
    CHECK(h.db.number("SELECT count(*) FROM physical_media WHERE barcode = 'A00001L5'") == 1);
    CHECK(h.db.number("SELECT count(*) FROM acl") > 0);
    h.stillServed();
    MESSAGE("quotes and SQL: " << values.size() << " values, " << stored
                               << " stored and read back, " << refused << " refused");
}

}  // namespace rsm::test

namespace rsm::test {

TEST_CASE("hostile: a new name follows the rules of the name it replaces") {
    HostileRig h;
    h.db.exec("INSERT INTO library (name, kind, device) VALUES ('paper', 1, '/dev/null')");
    // Names that would break references by name ("library:NAME", pool paths, "free:LTO-5").
    const std::vector<std::string> objects = {"library:paper", "pool:backup", "media_type:LTO-5"};
    const std::vector<std::string> names = {"a:b", "a/b", "", "tab\there", "del\x7f", "free:LTO-5"};
    for (const std::string &object : objects)
        for (const std::string &name : names) {
            CAPTURE(object);
            CAPTURE(name);
            CHECK(errorCode(h.refused(json{
                      {"verb", "object.rename"},
                      {"session", h.bad.session()},
                      {"object", object},
                      {"name", name}}.dump())) == 87);
        }
    // Names and barcodes of things nobody finds by a structured name take any text.
    h.bad.ok("object.rename", {{"object", "media:A00001L5"}, {"name", "a:b/c"}});
    CHECK(h.bad.ok("media.show", {{"media", "A00001L5"}})["media"]["name"] == "a:b/c");
    h.stillServed();
}

}  // namespace rsm::test
