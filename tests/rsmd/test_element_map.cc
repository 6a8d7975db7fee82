// What rsmd answers from a library worker's element map, against tgtd's virtual library:
// `rsmctl library status` (each element with what the database knows of its cartridge) and
// mtx.status (no session; its reply followed by an attachment of exactly the announced bytes).

#include <chrono>
#include <future>
#include <string>
#include <thread>

#include <doctest/doctest.h>

#include "rsm/error.h"
#include "tests/rsmd/raw_client.h"
#include "tests/rsmd/robot_helpers.h"
#include "tests/rsmd/seed_helpers.h"

namespace rsm::test {

namespace {

using nlohmann::json;

// The text of an mtx.status reply already read: its attachment, read line by line.
std::string attachmentAfter(RawClient &client, const json &reply) {
    const std::size_t size = reply["result"]["attachment"];
    std::string text;
    while (text.size() < size + 1) {
        auto line = client.line();
        if (!line)
            break;
        text += *line + "\n";
    }
    return text;
}

// The element of library.status's result at `address`.
json elementAt(const json &status, int address) {
    for (const json &e : status["elements"])
        if (e["address"] == address)
            return e;
    return json();
}

}  // namespace

TEST_CASE("library status: every element as the robot reports it, with rsm's view of each") {
    VirtualLibrary vtl(smallLibrary());
    RsmdRig rig;
    prepareLibrary(rig, vtl);
    const std::string barcode = allocate(rig, "status0");
    const std::string requests = rig.sql("SELECT count(*) FROM library_request");

    const json status = rig.json({"library", "status", "vtl"});
    CHECK(status["library"] == "vtl");
    const json &elements = status["elements"];
    REQUIRE(elements.is_array());
    // Drives first, then slots, then ports, then pickers, each by address.
    int drives = 0, slots = 0, ports = 0;
    std::string lastKind;
    for (const json &e : elements) {
        const std::string kind = e["element"];
        drives += kind == "drive";
        slots += kind == "slot";
        ports += kind == "ieport";
        lastKind = kind;
    }
    CHECK(drives == 2);
    CHECK(slots == 8);
    CHECK(ports == 2);
    CHECK(elements.front()["element"] == "drive");
    CHECK(lastKind == "transport");
    // What the robot holds, element by element, is what library status says it holds.
    std::map<int, std::string> shown;
    for (const json &e : elements)
        if (e["full"] == true && e["barcode"].is_string())
            shown[e["address"].get<int>()] = e["barcode"];
    CHECK(shown == robotHolds(vtl));
    // The allocated cartridge: its pool, its LMID and its state.
    int at = -1;
    for (const auto &[address, tape] : shown)
        if (tape == barcode)
            at = address;
    REQUIRE(at >= 0);
    const json allocated = elementAt(status, at);
    CHECK(allocated["pool"] == "backup");
    CHECK(allocated["lmid"] == json::array({"status0"}));
    const json media = rig.json({"media", "show", barcode})["media"];
    CHECK(allocated["media_id"] == media["id"]);
    CHECK(allocated["state"] == media["state"]);
    // An empty slot has no cartridge and nothing beside it.
    for (const json &e : elements)
        if (e["element"] == "slot" && e["full"] == false) {
            CHECK(e["barcode"].is_null());
            CHECK(e["pool"].is_null());
        }
    // No library request: answered from the map.
    CHECK(rig.sql("SELECT count(*) FROM library_request") == requests);

    // After a mount, the drive holds it, and the table says so for people.
    expectOk(rig, {"mount", "status0"});
    const json after = rig.json({"library", "status", "vtl"});
    int drive = -1;
    for (const json &e : after["elements"])
        if (e["element"] == "drive" && e["barcode"] == barcode)
            drive = e["address"];
    CHECK(drive >= vtl.drive(0));
    CHECK(elementAt(after, drive)["source"] == at);
    CHECK(elementAt(after, drive)["state"] ==
          rig.json({"media", "show", barcode})["media"]["state"]);
    RunResult table = rig.ctl({"library", "status", "vtl"});
    REQUIRE(table.status == 0);
    CHECK(table.out.find("ELEMENT") == 0);
    CHECK(table.out.find(barcode) != std::string::npos);
    CHECK(table.out.find("status0") != std::string::npos);

    // A library that does not exist.
    RunResult unknown = rig.ctl({"library", "status", "nosuchlibrary"});
    CHECK(unknown.status == 1);
    CHECK(unknown.err.find("ERROR_INVALID_LIBRARY") != std::string::npos);
}

TEST_CASE("mtx.status: no session, and exactly the announced attachment after its reply") {
    VirtualLibrary vtl(smallLibrary());
    RsmdRig rig;
    prepareLibrary(rig, vtl);
    RawClient client(rig.socket);
    REQUIRE(errorCode(client.call({{"verb", "hello"}, {"protocol", 1}})) == 0);
    for (bool tags : {true, false}) {
        CAPTURE(tags);
        REQUIRE(client.send(json{{"verb", "mtx.status"},
                                 {"id", tags ? 1 : 2},
                                 {"library", "vtl"},
                                 {"volume_tags", tags}}
                                .dump() +
                            "\n"));
        const json reply = client.reply();
        REQUIRE(reply["result"].is_object());
        const json &r = reply["result"];
        CHECK(r["library"] == "vtl");
        CHECK(r["drives"] == 2);
        CHECK(r["slots"] == 10);  // storage and I/E, as mtx numbers them
        CHECK(r["import_export"] == 2);
        // The attachment: mtx's lines after the first, then one newline of its own.
        const std::size_t size = r["attachment"];
        const std::string text = attachmentAfter(client, reply);
        CHECK(text.size() == size + 1);
        CHECK(text.substr(size) == "\n");
        CHECK(text.find("Data Transfer Element 0:") == 0);
        CHECK((text.find("VolumeTag") != std::string::npos) == tags);
    }
    // The connection goes on: the next reply is a line of its own.
    const json next = client.call({{"verb", "mtx.status"}, {"id", 3}, {"library", "nosuch"}});
    CHECK(errorCode(next) == static_cast<int>(ErrorCode::InvalidLibrary));
    CHECK(next["id"] == 3);
    // Nothing was recorded: no session, no request.
    CHECK(rig.sql("SELECT count(*) FROM library_request WHERE kind = 'mtx'") == "0");
}

TEST_CASE("mtx.status while the library's worker waits on the robot: answered after, intact") {
    VirtualLibrary vtl(smallLibrary());
    RsmdRig rig;
    prepareLibrary(rig, vtl);
    RawClient client(rig.socket);
    REQUIRE(errorCode(client.call({{"verb", "hello"}, {"protocol", 1}})) == 0);
    const json status = {{"verb", "mtx.status"}, {"library", "vtl"}};
    json first = client.call(status);
    REQUIRE(first["result"].is_object());
    const std::string before = attachmentAfter(client, first);
    REQUIRE(before.find("Storage Element") != std::string::npos);

    vtl.freeze();  // the inventory's job holds the robot until the thaw
    auto inventory = std::async(std::launch::async, [&] {
        return rig.ctl({"library", "inventory", "vtl"});
    });
    std::this_thread::sleep_for(std::chrono::seconds(1));
    REQUIRE(client.send(json{{"verb", "mtx.status"}, {"id", 7}, {"library", "vtl"}}.dump() + "\n"));
    CHECK_FALSE(client.line(std::chrono::milliseconds(700)));  // it waits for the worker
    vtl.thaw();
    const RunResult inventoried = inventory.get();
    CHECK_MESSAGE(inventoried.status == 0, inventoried.err);
    const json later = client.reply();
    REQUIRE(later["result"].is_object());
    CHECK(later["id"] == 7);
    CHECK(attachmentAfter(client, later) == before);  // sent by the worker, the same bytes
}

}  // namespace rsm::test
