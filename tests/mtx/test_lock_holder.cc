// The holder of a device lock from /proc/locks, and RSM_MTX_LOCK_TIMEOUT's values.

#include <doctest/doctest.h>

#include "src/mtx/device_lock.h"
#include "src/mtx/lock_holder.h"

using namespace rsm::mtx;
using std::chrono::milliseconds;

TEST_CASE("mtx lock holder: the pids holding a lock on one file, not its waiters") {
    const std::string locks =
        "1: FLOCK  ADVISORY  WRITE 4242 00:1a:12345 0 EOF\n"
        "1: -> FLOCK  ADVISORY  WRITE 4250 00:1a:12345 0 EOF\n"
        "2: POSIX  ADVISORY  WRITE 777 08:01:12345 0 EOF\n"   // another device
        "3: FLOCK  ADVISORY  WRITE 778 00:1a:12346 0 EOF\n"   // another inode
        "4: OFDLCK ADVISORY  READ  -1 00:1a:12345 0 EOF\n"    // no pid to name
        "5: FLOCK  ADVISORY  READ  0 00:1a:12345 0 EOF\n"     // another PID namespace
        "6: FLOCK  ADVISORY  READ  4300 fd:10:12345 0 EOF\n"  // hex major and minor
        "7: FLOCK  ADVISORY  READ  4301 00:1a:12345 0 EOF\n";
    CHECK(lockHolderPids(locks, 0x00, 0x1a, 12345) == std::vector<pid_t>{4242, 4301});
    CHECK(lockHolderPids(locks, 0xfd, 0x10, 12345) == std::vector<pid_t>{4300});
    CHECK(lockHolderPids(locks, 0x00, 0x1a, 99).empty());
    CHECK(lockHolderPids("", 0, 0, 0).empty());
    CHECK(lockHolderPids("garbage\n1: FLOCK\n\n", 0, 0, 0).empty());
}

TEST_CASE("mtx lock timeout: RSM_MTX_LOCK_TIMEOUT in seconds, 0, inf, or an error") {
    CHECK(lockTimeout(nullptr).value() == milliseconds(kDefaultLockTimeout));
    CHECK(lockTimeout("0").value() == milliseconds(0));
    CHECK(lockTimeout("2.5").value() == milliseconds(2500));
    CHECK(lockTimeout("60").value() == milliseconds(60000));
    CHECK(lockTimeout("inf").value() == milliseconds::max());
    for (const char *bad : {"", "-1", "abc", "5s", " 5", "nan", "1e30", "-inf"}) {
        CAPTURE(std::string(bad));
        auto timeout = lockTimeout(bad);
        REQUIRE(!timeout.ok());
        CHECK(timeout.error().code() == rsm::ErrorCode::InvalidParameter);
        CHECK(timeout.error().message().find("RSM_MTX_LOCK_TIMEOUT") != std::string::npos);
    }
}
