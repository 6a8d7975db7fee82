// tape-status: what `mt -f DEVICE status` tells a script about a tape drive reached over
// iSCSI, which has no /dev/nst node for mt-st: one TEST UNIT READY, then mt-st's word for the
// drive's state on the "General status bits" line — ONLINE when a tape is loaded and ready,
// DR_OPEN when the drive has no tape — and the sense in words otherwise.
//
//   tape-status iscsi://HOST:PORT/IQN/LUN
//
// Exit status 0 when the drive answered, 2 when it could not be reached (as mt-st). Used by
// tests/vtl/bacula-sd-env --mt-status, for the `mt -f $device status` polls of Bacula's
// mtx-changer script after a load.

#include <iostream>
#include <string>

#include "sg/open.h"
#include "sg/tape_drive.h"

int main(int argc, char **argv) {
    if (argc != 2) {
        std::cerr << "usage: tape-status iscsi://HOST:PORT/IQN/LUN\n";
        return 1;
    }
    const std::string device = argv[1];
    auto transport = rsm::sg::openTransport(device);
    if (!transport) {
        std::cerr << "tape-status: " << device << ": " << transport.error().toString() << '\n';
        return 2;
    }
    // No waiting for a drive that is becoming ready: the caller polls.
    rsm::sg::TapeDriveOptions options;
    options.retry.notReadyWait = std::chrono::milliseconds::zero();
    rsm::sg::TapeDrive drive(std::move(*transport), options);
    auto ready = drive.testUnitReady();
    std::cout << device << ":\n";
    if (ready) {
        std::cout << "General status bits on: ONLINE\n";
    } else if (ready.error().code() == rsm::ErrorCode::MediaNotAvailable) {
        std::cout << "General status bits on: DR_OPEN\n";
    } else {
        std::cout << "General status bits on:\n" << ready.error().toString() << '\n';
    }
    return 0;
}
