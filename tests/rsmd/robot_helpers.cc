#include "tests/rsmd/robot_helpers.h"

#include <sstream>
#include <thread>

#include <pqxx/pqxx>

#include "tests/rsmd/seed_helpers.h"

namespace rsm::test {

using nlohmann::json;

VirtualLibrary::Shape smallLibrary() {
    VirtualLibrary::Shape shape;
    shape.slots = 8;
    shape.drives = 2;
    shape.ieports = 2;
    shape.tapes = 4;
    return shape;
}

void prepareLibrary(const RsmdRig &rig, const VirtualLibrary &vtl) {
    expectOk(rig, {"library", "add", "vtl", vtl.changerUrl()});
    expectOk(rig, {"library", "inventory", "vtl"});
    expectOk(rig, {"pool", "create", "backup", "--type", "LTO-5"});
    for (const std::string &barcode : vtl.barcodes())
        expectOk(rig, {"move-to-pool", barcode, "free:LTO-5"});
}

std::map<int, std::string> robotHolds(const VirtualLibrary &vtl) {
    RunResult r = run({rsmctlPath(), "changer", "--device", vtl.changerUrl(), "status", "--json"});
    REQUIRE_MESSAGE(r.status == 0, r.err);
    std::map<int, std::string> out;
    const json doc = json::parse(r.out);
    for (const json &e : doc["elements"]) {
        if (e["type"] == "transport" || !e["full"].get<bool>())
            continue;
        out[e["address"].get<int>()] =
            e["volume_tag"].is_string() ? e["volume_tag"].get<std::string>() : "";
    }
    return out;
}

std::map<int, std::string> databaseHolds(const RsmdRig &rig, const std::string &library) {
    const std::string rows = rig.sql(
        "SELECT coalesce(string_agg(coalesce(s.address, d.address, p.address)::text || '=' || "
        "m.barcode, ',' ORDER BY m.barcode), '') FROM physical_media m "
        "JOIN library l ON l.id = m.library_id "
        "LEFT JOIN slot s ON s.id = m.slot_id LEFT JOIN drive d ON d.id = m.drive_id "
        "LEFT JOIN ieport p ON p.id = m.ieport_id WHERE l.name = '" +
        library + "'");
    std::map<int, std::string> out;
    std::stringstream in(rows);
    std::string item;
    while (std::getline(in, item, ',')) {
        const auto eq = item.find('=');
        REQUIRE_MESSAGE(eq != std::string::npos,
                        "a cartridge of the database has no element: " << item);
        out[std::stoi(item.substr(0, eq))] = item.substr(eq + 1);
    }
    return out;
}

std::string describeHolds(const std::map<int, std::string> &holds) {
    std::string out;
    for (const auto &[address, barcode] : holds)
        out += (out.empty() ? "" : " ") + std::to_string(address) + "=" + barcode;
    return out;
}

std::string allocate(const RsmdRig &rig, const std::string &name) {
    json r = rig.json({"allocate", "backup", "--name", name});
    REQUIRE_MESSAGE(r.contains("lmid"), r.dump());
    return r["lmid"]["barcode"].get<std::string>();
}

bool eventually(const std::function<bool()> &condition, std::chrono::seconds limit) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (!condition()) {
        if (std::chrono::steady_clock::now() > deadline)
            return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return true;
}

std::string requestsIn(const RsmdRig &rig, const std::string &kind, int state) {
    return rig.sql("SELECT count(*) FROM library_request WHERE kind = '" + kind +
                   "' AND state = " + std::to_string(state));
}

bool waitForIntent(pqxx::connection &db) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(3);
    while (std::chrono::steady_clock::now() < deadline) {
        pqxx::nontransaction tx(db);
        if (tx.exec("SELECT 1 FROM robot_move LIMIT 1").size() == 1)
            return true;
        std::this_thread::sleep_for(std::chrono::microseconds(500));
    }
    return false;
}

void robotMove(const VirtualLibrary &vtl, int from, int to) {
    RunResult r = run({rsmctlPath(), "changer", "--device", vtl.changerUrl(), "move",
                       std::to_string(from), std::to_string(to)});
    REQUIRE_MESSAGE(r.status == 0, r.err);
}

namespace {

// tgtadm's update of one element of the changer LUN.
void updateElement(const VirtualLibrary &vtl, int elementType, int address,
                   const std::string &params) {
    RunResult r =
        run({"/usr/sbin/tgtadm", "-C", "0", "--lld", "iscsi", "--op", "update", "--mode",
             "logicalunit", "--tid", "1", "--lun", vtl.env().at("CHANGER_LUN"), "--params",
             "element_type=" + std::to_string(elementType) + ",address=" + std::to_string(address) +
                 "," + params},
            {"TGT_IPC_SOCKET=" + vtl.dir() + "/tgtsock"});
    REQUIRE_MESSAGE(r.status == 0, r.err);
}

}  // namespace

void takeOut(const VirtualLibrary &vtl, int elementType, int address) {
    updateElement(vtl, elementType, address, "clear_slot=1");
}

void putIn(const VirtualLibrary &vtl, int elementType, int address, const std::string &barcode) {
    updateElement(vtl, elementType, address, "barcode=" + barcode + ",sides=1");
}

}  // namespace rsm::test
