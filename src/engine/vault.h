#pragma once
// Vaults: the named offsite places of the OFFLINE library, and where a medium on the shelf is
// in a rotation (docs/vaulting.md, schema/018_vaults.sql). A medium sent to a vault is in
// transit out (from the send, while it is ejected and carried), in the vault once it arrived,
// in transit back once recalled; an inject or an inventory that finds it in a library again
// takes it out of the rotation. Times are Unix seconds of the engine's clock.
// Plain values: no thread-safety concerns.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "rsm/uuid.h"
#include "src/engine/rows.h"

namespace rsm::engine {

enum class VaultState { InTransitOut, InVault, InTransitBack };

// "in-transit-out", "in-vault", "in-transit-back": the schema's and the protocol's names.
inline const char *vaultStateName(VaultState state) {
    switch (state) {
        case VaultState::InTransitOut:
            return "in-transit-out";
        case VaultState::InVault:
            return "in-vault";
        case VaultState::InTransitBack:
            return "in-transit-back";
    }
    return "in-transit-out";
}
inline std::optional<VaultState> vaultStateFromName(const std::string &name) {
    for (VaultState s : {VaultState::InTransitOut, VaultState::InVault, VaultState::InTransitBack})
        if (name == vaultStateName(s))
            return s;
    return std::nullopt;
}

struct VaultRow {
    Uuid id;
    std::string name;
    std::string description;
    std::optional<std::int64_t> created = {};  // read only
};

// A medium's place in a rotation: no vault means none.
struct MediaVault {
    std::optional<Uuid> vault;
    VaultState state = VaultState::InTransitOut;
    std::int64_t since = 0;
    std::optional<std::int64_t> sent = {}, arrived = {}, recalled = {};
};

// A medium with its rotation (Tx::vaultedMedia).
struct VaultedMedia {
    MediaRow media;
    MediaVault vault;
};

// A cartridge of a vault round whose operator request is still open (Tx::openVaultRounds,
// schema/019_vault_rounds.sql): the request, the library kind the cartridge is in now (none:
// the medium was deleted), and whether it is still in a vault rotation (false once its send
// was undone, or it came back into a library).
struct VaultRoundMedia {
    Uuid request;
    std::optional<LibraryKind> libraryKind;
    bool rotating = true;
};

// A vault and the media of its rotation (Engine::vaultMediaIn).
struct VaultHolding {
    VaultRow vault;
    std::vector<VaultedMedia> media;
};

// A medium of a pool with a side completed or written recently, and whether a copy of it is
// offsite (in transit out or in a vault): Tx::recentMedia.
struct RecentMedia {
    Uuid media;
    Uuid pool;
    std::optional<std::string> barcode;
    std::int64_t last = 0;  // its latest side completed or written
    bool offsite = false;
};

// What the engine answers.
struct VaultInfo {
    VaultRow row;
    int inTransitOut = 0, inVault = 0, inTransitBack = 0;
};

// One medium of a vault listing, pick list or return list.
struct VaultEntry {
    Uuid media;
    std::optional<std::string> barcode;
    std::string pool;                // path
    std::vector<std::string> lmids;  // names of its sides' LMIDs
    std::string library;             // where it is now (name)
    std::string vault;
    MediaVault place;
    int round = 0;                             // a pick list's I/E port round (1..), else 0
    std::optional<Uuid> request = {};          // its eject request (a pick list)
    std::optional<Uuid> operatorRequest = {};  // the operator request of its round
};

struct VaultContents {
    VaultInfo vault;
    std::vector<VaultEntry> media;
};

// A pool whose media written in the report's window have no copy offsite.
struct UncoveredPool {
    std::string pool;  // path
    int recent = 0;    // media with a side completed or written in the window
    std::int64_t last = 0;
    std::vector<std::string> barcodes;
};

}  // namespace rsm::engine
