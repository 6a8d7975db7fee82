#pragma once
// DeviceLock: an advisory lock that keeps two `rsmctl mtx` processes (or any program taking
// the same lock) from driving one robot at the same time, as mtx never did.
//
// The lock is flock(LOCK_EX) on a file named after the device, in /run/lock/rsm/:
//   /run/lock/rsm/mtx-<device>.lock
// where <device> is the device's name with every byte other than A-Z a-z 0-9 . _ - turned
// into '_' (a local path is first resolved, so /dev/changer and the /dev/sgN it links to
// share one lock; names longer than 200 bytes are cut and end in a hash of the whole name).
//
// Other users must not be able to take the lock away, point it elsewhere or block it for
// good (issue 14, finding 11), so:
//  - The directory is rsm's tmpfiles.d entry's: root's, group tape, mode 3775 (setgid: lock
//    files get group tape; sticky: nobody removes another's lock file). It is used only when
//    it is a real directory (not a symbolic link) owned by root or by the caller and not
//    writable by every user; root makes it, or mends one it owns, when it is missing or
//    world-writable. There is no fallback to /tmp.
//  - A lock file is opened without following a symbolic link, and only when it is a regular
//    file with one link, owned by root, the caller or the directory's owner, or of the
//    directory's group. A new one is made with O_EXCL, mode 0640.
//  - Waiting has a limit: RSM_MTX_LOCK_TIMEOUT seconds (default kDefaultLockTimeout; 0: do
//    not wait; inf: no limit). At the limit acquire() fails with ERROR_BUSY, naming the
//    processes that hold the lock (lock_holder.h).
// The lock is released when the DeviceLock is destroyed (or the process ends: flock locks die
// with their file descriptor).
// Thread-safety: a DeviceLock is owned by one thread; flock serializes processes.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "rsm/error.h"

namespace rsm::mtx {

class DeviceLock {
public:
    DeviceLock() = default;
    ~DeviceLock();
    DeviceLock(DeviceLock &&other) noexcept;
    DeviceLock &operator=(DeviceLock &&other) noexcept;
    DeviceLock(const DeviceLock &) = delete;
    DeviceLock &operator=(const DeviceLock &) = delete;

    // Takes the lock of `device` in `directory` (empty: kLockDirectory), waiting at most
    // `timeout` (none: RSM_MTX_LOCK_TIMEOUT's, see lockTimeout) while another process holds it.
    static Result<DeviceLock> acquire(const std::string &device, const std::string &directory = {},
                                      std::optional<std::chrono::milliseconds> timeout = {});

    bool held() const { return fd_ >= 0; }
    const std::string &path() const { return path_; }

private:
    int fd_ = -1;
    std::string path_;
};

// The file name (no directory) of the lock of `device`: "mtx-<sanitized>.lock". Pure.
std::string lockFileName(std::string_view device);
// The lock file of `device` in `directory`, resolving a local device path first.
std::string lockPath(const std::string &device, const std::string &directory);

// How long to wait for a lock, from the value of RSM_MTX_LOCK_TIMEOUT (nullptr: unset):
// seconds, fractions allowed; "inf" is std::chrono::milliseconds::max() (no limit). Anything
// else is ERROR_INVALID_PARAMETER. Pure.
Result<std::chrono::milliseconds> lockTimeout(const char *environmentValue);

constexpr std::string_view kLockDirectory = "/run/lock/rsm";
constexpr std::string_view kLockTimeoutVariable = "RSM_MTX_LOCK_TIMEOUT";
// A command line of several moves and a status on a large library takes minutes; a lock held
// longer than this is taken for a hung or hostile holder.
constexpr std::chrono::seconds kDefaultLockTimeout{300};

}  // namespace rsm::mtx
