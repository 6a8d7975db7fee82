// NotableEvents: which rows of the event log make a notification, from rows as the log holds
// them (the changed row's new values as JSON), and the variables and JSON a notification gives
// notify_command.

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "src/service/notable.h"

namespace rsm::service {

namespace {

const Uuid kLib = *Uuid::parse("11111111-1111-4111-8111-111111111111");
const Uuid kDrive = *Uuid::parse("22222222-2222-4222-8222-222222222222");
const Uuid kMedia = *Uuid::parse("33333333-3333-4333-8333-333333333333");
const Uuid kRequest = *Uuid::parse("44444444-4444-4444-8444-444444444444");

engine::EventRow row(std::int64_t seq, const std::string &kind, const Uuid &id,
                     const std::string &op, const nlohmann::json &data) {
    engine::EventRow e;
    e.seq = seq;
    e.at = "2026-12-07T03:00:00.000Z";
    e.kind = kind;
    e.objectId = id;
    e.op = op;
    e.principal = "uid:0";
    e.data = data.dump();
    return e;
}

nlohmann::json library(const char *unreachableSince, const char *error = nullptr) {
    nlohmann::json j = {{"id", kLib.toString()}, {"name", "vtl"}, {"kind", 1}};
    j["unreachable_since"] = unreachableSince ? nlohmann::json(unreachableSince) : nullptr;
    j["robot_error"] = error ? nlohmann::json(error) : nullptr;
    return j;
}

nlohmann::json drive(bool needsCleaning, bool suspect = false) {
    nlohmann::json j = {{"id", kDrive.toString()},
                        {"library_id", kLib.toString()},
                        {"number", 1},
                        {"state", 1},
                        {"needs_cleaning", needsCleaning}};
    if (suspect) {
        j["suspect"] = true;
        j["suspect_reason"] = "error rate rose across 3 tapes";
    }
    return j;
}

std::string env(const Notification &n, const std::string &name) {
    for (const auto &[k, v] : n.environment())
        if (k == name)
            return v;
    return "(unset)";
}

// The one notification a row makes, if any.
std::optional<Notification> one(NotableEvents &rules, const engine::EventRow &e) {
    auto all = rules.notable(e);
    REQUIRE(all.size() <= 1);
    if (all.empty())
        return std::nullopt;
    return all.front();
}

}  // namespace

TEST_CASE("notable: an operator request posted, with its kind, message, library and drive") {
    NotableEvents rules;
    rules.seedLibrary(kLib, "vtl", false);
    rules.seedDrive(kDrive, kLib, 1, false);
    auto e = row(42, "operator_request", kRequest, "insert",
                 {{"id", kRequest.toString()},
                  {"kind", 3},
                  {"state", 1},
                  {"message", "drive vtl/1 needs service"},
                  {"library_id", kLib.toString()},
                  {"media_id", nullptr},
                  {"drive_id", kDrive.toString()}});
    auto n = one(rules, e);
    REQUIRE(n);
    CHECK(n->event == "operator-request-posted");
    CHECK(n->label() == "operator-request-posted #42");
    CHECK(env(*n, "RSM_EVENT") == "operator-request-posted");
    CHECK(env(*n, "RSM_SEQ") == "42");
    CHECK(env(*n, "RSM_TIME") == "2026-12-07T03:00:00.000Z");
    CHECK(env(*n, "RSM_OBJECT_KIND") == "operator_request");
    CHECK(env(*n, "RSM_OBJECT_ID") == kRequest.toString());
    CHECK(env(*n, "RSM_REQUEST_KIND") == "DEVICESERVICE");
    CHECK(env(*n, "RSM_LIBRARY") == "vtl");
    CHECK(env(*n, "RSM_DRIVE") == "vtl/1");
    CHECK(env(*n, "RSM_MESSAGE") == "drive vtl/1 needs service");
    CHECK(env(*n, "RSM_BARCODE") == "(unset)");
    const auto j = nlohmann::json::parse(n->json());
    CHECK(j == nlohmann::json{{"event", "operator-request-posted"},
                              {"seq", 42},
                              {"time", "2026-12-07T03:00:00.000Z"},
                              {"object_kind", "operator_request"},
                              {"object_id", kRequest.toString()},
                              {"library", "vtl"},
                              {"drive", "vtl/1"},
                              {"request_kind", "DEVICESERVICE"},
                              {"message", "drive vtl/1 needs service"}});
    CHECK(n->json().back() == '\n');
    // Its answer (an update) and its deletion are not notable.
    CHECK(!one(rules, row(43, "operator_request", kRequest, "update", {{"state", 5}})));
    CHECK(!one(rules, row(44, "operator_request", kRequest, "delete", {{"state", 5}})));
}

TEST_CASE("notable: a library unreachable, and back, once per change") {
    NotableEvents rules;
    rules.seedLibrary(kLib, "vtl", false);
    CHECK(!one(rules, row(1, "library", kLib, "update", library(nullptr))));
    auto down = one(rules, row(2, "library", kLib, "update",
                               library("2026-12-07T03:00:00Z", "no answer from tgtd")));
    REQUIRE(down);
    CHECK(down->event == "library-unreachable");
    CHECK(env(*down, "RSM_LIBRARY") == "vtl");
    CHECK(env(*down, "RSM_MESSAGE") == "no answer from tgtd");
    // Still unreachable, another error: no second notification.
    CHECK(
        !one(rules, row(3, "library", kLib, "update", library("2026-12-07T03:00:00Z", "timeout"))));
    auto up = one(rules, row(4, "library", kLib, "update", library(nullptr)));
    REQUIRE(up);
    CHECK(up->event == "library-reachable");
    CHECK(env(*up, "RSM_MESSAGE") == "(unset)");
    // Seeded unreachable (rsmd restarted while it was): only its return is told.
    NotableEvents restarted;
    restarted.seedLibrary(kLib, "vtl", true);
    CHECK(!one(restarted,
               row(5, "library", kLib, "update", library("2026-12-07T03:00:00Z", "still down"))));
    CHECK(one(restarted, row(6, "library", kLib, "update", library(nullptr))));
}

TEST_CASE("notable: a drive's needs_cleaning becoming true; drive suspect (schema 016)") {
    NotableEvents rules;
    rules.seedLibrary(kLib, "vtl", false);
    rules.seedDrive(kDrive, kLib, 1, false);
    CHECK(!one(rules, row(1, "drive", kDrive, "update", drive(false))));
    auto dirty = one(rules, row(2, "drive", kDrive, "update", drive(true)));
    REQUIRE(dirty);
    CHECK(dirty->event == "drive-needs-cleaning");
    CHECK(env(*dirty, "RSM_DRIVE") == "vtl/1");
    CHECK(env(*dirty, "RSM_LIBRARY") == "vtl");
    // Other changes of a drive that still needs cleaning (a mount) say nothing more.
    CHECK(!one(rules, row(3, "drive", kDrive, "update", drive(true))));
    CHECK(!one(rules, row(4, "drive", kDrive, "update", drive(false))));  // cleaned
    CHECK(one(rules, row(5, "drive", kDrive, "update", drive(true))));    // again
    // Seeded as needing cleaning: a later change is not a new need.
    NotableEvents seeded;
    seeded.seedDrive(kDrive, kLib, 1, true);
    CHECK(!one(seeded, row(6, "drive", kDrive, "update", drive(true))));

    // A row without the column (before schema 016) is never suspect; with it, the change to
    // true is told with its reason, once.
    auto suspect = one(rules, row(7, "drive", kDrive, "update", drive(true, true)));
    REQUIRE(suspect);
    CHECK(suspect->event == "drive-suspect");
    CHECK(env(*suspect, "RSM_DRIVE") == "vtl/1");
    CHECK(env(*suspect, "RSM_MESSAGE") == "error rate rose across 3 tapes");
    CHECK(!one(rules, row(8, "drive", kDrive, "update", drive(true, true))));

    // Both flags set by one change: two notifications.
    NotableEvents fresh;
    fresh.seedLibrary(kLib, "vtl", false);
    auto both = fresh.notable(row(9, "drive", kDrive, "update", drive(true, true)));
    REQUIRE(both.size() == 2);
    CHECK(both[0].event == "drive-needs-cleaning");
    CHECK(both[1].event == "drive-suspect");
    CHECK(env(both[1], "RSM_DRIVE") == "vtl/1");
    CHECK(env(both[0], "RSM_MESSAGE") == "(unset)");
}

TEST_CASE("notable: a tape suspect (schema 016), a cleaner spent") {
    NotableEvents rules;
    const nlohmann::json media = {{"id", kMedia.toString()}, {"barcode", "A00001L6"}};
    CHECK(!one(rules, row(1, "physical_media", kMedia, "update", media)));
    nlohmann::json bad = media;
    bad["suspect"] = true;
    bad["suspect_reason"] = "12 errors per GB";
    auto e = row(2, "physical_media", kMedia, "update", bad);
    e.barcode = "A00001L6";  // as the store reads it
    auto n = one(rules, e);
    REQUIRE(n);
    CHECK(n->event == "tape-suspect");
    CHECK(env(*n, "RSM_BARCODE") == "A00001L6");
    CHECK(env(*n, "RSM_MESSAGE") == "12 errors per GB");
    CHECK(n->mediaId == kMedia);
    CHECK(!one(rules, row(3, "physical_media", kMedia, "update", bad)));
    CHECK(!one(rules, row(4, "physical_media", kMedia, "update", media)));  // cleared

    CHECK(!one(rules, row(5, "cleaner", kMedia, "insert", {{"uses_left", 2}})));
    CHECK(!one(rules, row(6, "cleaner", kMedia, "update", {{"uses_left", 1}})));
    auto spent = one(rules, row(7, "cleaner", kMedia, "update", {{"uses_left", 0}}));
    REQUIRE(spent);
    CHECK(spent->event == "cleaner-spent");
    CHECK(env(*spent, "RSM_USES_LEFT") == "0");
    CHECK(spent->mediaId == kMedia);  // the feed looks its barcode up
    CHECK(!one(rules, row(8, "cleaner", kMedia, "update", {{"uses_left", 0}})));
}

TEST_CASE("notable: other rows are not, and rows that are not JSON objects are skipped") {
    NotableEvents rules;
    CHECK(!one(rules, row(1, "slot", kLib, "update", {{"state", 1}})));
    CHECK(!one(rules, row(2, "library_request", kLib, "insert", {{"state", 1}})));
    CHECK(!one(rules, row(3, "pool", kLib, "update", {{"name", "p"}})));
    auto broken = row(4, "drive", kDrive, "update", {});
    broken.data = "not json";
    CHECK(!one(rules, broken));
    // The pool low-mark hook (issue 20) builds its notification.
    auto low = NotableEvents::poolLow(kLib, "/scratch/lto6", 2, 5, 9, "2026-12-07T03:00:00Z");
    CHECK(env(low, "RSM_EVENT") == "scratch-pool-low");
    CHECK(env(low, "RSM_POOL") == "/scratch/lto6");
    CHECK(env(low, "RSM_MESSAGE") ==
          "pool /scratch/lto6 has 2 free media, below its low mark of 5");
}

}  // namespace rsm::service

namespace rsm::service {

TEST_CASE("notable: a pool whose low-mark request is set is scratch-pool-low, once per request") {
    NotableEvents rules;
    const std::string request = "6f2d1c3e-0000-4000-8000-0000000000aa";
    auto low = one(
        rules,
        row(1, "pool", kLib, "update",
            {{"name", "free:LTO-5"}, {"low_request", request}, {"low_free", 1}, {"low_mark", 3}}));
    REQUIRE(low);
    CHECK(low->event == "scratch-pool-low");
    CHECK(env(*low, "RSM_POOL") == "free:LTO-5");
    CHECK(env(*low, "RSM_MESSAGE") == "pool free:LTO-5 has 1 free media, below its low mark of 3");
    // The same request again (another change of the row), then completed: nothing.
    CHECK(!one(rules, row(2, "pool", kLib, "update",
                          {{"name", "free:LTO-5"}, {"low_request", request}, {"low_mark", 4}})));
    CHECK(!one(rules, row(3, "pool", kLib, "update", {{"name", "free:LTO-5"}})));
    // Low again: told again.
    CHECK(one(
        rules,
        row(4, "pool", kLib, "update",
            {{"name", "free:LTO-5"}, {"low_request", request}, {"low_free", 0}, {"low_mark", 3}})));
}

}  // namespace rsm::service
