#include "src/mtx/device_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdint>
#include <cstdlib>
#include <cstring>

#include <fmt/format.h>

#include "sg/open.h"

namespace rsm::mtx {

namespace {

constexpr std::size_t kMaxNameBytes = 200;

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

// The directory, made world-writable and sticky like /run/lock when we create it.
bool usableDirectory(const std::string &directory) {
    if (mkdir(directory.c_str(), 01777) == 0)
        chmod(directory.c_str(), 01777);  // mkdir's mode went through the umask
    return access(directory.c_str(), W_OK | X_OK) == 0;
}

Result<int> lockFile(const std::string &path) {
    // Read-only is enough for flock, and lets every user lock a file another user created.
    const int fd = open(path.c_str(), O_RDONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0666);
    if (fd < 0)
        return Error(ErrorCode::AccessDenied,
                     fmt::format("cannot open the lock file {}: {}", path, std::strerror(errno)));
    while (flock(fd, LOCK_EX) != 0) {
        if (errno == EINTR)
            continue;
        const int saved = errno;
        ::close(fd);
        return Error(ErrorCode::AccessDenied,
                     fmt::format("cannot lock {}: {}", path, std::strerror(saved)));
    }
    return fd;
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
    std::string name = device;
    if (!sg::isIscsiUrl(device)) {
        char resolved[PATH_MAX];
        if (realpath(device.c_str(), resolved) != nullptr)
            name = resolved;
    }
    return directory + "/" + lockFileName(name);
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

Result<DeviceLock> DeviceLock::acquire(const std::string &device, const std::string &directory) {
    std::string dir = directory;
    if (dir.empty())
        dir = usableDirectory(std::string(kLockDirectory)) ? std::string(kLockDirectory)
                                                           : std::string(kFallbackLockDirectory);
    const std::string path = lockPath(device, dir);
    auto fd = lockFile(path);
    if (!fd)
        return fd.error();
    DeviceLock lock;
    lock.fd_ = *fd;
    lock.path_ = path;
    return lock;
}

}  // namespace rsm::mtx
