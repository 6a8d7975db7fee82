// rsmctl watch against the fake rsmd: the request, then one line per event — for people, or
// the event objects themselves with --json — until rsmd ends the stream.

#include <doctest/doctest.h>

#include "tests/cli/fake_rsmd.h"

using nlohmann::json;
using rsm::test::FakeRsmd;
using rsm::test::RunResult;

TEST_CASE("watch: events one per line until the stream ends") {
    const json event1 = {{"seq", 1042},
                         {"at", "2026-11-21T10:00:00.123+00:00"},
                         {"kind", "logical_media"},
                         {"id", "x-1"},
                         {"op", "update"},
                         {"principal", "uid:1000"},
                         {"data", {{"name", "daily-0001"}}}};
    const json event2 = {{"seq", 1043},
                         {"at", "2026-11-21T10:00:01.000+00:00"},
                         {"kind", "library_request"},
                         {"id", "r-9"},
                         {"op", "insert"},
                         {"principal", "uid:0"},
                         {"data", {{"state", "queued"}}}};
    FakeRsmd fake;
    fake.answer("watch", {{"seq", 1041}});
    fake.stream({json{{"event", event1}}.dump(), json{{"event", event2}}.dump()});

    RunResult r = runRsmctl(fake, {"watch", "--since", "1041"});
    CHECK(r.status == 1);
    CHECK(fake.fields("watch") == json{{"since", 1041}, {"session", FakeRsmd::kSession}});
    CHECK(fake.verbs() == std::vector<std::string>{"hello", "session.open", "watch"});
    CHECK(r.out ==
          "1042  2026-11-21 10:00:00 UTC  update  logical_media  daily-0001  by uid:1000\n"
          "1043  2026-11-21 10:00:01 UTC  insert  library_request  r-9  by uid:0\n");
    CHECK(r.err ==
          "watching rsmd's events after seq 1041\n"
          "rsmctl: ERROR_RESOURCE_NOT_PRESENT (4316): rsmd ended the event stream\n");

    r = runRsmctl(fake, {"--json", "watch"});
    CHECK(r.status == 1);
    CHECK(r.out == event1.dump() + "\n" + event2.dump() + "\n" +
                       R"({"error":{"code":4316,"message":"rsmd ended the event stream",)"
                       R"("name":"ERROR_RESOURCE_NOT_PRESENT"}})" +
                       "\n");
}

TEST_CASE("watch: lines name the medium, side or LMID; --sessions asks for session events") {
    const auto event = [](int seq, const char *kind, json data, json barcode, json lmid) {
        return json{{"event",
                     {{"seq", seq},
                      {"at", "2026-12-06T10:00:00.000000Z"},
                      {"kind", kind},
                      {"id", "x-" + std::to_string(seq)},
                      {"op", "update"},
                      {"principal", "uid:1000"},
                      {"barcode", barcode},
                      {"lmid_name", lmid},
                      {"data", data}}}}
            .dump();
    };
    FakeRsmd fake;
    fake.answer("watch", {{"seq", 1}});
    fake.stream({event(2, "logical_media", {{"name", "daily-0001"}}, "A00001L5", "daily-0001"),
                 event(3, "side", {{"number", 0}}, "A00001L5", "daily-0001"),
                 event(4, "physical_media", {{"barcode", "A00001L5"}}, "A00001L5", nullptr),
                 event(5, "library_request", {{"kind", "mount"}}, "A00001L5", nullptr)});
    RunResult r = runRsmctl(fake, {"watch", "--sessions"});
    CHECK(fake.fields("watch") == json{{"sessions", true}, {"session", FakeRsmd::kSession}});
    CHECK(r.out ==
          "2  2026-12-06 10:00:00 UTC  update  logical_media  daily-0001 on A00001L5"
          "  by uid:1000\n"
          "3  2026-12-06 10:00:00 UTC  update  side  A00001L5 side 0 holding "
          "daily-0001  by uid:1000\n"
          "4  2026-12-06 10:00:00 UTC  update  physical_media  A00001L5  by uid:1000\n"
          "5  2026-12-06 10:00:00 UTC  update  library_request  x-5 (A00001L5)  by "
          "uid:1000\n");
}
