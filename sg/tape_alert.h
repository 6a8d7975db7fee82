#pragma once
// TapeAlert (SSC-3 log page 2Eh): the 64 flags a tape drive raises about itself and its tape,
// of which rsm acts on the cleaning ones. Pure parser; no I/O.
// Thread-safety: values only.

#include <bitset>
#include <cstdint>
#include <span>
#include <string>

#include "rsm/error.h"

namespace rsm::sg {

struct TapeAlerts {
    std::bitset<64> flags;  // flag N (1..64) is flags[N - 1]

    bool has(int flag) const { return flag >= 1 && flag <= 64 && flags[flag - 1]; }
    bool cleanNow() const { return has(20); }        // "Clean now"
    bool cleanPeriodic() const { return has(21); }   // "Clean periodic"
    bool expiredCleaner() const { return has(22); }  // "Expired cleaning media"
    bool invalidCleaner() const { return has(23); }  // "Invalid cleaning tape"
    bool wantsCleaning() const { return cleanNow() || cleanPeriodic(); }
    // "20 (clean now), 21 (clean periodic)": the flags raised, with names for the known ones.
    std::string describe() const;
};

constexpr std::uint8_t kTapeAlertPage = 0x2E;

// Parses LOG SENSE page 2Eh data. Parameters 0001h..0040h are flags 1..64 (one byte, bit 0);
// others are skipped. ERROR_BAD_FORMAT when the page is another or its lengths overrun.
Result<TapeAlerts> parseTapeAlerts(std::span<const std::uint8_t> page);

}  // namespace rsm::sg
