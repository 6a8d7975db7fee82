// Issue 14, finding 13: text from rsmd (names, descriptions, operator messages, barcodes,
// error messages) that carries terminal escape sequences is shown escaped in everything
// rsmctl prints for people, and exact with --json.

#include <doctest/doctest.h>

#include "tests/cli/fake_rsmd.h"
#include "tests/support/text.h"

using nlohmann::json;
using rsm::test::FakeRsmd;
using rsm::test::RunResult;

namespace {

// Clear the screen; set the clipboard (OSC 52, ended by BEL and by ST); the one-byte CSI
// U+009B (UTF-8 C2 9B) with SGR 31; a right-to-left override.
const std::string kClear = "\x1b[2J";
const std::string kClipboard = "\x1b]52;c;cm0gLXJmIH4=\x07";
const std::string kClipboardSt = "\x1b]52;c;aGk=\x1b\\";
const std::string kC1Csi =
    "\xc2\x9b"
    "31m";
const std::string kOverride = "\xe2\x80\xae";

// What a terminal must not receive.
void checkNoControls(const std::string &text) {
    INFO(text);
    CHECK(text.find('\x1b') == std::string::npos);
    CHECK(text.find('\x07') == std::string::npos);
    CHECK(text.find("\xc2\x9b") == std::string::npos);
    CHECK(text.find(kOverride) == std::string::npos);
}

using rsm::test::contains;

const json kPools = {{"pools",
                      {{{"id", "p-1"},
                        {"path", "backup/" + kClear + "daily"},
                        {"kind", "application"},
                        {"media_type", "LTO-5"},
                        {"media", 2},
                        {"enabled", true},
                        {"allocate_from_free", true},
                        {"deallocate_to_free", false},
                        {"max_allocations", 0},
                        {"description", "copy " + kClipboard + " done"}}}}};

const json kLmids = {{"lmids",
                      {{{"id", "x-1"},
                        {"name", "a-0001" + kC1Csi},
                        {"barcode", "A0" + kClear + "1L5"},
                        {"side", 1},
                        {"side_state", "allocated"},
                        {"pool", "backup"},
                        {"description", kOverride + "5Lfdp"}},
                       {{"id", "x-2"},
                        {"name", "a-0002"},
                        {"barcode", "A00002L5"},
                        {"side", 1},
                        {"side_state", "allocated"},
                        {"pool", "backup"},
                        {"description", "tab\there"}}}}};

const json kOperatorRequests = {{"operator_requests",
                                 {{{"id", "o-1"},
                                   {"kind", "message"},
                                   {"state", "submitted"},
                                   {"library", "vtl"},
                                   {"barcode", "B" + kC1Csi},
                                   {"created", "2026-11-21T10:00:00+00:00"},
                                   {"message", "please " + kClipboardSt + "insert"}}}}};

}  // namespace

TEST_CASE("tables escape control characters from rsmd; --json keeps them exact") {
    FakeRsmd fake;
    fake.answer("pool.list", kPools);
    fake.answer("lmid.list", kLmids);
    fake.answer("operator.list", kOperatorRequests);

    RunResult r = runRsmctl(fake, {"pool", "list"});
    CHECK(r.status == 0);
    checkNoControls(r.out);  // cut to 100 columns, escapes and all
    r = runRsmctl(fake, {"--wide", "pool", "list"});
    CHECK(r.status == 0);
    checkNoControls(r.out);
    CHECK(contains(r.out, "backup/\\x1b[2Jdaily"));
    CHECK(contains(r.out, "copy \\x1b]52;c;cm0gLXJmIH4=\\x07 done"));

    // The columns are as wide as the escaped text.
    r = runRsmctl(fake, {"lmid", "list"});
    CHECK(r.status == 0);
    checkNoControls(r.out);
    CHECK(r.out ==
          "NAME             BARCODE       SIDE  STATE      POOL    DESCRIPTION\n"
          "a-0001\\u009b31m  A0\\x1b[2J1L5  1     allocated  backup  \\u202e5Lfdp\n"
          "a-0002           A00002L5      1     allocated  backup  tab\\there\n");

    r = runRsmctl(fake, {"--wide", "request", "list", "--operator"});
    CHECK(r.status == 0);
    checkNoControls(r.out);
    CHECK(contains(r.out, "B\\u009b31m"));
    CHECK(contains(r.out, "please \\x1b]52;c;aGk=\\x1b\\insert"));

    for (const auto &run :
         {std::pair{std::vector<std::string>{"--json", "pool", "list"}, kPools},
          std::pair{std::vector<std::string>{"--json", "lmid", "list"}, kLmids},
          std::pair{std::vector<std::string>{"--json", "request", "list", "--operator"},
                    kOperatorRequests}}) {
        const std::string group = run.first[1];
        CAPTURE(group);
        r = runRsmctl(fake, run.first);
        CHECK(r.status == 0);
        checkNoControls(r.out);  // escaped as JSON: \u001b, \u009b, \u202e
        CHECK(json::parse(r.out) == run.second);
    }
}

TEST_CASE("show listings, watch lines, confirmations and errors escape them too") {
    FakeRsmd fake;
    fake.refuse("request.show", {{"code", 4312},
                                 {"name", "ERROR_OBJECT_NOT_FOUND"},
                                 {"message", "no library request o-1"}});
    fake.answer("operator.show", {{"operator_request", kOperatorRequests["operator_requests"][0]}});
    RunResult r = runRsmctl(fake, {"request", "show", "o-1"});
    CHECK(r.status == 0);
    checkNoControls(r.out);
    CHECK(contains(r.out, "message:  please \\x1b]52;c;aGk=\\x1b\\insert\n"));
    CHECK(contains(r.out, "barcode:  B\\u009b31m\n"));

    // A robot request's message in the confirmation.
    const json dismounted = {{"request", {{"state", "completed"}, {"message", "ok" + kClear}}}};
    fake.answer("media.dismount", dismounted);
    r = runRsmctl(fake, {"dismount", "daily-0001"});
    CHECK(r.status == 0);
    checkNoControls(r.out);
    CHECK(r.out == "dismounted daily-0001: ok\\x1b[2J\n");
    r = runRsmctl(fake, {"--json", "dismount", "daily-0001"});
    CHECK(json::parse(r.out) == dismounted);

    // An error from rsmd quoting a name.
    const json error = {{"code", 4312},
                        {"name", "ERROR_OBJECT_NOT_FOUND"},
                        {"message", "no LMID " + kClipboard + kC1Csi}};
    fake.refuse("lmid.swap", error);
    r = runRsmctl(fake, {"swap", "a", "b"});
    CHECK(r.status == 1);
    checkNoControls(r.err);
    CHECK(r.err ==
          "rsmctl: ERROR_OBJECT_NOT_FOUND (4312): no LMID "
          "\\x1b]52;c;cm0gLXJmIH4=\\x07\\u009b31m\n");
    r = runRsmctl(fake, {"--json", "swap", "a", "b"});
    CHECK(r.status == 1);
    checkNoControls(r.out);
    CHECK(json::parse(r.out) == json{{"error", error}});

    // A reply that is not JSON, quoted in the error: raw bytes, some not UTF-8.
    fake.reply("library.list", "\xff" + kClear + "\xc3");
    r = runRsmctl(fake, {"library", "list"});
    CHECK(r.status == 1);
    checkNoControls(r.err);
    CHECK(contains(r.err, "\\xff\\x1b[2J\\xc3"));
}

TEST_CASE("watch: an event's name with escapes is one escaped line; --json is exact") {
    const json event = {{"seq", 7},
                        {"at", "2026-11-21T10:00:00.000+00:00"},
                        {"kind", "logical_media"},
                        {"id", "x-1"},
                        {"op", "update"},
                        {"principal", "uid:1000"},
                        {"data", {{"name", "evil\n7  fake line" + kClear}}}};
    FakeRsmd fake;
    fake.answer("watch", {{"seq", 6}});
    fake.stream({json{{"event", event}}.dump()});
    RunResult r = runRsmctl(fake, {"watch"});
    checkNoControls(r.out);
    CHECK(r.out ==
          "7  2026-11-21 10:00:00 UTC  update  logical_media  "
          "evil\\n7  fake line\\x1b[2J  by uid:1000\n");

    r = runRsmctl(fake, {"--json", "watch"});
    checkNoControls(r.out);
    const auto firstLine = r.out.substr(0, r.out.find('\n'));
    CHECK(json::parse(firstLine) == event);
}
