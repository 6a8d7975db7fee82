// FULL inventory through rsmd against tgtd's virtual library: labels written on the tape images
// as Bacula, Amanda and tar write them are read from the tapes and classify each cartridge —
// recognized but unknown labels go to IMPORT, a blank tape to FREE, a tape whose first block
// no label library claims to UNRECOGNIZED, and a label rsm already knows (an offline medium
// without a barcode) makes the cartridge that medium.

#include <doctest/doctest.h>

#include "tests/integration/tape_labels.h"
#include "tests/rsmd/robot_helpers.h"
#include "tests/rsmd/seed_helpers.h"

namespace rsm::test {

namespace {

using nlohmann::json;
using namespace labels;

void expectClassified(const RsmdRig &rig, const std::string &barcode, const std::string &pool,
                      const std::string &state, const json &labelType, const json &labelId) {
    CAPTURE(barcode);
    json m = mediaOf(rig, barcode);
    CHECK(m["pool"] == pool);
    CHECK(m["location"] == "slot");
    CHECK(m["sides"][0]["state"] == state);
    CHECK(m["sides"][0]["label_type"] == labelType);
    CHECK(m["sides"][0]["label_id"] == labelId);
}

}  // namespace

TEST_CASE("rsmd inventory --full: labels read from the tapes classify the cartridges") {
    VirtualLibrary::Shape shape;
    shape.slots = 8;
    shape.drives = 2;
    shape.ieports = 2;
    shape.tapes = 6;
    VirtualLibrary vtl(shape);
    // What backup programs left on the tapes (written through the robot and a drive).
    BaculaVolume bacula;
    bacula.volumeName = "Vol-0001";
    writeLabel(vtl, vtl.tapeSlots().at(0), baculaBlock(bacula));
    writeLabel(vtl, vtl.tapeSlots().at(1), amandaBlock("20261120", "DailySet1-01"));
    writeLabel(vtl, vtl.tapeSlots().at(2),
               tarBlock(TarFormat::Gnu, {{"etc/hosts", '0', "127.0.0.1 localhost\n"}}));
    // slot 3: a tape never written
    const Block garbage(4096, 0xA5);
    writeLabel(vtl, vtl.tapeSlots().at(4), garbage);
    BaculaVolume known;
    known.volumeName = "Known-07";
    writeLabel(vtl, vtl.tapeSlots().at(5), baculaBlock(known));
    const auto before = robotHolds(vtl);

    RsmdRig rig;
    expectOk(rig, {"library", "add", "vtl", vtl.changerUrl()});
    makeModel(rig);  // LTO-5 and pool "backup"
    // A medium rsm knows by its label only (created before it had a barcode), with an LMID.
    expectOk(rig, {"media", "create", "--type", "LTO-5", "--pool", "backup", "--label-type",
                   "Bacula", "--label-id", "Known-07", "--name", "known"});
    expectOk(rig, {"allocate", "backup", "--name", "archive"});
    const std::string knownId = rig.sql("SELECT id FROM physical_media WHERE name = 'known'");
    REQUIRE(!knownId.empty());

    RunResult r = rig.ctl({"inventory", "vtl", "--full"});
    REQUIRE_MESSAGE(r.status == 0, r.err);
    CHECK(r.out.find("6 labels read, 0 unreadable") != std::string::npos);
    const auto &b = vtl.barcodes();
    expectClassified(rig, b[0], "import:LTO-5", "import", "Bacula", "Vol-0001");
    expectClassified(rig, b[1], "import:LTO-5", "import", "Amanda", "DailySet1-01");
    expectClassified(rig, b[2], "import:LTO-5", "import", "tar", "etc/hosts");
    expectClassified(rig, b[3], "free:LTO-5", "available", nullptr, nullptr);
    expectClassified(rig, b[4], "unrecognized:LTO-5", "foreign", nullptr, nullptr);
    // The known medium is this cartridge now: its id, pool and LMID, the robot's barcode.
    expectClassified(rig, b[5], "backup", "allocated", "Bacula", "Known-07");
    CHECK(mediaOf(rig, b[5])["id"] == knownId);
    CHECK(rig.json({"lmid", "show", "archive"})["lmid"]["barcode"] == b[5]);
    CHECK(rig.sql("SELECT count(*) FROM side WHERE label_id = 'Known-07'") == "1");

    // Every cartridge back where it was; the drives empty; the database agrees.
    CHECK(robotHolds(vtl) == before);
    CHECK(databaseHolds(rig) == robotHolds(vtl));
    const json drives = rig.json({"drive", "list"});
    for (const json &d : drives["drives"])
        CHECK(d["state"] == "dismounted");

    // Nothing is left unread: a second full inventory mounts nothing.
    json again = rig.json({"inventory", "vtl", "--full"});
    CHECK(again["request"]["message"].get<std::string>().find("0 labels read") !=
          std::string::npos);
    CHECK(robotHolds(vtl) == before);
}

}  // namespace rsm::test
