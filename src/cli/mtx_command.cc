// The mtx mode: mtx 1.3.12, byte for byte, on rsm's driver layer — `rsm-mtx` (rsm_mtx.cc, a
// program of its own) and `rsmctl mtx` (main.cc hands the words after `mtx` over before CLI11
// runs, which would take `-f` for itself; mtx_cli.cc is the command table's row).
//
// Locking: mtx never locked anything, and two mtx processes on one robot (a backup server's
// two jobs, an operator's shell) interleave their moves. Every device rsmctl mtx opens is
// first locked with flock(LOCK_EX) on /run/lock/rsm/mtx-<device>.lock (src/mtx/device_lock.h:
// a directory other users cannot write, a plain file), and the lock is held until the command
// line has run: a second rsmctl mtx on the same robot waits for the first, at most
// RSM_MTX_LOCK_TIMEOUT seconds (default 300), then fails with ERROR_BUSY naming the holder.
//
// Through rsmd: when DEVICE names a library that rsmd manages (by name, or by the device rsmd
// drives it by), openBackend() returns the rsmd backend of mtx_daemon.h; otherwise the device
// is opened directly, under the lock.

#include <fcntl.h>
#include <malloc.h>
#include <scsi/sg.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <string_view>

#include "sg/open.h"
#include "src/cli/mtx_command.h"
#include "src/cli/mtx_daemon.h"
#include "src/mtx/changer_backend.h"
#include "src/mtx/format.h"
#include "src/mtx/run.h"

namespace rsm::cli {

namespace {

std::string_view baseName(std::string_view path) {
    const auto slash = path.rfind('/');
    return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

// mtx's checks of a local device, in its words: it must open read-write and answer the sg
// driver's version ioctl.
Result<void> checkLocalDevice(const std::string &device) {
    const int fd = ::open(device.c_str(), O_RDWR | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return Error(ErrorCode::DeviceNotAvailable,
                     mtx::message::cannotOpen(device, std::strerror(errno)));
    int version = 0;
    const bool sg = ioctl(fd, SG_GET_VERSION_NUM, &version) == 0 && version >= 30000;
    ::close(fd);
    if (!sg)
        return Error(ErrorCode::DeviceNotAvailable,
                     device + " is not an sg device, or old sg driver");
    return success();
}

// A library rsmd manages goes through rsmd (mtx_daemon.h); anything else directly.
Result<std::unique_ptr<mtx::MtxBackend>> openBackend(const std::string &device) {
    auto daemon = openDaemonBackend(device);
    if (!daemon)
        return Error(daemon.error().code(),
                     mtx::message::cannotOpen(device, daemon.error().message()));
    if (*daemon)
        return std::move(*daemon);
    return openDirectBackend(device);
}

}  // namespace

std::optional<std::vector<std::string>> mtxArguments(int argc, char **argv) {
    if (argc < 1 || argv[0] == nullptr)
        return std::nullopt;
    const std::string_view program = baseName(argv[0]);
    if (program == "mtx" || program == "rsm-mtx")
        return std::vector<std::string>(argv + 1, argv + argc);
    if (argc >= 2 && std::string_view(argv[1]) == "mtx")
        return std::vector<std::string>(argv + 2, argv + argc);
    return std::nullopt;
}

Result<std::unique_ptr<mtx::MtxBackend>> openDirectBackend(const std::string &device) {
    if (!sg::isIscsiUrl(device))
        RSM_TRY_VOID(checkLocalDevice(device));
    auto lock = mtx::DeviceLock::acquire(device);
    if (!lock)
        return Error(lock.error().code(),
                     mtx::message::cannotOpen(device, lock.error().toString()));
    auto transport = sg::openTransport(device);
    if (!transport)
        return Error(transport.error().code(),
                     mtx::message::cannotOpen(device, transport.error().message()));
    return std::unique_ptr<mtx::MtxBackend>(std::make_unique<mtx::ChangerBackend>(
        std::move(*transport), sg::ChangerOptions{}, std::move(*lock)));
}

void keepFreedMemory() {
    mallopt(M_MMAP_THRESHOLD, 32 << 20);  // glibc's largest: blocks up to 32 MiB from the heap
    mallopt(M_TRIM_THRESHOLD, 256 << 20);
}

int runMtx(const std::vector<std::string> &args) {
    const auto steps = mtx::parseCommandLine(args);
    const std::string device = mtx::defaultDevice(std::getenv("CHANGER"), std::getenv("TAPE"));
    return mtx::run(steps, openBackend, device, std::cout, std::cerr);
}

}  // namespace rsm::cli
