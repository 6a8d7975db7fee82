// Local accounts: names and ids from passwd- and group-format files, without NSS.

#include <doctest/doctest.h>

#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <string>

#include "src/mtx/local_accounts.h"

namespace rsm::mtx {

TEST_CASE("local accounts: names and ids from the local files, malformed lines skipped") {
    char path[] = "/tmp/rsm-accounts-XXXXXX";
    const int fd = mkstemp(path);
    REQUIRE(fd >= 0);
    {
        std::ofstream out(path);
        out << "root:x:0:0:root:/root:/bin/bash\n"
            << "# a comment\n"
            << ":x:5:\n"         // no name
            << "broken:x:7x:\n"  // not a number
            << "tape:x:26:backup,bacula\n"
            << "short:x\n"  // too few fields
            << "bacula:x:110:\n";
    }
    CHECK(localName(0, path) == "root");
    CHECK(localName(26, path) == "tape");
    CHECK(localName(110, path) == "bacula");
    CHECK_FALSE(localName(5, path));
    CHECK_FALSE(localName(7, path));
    CHECK_FALSE(localName(999, path));
    CHECK(localId("tape", path) == 26u);
    CHECK(localId("bacula", path) == 110u);
    CHECK_FALSE(localId("broken", path));
    CHECK_FALSE(localId("nobody-here", path));
    CHECK_FALSE(localName(0, "/nonexistent/rsm/passwd"));
    std::remove(path);
    ::close(fd);
    // This machine's own files: root is uid 0.
    CHECK(localName(0, kPasswdFile) == "root");
}

}  // namespace rsm::mtx
