#pragma once
// SgLibrary: a tgtd virtual library seen as a host's /dev/sg and /dev/nst nodes, for the tests
// of rsm's real SG_IO path. It makes, in a directory of its own, the device nodes (dev/sg5 the
// changer, dev/sg6… and dev/nst0… the drives), a sysfs tree that lists them as the kernel
// would (sys/class/scsi_generic/sgN/device/{type,vendor,model,rev,vpd_pg80} and
// scsi_tape/nstN), and the map the SG_IO test double (tests/sg/sg_double.c, preloaded) uses to
// send each node's commands to its iSCSI unit. Processes that open the nodes run with env().
// Thread-safety: one thread at a time.

#include <filesystem>
#include <string>
#include <vector>

#include "tests/integration/vtl_library.h"

namespace rsm::test {

class SgLibrary {
public:
    // `serials`: whether sysfs gives the drives' serial numbers (VPD page 80h); without them
    // no drive can be matched to its device, as on a host whose kernel does not expose them.
    explicit SgLibrary(const VirtualLibrary &vtl, bool serials = true);
    ~SgLibrary();
    SgLibrary(const SgLibrary &) = delete;
    SgLibrary &operator=(const SgLibrary &) = delete;

    std::string changer() const;        // .../dev/sg5
    std::string tape(int drive) const;  // .../dev/nstN of the drive with that index
    // LD_PRELOAD of the double and its map, and what AddressSanitizer needs to allow it.
    std::vector<std::string> env() const;
    // [rsmd] lines pointing rsmd's device discovery at this tree.
    std::string rsmdConfig() const;

private:
    std::filesystem::path dir_;
    int drives_ = 0;
};

// The SG_IO test double built with the tests.
std::string sgDoublePath();

}  // namespace rsm::test
