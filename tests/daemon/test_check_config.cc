// rsmd --check-config against files rsmd would refuse when it starts (or would quietly
// ignore): each is reported with the file, the line, and the RSM error name and code, and the
// check fails (issue 14, finding 14(b)).

#include <doctest/doctest.h>

#include <fstream>
#include <string>

#include "tests/daemon/server_fixture.h"
#include "tests/support/run.h"

namespace rsm::daemon::test {

namespace {

rsm::test::RunResult checkConfig(const TempDir &dir, const std::string &text) {
    const std::string path = dir.file("rsmd.conf");
    std::ofstream(path) << text;
    return rsm::test::run({RSM_BUILD_DIR "/src/daemon/rsmd", "--check-config", "--config", path});
}

}  // namespace

TEST_CASE("rsmd --check-config: reports what rsmd would refuse, with file, line and code") {
    TempDir dir;
    const std::string file = dir.file("rsmd.conf");
    const std::string prefix = "rsmd: ERROR_INVALID_PARAMETER (87): " + file;
    struct Case {
        const char *what;
        std::string text;
        std::string expected;  // a line of stderr starts so
    };
    const Case cases[] = {
        {"an unknown socket_group",
         "[rsmd]\nsocket = /tmp/x.sock\nsocket_group = no-such-rsm-group\n",
         prefix + ":3: socket_group: group 'no-such-rsm-group' does not exist"},
        {"an unknown admin_group",
         "[rsmd]\nsocket_group = \"\"\n\nadmin_group = no-such-rsm-group\n",
         prefix + ":4: admin_group: group 'no-such-rsm-group' does not exist"},
        {"a socket path over 107 bytes",
         "[rsmd]\nsocket_group = \"\"\nsocket = /tmp/" + std::string(108, 's') + "\n",
         prefix + ":3: socket path has 113 bytes"},
        {"a 100-character library name",
         "[rsmd]\nsocket_group = \"\"\n[library " + std::string(100, 'L') +
             "]\ndevice = /dev/sg1\n",
         prefix + ":3: library name '" + std::string(100, 'L') + "' has 100 characters"},
        {"the reserved library name Offline",
         "[rsmd]\nsocket_group = \"\"\n[library Offline]\ndevice = /dev/sg1\n",
         prefix + ":3: library name 'Offline' is reserved"},
    };
    for (const Case &c : cases) {
        CAPTURE(c.what);
        auto r = checkConfig(dir, c.text);
        CHECK(r.status == 1);
        CHECK_MESSAGE(r.err.find(c.expected) != std::string::npos, r.err << r.out);
        CHECK(r.out.find("OK") == std::string::npos);
    }
    // A file without these faults passes.
    auto good = checkConfig(dir,
                            "[rsmd]\nsocket_group = root\nsocket = /tmp/rsmd.sock\n"
                            "[library vtl]\ndevice = /dev/sg1\n");
    CHECK_MESSAGE(good.status == 0, good.err);
    CHECK(good.out == file + ": OK (1 libraries)\n");
}

}  // namespace rsm::daemon::test
