#pragma once
// Who is at the other end of a Unix socket: the kernel's record of the peer process (its pid,
// uid and groups as they were when it connected), for the protocol's right checks.
// Thread-safety: pure function over a file descriptor.

#include <cstdint>

#include "rsm/error.h"
#include "rsm/principal.h"

namespace rsm::daemon {

struct PeerCredentials {
    int pid = 0;
    std::uint32_t gid = 0;  // the primary group
    Principal principal;    // uid, and every group (primary included), sorted, no duplicates
};

// SO_PEERCRED for pid, uid and gid; SO_PEERGROUPS (Linux 4.13) for the supplementary groups,
// or, where the kernel lacks it, getgrouplist() of the uid's passwd entry.
Result<PeerCredentials> peerCredentials(int fd);

}  // namespace rsm::daemon
