// Mistyped command names (issue 18): the closest command is suggested, through rsmctl itself
// and in the pure distance and choice functions.

#include <doctest/doctest.h>

#include "src/cli/suggest.h"
#include "tests/cli/fake_rsmd.h"

using namespace rsm::cli;
using namespace rsm::test;

TEST_CASE("suggest: edit distance and the closest command") {
    CHECK(editDistance("library", "library") == 0);
    CHECK(editDistance("libary", "library") == 1);
    CHECK(editDistance("lsit", "list") == 1);  // a transposition is one edit
    CHECK(editDistance("", "abc") == 3);
    const std::vector<std::string> commands = {"library", "lmid", "list", "media", "mount"};
    CHECK(closest("libary", commands) == std::optional<std::string>("library"));
    CHECK(closest("lsit", commands) == std::optional<std::string>("list"));
    CHECK(closest("mediaa", commands) == std::optional<std::string>("media"));
    CHECK(closest("lib", commands) == std::optional<std::string>("library"));  // a prefix
    CHECK_FALSE(closest("xyzzy", commands));
}

TEST_CASE("suggest: the near object name rsmd suggests (include/rsm/suggest.h)") {
    const std::vector<std::string> names = {"vtl", "daily-0001", "daily-0002", "LTO-5", "backup"};
    using Name = std::optional<std::string>;
    CHECK(rsm::nearName("vtk", names) == Name("vtl"));
    CHECK(rsm::nearName("VTL", names) == Name("vtl"));  // case only
    CHECK(rsm::nearName("lto5", names) == Name("LTO-5"));
    CHECK(rsm::nearName("bakcup", names) == Name("backup"));
    CHECK(rsm::nearName("daily-001", names) == Name("daily-0001"));
    CHECK_FALSE(rsm::nearName("daily-0003", names));  // as near to two: no guess
    CHECK_FALSE(rsm::nearName("robotron", names));    // nothing within two edits
    CHECK_FALSE(rsm::nearName("vtl", names));         // it exists
    CHECK_FALSE(rsm::nearName("", names));
    CHECK_FALSE(rsm::nearName("x", {}));
}

TEST_CASE("suggest: rsmctl says which command was meant, exit 2, nothing sent") {
    FakeRsmd fake;
    RunResult r = runRsmctl(fake, {"libary", "list"});
    CHECK(r.status == 2);
    CHECK(r.err == "rsmctl: unknown command 'libary'; did you mean 'library'?\n");
    r = runRsmctl(fake, {"library", "lsit"});
    CHECK(r.status == 2);
    CHECK(r.err == "rsmctl: unknown command 'lsit' of rsmctl library; did you mean 'list'?\n");
    // Under --json, the same as a JSON error object on stdout.
    r = runRsmctl(fake, {"--json", "library", "lsit"});
    CHECK(r.status == 2);
    CHECK(r.out ==
          "{\"error\":{\"code\":87,\"message\":\"unknown command 'lsit' of rsmctl "
          "library; did you mean 'list'?\",\"name\":\"ERROR_INVALID_PARAMETER\"}}\n");
    CHECK(r.err == "");
    r = runRsmctl(fake, {"frobnicate"});
    CHECK(r.status == 2);
    CHECK(r.err == "rsmctl: unknown command 'frobnicate'; rsmctl --help lists them\n");
    CHECK(fake.requests().empty());
}
