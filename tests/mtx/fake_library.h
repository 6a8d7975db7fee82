#pragma once
// Test helper: `rsmctl mtx` over a scripted library. FakeLibrary says what the library holds;
// MtxRig runs an mtx command line (rsm::mtx::run) on a ChangerBackend whose FakeTransport
// first answers MODE SENSE (page 1Dh) and READ ELEMENT STATUS with that library, then
// whatever the test scripts next (moves and their sense). stdout and stderr are kept apart.

#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "sg/fake_transport.h"
#include "src/mtx/backend.h"
#include "src/mtx/command_line.h"
#include "tests/sg/smc_reply.h"

namespace rsm::test::mtx {

// One element: full or not, its tag (blank-padded; "" for a blank tag), its source (0: none).
FakeElement at(std::uint16_t address, bool full = false, std::string tag = {},
               std::uint16_t source = 0);

struct FakeLibrary {
    std::vector<FakeElement> slots;    // storage, addresses from 1000
    std::vector<FakeElement> ieports;  // from 10
    std::vector<FakeElement> drives;   // from 500
    bool volumeTags = true;

    // `n` slots from 1000, the addresses in `full` holding tapes S<address>.
    static FakeLibrary make(int slots, int ieports, int drives, std::vector<int> full = {});
    FakeElement &slot(int address) { return slots[static_cast<std::size_t>(address - 1000)]; }
    FakeElement &drive(int address) { return drives[static_cast<std::size_t>(address - 500)]; }

    // MODE SENSE(6) (unless the changer has the map already) and a READ ELEMENT STATUS for
    // each element type the library has.
    void script(sg::FakeTransport &fake, bool modeSense = true) const;
};

struct MtxRig {
    explicit MtxRig(const FakeLibrary &library);

    // Runs the words after `mtx`; "-f /dev/fake" is put first unless `device` is false.
    int run(std::vector<std::string> args, bool device = true);

    std::unique_ptr<sg::FakeTransport> owned;
    sg::FakeTransport *fake;  // owned.get()
    std::ostringstream out, err;
    int opened = 0;
};

// A CHECK CONDITION reply with these fixed-format sense bytes.
sg::Reply senseBytes(std::vector<std::uint8_t> bytes);

}  // namespace rsm::test::mtx
