// Every rsmctl subcommand against the fake rsmd: the exact verb and fields it sends (optional
// fields only when given), the session around it, and the confirmation it prints.

#include <doctest/doctest.h>

#include "tests/cli/fake_rsmd.h"

using nlohmann::json;
using rsm::test::FakeRsmd;
using rsm::test::RunResult;

namespace {

const char *kRequest = "9b1f0c2e-7d3a-4c5b-8e6f-1a2b3c4d5e6f";

json request(const char *state) {
    return {{"request",
             {{"id", kRequest},
              {"kind", "probe"},
              {"state", state},
              {"library", "vtl"},
              {"priority", 0},
              {"error", nullptr}}}};
}

const json kLmid = {
    {"lmid",
     {{"name", "daily-0003"}, {"barcode", "A00003L5"}, {"side", 1}, {"pool", "backup/daily"}}}};

struct Case {
    std::vector<std::string> args;
    const char *verb;
    json fields;                // without the session
    json result = nullptr;      // null: the fake's {}
    const char *out = nullptr;  // the exact stdout, when given
};

std::vector<Case> cases() {
    return {
        {{"library", "list"}, "library.list", json::object()},
        {{"library", "show", "vtl"}, "library.show", {{"library", "vtl"}}},
        {{"library", "add", "vtl", "/dev/sg3", "--description", "main robot"},
         "library.add",
         {{"name", "vtl"}, {"device", "/dev/sg3"}, {"description", "main robot"}},
         nullptr,
         "added library vtl (/dev/sg3)\n"},
        {{"library", "add", "vtl", "iscsi://127.0.0.1/iqn.x/1"},
         "library.add",
         {{"name", "vtl"}, {"device", "iscsi://127.0.0.1/iqn.x/1"}}},
        {{"library", "remove", "vtl", "--force"},
         "library.remove",
         {{"library", "vtl"}, {"force", true}},
         nullptr,
         "removed library vtl\n"},
        {{"library", "remove", "vtl"}, "library.remove", {{"library", "vtl"}, {"force", false}}},
        {{"library", "enable", "vtl"},
         "library.enable",
         {{"library", "vtl"}},
         nullptr,
         "enabled library vtl\n"},
        {{"library", "disable", "vtl"},
         "library.disable",
         {{"library", "vtl"}},
         nullptr,
         "disabled library vtl\n"},
        {{"library", "discover"}, "library.discover", json::object()},
        {{"library", "probe", "vtl"},
         "library.probe",
         {{"library", "vtl"}, {"wait", true}},
         request("passed"),
         "probed library vtl (request 9b1f0c2e-7d3a-4c5b-8e6f-1a2b3c4d5e6f)\n"},
        {{"library", "probe", "vtl", "--priority", "-5", "--no-wait"},
         "library.probe",
         {{"library", "vtl"}, {"priority", -5}, {"wait", false}},
         request("queued"),
         "queued a probe of library vtl as request 9b1f0c2e-7d3a-4c5b-8e6f-1a2b3c4d5e6f\n"},
        {{"drive", "list"}, "drive.list", json::object()},
        {{"drive", "list", "--library", "vtl"}, "drive.list", {{"library", "vtl"}}},
        {{"drive", "enable", "vtl/0"},
         "drive.enable",
         {{"drive", "vtl/0"}},
         nullptr,
         "enabled drive vtl/0\n"},
        {{"drive", "disable", "vtl/1"},
         "drive.disable",
         {{"drive", "vtl/1"}},
         nullptr,
         "disabled drive vtl/1\n"},
        // The reading for people: each part the drive gave, its figures that are not null.
        {{"drive", "health", "vtl/0"},
         "drive.health",
         {{"drive", "vtl/0"}},
         {{"request", {{"message", "health of drive vtl/0 with A00001L5: 3 of 5 parts read"}}},
          {"health",
           {{"attributes",
             {{"load_count", 12},
              {"lifetime_written_mib", 2048},
              {"manufacturer", "FUJIFILM"},
              {"worm", false},
              {"serial_number", nullptr}}},
            {"volume_statistics", nullptr},
            {"write_errors", {{"uncorrected", 0}, {"total_retries", 3}}},
            {"read_errors", nullptr},
            {"tapealert", {3, 20}},
            {"unsupported", {"volume statistics", "read errors"}},
            {"failed", json::array()}}}},
         "drive vtl/0: health of drive vtl/0 with A00001L5: 3 of 5 parts read\n"
         "attributes:\n"
         "  lifetime written (MiB): 2048\n"
         "  load count: 12\n"
         "  manufacturer: FUJIFILM\n"
         "  worm: no\n"
         "write errors:\n"
         "  total retries: 3\n"
         "  uncorrected: 0\n"
         "tapealert: 3, 20\n"
         "not supported: volume statistics, read errors\n"},
        {{"vault", "create", "iron", "--description", "offsite"},
         "vault.create",
         {{"name", "iron"}, {"description", "offsite"}},
         nullptr,
         "created vault iron\n"},
        {{"vault", "list"}, "vault.list", json::object()},
        {{"vault", "send", "backup", "A00001L5", "--to", "iron"},
         "vault.send",
         {{"vault", "iron"}, {"media", {"backup", "A00001L5"}}},
         {{"cartridges",
           {{{"barcode", "A00001L5"},
             {"pool", "backup"},
             {"lmids", {"daily-0001"}},
             {"library", "vtl"},
             {"round", 1},
             {"vault", "iron"},
             {"state", "in-transit-out"},
             {"since", nullptr}}}}},
         "BARCODE   POOL    LMIDS       LIBRARY  ROUND  VAULT  STATE           SINCE\n"
         "A00001L5  backup  daily-0001  vtl      1      iron   in-transit-out  -\n"},
        {{"vault", "arrived", "iron"},
         "vault.arrived",
         {{"vault", "iron"}, {"media", json::array()}}},
        {{"vault", "recall", "iron", "--list"},
         "vault.recall",
         {{"vault", "iron"}, {"media", json::array()}, {"list_only", true}}},
        {{"vault", "overdue", "--days", "3"}, "vault.overdue", {{"days", 3}}},
        {{"vault", "report"}, "vault.report", {{"days", 7}}},
        {{"vault", "delete", "iron"},
         "vault.delete",
         {{"vault", "iron"}},
         nullptr,
         "deleted vault iron\n"},
        {{"media", "list"}, "media.list", json::object()},
        {{"media", "list", "--pool", "backup/daily", "--library", "vtl"},
         "media.list",
         {{"pool", "backup/daily"}, {"library", "vtl"}}},
        {{"media", "show", "A00001L5"}, "media.show", {{"media", "A00001L5"}}},
        {{"media", "health", "A00001L5", "--limit", "5"},
         "media.health",
         {{"media", "A00001L5"}, {"limit", 5}},
         {{"media_id", "6f2d1c3e-0000-4000-8000-000000000001"},
          {"suspect", true},
          {"suspect_reason", "tape: loaded 5000 times (threshold 5000)"},
          {"readings", json::array()}},
         "suspect: yes (tape: loaded 5000 times (threshold 5000))\n"
         "TAKEN  TRIGGER  DRIVE  ERR/GB  LIFE ERR/GB  LOADS  NOT SUPPORTED\n"},
        {{"media", "clear-suspect", "A00001L5"},
         "media.clear_suspect",
         {{"media", "A00001L5"}},
         nullptr,
         "A00001L5 is no longer suspect\n"},
        {{"drive", "clear-suspect", "vtl/0"},
         "drive.clear_suspect",
         {{"drive", "vtl/0"}},
         nullptr,
         "drive vtl/0 is no longer suspect\n"},
        {{"media", "create", "--type", "LTO-5", "--barcode", "A00009L5", "--pool", "free:LTO-5",
          "--name", "spare"},
         "media.create",
         {{"media_type", "LTO-5"},
          {"barcode", "A00009L5"},
          {"pool", "free:LTO-5"},
          {"name", "spare"}},
         {{"media", {{"id", "m-9"}, {"barcode", "A00009L5"}}}},
         "created medium A00009L5\n"},
        {{"media", "create", "--type", "LTO-5", "--label-type", "rsm", "--label-id", "L-1",
          "--description", "offsite"},
         "media.create",
         {{"media_type", "LTO-5"},
          {"label_type", "rsm"},
          {"label_id", "L-1"},
          {"description", "offsite"}}},
        {{"media", "create", "--type", "LTO-5"},
         "media.create",
         {{"media_type", "LTO-5"}},
         {{"media", {{"id", "m-10"}, {"barcode", nullptr}}}},
         "created medium m-10\n"},
        {{"mediatype", "list"}, "mediatype.list", json::object()},
        {{"mediatype", "create", "LTO-9", "--sides", "1"},
         "mediatype.create",
         {{"name", "LTO-9"}, {"sides", 1}},
         {{"id", "t-1"}},
         "created media type LTO-9\n"},
        {{"pool", "list"}, "pool.list", json::object()},
        {{"pool", "show", "backup/daily"}, "pool.show", {{"pool", "backup/daily"}}},
        {{"pool", "create", "backup/daily", "--type", "LTO-5", "--description", "nightly",
          "--no-allocate-from-free", "--no-deallocate-to-free", "--max-allocations", "100"},
         "pool.create",
         {{"path", "backup/daily"},
          {"media_type", "LTO-5"},
          {"description", "nightly"},
          {"allocate_from_free", false},
          {"deallocate_to_free", false},
          {"max_allocations", 100}},
         nullptr,
         "created pool backup/daily\n"},
        {{"pool", "create", "backup/weekly"},
         "pool.create",
         {{"path", "backup/weekly"}, {"allocate_from_free", true}, {"deallocate_to_free", true}}},
        {{"pool", "delete", "backup/daily"},
         "pool.delete",
         {{"pool", "backup/daily"}},
         nullptr,
         "deleted pool backup/daily\n"},
        {{"allocate", "backup/daily"},
         "lmid.allocate",
         {{"pool", "backup/daily"}, {"new", false}},
         kLmid,
         "allocated daily-0003 (medium A00003L5 side 1) from pool backup/daily\n"},
        {{"allocate", "backup/daily", "--new", "--next", "daily-0001", "--name", "daily-0004"},
         "lmid.allocate",
         {{"pool", "backup/daily"}, {"new", true}, {"next", "daily-0001"}, {"name", "daily-0004"}},
         kLmid},
        {{"deallocate", "daily-0001"},
         "lmid.deallocate",
         {{"lmid", "daily-0001"}},
         nullptr,
         "deallocated daily-0001\n"},
        {{"swap", "daily-0001", "daily-0002"},
         "lmid.swap",
         {{"lmid1", "daily-0001"}, {"lmid2", "daily-0002"}, {"return_lmids", false}},
         nullptr,
         "swapped daily-0001 and daily-0002\n"},
        {{"complete", "daily-0001"},
         "lmid.complete",
         {{"lmid", "daily-0001"}},
         nullptr,
         "completed daily-0001\n"},
        {{"delete-media", "A00001L5"},
         "media.delete",
         {{"media", "A00001L5"}},
         nullptr,
         "deleted medium A00001L5\n"},
        {{"move-to-pool", "A00001L5", "backup/weekly"},
         "media.move_to_pool",
         {{"media", "A00001L5"}, {"pool", "backup/weekly"}},
         nullptr,
         "moved medium A00001L5 to pool backup/weekly\n"},
        {{"decommission", "A00001L5", "--side", "1"},
         "media.decommission",
         {{"media", "A00001L5"}, {"side", 1}},
         nullptr,
         "decommissioned side 1 of medium A00001L5\n"},
        {{"decommission", "A00001L5"},
         "media.decommission",
         {{"media", "A00001L5"}},
         nullptr,
         "decommissioned medium A00001L5\n"},
        {{"lmid", "list"}, "lmid.list", json::object()},
        {{"lmid", "show", "daily-0001"}, "lmid.show", {{"lmid", "daily-0001"}}},
        {{"acl", "list", "pool:backup/daily"}, "acl.list", {{"object", "pool:backup/daily"}}},
        {{"acl", "grant", "pool:backup/daily", "--user", "root", "use", "modify"},
         "acl.grant",
         {{"object", "pool:backup/daily"},
          {"principal", "user"},
          {"principal_id", 0},
          {"rights", {"use", "modify"}}},
         nullptr,
         "granted use,modify on pool:backup/daily to user root (0)\n"},
        {{"acl", "grant", "computer", "--group", "26", "control"},
         "acl.grant",
         {{"object", "computer"},
          {"principal", "group"},
          {"principal_id", 26},
          {"rights", {"control"}}},
         nullptr,
         "granted control on computer to group 26\n"},
        {{"acl", "revoke", "library:vtl", "--group", "root"},
         "acl.revoke",
         {{"object", "library:vtl"}, {"principal", "group"}, {"principal_id", 0}},
         nullptr,
         "revoked the rights of group root (0) on library:vtl\n"},
        {{"acl", "revoke", "library:vtl", "--user", "1000"},
         "acl.revoke",
         {{"object", "library:vtl"}, {"principal", "user"}, {"principal_id", 1000}}},
        {{"request", "list"}, "request.list", {{"all", false}}},
        {{"request", "list", "--library", "vtl", "--all"},
         "request.list",
         {{"library", "vtl"}, {"all", true}}},
        {{"request", "cancel", kRequest},
         "request.cancel",
         {{"request", kRequest}},
         nullptr,
         "cancelled request 9b1f0c2e-7d3a-4c5b-8e6f-1a2b3c4d5e6f\n"},
    };
}

std::string joined(const std::vector<std::string> &words) {
    std::string text;
    for (const auto &word : words)
        text += (text.empty() ? "" : " ") + word;
    return text;
}

}  // namespace

TEST_CASE("every subcommand sends its verb and exactly its fields, in a session") {
    for (const Case &c : cases()) {
        CAPTURE(joined(c.args));
        FakeRsmd fake;
        if (!c.result.is_null())
            fake.answer(c.verb, c.result);
        RunResult r = runRsmctl(fake, c.args);
        CHECK(r.status == 0);
        CHECK(r.err == "");
        const bool session = std::string(c.verb) != "library.discover";
        json expected = c.fields;
        if (session)
            expected["session"] = FakeRsmd::kSession;
        CHECK(fake.fields(c.verb) == expected);
        const std::vector<std::string> verbs =
            session ? std::vector<std::string>{"hello", "session.open", c.verb, "session.close"}
                    : std::vector<std::string>{"hello", c.verb};
        CHECK(fake.verbs() == verbs);
        if (c.out)
            CHECK(r.out == c.out);
    }
}

TEST_CASE("hello names the protocol and the client; ids increase; the session is closed") {
    FakeRsmd fake;
    RunResult r = runRsmctl(fake, {"swap", "a", "b"});
    REQUIRE(r.status == 0);
    const auto requests = fake.requests();
    REQUIRE(requests.size() == 4);
    CHECK(requests[0] ==
          json{{"verb", "hello"}, {"id", 1}, {"protocol", 1}, {"client", "rsmctl 0.1.0"}});
    CHECK(requests[1] == json{{"verb", "session.open"}, {"id", 2}, {"application", "rsmctl"}});
    CHECK(requests[2]["id"] == 3);
    CHECK(requests[3] ==
          json{{"verb", "session.close"}, {"id", 4}, {"session", FakeRsmd::kSession}});
}

TEST_CASE("the session is closed after a verb that failed too") {
    FakeRsmd fake;
    fake.refuse("lmid.swap", {{"code", 5023}, {"name", "ERROR_INVALID_STATE"}, {"message", "x"}});
    RunResult r = runRsmctl(fake, {"swap", "a", "b"});
    CHECK(r.status == 1);
    CHECK(fake.verbs() ==
          std::vector<std::string>{"hello", "session.open", "lmid.swap", "session.close"});
}

TEST_CASE("usage errors are CLI11's: exit 2 and nothing sent") {
    FakeRsmd fake;
    for (const std::vector<std::string> &args : std::vector<std::vector<std::string>>{
             {"swap", "daily-0001"},
             {"library", "probe", "vtl", "--priority", "16"},
             {"acl", "grant", "computer", "use"},
             {"acl", "grant", "computer", "--user", "root", "--group", "root", "use"},
             {"acl", "grant", "computer", "--user", "root", "everything"},
             {"media", "create"},
             {"allocate", "backup/daily", "--wait"},
             {"decommission", "A00001L5", "--side", "-1"},
             {"pool"},
         }) {
        CAPTURE(joined(args));
        RunResult r = runRsmctl(fake, args);
        CHECK(r.status == 2);
        CHECK(r.err != "");
        // Under --json: one error object on stdout, ERROR_INVALID_PARAMETER, CLI11's words.
        std::vector<std::string> withJson = args;
        withJson.insert(withJson.begin(), "--json");
        r = runRsmctl(fake, withJson);
        CHECK(r.status == 2);
        CHECK(r.err == "");
        const auto error = nlohmann::json::parse(r.out).at("error");
        CHECK(error.at("name") == "ERROR_INVALID_PARAMETER");
        CHECK(error.at("code") == 87);
        CHECK(error.at("message").get<std::string>().size() > 10);
    }
    CHECK(fake.requests().empty());
}

TEST_CASE("an unknown user or group fails before anything is sent") {
    FakeRsmd fake;
    RunResult r = runRsmctl(fake, {"acl", "grant", "computer", "--user", "no-such-user-x", "use"});
    CHECK(r.status == 1);
    CHECK(r.err ==
          "rsmctl: ERROR_INVALID_PARAMETER (87): there is no user 'no-such-user-x' on this "
          "computer\n");
    CHECK(fake.requests().empty());
}
