// DeviceLock: the lock file's name, that a second holder waits for the first, and that other
// local users can neither block it for good nor point it elsewhere.

#include <doctest/doctest.h>

#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <future>
#include <thread>

#include "src/mtx/device_lock.h"
#include "tests/support/text.h"

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

// Issue 14, finding 11: the lock as another local user would attack it. The tests run as root
// (scripts/test does); the other user is uid 65534 (nobody).

namespace {

constexpr uid_t kOtherUid = 65534;

// RSM_MTX_LOCK_TIMEOUT for the length of a test.
struct LockTimeout {
    explicit LockTimeout(const char *seconds) { setenv("RSM_MTX_LOCK_TIMEOUT", seconds, 1); }
    ~LockTimeout() { unsetenv("RSM_MTX_LOCK_TIMEOUT"); }
};

// A child process that, as uid 65534, holds flock(LOCK_EX) on `path` until it is killed.
struct OtherUserHolding {
    explicit OtherUserHolding(const std::string &path) {
        int ready[2];
        REQUIRE(pipe(ready) == 0);
        pid = fork();
        REQUIRE(pid >= 0);
        if (pid == 0) {
            if (setgroups(0, nullptr) != 0 || setresgid(kOtherUid, kOtherUid, kOtherUid) != 0 ||
                setresuid(kOtherUid, kOtherUid, kOtherUid) != 0)
                _exit(2);
            const int fd = open(path.c_str(), O_RDONLY);
            if (fd < 0 || flock(fd, LOCK_EX) != 0)
                _exit(3);
            if (write(ready[1], "x", 1) != 1)
                _exit(4);
            for (;;)
                pause();
        }
        close(ready[1]);
        char c = 0;
        held = read(ready[0], &c, 1) == 1;
        close(ready[0]);
    }
    ~OtherUserHolding() { stop(); }
    void stop() {
        if (pid > 0) {
            kill(pid, SIGKILL);
            waitpid(pid, nullptr, 0);
            pid = -1;
        }
    }
    pid_t pid = -1;
    bool held = false;
};

// The directory, open to other users (mkdtemp makes it 0700).
std::string openToOthers(TempDir &dir) {
    REQUIRE(chmod(dir.path.c_str(), 0755) == 0);
    return dir.path;
}

void makeFile(const std::string &path, mode_t mode, uid_t owner) {
    const int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600);
    REQUIRE(fd >= 0);
    REQUIRE(fchown(fd, owner, owner) == 0);
    REQUIRE(fchmod(fd, mode) == 0);
    close(fd);
}

void makeDirectory(const std::string &path, mode_t mode, uid_t owner) {
    REQUIRE(mkdir(path.c_str(), 0700) == 0);
    REQUIRE(chown(path.c_str(), owner, owner) == 0);
    REQUIRE(chmod(path.c_str(), mode) == 0);
}

using rsm::test::contains;

// acquire() in a thread, given `seconds` to return.
struct Attempt {
    explicit Attempt(const std::string &directory, int seconds = 10) {
        result = std::async(std::launch::async,
                            [directory] { return DeviceLock::acquire("/dev/sg9", directory); });
        returned = result.wait_for(std::chrono::seconds(seconds)) == std::future_status::ready;
    }
    std::future<rsm::Result<DeviceLock>> result;
    bool returned = false;
};

}  // namespace

TEST_CASE("mtx device lock: a lock another user holds fails after the timeout, naming the holder") {
    TempDir dir;
    const std::string path = lockPath("/dev/sg9", openToOthers(dir));
    makeFile(path, 0644, 0);
    OtherUserHolding other(path);
    REQUIRE(other.held);
    const pid_t holder = other.pid;

    LockTimeout timeout("0.3");
    const auto start = std::chrono::steady_clock::now();
    Attempt attempt(dir.path);
    const auto waited = std::chrono::steady_clock::now() - start;
    CHECK_MESSAGE(attempt.returned, "still waiting for the lock after 10 s (timeout 0.3 s)");
    other.stop();  // lets a waiter without a timeout through
    auto lock = attempt.result.get();
    REQUIRE_MESSAGE(!lock.ok(), "the lock was taken only when its holder died");
    CHECK(lock.error().code() == rsm::ErrorCode::Busy);
    const std::string message = lock.error().message();
    INFO(message);
    CHECK(contains(message, "pid " + std::to_string(holder) + " (unit-tests, user nobody)"));
    CHECK(contains(message, path));
    CHECK(contains(message, "RSM_MTX_LOCK_TIMEOUT"));
    CHECK(waited >= std::chrono::milliseconds(300));
    CHECK(waited < std::chrono::seconds(5));
}

TEST_CASE("mtx device lock: a lock directory that is a symbolic link is refused") {
    TempDir dir;
    const std::string theirs = dir.path + "/theirs";
    makeDirectory(theirs, 0777, kOtherUid);
    const std::string link = dir.path + "/rsm";
    REQUIRE(symlink(theirs.c_str(), link.c_str()) == 0);

    Attempt attempt(link);
    REQUIRE(attempt.returned);
    auto lock = attempt.result.get();
    CHECK(!lock.ok());
    CHECK(std::filesystem::is_empty(theirs));  // nothing made where the link points
    if (!lock.ok()) {
        INFO(lock.error().message());
        CHECK(lock.error().code() == rsm::ErrorCode::AccessDenied);
        CHECK(contains(lock.error().message(), "is a symbolic link"));
    }
}

TEST_CASE(
    "mtx device lock: a lock directory of another user, or one every user may write, is "
    "refused") {
    TempDir dir;
    for (auto [name, mode, owner] :
         {std::tuple{"open", 01777, 0u}, std::tuple{"theirs", 0755, kOtherUid}}) {
        const std::string named = name;
        CAPTURE(named);
        const std::string sub = dir.path + "/" + name;
        makeDirectory(sub, mode, owner);
        Attempt attempt(sub);
        REQUIRE(attempt.returned);
        auto lock = attempt.result.get();
        CHECK(!lock.ok());
        CHECK(std::filesystem::is_empty(sub));
        if (!lock.ok()) {
            INFO(lock.error().message());
            CHECK(lock.error().code() == rsm::ErrorCode::AccessDenied);
            CHECK(contains(lock.error().message(), sub));
        }
    }
}

TEST_CASE(
    "mtx device lock: a lock file that is a symbolic link is refused; its target is not "
    "made") {
    TempDir dir;
    const std::string path = lockPath("/dev/sg9", openToOthers(dir));
    const std::string target = dir.path + "/target";
    REQUIRE(symlink(target.c_str(), path.c_str()) == 0);

    Attempt attempt(dir.path);
    REQUIRE(attempt.returned);
    auto lock = attempt.result.get();
    CHECK(!std::filesystem::exists(target));
    REQUIRE(!lock.ok());
    INFO(lock.error().message());
    CHECK(lock.error().code() == rsm::ErrorCode::AccessDenied);
    CHECK(contains(lock.error().message(), "is a symbolic link (to " + target));
    CHECK(contains(lock.error().message(), "remove it (rm " + path + ")"));
}

TEST_CASE("mtx device lock: a FIFO in place of the lock file is refused, not waited on") {
    TempDir dir;
    const std::string path = lockPath("/dev/sg9", openToOthers(dir));
    REQUIRE(mkfifo(path.c_str(), 0666) == 0);
    REQUIRE(chown(path.c_str(), kOtherUid, kOtherUid) == 0);

    Attempt attempt(dir.path, 3);
    CHECK_MESSAGE(attempt.returned, "acquire() still opening the FIFO after 3 s");
    if (!attempt.returned) {  // a writer lets the open return
        const int fd = open(path.c_str(), O_WRONLY | O_NONBLOCK);
        attempt.result.wait();
        if (fd >= 0)
            close(fd);
    }
    auto lock = attempt.result.get();
    REQUIRE(!lock.ok());
    INFO(lock.error().message());
    CHECK(contains(lock.error().message(), "is not a regular file but a FIFO"));
}

TEST_CASE("mtx device lock: a lock file another user planted (mode 000) is refused") {
    TempDir dir;
    const std::string path = lockPath("/dev/sg9", openToOthers(dir));
    makeFile(path, 0, kOtherUid);

    Attempt attempt(dir.path);
    REQUIRE(attempt.returned);
    auto lock = attempt.result.get();
    REQUIRE(!lock.ok());
    INFO(lock.error().message());
    CHECK(lock.error().code() == rsm::ErrorCode::AccessDenied);
    CHECK(contains(lock.error().message(), "uid 65534 (nobody)"));
    CHECK(contains(lock.error().message(), "remove it (rm " + path + ")"));
}

TEST_CASE(
    "mtx device lock: a user outside the lock directory's group cannot open a lock file to "
    "hold it") {
    TempDir dir;
    REQUIRE(chown(dir.path.c_str(), 0, 26) == 0);  // as tmpfiles makes /run/lock/rsm: root:tape
    REQUIRE(chmod(dir.path.c_str(), 03775) == 0);
    {
        auto lock = DeviceLock::acquire("/dev/sg9", dir.path);
        REQUIRE(lock.ok());
    }
    const std::string path = lockPath("/dev/sg9", dir.path);
    OtherUserHolding other(path);  // uid and gid 65534, no other group
    CHECK_MESSAGE(!other.held, "uid 65534 opened and locked " << path);
    struct stat st {};
    REQUIRE(stat(path.c_str(), &st) == 0);
    CHECK(st.st_gid == 26);
    CHECK((st.st_mode & 07777) == 0640);
}
