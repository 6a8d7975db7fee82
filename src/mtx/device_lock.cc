#include "src/mtx/device_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <climits>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <thread>

#include <fmt/format.h>

#include "sg/open.h"
#include "src/mtx/local_accounts.h"
#include "src/mtx/lock_holder.h"

namespace rsm::mtx {

namespace {

using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

constexpr std::size_t kMaxNameBytes = 200;
constexpr mode_t kDirectoryMode = 03775;  // setgid: files get its group; sticky: no removing
constexpr mode_t kFileMode = 0640;
constexpr const char *kLockGroup = "tape";
constexpr const char *kTmpfilesAdvice =
    "run `systemd-tmpfiles --create` as root: rsm's tmpfiles.d entry makes /run/lock/rsm "
    "root's, group tape, mode 3775";

bool plain(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == '-';
}

std::uint64_t fnv1a(std::string_view text) {
    std::uint64_t h = 14695981039346656037ull;
    for (char c : text) {
        h ^= static_cast<unsigned char>(c);
        h *= 1099511628211ull;
    }
    return h;
}

std::string resolvedName(const std::string &device) {
    if (!sg::isIscsiUrl(device)) {
        char resolved[PATH_MAX];
        if (realpath(device.c_str(), resolved) != nullptr)
            return lockFileName(resolved);
    }
    return lockFileName(device);
}

class UniqueFd {
public:
    explicit UniqueFd(int fd = -1) : fd_(fd) {}
    ~UniqueFd() {
        if (fd_ >= 0)
            ::close(fd_);
    }
    UniqueFd(UniqueFd &&other) noexcept : fd_(other.release()) {}
    UniqueFd &operator=(UniqueFd &&) = delete;
    int get() const { return fd_; }
    int release() {
        const int fd = fd_;
        fd_ = -1;
        return fd;
    }

private:
    int fd_;
};

std::string userName(uid_t uid) {
    const auto name = localName(uid, kPasswdFile);
    return name ? fmt::format("uid {} ({})", uid, *name) : fmt::format("uid {}", uid);
}

std::string groupName(gid_t gid) {
    const auto name = localName(gid, kGroupFile);
    return name ? fmt::format("gid {} ({})", gid, *name) : fmt::format("gid {}", gid);
}

// The group's name for a command line, else its number.
std::string groupWord(gid_t gid) {
    return localName(gid, kGroupFile).value_or(std::to_string(gid));
}

std::string describeStat(const struct stat &st) {
    return fmt::format("owner {}, group {}, mode {:04o}", userName(st.st_uid), groupName(st.st_gid),
                       st.st_mode & 07777);
}

std::string linkTarget(const std::string &path) {
    char target[PATH_MAX];
    const ssize_t n = readlink(path.c_str(), target, sizeof target - 1);
    return n > 0 ? std::string(target, static_cast<std::size_t>(n)) : std::string("?");
}

std::string_view fileKind(mode_t mode) {
    switch (mode & S_IFMT) {
        case S_IFDIR:
            return "a directory";
        case S_IFIFO:
            return "a FIFO";
        case S_IFSOCK:
            return "a socket";
        case S_IFCHR:
            return "a character device";
        case S_IFBLK:
            return "a block device";
        default:
            return "of another type";
    }
}

std::string seconds(milliseconds ms) {
    return fmt::format("{:g} s", static_cast<double>(ms.count()) / 1000.0);
}

Error denied(std::string message) {
    return Error(ErrorCode::AccessDenied, std::move(message));
}

// Root makes the default directory, and mends one of its own that every user may write (as
// rsm-mtx before issue 14 made it): root's, group tape, 3775.
Result<void> mendDirectory(int fd, const std::string &dir) {
    const auto tape = localId(kLockGroup, kGroupFile);
    if (fchown(fd, 0, tape.value_or(0)) != 0 || fchmod(fd, kDirectoryMode) != 0)
        return denied(
            fmt::format("cannot give the lock directory {} to root, group {}, mode "
                        "{:04o}: {}; {}",
                        dir, kLockGroup, kDirectoryMode, std::strerror(errno), kTmpfilesAdvice));
    return success();
}

// The lock directory, opened without following a symbolic link, and trusted: a directory
// owned by root or by us that not every user may write.
Result<UniqueFd> openDirectory(const std::string &dir, bool isDefault, struct stat &st) {
    const bool root = geteuid() == 0;
    const std::string then = isDefault ? std::string(", then ") + kTmpfilesAdvice : ".";
    bool made = false;
    int fd = -1;
    for (int attempt = 0; attempt < 2 && fd < 0; ++attempt) {
        fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (fd >= 0)
            break;
        const int error = errno;
        struct stat link {};
        if ((error == ELOOP || error == ENOTDIR) && lstat(dir.c_str(), &link) == 0 &&
            S_ISLNK(link.st_mode))
            return denied(fmt::format(
                "the lock directory {} is a symbolic link (to {}, {}): whoever made it chooses "
                "where the lock files go. Remove it (rm {}){}",
                dir, linkTarget(dir), describeStat(link), dir, then));
        if (error == ENOENT && isDefault && root) {
            // 0700 until it is mended below: nobody else gets in between.
            if (mkdir(dir.c_str(), 0700) == 0)
                made = true;
            else if (errno != EEXIST)
                return denied(fmt::format("cannot make the lock directory {}: {}; {}", dir,
                                          std::strerror(errno), kTmpfilesAdvice));
            continue;
        }
        if (error == ENOENT)
            return Error(ErrorCode::DeviceNotAvailable,
                         fmt::format("the lock directory {} does not exist; {}", dir,
                                     isDefault ? kTmpfilesAdvice : "make it first"));
        return denied(
            fmt::format("cannot open the lock directory {}: {}", dir, std::strerror(error)));
    }
    if (fd < 0)
        return denied(
            fmt::format("the lock directory {} keeps changing; {}", dir, kTmpfilesAdvice));
    UniqueFd owned(fd);
    if (fstat(fd, &st) != 0)
        return denied(
            fmt::format("cannot stat the lock directory {}: {}", dir, std::strerror(errno)));
    if (st.st_uid != 0 && st.st_uid != geteuid())
        return denied(fmt::format(
            "the lock directory {} belongs to {}, not root ({}): its owner could remove or "
            "replace the lock files. Remove it (rm -r {}){}",
            dir, userName(st.st_uid), describeStat(st), dir, then));
    const bool everyone = (st.st_mode & S_IWOTH) != 0;
    if (isDefault && root && st.st_uid == 0 && (made || everyone)) {
        RSM_TRY_VOID(mendDirectory(fd, dir));
        if (fstat(fd, &st) != 0)
            return denied(
                fmt::format("cannot stat the lock directory {}: {}", dir, std::strerror(errno)));
    } else if (everyone) {
        return denied(fmt::format(
            "the lock directory {} may be written by every user ({}): anyone could replace "
            "the lock files. {}",
            dir, describeStat(st),
            isDefault ? std::string("To mend it, ") + kTmpfilesAdvice
                      : std::string("Use a directory other users cannot write")));
    }
    return owned;
}

// A lock file we may use: a regular file with one link, made by someone allowed to make files
// in the directory.
Result<void> checkFile(const struct stat &st, const struct stat &dir, const std::string &path) {
    if (S_ISLNK(st.st_mode))
        return denied(
            fmt::format("the lock file {} is a symbolic link (to {}, {}); a lock file "
                        "must be a plain file: remove it (rm {}) as root",
                        path, linkTarget(path), describeStat(st), path));
    if (!S_ISREG(st.st_mode))
        return denied(
            fmt::format("the lock file {} is not a regular file but {} ({}): remove it "
                        "(rm {}) as root",
                        path, fileKind(st.st_mode), describeStat(st), path));
    if (st.st_nlink != 1)
        return denied(
            fmt::format("the lock file {} has {} hard links ({}): remove it (rm {}) "
                        "as root",
                        path, st.st_nlink, describeStat(st), path));
    const bool trusted = st.st_uid == 0 || st.st_uid == geteuid() || st.st_uid == dir.st_uid ||
                         (st.st_gid == dir.st_gid && (dir.st_mode & S_IWGRP) != 0);
    if (!trusted)
        return denied(
            fmt::format("the lock file {} was made by someone who may not make files "
                        "in its directory ({}): remove it (rm {}) as root",
                        path, describeStat(st), path));
    return success();
}

Result<UniqueFd> openLockFile(int dirFd, const struct stat &dir, const std::string &name,
                              const std::string &path) {
    for (int attempt = 0; attempt < 5; ++attempt) {
        struct stat st {};
        if (fstatat(dirFd, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
            if (errno != ENOENT)
                return denied(
                    fmt::format("cannot stat the lock file {}: {}", path, std::strerror(errno)));
            // Read-only is enough for flock.
            const int fd = openat(dirFd, name.c_str(),
                                  O_RDONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, kFileMode);
            if (fd >= 0) {
                fchmod(fd, kFileMode);  // whatever the umask took away
                return UniqueFd(fd);
            }
            if (errno == EEXIST)
                continue;
            const std::string reason = std::strerror(errno);  // before the group is looked up
            return denied(fmt::format(
                "cannot make the lock file {}: {}; the members of the lock directory's group "
                "({}) and root may make lock files: join it (usermod -aG {} USER) or run as "
                "root",
                path, reason, groupName(dir.st_gid), groupWord(dir.st_gid)));
        }
        RSM_TRY_VOID(checkFile(st, dir, path));
        const int fd =
            openat(dirFd, name.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
        if (fd < 0) {
            if (errno == ENOENT)
                continue;
            const std::string reason = std::strerror(errno);
            return denied(
                fmt::format("cannot open the lock file {} ({}): {}; the lock files are for root "
                            "and the group of the lock directory: join it (usermod -aG {} USER), "
                            "or, if the file's mode is wrong, remove it (rm {}) as root",
                            path, describeStat(st), reason, groupWord(dir.st_gid), path));
        }
        UniqueFd owned(fd);
        struct stat opened {};
        if (fstat(fd, &opened) == 0 && opened.st_dev == st.st_dev && opened.st_ino == st.st_ino)
            return owned;  // the file checked is the file opened
    }
    return denied(
        fmt::format("the lock file {} keeps changing; remove it (rm {}) as root", path, path));
}

// flock(LOCK_EX) until `deadline`; false: the deadline passed.
Result<bool> lockBefore(int fd, milliseconds timeout, Clock::time_point deadline,
                        const std::string &path) {
    milliseconds pause(10);
    for (;;) {
        const int operation = timeout == milliseconds::max() ? LOCK_EX : LOCK_EX | LOCK_NB;
        if (flock(fd, operation) == 0)
            return true;
        if (errno == EINTR)
            continue;
        if (errno != EWOULDBLOCK)
            return denied(fmt::format("cannot lock {}: {}", path, std::strerror(errno)));
        const auto now = Clock::now();
        if (now >= deadline)
            return false;
        std::this_thread::sleep_for(std::min<Clock::duration>(pause, deadline - now));
        pause = std::min(pause * 2, milliseconds(250));
    }
}

}  // namespace

std::string lockFileName(std::string_view device) {
    std::string name;
    for (char c : device)
        name += plain(c) ? c : '_';
    if (name.size() > kMaxNameBytes)
        name = fmt::format("{}-{:016x}", name.substr(0, kMaxNameBytes - 17), fnv1a(device));
    return "mtx-" + name + ".lock";
}

std::string lockPath(const std::string &device, const std::string &directory) {
    return directory + "/" + resolvedName(device);
}

Result<milliseconds> lockTimeout(const char *value) {
    if (value == nullptr)
        return milliseconds(kDefaultLockTimeout);
    const std::string_view text(value);
    if (text == "inf" || text == "infinity")
        return milliseconds::max();
    char *end = nullptr;
    const double secs = std::strtod(value, &end);
    const bool digits =
        !text.empty() && (std::isdigit(static_cast<unsigned char>(text[0])) || text[0] == '.');
    if (!digits || end == value || *end != '\0' || !std::isfinite(secs) || secs < 0 || secs > 1e9)
        return Error(
            ErrorCode::InvalidParameter,
            fmt::format("{} is '{}': give the seconds to wait for the lock of a device "
                        "(0: do not wait, inf: no limit; default {})",
                        kLockTimeoutVariable, text, seconds(milliseconds(kDefaultLockTimeout))));
    return milliseconds(std::llround(secs * 1000.0));
}

DeviceLock::~DeviceLock() {
    if (fd_ >= 0)
        ::close(fd_);
}

DeviceLock::DeviceLock(DeviceLock &&other) noexcept
    : fd_(other.fd_), path_(std::move(other.path_)) {
    other.fd_ = -1;
}

DeviceLock &DeviceLock::operator=(DeviceLock &&other) noexcept {
    if (this != &other) {
        if (fd_ >= 0)
            ::close(fd_);
        fd_ = other.fd_;
        path_ = std::move(other.path_);
        other.fd_ = -1;
    }
    return *this;
}

Result<DeviceLock> DeviceLock::acquire(const std::string &device, const std::string &directory,
                                       std::optional<milliseconds> timeout) {
    if (!timeout) {
        auto configured = lockTimeout(std::getenv(std::string(kLockTimeoutVariable).c_str()));
        if (!configured)
            return configured.error();
        timeout = *configured;
    }
    const bool isDefault = directory.empty();
    const std::string dir = isDefault ? std::string(kLockDirectory) : directory;
    const std::string name = resolvedName(device);
    const std::string path = dir + "/" + name;
    struct stat dirStat {};
    auto dirFd = openDirectory(dir, isDefault, dirStat);
    if (!dirFd)
        return dirFd.error().withContext("cannot use the lock file " + path);
    const auto deadline =
        *timeout == milliseconds::max() ? Clock::time_point::max() : Clock::now() + *timeout;
    // A lock file removed or replaced while we waited is not the lock any more: again.
    for (int attempt = 0; attempt < 5; ++attempt) {
        auto file = openLockFile(dirFd->get(), dirStat, name, path);
        if (!file)
            return file.error();
        auto locked = lockBefore(file->get(), *timeout, deadline, path);
        if (!locked)
            return locked.error();
        if (!*locked)
            return Error(ErrorCode::Busy,
                         fmt::format("{} is in use: {} holds its lock {} and did not let go "
                                     "within {}. Try again when it is done, end it if it hangs, "
                                     "or set {} to wait longer (seconds; inf: no limit)",
                                     device, describeLockHolders(file->get()), path,
                                     seconds(*timeout), kLockTimeoutVariable));
        struct stat held {
        }, named{};
        if (fstat(file->get(), &held) == 0 &&
            fstatat(dirFd->get(), name.c_str(), &named, AT_SYMLINK_NOFOLLOW) == 0 &&
            held.st_dev == named.st_dev && held.st_ino == named.st_ino) {
            DeviceLock lock;
            lock.fd_ = file->release();
            lock.path_ = path;
            return lock;
        }
    }
    return denied(fmt::format("the lock file {} keeps being replaced; remove it (rm {}) as root",
                              path, path));
}

}  // namespace rsm::mtx
