// rsmctl drive health (issue 19) through rsmd against tgtd's virtual library, whose drives
// support none of the health commands (READ ATTRIBUTE, LOG SENSE 17h, 02h, 03h, 2Eh): the
// reading answers every part unsupported and is no error; an empty drive is
// ERROR_MEDIA_NOT_AVAILABLE; mount and dismount, which read the health too, work as before.

#include <doctest/doctest.h>

#include "tests/rsmd/robot_helpers.h"
#include "tests/rsmd/seed_helpers.h"

namespace rsm::test {

namespace {

using nlohmann::json;

const std::vector<std::string> kEveryPart = {"attributes", "volume statistics", "write errors",
                                             "read errors", "tapealert"};

}  // namespace

TEST_CASE("rsmd drive health: tgtd's drive with a tape answers every part unsupported") {
    VirtualLibrary vtl(smallLibrary());
    RsmdRig rig;
    prepareLibrary(rig, vtl);
    const std::string barcode = allocate(rig, "job1");
    const int home = rig.json({"media", "show", barcode})["media"]["address"].get<int>();
    RunResult mounted = rig.ctl({"mount", "job1"});
    REQUIRE_MESSAGE(mounted.status == 0, mounted.err);
    CHECK(mounted.out == vtl.driveUrls().at(0) + "\n");

    // --json: the request and the reading.
    const json result = rig.json({"drive", "health", "vtl/0"});
    INFO(result.dump());
    REQUIRE(result.contains("health"));
    CHECK(result["request"]["kind"] == "health");
    CHECK(result["request"]["state"] == "passed");
    CHECK(result["request"]["drive"] == "vtl/0");
    const json &health = result["health"];
    CHECK(health["unsupported"] == json(kEveryPart));
    CHECK(health["failed"] == json::array());
    for (const char *part :
         {"attributes", "volume_statistics", "write_errors", "read_errors", "tapealert"})
        CHECK(health[part].is_null());

    // For people: the parts the drive refused.
    RunResult text = rig.ctl({"drive", "health", "vtl/0"});
    REQUIRE_MESSAGE(text.status == 0, text.err);
    CHECK(text.out.find("drive vtl/0: health of drive vtl/0 with " + barcode) == 0);
    CHECK(text.out.find("\nnot supported: attributes, volume statistics, write errors, read "
                        "errors, tapealert\n") != std::string::npos);

    // The drive still dismounts (reading the health again first) and mounts.
    RunResult out = rig.ctl({"dismount", "job1"});
    REQUIRE_MESSAGE(out.status == 0, out.err);
    CHECK(out.out.find("back in slot " + std::to_string(home)) != std::string::npos);
    CHECK(databaseHolds(rig) == robotHolds(vtl));
    RunResult again = rig.ctl({"mount", "job1"});
    REQUIRE_MESSAGE(again.status == 0, again.err);
    expectOk(rig, {"dismount", "job1"});
    CHECK(databaseHolds(rig) == robotHolds(vtl));

    // An empty drive has nothing to read.
    expectError(rig, {"drive", "health", "vtl/1"}, 4318, "ERROR_MEDIA_NOT_AVAILABLE");
}

}  // namespace rsm::test
