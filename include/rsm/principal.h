#pragma once
// Principal: who asks. On rsmd's socket, the peer's uid and groups (SO_PEERCRED); root and the
// configured admin group hold every right.
// Thread-safety: a value; display() and userName() may be called from any thread.

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
    // "user alice (uid 1000)", or "uid 1000" when the user database has no name for it: how
    // messages for people name the caller (a look-up in the user database, for error paths).
    std::string display() const;
};

// The user database's name for a uid; empty when it has none.
std::string userName(std::uint32_t uid);

}  // namespace rsm
