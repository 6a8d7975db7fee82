// What rsmctl prints from rsmd's results: tables and listings for people, the result object as
// one line with --json, and library requests that fail.

#include <doctest/doctest.h>

#include <cstdlib>
#include <ctime>
#include <sstream>

#include "src/cli/table.h"
#include "src/cli/terminal_text.h"
#include "src/cli/time_text.h"
#include "tests/cli/fake_rsmd.h"

using nlohmann::json;
using rsm::test::FakeRsmd;
using rsm::test::RunResult;

namespace {

const json kLibraries = {{"libraries",
                          {{{"id", "l-1"},
                            {"name", "vtl"},
                            {"description", "tgtd"},
                            {"kind", "online"},
                            {"state", "unreachable"},
                            {"device", "/dev/sg3"},
                            {"enabled", true},
                            {"drives", 2},
                            {"slots", 20},
                            {"ieports", 4},
                            {"media", 10}},
                           {{"id", "l-0"},
                            {"name", "Offline"},
                            {"description", ""},
                            {"kind", "offline"},
                            {"state", "ready"},
                            {"device", nullptr},
                            {"enabled", true},
                            {"drives", 0},
                            {"slots", 0},
                            {"ieports", 0},
                            {"media", 3}}}}};

const json kMedium = {{"id", "m-1"},
                      {"barcode", "A00001L5"},
                      {"media_type", "LTO-5"},
                      {"pool", "backup/daily"},
                      {"library", "vtl"},
                      {"location", "slot"},
                      {"address", 1001},
                      {"state", "idle"},
                      {"sides",
                       {{{"id", "s-1"},
                         {"number", 1},
                         {"state", "allocated"},
                         {"lmid", "daily-0001"},
                         {"mount_count", 3},
                         {"allocate_count", 1}}}}};

std::string lines(std::initializer_list<const char *> text) {
    std::string out;
    for (const char *line : text)
        out += std::string(line) + "\n";
    return out;
}

}  // namespace

TEST_CASE("library list: a table, or the result as one JSON line") {
    FakeRsmd fake;
    fake.answer("library.list", kLibraries);
    RunResult r = runRsmctl(fake, {"library", "list"});
    CHECK(r.status == 0);
    CHECK(r.out ==
          lines({
              "NAME     KIND     STATE        ENABLED  DEVICE    DRIVES  SLOTS  IEPORTS  MEDIA",
              "vtl      online   unreachable  yes      /dev/sg3  2       20     4        10",
              "Offline  offline  ready        yes      -         0       0      0        3",
          }));

    r = runRsmctl(fake, {"library", "list", "--json"});
    CHECK(r.status == 0);
    CHECK(r.out == kLibraries.dump() + "\n");
    CHECK(json::parse(r.out) == kLibraries);
}

TEST_CASE("media list: sides shown by their states; an empty list is its header") {
    FakeRsmd fake;
    json second = kMedium;
    second["barcode"] = "A00002L5";
    second["location"] = "shelf";
    second["address"] = nullptr;
    second["library"] = "Offline";
    second["sides"] = {{{"number", 1}, {"state", "available"}},
                       {{"number", 2}, {"state", "decommissioned"}}};
    fake.answer("media.list", {{"media", {kMedium, second}}});
    RunResult r = runRsmctl(fake, {"media", "list"});
    CHECK(r.status == 0);
    CHECK(r.out ==
          lines({
              "BARCODE   TYPE   POOL          LIBRARY  LOCATION  ADDRESS  STATE  SIDES",
              "A00001L5  LTO-5  backup/daily  vtl      slot      1001     idle   allocated",
              "A00002L5  LTO-5  backup/daily  Offline  shelf     -        idle   "
              "available,decommissioned",
          }));

    fake.answer("pool.list", {{"pools", json::array()}});
    r = runRsmctl(fake, {"pool", "list"});
    CHECK(r.out ==
          "PATH  KIND  TYPE  MEDIA  AVAILABLE  ENABLED  FROM FREE  TO FREE  MAX ALLOC  "
          "DESCRIPTION\n");
}

TEST_CASE("media show: field: value lines, then its sides as a table") {
    FakeRsmd fake;
    fake.answer("media.show", {{"media", kMedium}});
    RunResult r = runRsmctl(fake, {"media", "show", "A00001L5"});
    CHECK(r.status == 0);
    CHECK(r.out == lines({
                       "id:          m-1",
                       "barcode:     A00001L5",
                       "media_type:  LTO-5",
                       "pool:        backup/daily",
                       "library:     vtl",
                       "location:    slot",
                       "address:     1001",
                       "state:       idle",
                       "",
                       "sides:",
                       "  SIDE  STATE      LMID        LABEL TYPE  LABEL ID  MOUNTS  ALLOCATIONS",
                       "  1     allocated  daily-0001  -           -         3       1",
                   }));
}

TEST_CASE("library show: the library, then its drives") {
    FakeRsmd fake;
    json library = kLibraries["libraries"][0];
    library["vendor"] = "STK";
    library["future_field"] = "shown too";
    fake.answer("library.show", {{"library", library},
                                 {"drives",
                                  {{{"library", "vtl"},
                                    {"number", 0},
                                    {"name", "vtl/0"},
                                    {"state", "loaded"},
                                    {"enabled", false},
                                    {"media", "A00001L5"},
                                    {"address", 500},
                                    {"device", "/dev/nst0"},
                                    {"serial", "D0"},
                                    {"mount_count", 7}}}}});
    RunResult r = runRsmctl(fake, {"library", "show", "vtl"});
    CHECK(r.status == 0);
    CHECK(r.out ==
          lines({
              "id:            l-1",
              "name:          vtl",
              "description:   tgtd",
              "kind:          online",
              "state:         unreachable",
              "device:        /dev/sg3",
              "enabled:       yes",
              "drives:        2",
              "slots:         20",
              "ieports:       4",
              "media:         10",
              "vendor:        STK",
              "future_field:  shown too",
              "",
              "drives:",
              "  LIBRARY  NUMBER  NAME   STATE   ENABLED  MEDIA     ADDRESS  DEVICE     SERIAL  "
              "MOUNTS",
              "  vtl      0       vtl/0  loaded  no       A00001L5  500      /dev/nst0  D0      7",
          }));
}

TEST_CASE("drive list: each drive's number, element address, device and serial") {
    // What Bacula's Drive Index / Archive Device and Amanda's tape-device are written from.
    FakeRsmd fake;
    const json drives = {{"drives",
                          {{{"id", "d-0"},
                            {"library", "lib1"},
                            {"number", 0},
                            {"name", "lib1/0"},
                            {"state", "mounted"},
                            {"enabled", true},
                            {"media", "A00001L5"},
                            {"address", 500},
                            {"device", "/dev/nst1"},
                            {"serial", "HU19487TLK"},
                            {"mount_count", 12}},
                           {{"id", "d-1"},
                            {"library", "lib1"},
                            {"number", 1},
                            {"name", "lib1/1"},
                            {"state", "dismounted"},
                            {"enabled", true},
                            {"media", nullptr},
                            {"address", 501},
                            {"device", "iscsi://192.0.2.10:3260/iqn.2024-01.com.example:lib1/2"},
                            {"serial", "HU19487TLM"},
                            {"mount_count", 0}},
                           {{"id", "d-2"},
                            {"library", "lib1"},
                            {"number", 2},
                            {"name", "lib1/2"},
                            {"state", "dismounted"},
                            {"enabled", false},
                            {"media", nullptr},
                            {"address", 502},
                            {"device", nullptr},
                            {"serial", nullptr},
                            {"mount_count", 0}}}}};
    fake.answer("drive.list", drives);
    RunResult r = runRsmctl(fake, {"drive", "list", "--library", "lib1"});
    CHECK(r.status == 0);
    // In 100 columns the URL is cut; --wide shows it whole.
    CHECK(r.out.find("501      iscsi://192.0.…  HU19487TLM  0\n") != std::string::npos);
    r = runRsmctl(fake, {"--wide", "drive", "list", "--library", "lib1"});
    CHECK(r.status == 0);
    // The DEVICE column is as wide as the iSCSI URL (54 characters).
    auto spaces = [](std::size_t n) { return std::string(n, ' '); };
    CHECK(r.out ==
          "LIBRARY  NUMBER  NAME    STATE       ENABLED  MEDIA     ADDRESS  DEVICE" + spaces(50) +
              "SERIAL      MOUNTS\n"
              "lib1     0       lib1/0  mounted     yes      A00001L5  500      /dev/nst1" +
              spaces(47) +
              "HU19487TLK  12\n"
              "lib1     1       lib1/1  dismounted  yes      -         501      "
              "iscsi://192.0.2.10:3260/iqn.2024-01.com.example:lib1/2  HU19487TLM  0\n"
              "lib1     2       lib1/2  dismounted  no       -         502      -" +
              spaces(55) + "-           0\n");

    r = runRsmctl(fake, {"drive", "list", "--json"});
    CHECK(r.status == 0);
    CHECK(json::parse(r.out) == drives);
}

TEST_CASE("acl list names users and groups by looking their numbers up") {
    FakeRsmd fake;
    fake.answer("acl.list", {{"acl",
                              {{{"principal", "user"},
                                {"principal_id", 0},
                                {"rights", {"use", "modify", "control"}},
                                {"rights_mask", 7}},
                               {{"principal", "group"},
                                {"principal_id", 4242424},
                                {"rights", {"use"}},
                                {"rights_mask", 1}}}}});
    RunResult r = runRsmctl(fake, {"acl", "list", "computer"});
    CHECK(r.status == 0);
    CHECK(r.out == lines({
                       "PRINCIPAL  ID       NAME  RIGHTS              MASK",
                       "user       0        root  use,modify,control  7",
                       "group      4242424  -     use                 1",
                   }));
}

TEST_CASE("request list: a failed request shows its error") {
    FakeRsmd fake;
    fake.answer("request.list",
                {{"requests",
                  {{{"id", "r-1"},
                    {"kind", "probe"},
                    {"state", "failed"},
                    {"priority", 0},
                    {"library", "vtl"},
                    {"created", "2026-11-21T10:00:00+00:00"},
                    {"error",
                     {{"code", 4305}, {"name", "ERROR_LIBRARY_OFFLINE"}, {"message", "no robot"}}}},
                   {{"id", "r-2"},
                    {"kind", "probe"},
                    {"state", "queued"},
                    {"priority", 5},
                    {"library", "vtl"},
                    {"created", "2026-11-21T10:01:00+00:00"},
                    {"error", nullptr}}}}});
    RunResult r = runRsmctl(fake, {"--wide", "request", "list", "--all"}, {"TZ=Europe/Paris"});
    CHECK(r.status == 0);
    CHECK(r.out == lines({
                       "ID   KIND   STATE   PRIORITY  LIBRARY  CREATED                  ERROR",
                       "r-1  probe  failed  0         vtl      2026-11-21 11:00:00 CET  "
                       "ERROR_LIBRARY_OFFLINE (4305): no robot",
                       "r-2  probe  queued  5         vtl      2026-11-21 11:01:00 CET  -",
                   }));
}

TEST_CASE("tables: local time with its zone or --utc, 100 columns or --wide") {
    FakeRsmd fake;
    const std::string id = "3f2a9c1e-5b7d-4e21-9a0b-c1d2e3f40516";
    const std::string message(120, 'm');
    const json requests = {
        {"requests",
         {{{"id", id},
           {"kind", "mount"},
           {"state", "failed"},
           {"priority", 0},
           {"library", "vtl"},
           {"created", "2026-07-01T10:00:00.250Z"},
           {"error", {{"code", 4305}, {"name", "ERROR_LIBRARY_OFFLINE"}, {"message", message}}}}}}};
    fake.answer("request.list", requests);
    // Summer time in Paris: the zone is named after the time, not today's.
    RunResult r = runRsmctl(fake, {"request", "list", "--all"}, {"TZ=Europe/Paris"});
    CHECK(r.status == 0);
    CHECK(r.out.find("2026-07-01 12:00:00 CEST") != std::string::npos);
    // The UUID is shown by its first 8 characters and the error is cut: 100 columns at most.
    CHECK(r.out.find("3f2a9c1e  mount") != std::string::npos);
    CHECK(r.out.find(id) == std::string::npos);
    std::istringstream shown(r.out);
    for (std::string line; std::getline(shown, line);) {
        CAPTURE(line);
        CHECK(rsm::cli::terminalWidth(line) <= 100);
    }
    CHECK(r.out.find("  ERROR_LIBRARY_OFFLINE (4305)") != std::string::npos);
    CHECK(r.out.find("…\n") != std::string::npos);

    r = runRsmctl(fake, {"--utc", "request", "list", "--all"}, {"TZ=Europe/Paris"});
    CHECK(r.out.find("2026-07-01 10:00:00 UTC") != std::string::npos);
    r = runRsmctl(fake, {"--wide", "request", "list", "--all"}, {"TZ=Europe/Paris"});
    CHECK(r.out.find(id) != std::string::npos);
    CHECK(r.out.find(message) != std::string::npos);
    // Scripts get rsmd's text, whatever the options.
    r = runRsmctl(fake, {"--json", "--utc", "request", "list", "--all"}, {"TZ=Europe/Paris"});
    CHECK(json::parse(r.out) == requests);
}

TEST_CASE("times for people: RFC 3339 in, the local zone or UTC out") {
    using rsm::cli::timeForPeople;
    setenv("TZ", "America/New_York", 1);
    tzset();
    CHECK(timeForPeople("2026-12-06T20:37:04.123Z", false) == "2026-12-06 15:37:04 EST");
    CHECK(timeForPeople("2026-12-06T20:37:04Z", true) == "2026-12-06 20:37:04 UTC");
    CHECK(timeForPeople("2026-12-06T21:37:04+01:00", true) == "2026-12-06 20:37:04 UTC");
    CHECK(timeForPeople("2026-12-06T15:07:04-05:30", true) == "2026-12-06 20:37:04 UTC");
    CHECK_FALSE(timeForPeople("daily-0001", false));
    CHECK_FALSE(timeForPeople("2026-12-06", false));
    CHECK_FALSE(timeForPeople("2026-12-06T20:37:04", false));  // no zone: not rsmd's
    unsetenv("TZ");
    tzset();
}

TEST_CASE("a table narrower than its limit is printed whole; UUIDs shortened only to fit") {
    rsm::cli::Table table({"ID", "NAME"});
    table.add({"3f2a9c1e-5b7d-4e21-9a0b-c1d2e3f40516", "vtl"});
    std::ostringstream whole, narrow;
    table.print(whole, 100);
    CHECK(whole.str() ==
          "ID                                    NAME\n"
          "3f2a9c1e-5b7d-4e21-9a0b-c1d2e3f40516  vtl\n");
    table.print(narrow, 20);
    CHECK(narrow.str() == "ID        NAME\n3f2a9c1e  vtl\n");
}

TEST_CASE("a confirmation for people, the result object for scripts") {
    FakeRsmd fake;
    const json lmid = {{"lmid", {{"name", "daily-0003"}, {"barcode", "A00003L5"}, {"side", 1}}}};
    fake.answer("lmid.allocate", lmid);
    RunResult r = runRsmctl(fake, {"--json", "allocate", "backup/daily"});
    CHECK(r.status == 0);
    CHECK(r.out == lmid.dump() + "\n");

    r = runRsmctl(fake, {"--json", "swap", "daily-0001", "daily-0002"});
    CHECK(r.status == 0);
    CHECK(r.out == "{}\n");
}

TEST_CASE("a probe that failed is the command's failure, with the robot's sense") {
    FakeRsmd fake;
    const json error = {{"code", 4326},
                        {"name", "ERROR_UNABLE_TO_INVENTORY_SLOT"},
                        {"message", "slot 1005: element status unavailable"},
                        {"sense", {{"key", 4}, {"asc", 59}, {"ascq", 0}}}};
    fake.refuse("library.probe", error);
    RunResult r = runRsmctl(fake, {"library", "probe", "vtl"});
    CHECK(r.status == 1);
    CHECK(r.err ==
          "rsmctl: ERROR_UNABLE_TO_INVENTORY_SLOT (4326): slot 1005: element status "
          "unavailable\n");
    r = runRsmctl(fake, {"--json", "library", "probe", "vtl"});
    CHECK(r.status == 1);
    CHECK(json::parse(r.out) == json{{"error", error}});

    // A result whose request did not pass is a failure too.
    fake.answer("library.probe",
                {{"request", {{"id", "r-1"}, {"state", "failed"}, {"error", error}}}});
    r = runRsmctl(fake, {"library", "probe", "vtl"});
    CHECK(r.status == 1);
    CHECK(r.err ==
          "rsmctl: ERROR_UNABLE_TO_INVENTORY_SLOT (4326): slot 1005: element status "
          "unavailable\n");

    fake.answer("library.probe", {{"request", {{"id", "r-2"}, {"state", "cancelled"}}}});
    r = runRsmctl(fake, {"library", "probe", "vtl"});
    CHECK(r.status == 1);
    CHECK(r.err ==
          "rsmctl: ERROR_CANCELLED (1223): probe of library vtl (request r-2) ended "
          "cancelled\n");
}

TEST_CASE("results of an unexpected shape are printed as far as they go, never crash") {
    FakeRsmd fake;
    fake.answer("media.list",
                {{"media", {1, "x", {{"barcode", 5}, {"sides", {{{"state", 7}}, "odd"}}}}}});
    RunResult r = runRsmctl(fake, {"media", "list"});
    CHECK(r.status == 0);
    CHECK(r.out == lines({
                       "BARCODE  TYPE  POOL  LIBRARY  LOCATION  ADDRESS  STATE  SIDES",
                       "-        -     -     -        -         -        -      -",
                       "-        -     -     -        -         -        -      -",
                       "5        -     -     -        -         -        -      7,-",
                   }));

    fake.answer("lmid.allocate", {{"lmid", "daily-0001"}});
    r = runRsmctl(fake, {"allocate", "backup/daily"});
    CHECK(r.status == 0);
    CHECK(r.out == "allocated - (medium - side -) from pool backup/daily\n");

    fake.answer("library.probe", {{"request", nullptr}});
    r = runRsmctl(fake, {"library", "probe", "vtl"});
    CHECK(r.status == 1);
    CHECK(r.err ==
          "rsmctl: ERROR_INVALID_STATE (5023): probe of library vtl (request -) ended -\n");

    fake.answer("library.show", {{"library", {{"name", "vtl"}}}, {"drives", json::array()}});
    r = runRsmctl(fake, {"library", "show", "vtl"});
    CHECK(r.status == 0);
    CHECK(r.out == "name:  vtl\n");
}

TEST_CASE("request show and cancel take the first 8 characters of an id, as tables show it") {
    FakeRsmd fake;
    const std::string id = "3f2a9c1e-5b7d-4e21-9a0b-c1d2e3f40516";
    fake.answer("request.list",
                {{"requests", {{{"id", id}}, {{"id", "77aa0000-0000-4000-8000-000000000001"}}}},
                 {"next", nullptr}});
    fake.answer("operator.list", {{"operator_requests", json::array()}});
    fake.answer("request.show", {{"request", {{"id", id}, {"kind", "mount"}}}});
    RunResult r = runRsmctl(fake, {"request", "show", "3f2a9c1e"});
    CHECK(r.status == 0);
    CHECK(r.out.find(id) != std::string::npos);
    json shown;
    for (const json &request : fake.requests())
        if (request["verb"] == "request.show")
            shown = request;
    CHECK(shown["request"] == id);

    // No request begins so: a clear error, and nothing shown or cancelled.
    r = runRsmctl(fake, {"request", "cancel", "0bad0bad"});
    CHECK(r.status == 1);
    CHECK(r.err ==
          "rsmctl: ERROR_OBJECT_NOT_FOUND (4312): no library request or operator request "
          "whose id begins with 0bad0bad: rsmctl request list --all (--operator) lists "
          "them\n");
    for (const json &request : fake.requests())
        CHECK(request["verb"] != "request.cancel");
}
