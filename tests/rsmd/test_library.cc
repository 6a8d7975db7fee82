// Libraries through rsmd against tgtd's virtual library over iSCSI: registration by URL (what
// the robot said it is, its drives and slots), show/list, enable/disable, the probe request
// and the request queue, removal, and a config file's [library] section.

#include <doctest/doctest.h>

#include <signal.h>

#include <algorithm>
#include <fstream>

#include "tests/integration/vtl_library.h"
#include "tests/rsmd/raw_client.h"
#include "tests/rsmd/seed_helpers.h"

namespace rsm::test {

namespace {

VirtualLibrary::Shape shape(int slots, int drives, int ieports, int tapes,
                            const std::string &iqn = "iqn.2024-01.org.rsm:vtl") {
    VirtualLibrary::Shape s;
    s.slots = slots;
    s.drives = drives;
    s.ieports = ieports;
    s.tapes = tapes;
    s.iqn = iqn;
    return s;
}

}  // namespace

TEST_CASE("rsmd library: add by iSCSI URL records the robot, its drives, slots and ports") {
    VirtualLibrary vtl(shape(8, 2, 2, 3));
    RsmdRig rig;
    auto added = rig.json({"library", "add", "vtl", vtl.changerUrl(), "--description", "tgtd"});
    REQUIRE_MESSAGE(added.contains("library"), added.dump());
    const auto &lib = added["library"];
    CHECK(lib["name"] == "vtl");
    CHECK(lib["kind"] == "online");
    CHECK(lib["device"] == vtl.changerUrl());
    CHECK(lib["enabled"] == true);
    CHECK(lib["drives"] == 2);
    CHECK(lib["slots"] == 8);
    CHECK(lib["ieports"] == 2);
    CHECK(lib["vendor"].is_string());

    auto shown = rig.json({"library", "show", "vtl"});
    REQUIRE(shown["drives"].size() == 2);
    CHECK(shown["drives"][0]["number"] == 0);
    CHECK(shown["drives"][0]["address"] == vtl.drive(0));
    CHECK(shown["drives"][1]["library"] == "vtl");
    // Each drive element is matched to its tape LUN on the target (by serial number; tgtd cuts
    // the last drive's, which is then the one LUN left).
    std::vector<std::string> devices, urls(vtl.driveUrls().begin(), vtl.driveUrls().end());
    for (const auto &d : shown["drives"])
        devices.push_back(d["device"].is_string() ? d["device"].get<std::string>() : "null");
    std::sort(devices.begin(), devices.end());
    std::sort(urls.begin(), urls.end());
    CHECK(devices == urls);

    auto list = rig.json({"library", "list"});
    std::vector<std::string> names;
    for (const auto &l : list["libraries"])
        names.push_back(l["name"]);
    CHECK(names == std::vector<std::string>{"Offline", "vtl"});
    RunResult table = rig.ctl({"library", "list"});
    CHECK(table.status == 0);
    CHECK(table.out.find("vtl") != std::string::npos);

    auto drives = rig.json({"drive", "list", "--library", "vtl"});
    CHECK(drives["drives"].size() == 2);
    expectOk(rig, {"drive", "disable", "vtl/1"});
    CHECK(rig.json({"drive", "list"})["drives"][1]["enabled"] == false);
    expectError(rig, {"drive", "disable", "vtl/7"}, 15, "ERROR_INVALID_DRIVE");

    // The same name or device twice is refused; so is a device that is not a changer.
    expectError(rig, {"library", "add", "vtl", vtl.changerUrl()}, 183, "ERROR_ALREADY_EXISTS");
    expectError(rig, {"library", "add", "again", vtl.changerUrl()}, 183, "ERROR_ALREADY_EXISTS");
    expectError(rig, {"library", "add", "tape", vtl.driveUrls().at(0)}, 4301,
                "ERROR_INVALID_LIBRARY");
    CHECK(rig.sql("SELECT count(*) FROM library") == "2");
    // Without a device rsmd looks in sysfs; this machine has no SCSI changer.
    expectError(rig, {"library", "add", "auto"}, 4316, "ERROR_RESOURCE_NOT_PRESENT");
}

TEST_CASE("rsmd library: a robot that cannot be reached is not registered") {
    RsmdRig rig;
    const std::string url =
        "iscsi://127.0.0.1:" + std::to_string(VirtualLibrary::freePort()) + "/iqn.x:none/1";
    RunResult r = rig.ctl({"library", "add", "ghost", url});
    CHECK(r.status == 1);
    CHECK(r.err.rfind("rsmctl: ERROR_", 0) == 0);
    CHECK(rig.sql("SELECT count(*) FROM library WHERE name = 'ghost'") == "0");
}

TEST_CASE("rsmd library: probe runs on the library's worker and its request is recorded") {
    VirtualLibrary vtl(shape(4, 1, 4, 2));
    RsmdRig rig;
    expectOk(rig, {"library", "add", "vtl", vtl.changerUrl()});
    auto probed = rig.json({"library", "probe", "vtl", "--priority", "5"});
    REQUIRE_MESSAGE(probed.contains("request"), probed.dump());
    CHECK(probed["request"]["state"] == "passed");
    CHECK(probed["request"]["kind"] == "probe");
    CHECK(probed["request"]["priority"] == 5);
    CHECK(probed["request"]["finished"].is_string());

    auto all = rig.json({"request", "list", "--all"});
    REQUIRE(all["requests"].size() == 1);
    CHECK(rig.json({"request", "list"})["requests"].empty());

    // A disabled library takes no new robot work.
    expectOk(rig, {"library", "disable", "vtl"});
    expectError(rig, {"library", "probe", "vtl"}, 4309, "ERROR_RESOURCE_DISABLED");
    expectOk(rig, {"library", "enable", "vtl"});

    // A robot that died: the request fails with the transport's code, rsmd stays up.
    vtl.kill();
    RunResult failed = rig.ctl({"library", "probe", "vtl"});
    CHECK(failed.status == 1);
    CHECK(failed.err.find("probe") != std::string::npos);
    CHECK(rig.sql("SELECT count(*) FROM library_request WHERE state = 3") == "1");
    expectOk(rig, {"library", "list"});
}

TEST_CASE("rsmd library: the worker takes queued requests by priority, then age") {
    VirtualLibrary vtl(shape(4, 1, 4, 1));
    RsmdRig rig;
    expectOk(rig, {"library", "add", "vtl", vtl.changerUrl()});
    // Freeze the robot so the first request holds the worker while the others queue.
    RawClient c(rig.socket);
    std::string s = c.open();
    vtl.freeze();
    auto submit = [&](int priority) {
        auto r = c.call({{"verb", "library.probe"},
                         {"session", s},
                         {"library", "vtl"},
                         {"priority", priority},
                         {"wait", false}});
        REQUIRE_MESSAGE(r.contains("result"), r.dump());
        return r["result"]["request"]["id"].get<std::string>();
    };
    std::string first = submit(0);
    // Wait until the worker has taken it.
    for (int i = 0;
         i < 500 && rig.sql("SELECT state FROM library_request WHERE id = '" + first + "'") != "1";
         ++i)
        usleep(10'000);
    std::string low = submit(-5), high = submit(10), mid1 = submit(3), mid2 = submit(3);
    auto queued = rig.json({"request", "list", "--library", "vtl"});
    CHECK(queued["requests"].size() == 5);
    // Cancel one while queued; a started one cannot be.
    expectOk(rig, {"request", "cancel", low});
    expectError(rig, {"request", "cancel", first}, 5023, "ERROR_INVALID_STATE");
    vtl.thaw();
    for (int i = 0; i < 3000 && rig.sql("SELECT count(*) FROM library_request WHERE state IN "
                                        "(0, 1)") != "0";
         ++i)
        usleep(10'000);
    auto order = rig.sql(
        "SELECT string_agg(id::text, ',' ORDER BY started) FROM library_request "
        "WHERE started IS NOT NULL");
    CHECK(order == first + "," + high + "," + mid1 + "," + mid2);
    CHECK(rig.sql("SELECT state FROM library_request WHERE id = '" + low + "'") == "7");
}

TEST_CASE("rsmd library: remove, and --force for a library that holds media") {
    VirtualLibrary vtl(shape(4, 1, 4, 1));
    RsmdRig rig;
    expectOk(rig, {"library", "add", "vtl", vtl.changerUrl()});
    expectError(rig, {"library", "remove", "Offline"}, 4301, "ERROR_INVALID_LIBRARY");
    makeModel(rig);
    makeMedia(rig, "REM001L5", "backup");
    // Put the medium in the robot's first slot, as an inventory would.
    rig.sql(
        "UPDATE physical_media SET library_id = l.id, library_kind = 1, location = 1, "
        "slot_id = s.id FROM library l JOIN slot s ON s.library_id = l.id "
        "WHERE l.name = 'vtl' AND s.address = " +
        std::to_string(vtl.slot(0)) + " AND barcode = 'REM001L5'");
    expectError(rig, {"library", "remove", "vtl"}, 4307, "ERROR_NOT_EMPTY");
    expectOk(rig, {"library", "remove", "vtl", "--force"});
    CHECK(rig.sql("SELECT count(*) FROM library WHERE name = 'vtl'") == "0");
    CHECK(rig.sql("SELECT l.name FROM physical_media m JOIN library l ON l.id = m.library_id "
                  "WHERE barcode = 'REM001L5'") == "Offline");
}

TEST_CASE("rsmd library: [library] sections of rsmd.conf are registered at start and reload") {
    VirtualLibrary vtl(shape(4, 1, 4, 1));
    RsmdRig rig("\n[library conf]\ndevice = " + vtl.changerUrl() + "\ndescription = from conf\n");
    auto lib = rig.json({"library", "show", "conf"});
    REQUIRE_MESSAGE(lib.contains("library"), rig.log());
    CHECK(lib["library"]["description"] == "from conf");
    CHECK(lib["library"]["slots"] == 4);
    // A section added later is registered on SIGHUP; one naming a device already registered
    // is refused before its robot is touched, with the line of its section.
    VirtualLibrary second(shape(6, 1, 4, 0, "iqn.2024-01.org.rsm:two"));
    std::ofstream(rig.config, std::ios::app)
        << "\n[library two]\ndevice = " << second.changerUrl()
        << "\n[library dup]\ndevice = " << vtl.changerUrl() << "\n";
    ::kill(rig.pid, SIGHUP);
    bool reloaded = false;
    for (int i = 0; i < 500 && !reloaded; ++i) {
        reloaded = rig.log().find("configuration reloaded") != std::string::npos;
        usleep(20'000);
    }
    REQUIRE_MESSAGE(reloaded, rig.log());
    CHECK(rig.sql("SELECT count(*) FROM library WHERE name = 'two'") == "1");
    CHECK(rig.sql("SELECT count(*) FROM library WHERE name = 'dup'") == "0");
    const std::string log = rig.log();
    CHECK(log.find("library conf registered: ") != std::string::npos);
    CHECK(log.find("library two registered: ") != std::string::npos);
    const std::size_t dup = log.find("[library dup] (line ");
    REQUIRE_MESSAGE(dup != std::string::npos, log);
    CHECK(log.substr(dup, log.find('\n', dup) - dup).find("ERROR_ALREADY_EXISTS") !=
          std::string::npos);
}

}  // namespace rsm::test

namespace rsm::test {

TEST_CASE("rsmd library: a configured robot that cannot be reached does not stop rsmd") {
    const std::string url =
        "iscsi://127.0.0.1:" + std::to_string(VirtualLibrary::freePort()) + "/iqn.x:none/1";
    RsmdRig rig("\n[library ghost]\ndevice = " + url + "\n");
    expectOk(rig, {"library", "list"});
    CHECK(rig.sql("SELECT count(*) FROM library WHERE name = 'ghost'") == "0");
    CHECK(rig.log().find("[library ghost]") != std::string::npos);
    CHECK(rig.log().find("not registered (rsmd tries again on reload)") != std::string::npos);
}

}  // namespace rsm::test
