#pragma once
// Labels on the tapes of a tgtd virtual library: the first block of each format
// (tests/label/label_blocks.h) and writeLabel(), which writes one onto the cartridge in a slot
// through the robot and a drive, as a backup program labelling a tape would. Test helper:
// failures are doctest REQUIRE failures.
// Thread-safety: one thread at a time per library.

#include <cstdint>
#include <memory>
#include <span>

#include "sg/changer.h"
#include "sg/tape_drive.h"
#include "tests/integration/vtl_library.h"
#include "tests/label/label_blocks.h"

namespace rsm::test {

// A drive element of `vtl` that is empty and has a tape LUN behind it, and that LUN's index in
// vtl.driveUrls().
struct FreeDrive {
    std::uint16_t address = 0;
    std::size_t index = 0;
};
FreeDrive freeDrive(const VirtualLibrary &vtl, sg::Changer &changer);

std::unique_ptr<sg::Changer> openChanger(const VirtualLibrary &vtl);
std::unique_ptr<sg::TapeDrive> openDrive(const VirtualLibrary &vtl, std::size_t index);

// Moves the cartridge in `slot` into a free drive, writes `block` and a filemark at the start
// of the tape, rewinds, and moves the cartridge back to `slot`.
void writeLabel(const VirtualLibrary &vtl, std::uint16_t slot, std::span<const std::uint8_t> block);

}  // namespace rsm::test
