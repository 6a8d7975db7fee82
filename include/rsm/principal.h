#pragma once
// Principal: who asks. On rsmd's socket, the peer's uid and groups (SO_PEERCRED); root and the
// configured admin group hold every right.

#include <cstdint>
#include <string>
#include <vector>

namespace rsm {

struct Principal {
    std::uint32_t uid = 0;
    std::vector<std::uint32_t> gids;

    bool isRoot() const { return uid == 0; }
    // "uid:1000" — how the event log names who made a change.
    std::string toString() const { return "uid:" + std::to_string(uid); }
};

}  // namespace rsm
