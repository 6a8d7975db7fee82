// DeviceLock: the lock file's name, and that a second holder waits for the first.

#include <doctest/doctest.h>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <thread>

#include "src/mtx/device_lock.h"

using namespace rsm::mtx;

namespace {

struct TempDir {
    TempDir() {
        char pattern[] = "/tmp/rsm-mtx-lock.XXXXXX";
        REQUIRE(mkdtemp(pattern) != nullptr);
        path = pattern;
    }
    ~TempDir() {
        std::error_code ignored;
        std::filesystem::remove_all(path, ignored);
    }
    std::string path;
};

}  // namespace

TEST_CASE("mtx device lock: the file is named after the device, in plain bytes") {
    CHECK(lockFileName("/dev/sg3") == "mtx-_dev_sg3.lock");
    CHECK(lockFileName("iscsi://127.0.0.1:3260/iqn.2024-01.org.rsm:vtl/3") ==
          "mtx-iscsi___127.0.0.1_3260_iqn.2024-01.org.rsm_vtl_3.lock");
    const std::string longName = lockFileName(std::string(500, 'a'));
    CHECK(longName.size() == 4 + 200 + 5);
    CHECK(longName != lockFileName(std::string(501, 'a')));
    CHECK(lockFileName("../x y") == "mtx-.._x_y.lock");
}

TEST_CASE("mtx device lock: a local path is resolved, so two names of one device share a lock") {
    TempDir dir;
    const std::string device = dir.path + "/sg7";
    const std::string link = dir.path + "/changer";
    {
        std::FILE *f = std::fopen(device.c_str(), "w");
        REQUIRE(f);
        std::fclose(f);
    }
    REQUIRE(symlink(device.c_str(), link.c_str()) == 0);
    CHECK(lockPath(link, "/run/lock/rsm") == lockPath(device, "/run/lock/rsm"));
    CHECK(lockPath("iscsi://h/iqn.x/1", "/d") == "/d/mtx-iscsi___h_iqn.x_1.lock");
}

TEST_CASE("mtx device lock: a second holder waits until the first lets go") {
    TempDir dir;
    auto first = DeviceLock::acquire("/dev/sg9", dir.path);
    REQUIRE(first.ok());
    CHECK(first->held());
    CHECK(first->path() == dir.path + "/mtx-_dev_sg9.lock");

    // Another open file description of the same file: flock makes it wait like a process.
    std::atomic<bool> got{false};
    std::thread second([&] {
        auto lock = DeviceLock::acquire("/dev/sg9", dir.path);
        got = lock.ok();
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    CHECK(!got);
    // Another device is not held up.
    auto other = DeviceLock::acquire("/dev/sg10", dir.path);
    CHECK(other.ok());
    *first = DeviceLock();  // release
    second.join();
    CHECK(got);
}

TEST_CASE("mtx device lock: a directory that cannot be made is an error, not a hang") {
    auto lock = DeviceLock::acquire("/dev/sg9", "/nonexistent/rsm");
    REQUIRE(!lock.ok());
    CHECK(lock.error().message().find("/nonexistent/rsm/mtx-_dev_sg9.lock") != std::string::npos);
}
