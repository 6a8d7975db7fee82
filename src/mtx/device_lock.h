#pragma once
// DeviceLock: an advisory lock that keeps two `rsmctl mtx` processes (or any program taking
// the same lock) from driving one robot at the same time, as mtx never did.
//
// The lock is flock(LOCK_EX) on a file named after the device, in /run/lock/rsm/ (created,
// mode 1777 like /run/lock, when missing), or in /tmp when that directory cannot be written:
//   /run/lock/rsm/mtx-<device>.lock
// where <device> is the device's name with every byte other than A-Z a-z 0-9 . _ - turned
// into '_' (a local path is first resolved, so /dev/changer and the /dev/sgN it links to
// share one lock; names longer than 200 bytes are cut and end in a hash of the whole name).
// acquire() blocks until the lock is free. The lock is released when the DeviceLock is
// destroyed (or the process ends: flock locks die with their file descriptor).
// Thread-safety: a DeviceLock is owned by one thread; flock serializes processes.

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

    // Takes the lock of `device`, waiting as long as another process holds it. `directory`
    // empty: /run/lock/rsm, else /tmp.
    static Result<DeviceLock> acquire(const std::string &device, const std::string &directory = {});

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

constexpr std::string_view kLockDirectory = "/run/lock/rsm";
constexpr std::string_view kFallbackLockDirectory = "/tmp";

}  // namespace rsm::mtx
