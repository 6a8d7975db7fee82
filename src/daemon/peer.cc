#include "src/daemon/peer.h"

#include <grp.h>
#include <pwd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <system_error>
#include <vector>

#ifndef SO_PEERGROUPS
#define SO_PEERGROUPS 59  // <asm-generic/socket.h>, Linux 4.13
#endif

namespace rsm::daemon {

namespace {

Error systemError(const char *what, int err) {
    return Error(ErrorCode::AccessDenied,
                 std::string(what) + ": " + std::system_category().message(err));
}

// The supplementary groups the kernel recorded at connect(); nullopt when it cannot say.
std::optional<std::vector<gid_t>> peerGroups(int fd) {
    std::vector<gid_t> groups(64);
    for (int attempt = 0; attempt < 4; ++attempt) {
        socklen_t length = static_cast<socklen_t>(groups.size() * sizeof(gid_t));
        if (getsockopt(fd, SOL_SOCKET, SO_PEERGROUPS, groups.data(), &length) == 0) {
            groups.resize(length / sizeof(gid_t));
            return groups;
        }
        if (errno != ERANGE)
            return std::nullopt;
        // length now holds the size needed.
        groups.resize(std::max<std::size_t>(length / sizeof(gid_t) + 1, groups.size() * 2));
    }
    return std::nullopt;
}

// The groups the user database gives the uid (the fallback for kernels before 4.13).
std::vector<gid_t> userGroups(uid_t uid, gid_t gid) {
    long size = sysconf(_SC_GETPW_R_SIZE_MAX);
    std::vector<char> buffer(size > 0 ? static_cast<std::size_t>(size) : 16384);
    struct passwd entry {};
    struct passwd *found = nullptr;
    while (getpwuid_r(uid, &entry, buffer.data(), buffer.size(), &found) == ERANGE &&
           buffer.size() < (1u << 20))
        buffer.resize(buffer.size() * 2);
    if (found == nullptr)
        return {gid};
    std::vector<gid_t> groups(64);
    int count = static_cast<int>(groups.size());
    while (getgrouplist(found->pw_name, gid, groups.data(), &count) < 0) {
        groups.resize(static_cast<std::size_t>(count) + 16);
        count = static_cast<int>(groups.size());
    }
    groups.resize(static_cast<std::size_t>(count));
    return groups;
}

}  // namespace

Result<PeerCredentials> peerCredentials(int fd) {
    struct ucred cred {};
    socklen_t length = sizeof(cred);
    if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &length) != 0)
        return systemError("SO_PEERCRED", errno);

    std::vector<gid_t> groups;
    if (auto kernel = peerGroups(fd))
        groups = std::move(*kernel);
    else
        groups = userGroups(cred.uid, cred.gid);
    groups.push_back(cred.gid);

    PeerCredentials out;
    out.pid = cred.pid;
    out.gid = cred.gid;
    out.principal.uid = cred.uid;
    out.principal.gids.assign(groups.begin(), groups.end());
    std::sort(out.principal.gids.begin(), out.principal.gids.end());
    out.principal.gids.erase(std::unique(out.principal.gids.begin(), out.principal.gids.end()),
                             out.principal.gids.end());
    return out;
}

}  // namespace rsm::daemon
