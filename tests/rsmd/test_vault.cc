// A vault round trip through rsmctl against a real rsmd, PostgreSQL and tgtd (issue 20 part B,
// docs/vaulting.md): 20 labelled cartridges of a pool sent to a vault through 4 I/E ports in 5
// rounds (the pick list as CSV and JSON, an operator request per round that completes itself
// once the test emptied the ports and an inventory ran), arrived, the return list, recalled,
// and injected back through the ports in rounds, each into its home slot, out of the vault.
// Overdue transits follow rsmd's clock, moved by RSM_CLOCK_OFFSET_FILE.

#include <doctest/doctest.h>

#include <fstream>
#include <set>
#include <sstream>

#include "tests/rsmd/robot_helpers.h"
#include "tests/rsmd/seed_helpers.h"

namespace rsm::test {

namespace {

using nlohmann::json;

std::vector<std::string> lines(const std::string &path) {
    std::ifstream in(path);
    std::vector<std::string> out;
    for (std::string line; std::getline(in, line);) {
        if (!line.empty() && line.back() == '\r')
            line.pop_back();
        out.push_back(line);
    }
    return out;
}

// The barcodes the robot holds in its I/E ports.
std::set<std::string> inPorts(const VirtualLibrary &vtl) {
    std::set<std::string> out;
    for (const auto &[address, barcode] : robotHolds(vtl))
        if (address >= vtl.ieport(0) && address < vtl.ieport(vtl.shape().ieports))
            out.insert(barcode);
    return out;
}

}  // namespace

TEST_CASE("rsmd vault: a round trip of 20 tapes through 4 I/E ports, with the lists") {
    VirtualLibrary::Shape shape;
    shape.slots = 24;
    shape.drives = 1;
    shape.ieports = 4;
    shape.tapes = 20;
    VirtualLibrary vtl(shape);
    const std::string offsetFile = vtl.dir() + "/clock-offset";
    { std::ofstream(offsetFile) << "0\n"; }
    RsmdRig rig({}, PgCluster::shared(), std::nullopt, {"RSM_CLOCK_OFFSET_FILE=" + offsetFile});
    prepareLibrary(rig, vtl);
    for (const std::string &barcode : vtl.barcodes())
        expectOk(rig, {"move-to-pool", barcode, "backup"});
    const auto home = databaseHolds(rig);
    REQUIRE(home.size() == 20);

    expectOk(rig, {"vault", "create", "iron", "--description", "the mountain"});
    const std::string csv = vtl.dir() + "/picks.csv";
    const json picks = rig.json({"vault", "send", "backup", "--to", "iron", "--csv", csv});
    INFO(picks.dump());
    REQUIRE(picks["cartridges"].size() == 20);
    std::map<int, std::set<std::string>> rounds;
    std::map<int, std::string> asked;  // each round's operator request
    for (const json &c : picks["cartridges"]) {
        CHECK(c["pool"] == "backup");
        CHECK(c["library"] == "vtl");
        CHECK(c["vault"] == "iron");
        CHECK(c["state"] == "in-transit-out");
        rounds[c["round"].get<int>()].insert(c["barcode"].get<std::string>());
        asked[c["round"].get<int>()] = c["operator_request"].get<std::string>();
    }
    REQUIRE(rounds.size() == 5);
    for (const auto &[round, barcodes] : rounds)
        CHECK(barcodes.size() == 4);
    const auto rows = lines(csv);
    REQUIRE(rows.size() == 21);
    CHECK(rows[0] == "barcode,pool,lmids,library,round,vault,state,since,media_id");
    CHECK(rows[1].rfind(picks["cartridges"][0]["barcode"].get<std::string>() +
                            ",backup,,vtl,1,"
                            "iron,in-transit-out,",
                        0) == 0);
    CHECK(rig.sql("SELECT count(*) FROM operator_request WHERE message LIKE 'vault iron: round %'"
                  " AND state IN (1, 2)") == "5");

    // Round after round: the robot fills the 4 ports, the operator empties them, an inventory
    // tells rsmd, which completes the round's operator request, and the next round's ejects
    // run. Nobody answers the requests by hand.
    REQUIRE(asked.size() == 5);
    auto open = [&](int round) {
        return rig.sql("SELECT state IN (1, 2) FROM operator_request WHERE id = '" + asked[round] +
                       "'") == "t";
    };
    auto done = [&](int round) {
        return rig.sql(
                   "SELECT state = 5 AND message LIKE"
                   " '%(done: the cartridges left the library)'"
                   " FROM operator_request WHERE id = '" +
                   asked[round] + "'") == "t";
    };
    for (const auto &[round, barcodes] : rounds) {
        CAPTURE(round);
        CHECK(eventually([&] { return inPorts(vtl) == barcodes; }, std::chrono::seconds(60)));
        CHECK(open(round));  // in the ports: not yet
        for (int i = 0; i < 4; ++i)
            takeOut(vtl, 3, vtl.ieport(i));
        expectOk(rig, {"library", "inventory", "vtl"});
        CHECK(done(round));
        if (round < 5)
            CHECK(open(round + 1));
    }
    CHECK(rig.sql("SELECT count(*) FROM physical_media WHERE library_kind = 0"
                  " AND vault_state = 'in-transit-out'") == "20");

    // Nine days on the road: overdue by rsmd's clock.
    { std::ofstream(offsetFile) << 9 * 86400 << "\n"; }
    CHECK(rig.json({"vault", "overdue", "--days", "7"})["cartridges"].size() == 20);
    const json arrived = rig.json({"vault", "arrived", "iron"});
    CHECK(arrived["cartridges"].size() == 20);
    CHECK(rig.json({"vault", "overdue", "--days", "0"})["cartridges"].empty());
    const json shown = rig.json({"vault", "show", "iron"});
    CHECK(shown["vault"]["in_vault"] == 20);

    // The return list: every side is AVAILABLE, so all may come back.
    const std::string back = vtl.dir() + "/returns.csv";
    RunResult list = rig.ctl({"vault", "recall", "iron", "--list", "--csv", back});
    REQUIRE_MESSAGE(list.status == 0, list.err);
    CHECK(lines(back).size() == 21);
    CHECK(rig.json({"vault", "recall", "iron"})["cartridges"].size() == 20);
    CHECK(rig.sql("SELECT count(*) FROM physical_media WHERE vault_state = 'in-transit-back'") ==
          "20");

    // Back through the 4 ports, in rounds: each to its home slot, out of the vault.
    std::vector<std::string> all(vtl.barcodes().begin(), vtl.barcodes().end());
    for (std::size_t at = 0; at < all.size(); at += 4) {
        for (int i = 0; i < 4; ++i)
            putIn(vtl, 3, vtl.ieport(i), all[at + static_cast<std::size_t>(i)]);
        expectOk(rig, {"inject", "vtl"});
    }
    CHECK(describeHolds(databaseHolds(rig)) == describeHolds(home));
    CHECK(describeHolds(robotHolds(vtl)) == describeHolds(home));
    CHECK(rig.sql("SELECT count(*) FROM physical_media WHERE vault_id IS NOT NULL") == "0");
    CHECK(rig.json({"vault", "show", "iron"})["cartridges"].empty());
    expectOk(rig, {"vault", "delete", "iron"});
}

}  // namespace rsm::test
