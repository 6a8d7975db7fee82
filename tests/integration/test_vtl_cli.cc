// rsmctl changer against tgtd's virtual library: the JSON status is checked element by element
// against the library's shape, errors against their exact text, and a dead target against the
// clock.

#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <random>

#include "tests/integration/vtl_library.h"
#include "tests/support/run.h"

using nlohmann::json;
using rsm::test::RunResult;
using rsm::test::VirtualLibrary;

namespace {

RunResult rsmctl(const VirtualLibrary &vtl, std::vector<std::string> args) {
    std::vector<std::string> argv = {rsm::test::rsmctlPath(), "changer", "--device",
                                     vtl.changerUrl()};
    argv.insert(argv.end(), args.begin(), args.end());
    return rsm::test::run(argv);
}

json statusJson(const VirtualLibrary &vtl) {
    RunResult r = rsmctl(vtl, {"status", "--json"});
    INFO("stderr: " << r.err);
    REQUIRE(r.status == 0);
    return json::parse(r.out);
}

// What the library must report: every element of the shape exactly once, the tapes where
// vtl-start put them.
void checkStatus(const VirtualLibrary &vtl, const json &doc) {
    const auto &shape = vtl.shape();
    REQUIRE(doc.contains("elements"));
    const json &elements = doc["elements"];
    std::map<std::string, std::vector<const json *>> byType;
    for (const json &e : elements)
        byType[e["type"].get<std::string>()].push_back(&e);
    CHECK(byType["transport"].size() == 1);
    REQUIRE(byType["slot"].size() == static_cast<std::size_t>(shape.slots));
    CHECK(byType["drive"].size() == static_cast<std::size_t>(shape.drives));
    CHECK(byType["ieport"].size() == static_cast<std::size_t>(shape.ieports));
    CHECK(elements.size() ==
          static_cast<std::size_t>(1 + shape.slots + shape.drives + shape.ieports));

    std::map<int, std::string> tapeAt;
    for (std::size_t i = 0; i < vtl.barcodes().size(); ++i)
        tapeAt[vtl.tapeSlots()[i]] = vtl.barcodes()[i];
    for (int i = 0; i < shape.slots; ++i) {
        const json &e = *byType["slot"][static_cast<std::size_t>(i)];
        const int address = vtl.slot(i);
        REQUIRE(e["address"].get<int>() == address);
        auto tape = tapeAt.find(address);
        if (tape != tapeAt.end()) {
            CHECK(e["full"].get<bool>());
            CHECK(e["volume_tag"] == tape->second);
        } else {
            CHECK(!e["full"].get<bool>());
            CHECK(e["volume_tag"].is_null());
        }
        CHECK(e["source_address"].is_null());
    }
    for (int i = 0; i < shape.drives; ++i) {
        const json &e = *byType["drive"][static_cast<std::size_t>(i)];
        CHECK(e["address"].get<int>() == vtl.drive(i));
        CHECK(!e["full"].get<bool>());
    }
    for (int i = 0; i < shape.ieports; ++i)
        CHECK((*byType["ieport"][static_cast<std::size_t>(i)])["address"].get<int>() ==
              vtl.ieport(i));
}

const json &element(const json &doc, int address) {
    for (const json &e : doc["elements"])
        if (e["address"].get<int>() == address)
            return e;
    FAIL("no element " << address);
    throw std::logic_error("unreachable");
}

}  // namespace

TEST_CASE("rsmctl changer status --json describes a small library exactly") {
    VirtualLibrary::Shape shape;
    shape.slots = 12;
    shape.slotStart = 4096;
    shape.drives = 3;
    shape.driveStart = 100;
    shape.ieports = 2;
    shape.ieStart = 30000;
    shape.transportStart = 7;
    shape.barcodes = {"A00001L8", "B00002L8", "CLN001L1", "X"};
    shape.tapeSlots = {4096, 4100, 4107, 4098};
    VirtualLibrary vtl(shape);
    json doc = statusJson(vtl);
    checkStatus(vtl, doc);
    CHECK(element(doc, 7)["type"] == "transport");
}

TEST_CASE("rsmctl changer status --json reads a 10,000-slot library completely") {
    VirtualLibrary::Shape shape;
    shape.slots = 10000;
    shape.slotStart = 1000;
    shape.drives = 4;
    shape.driveStart = 500;
    shape.ieports = 8;
    shape.ieStart = 20;
    std::mt19937 random(42);
    std::vector<std::uint16_t> all(10000);
    for (int i = 0; i < 10000; ++i)
        all[static_cast<std::size_t>(i)] = static_cast<std::uint16_t>(1000 + i);
    std::shuffle(all.begin(), all.end(), random);
    for (int i = 0; i < 250; ++i) {
        shape.tapeSlots.push_back(all[static_cast<std::size_t>(i)]);
        char name[16];
        std::snprintf(name, sizeof name, "V%05dL6", i);
        shape.barcodes.push_back(name);
    }
    shape.tapeSlots.push_back(1000);  // the first and the last slot too
    shape.barcodes.push_back("FIRST1L6");
    shape.tapeSlots.push_back(10999);
    shape.barcodes.push_back("LAST01L6");
    std::sort(shape.tapeSlots.begin(), shape.tapeSlots.end());
    shape.tapeSlots.erase(std::unique(shape.tapeSlots.begin(), shape.tapeSlots.end()),
                          shape.tapeSlots.end());
    shape.barcodes.resize(shape.tapeSlots.size());
    VirtualLibrary vtl(shape);
    json doc = statusJson(vtl);
    checkStatus(vtl, doc);

    // Small chunks read the same thing.
    RunResult chunked = rsmctl(vtl, {"--chunk", "333", "status", "--json"});
    REQUIRE(chunked.status == 0);
    CHECK(json::parse(chunked.out) == doc);
}

TEST_CASE("rsmctl changer moves, exchanges, and reports errors in words") {
    VirtualLibrary::Shape shape;
    shape.slots = 10;
    shape.tapes = 3;  // slots 1000..1002
    VirtualLibrary vtl(shape);

    RunResult load = rsmctl(vtl, {"move", "1000", "500"});
    INFO("stderr: " << load.err);
    REQUIRE(load.status == 0);
    json doc = statusJson(vtl);
    CHECK(element(doc, 500)["full"].get<bool>());
    CHECK(element(doc, 500)["source_address"] == 1000);
    CHECK(element(doc, 500)["volume_tag"] == "SMC001L5");
    CHECK(!element(doc, 1000)["full"].get<bool>());

    SUBCASE("empty source") {
        RunResult r = rsmctl(vtl, {"move", "1005", "501"});
        CHECK(r.status == 1);
        CHECK(r.out.empty());
        CHECK(r.err ==
              "rsmctl: ERROR_EMPTY (4306): source element 1005 is empty (sense 05/3B/0E)\n");
        RunResult j = rsmctl(vtl, {"move", "1005", "501", "--json"});
        CHECK(j.status == 1);
        json e = json::parse(j.out);
        CHECK(e["error"]["code"] == 4306);
        CHECK(e["error"]["name"] == "ERROR_EMPTY");
        CHECK(e["error"]["message"] == "source element 1005 is empty (sense 05/3B/0E)");
    }
    SUBCASE("full destination") {
        RunResult r = rsmctl(vtl, {"move", "1001", "500"});
        CHECK(r.status == 1);
        CHECK(r.err ==
              "rsmctl: ERROR_NOT_EMPTY (4307): destination element 500 is full (sense 05/3B/0D)\n");
    }
    SUBCASE("exchange through a free slot, then back to the shelf order") {
        RunResult r = rsmctl(vtl, {"exchange", "1001", "1002"});
        INFO("stderr: " << r.err);
        REQUIRE(r.status == 0);
        json after = statusJson(vtl);
        CHECK(element(after, 1001)["volume_tag"] == "SMC003L5");
        CHECK(element(after, 1002)["volume_tag"] == "SMC002L5");
        CHECK(!element(after, 1003)["full"].get<bool>());
    }
    SUBCASE("unload to an import/export slot and back") {
        REQUIRE(rsmctl(vtl, {"move", "500", "10"}).status == 0);
        json after = statusJson(vtl);
        CHECK(element(after, 10)["full"].get<bool>());
        CHECK(element(after, 10)["volume_tag"] == "SMC001L5");
        REQUIRE(rsmctl(vtl, {"move", "10", "1000"}).status == 0);
    }
    SUBCASE("init succeeds; position is refused by tgtd with its sense in words") {
        CHECK(rsmctl(vtl, {"init"}).status == 0);
        RunResult p = rsmctl(vtl, {"position", "1001"});
        CHECK(p.status == 1);
        CHECK(p.err.rfind("rsmctl: ERROR_", 0) == 0);
        CHECK(p.err.find("(sense 05/") != std::string::npos);
    }
    SUBCASE("inquiry") {
        RunResult r = rsmctl(vtl, {"inquiry", "--json"});
        REQUIRE(r.status == 0);
        json j = json::parse(r.out);
        CHECK(j["vendor"] == "STK");
        CHECK(j["product"] == "L700");
        CHECK(j["peripheral_type"] == 8);
    }
}

TEST_CASE("rsmctl changer against a dead target fails clearly within its timeout") {
    VirtualLibrary vtl;
    vtl.kill();
    RunResult r = rsmctl(vtl, {"--timeout", "3", "status"});
    CHECK(r.status == 1);
    CHECK(r.err.find("ERROR_DEVICE_NOT_AVAILABLE (4319)") != std::string::npos);
    CHECK(r.elapsed < std::chrono::seconds(10));
}

TEST_CASE("rsmctl changer without a device says so") {
    RunResult r = rsm::test::run({rsm::test::rsmctlPath(), "changer", "status"}, {"CHANGER="});
    CHECK(r.status == 1);
    CHECK(r.err.find("ERROR_INVALID_PARAMETER (87): no device") != std::string::npos);
}
