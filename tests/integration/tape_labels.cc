#include "tests/integration/tape_labels.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>

#include "sg/open.h"

namespace rsm::test {

namespace {

using namespace std::chrono_literals;

// A drive just loaded by the robot reports UNIT ATTENTION, then becomes ready.
constexpr auto readyTimeout = 30s;

}  // namespace

std::unique_ptr<sg::Changer> openChanger(const VirtualLibrary &vtl) {
    auto transport = sg::openTransport(vtl.changerUrl());
    REQUIRE_MESSAGE(transport.ok(), transport.error().toString());
    return std::make_unique<sg::Changer>(std::move(*transport));
}

std::unique_ptr<sg::TapeDrive> openDrive(const VirtualLibrary &vtl, std::size_t index) {
    REQUIRE(index < vtl.driveUrls().size());
    auto transport = sg::openTransport(vtl.driveUrls()[index]);
    REQUIRE_MESSAGE(transport.ok(), transport.error().toString());
    return std::make_unique<sg::TapeDrive>(std::move(*transport));
}

FreeDrive freeDrive(const VirtualLibrary &vtl, sg::Changer &changer) {
    auto drives = changer.status(sg::ElementType::DataTransfer);
    REQUIRE_MESSAGE(drives.ok(), drives.error().toString());
    const auto &unmapped = vtl.shape().unmappedDrives;
    for (const sg::Element &e : *drives) {
        if (e.full || std::find(unmapped.begin(), unmapped.end(), e.address) != unmapped.end())
            continue;
        const auto index = static_cast<std::size_t>(e.address - vtl.shape().driveStart);
        if (index < vtl.driveUrls().size())
            return {e.address, index};
    }
    FAIL("no free drive in the virtual library");
    return {};
}

void writeLabel(const VirtualLibrary &vtl, std::uint16_t slot,
                std::span<const std::uint8_t> block) {
    auto changer = openChanger(vtl);
    const FreeDrive drive = freeDrive(vtl, *changer);
    INFO("labelling the cartridge of slot ", slot, " in drive ", drive.address);
    auto moved = changer->move(slot, drive.address);
    REQUIRE_MESSAGE(moved.ok(), moved.error().toString());

    auto tape = openDrive(vtl, drive.index);
    auto ready = tape->waitReady(readyTimeout);
    REQUIRE_MESSAGE(ready.ok(), ready.error().toString());
    auto rewound = tape->rewind();
    REQUIRE_MESSAGE(rewound.ok(), rewound.error().toString());
    auto written = tape->writeBlock(block);
    REQUIRE_MESSAGE(written.ok(), written.error().toString());
    auto filemark = tape->writeFilemarks(1);
    REQUIRE_MESSAGE(filemark.ok(), filemark.error().toString());
    rewound = tape->rewind();
    REQUIRE_MESSAGE(rewound.ok(), rewound.error().toString());
    tape.reset();

    auto back = changer->move(drive.address, slot);
    REQUIRE_MESSAGE(back.ok(), back.error().toString());
}

}  // namespace rsm::test
