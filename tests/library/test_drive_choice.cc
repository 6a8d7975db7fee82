// chooseDrive (src/library/drive_choice.h): each rule of preference, its tie-breaks, which
// drives take part, and each error.

#include <doctest/doctest.h>

#include "src/library/drive_choice.h"

using namespace rsm;
using namespace rsm::library;
using namespace std::chrono_literals;

namespace {

const auto kNoon = std::chrono::system_clock::time_point(std::chrono::hours(24 * 20000 + 12));

Uuid id(std::uint8_t n) {
    std::array<std::uint8_t, 16> b{};
    b[15] = n;
    return Uuid(b);
}

const Uuid kWanted = id(100), kOther = id(101), kThird = id(102);

DriveView drive(int number, DriveState state = DriveState::Dismounted,
                std::optional<Uuid> media = std::nullopt) {
    DriveView d;
    d.id = id(static_cast<std::uint8_t>(number + 1));
    d.number = number;
    d.state = state;
    d.media = media;
    return d;
}

DriveView dismountable(int number, const Uuid &media,
                       std::optional<std::chrono::system_clock::time_point> due = kNoon) {
    DriveView d = drive(number, DriveState::Dismountable, media);
    d.dismountAfter = due;
    return d;
}

DriveChoice choose(const std::vector<DriveView> &drives, std::optional<Uuid> specific = {}) {
    auto c = chooseDrive(drives, MountWish{kWanted, specific});
    INFO((c.ok() ? std::string() : c.error().toString()));
    REQUIRE(c.ok());
    return *c;
}

ErrorCode failure(const std::vector<DriveView> &drives, std::optional<Uuid> specific = {}) {
    auto c = chooseDrive(drives, MountWish{kWanted, specific});
    REQUIRE(!c.ok());
    INFO(c.error().toString());
    CHECK(!c.error().message().empty());
    return c.error().code();
}

}  // namespace

TEST_CASE("drive choice 1: the drive that holds the medium, DISMOUNTABLE, needs no move") {
    std::vector<DriveView> drives = {drive(0), dismountable(1, kOther, kNoon - 1h),
                                     dismountable(2, kWanted)};
    DriveChoice c = choose(drives);
    CHECK(c.drive == drives[2].id);
    CHECK(c.alreadyThere);
    CHECK(!c.putAwayFirst);
    // Preferred even over an empty drive that was never used.
    drives[0].mountCount = 0;
    drives[2].mountCount = 1000;
    CHECK(choose(drives).drive == drives[2].id);
}

TEST_CASE("drive choice 2: an empty drive, one move; fewest mounts, then the lowest number") {
    std::vector<DriveView> drives = {drive(0), drive(1), drive(2), dismountable(3, kOther)};
    drives[0].mountCount = 7;
    drives[1].mountCount = 3;
    drives[2].mountCount = 3;
    DriveChoice c = choose(drives);
    CHECK(c.drive == drives[1].id);  // 3 mounts, number 1 before number 2
    CHECK(!c.alreadyThere);
    CHECK(!c.putAwayFirst);
    drives[2].mountCount = 2;
    CHECK(choose(drives).drive == drives[2].id);
    // DISMOUNTED with a medium recorded is not empty.
    drives[2].media = kThird;
    CHECK(choose(drives).drive == drives[1].id);
}

TEST_CASE("drive choice 3: a DISMOUNTABLE drive with another medium, the deferral ending first") {
    std::vector<DriveView> drives = {dismountable(0, kOther, kNoon + 10min),
                                     dismountable(1, kThird, kNoon + 5min),
                                     drive(2, DriveState::Loaded, id(103))};
    DriveChoice c = choose(drives);
    CHECK(c.drive == drives[1].id);
    CHECK(!c.alreadyThere);
    CHECK(c.putAwayFirst == kThird);
    // Same time: the lowest number.
    drives[0].dismountAfter = kNoon + 5min;
    CHECK(choose(drives).drive == drives[0].id);
    CHECK(choose(drives).putAwayFirst == kOther);
    // No time recorded: due now, before any time.
    drives[1].dismountAfter = std::nullopt;
    CHECK(choose(drives).drive == drives[1].id);
    // A DISMOUNTABLE drive with no medium recorded holds nothing to put away: not used.
    std::vector<DriveView> odd = {drive(0, DriveState::Dismountable)};
    CHECK(failure(odd) == ErrorCode::Busy);
}

TEST_CASE("drive choice: only enabled drives with a device take part") {
    std::vector<DriveView> drives = {dismountable(0, kWanted), drive(1), drive(2),
                                     dismountable(3, kOther)};
    drives[0].enabled = false;  // holds the medium, but disabled: rule 1 does not apply
    drives[1].hasDevice = false;
    drives[2].mountCount = 50;
    DriveChoice c = choose(drives);
    CHECK(c.drive == drives[2].id);
    CHECK(!c.alreadyThere);
    drives[2].enabled = false;
    c = choose(drives);
    CHECK(c.drive == drives[3].id);
    CHECK(c.putAwayFirst == kOther);
}

TEST_CASE("drive choice: a specific drive is the only one considered, by the same rules") {
    std::vector<DriveView> drives = {drive(0), dismountable(1, kWanted), dismountable(2, kOther),
                                     drive(3, DriveState::Loaded, kThird)};
    // Rule 1 on the specific drive.
    DriveChoice c = choose(drives, drives[1].id);
    CHECK(c.drive == drives[1].id);
    CHECK(c.alreadyThere);
    // Rule 2: an empty drive, although another holds the medium.
    c = choose(drives, drives[0].id);
    CHECK(c.drive == drives[0].id);
    CHECK(!c.alreadyThere);
    CHECK(!c.putAwayFirst);
    // Rule 3: its medium goes home first, although drive 0 is empty.
    c = choose(drives, drives[2].id);
    CHECK(c.drive == drives[2].id);
    CHECK(c.putAwayFirst == kOther);
    // In use now.
    CHECK(failure(drives, drives[3].id) == ErrorCode::Busy);
}

TEST_CASE("drive choice: ERROR_INVALID_DRIVE — the specific drive is not among the drives") {
    std::vector<DriveView> drives = {drive(0), drive(1)};
    CHECK(failure(drives, id(77)) == ErrorCode::InvalidDrive);
    CHECK(failure({}, id(77)) == ErrorCode::InvalidDrive);
}

TEST_CASE("drive choice: ERROR_RESOURCE_DISABLED — the specific drive, or every drive, unusable") {
    std::vector<DriveView> drives = {drive(0), drive(1), drive(2)};
    drives[0].enabled = false;
    drives[1].hasDevice = false;
    CHECK(failure(drives, drives[0].id) == ErrorCode::ResourceDisabled);
    CHECK(failure(drives, drives[1].id) == ErrorCode::ResourceDisabled);
    CHECK(choose(drives).drive == drives[2].id);
    drives[2].enabled = false;
    drives[2].hasDevice = false;
    CHECK(failure(drives) == ErrorCode::ResourceDisabled);
    CHECK(failure({}) == ErrorCode::ResourceDisabled);
}

TEST_CASE("drive choice: ERROR_BUSY — the medium is mounted already") {
    for (DriveState state : {DriveState::Mounted, DriveState::Loaded}) {
        CAPTURE(static_cast<int>(state));
        std::vector<DriveView> drives = {drive(0), drive(1, state, kWanted)};
        CHECK(failure(drives) == ErrorCode::Busy);
        CHECK(failure(drives, drives[0].id) == ErrorCode::Busy);
        // Mounted in a drive that does not take part still counts.
        drives[1].enabled = false;
        CHECK(failure(drives) == ErrorCode::Busy);
    }
}

TEST_CASE("drive choice: ERROR_BUSY — every usable drive is in use now") {
    std::vector<DriveView> drives = {drive(0, DriveState::Loaded, kOther),
                                     drive(1, DriveState::Mounted, kThird),
                                     drive(2, DriveState::Unloaded, id(103)),
                                     drive(3, DriveState::BeingCleaned, id(104)), drive(4)};
    drives[4].enabled = false;  // empty, but not usable
    CHECK(failure(drives) == ErrorCode::Busy);
    drives[4].enabled = true;
    CHECK(choose(drives).drive == drives[4].id);
}
