#pragma once
// MtxBackend: what `rsmctl mtx` needs of a changer, by element address. The seam between
// mtx's command semantics (run.h) and the way the robot is reached: ChangerBackend drives it
// directly through sg::Changer (changer_backend.h); a backend that routes the commands through
// rsmd, for libraries rsmd manages, implements the same interface in a file of its own and is
// chosen by the BackendOpener the CLI hands to run().
// Thread-safety: one thread at a time.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rsm/error.h"
#include "sg/element.h"
#include "sg/inquiry.h"
#include "src/mtx/slot_map.h"

namespace rsm::mtx {

// mtx's modifiers of MOVE MEDIUM and EXCHANGE MEDIUM.
struct MoveFlags {
    bool invert = false;     // `invert`: INVERT of MOVE MEDIUM, INV2 of EXCHANGE MEDIUM
    bool invert2 = false;    // `invert2`: INV1 of EXCHANGE MEDIUM
    std::uint8_t eepos = 0;  // `eepos N`: bits 7-6 of the CDB's control byte

    bool plain() const { return !invert && !invert2 && eepos == 0; }
};

// The counts of mtx status's first line, of a status a backend has ready-made (rsmd renders
// it once per element map).
struct StatusCounts {
    std::size_t drives = 0, slots = 0, importExport = 0;
};
// Takes the counts and says whether the rest is wanted (false: it is read and dropped).
using StatusStart = std::function<bool(const StatusCounts &)>;
// Takes the rest of the text, piece by piece, as it arrives.
using StatusPiece = std::function<void(std::string_view)>;

class MtxBackend {
public:
    virtual ~MtxBackend() = default;

    virtual Result<sg::InquiryData> inquiry() = 0;
    // Every element of the library (drives, slots, I/E ports, transports), added to `map`.
    // Without volumeTags (mtx's `nobarcode`) the library is not asked for them.
    virtual Result<void> elements(bool volumeTags, SlotMapBuilder &map) = 0;
    // The status, when the backend has it ready-made: its counts to `start`, then the lines
    // after the first to `piece`. False: it has none (the status is made from elements()).
    virtual Result<bool> readyStatus(bool /*volumeTags*/, const StatusStart & /*start*/,
                                     const StatusPiece & /*piece*/) {
        return false;
    }
    virtual Result<void> move(std::uint16_t source, std::uint16_t destination,
                              const MoveFlags &flags) = 0;
    // EXCHANGE MEDIUM: source -> destination, destination -> second.
    virtual Result<void> exchange(std::uint16_t source, std::uint16_t destination,
                                  std::uint16_t second, const MoveFlags &flags) = 0;
    virtual Result<void> position(std::uint16_t destination) = 0;
    virtual Result<void> initializeElementStatus() = 0;  // mtx's `inventory`
    virtual Result<void> eject() = 0;                    // START STOP UNIT, LoEj

    // The sense bytes as the device sent them, of the last call that failed with sense; empty
    // when the backend does not have them (then the sense record of the Error is printed).
    virtual std::vector<std::uint8_t> lastSense() const { return {}; }
};

// Opens the backend for a device name as given to mtx (-f, $CHANGER, ...). The message of a
// failure is printed as it is, on a line of its own: the opener words it as mtx does
// (message::cannotOpen, "<device> is not an sg device, or old sg driver", ...).
using BackendOpener = std::function<Result<std::unique_ptr<MtxBackend>>(const std::string &device)>;

}  // namespace rsm::mtx
