#pragma once
// VirtualLibrary: a private tgtd virtual tape library for one test. The constructor picks a
// free TCP port on 127.0.0.1, makes a temporary directory and runs tests/vtl/vtl-start; the
// destructor runs tests/vtl/vtl-stop (which stops only this tgtd) and removes the directory.
// When tgtd cannot be started the constructor throws std::runtime_error with vtl-start's
// stderr, so the test fails: a missing virtual library is never a skipped test.
// Thread-safety: one thread at a time.

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace rsm::test {

// The library vtl-start builds (its defaults). Aggregate: designated initializers name
// what differs, {.slots = 4, .drives = 1}.
struct VirtualLibraryShape {
    int slots = 20;
    std::uint16_t slotStart = 1000;
    int drives = 2;
    std::uint16_t driveStart = 500;
    int ieports = 4;
    std::uint16_t ieStart = 10;
    std::uint16_t transportStart = 1;
    // Tapes SMC001L5, SMC002L5, ... unless `barcodes` names them (at most 10 characters).
    int tapes = 10;
    std::vector<std::string> barcodes;
    // Where tape i goes; by default the i-th slot.
    std::vector<std::uint16_t> tapeSlots;
    // Slots holding a cartridge without a label (and so without a tape image).
    std::vector<std::uint16_t> noBarcodeSlots;
    // Barcodes placed without a tape image file: loading them fails (04/15/01).
    std::vector<std::string> noImage;
    // Drive elements left without a tape LUN behind them: loads fail (04/15/01).
    std::vector<std::uint16_t> unmappedDrives;
    std::string iqn = "iqn.2024-01.org.rsm:vtl";
};

class VirtualLibrary {
public:
    using Shape = VirtualLibraryShape;

    explicit VirtualLibrary(Shape shape = {});
    ~VirtualLibrary();
    VirtualLibrary(const VirtualLibrary &) = delete;
    VirtualLibrary &operator=(const VirtualLibrary &) = delete;

    const Shape &shape() const { return shape_; }
    const std::string &changerUrl() const { return changerUrl_; }
    const std::vector<std::string> &driveUrls() const { return driveUrls_; }
    int port() const { return port_; }
    pid_t tgtdPid() const { return pid_; }
    const std::string &dir() const { return dir_; }
    // Everything vtl-start wrote to vtl.env.
    const std::map<std::string, std::string> &env() const { return env_; }
    // How long vtl-start took.
    std::chrono::milliseconds startTime() const { return startTime_; }

    // The barcodes placed and their slots, in the same order.
    const std::vector<std::string> &barcodes() const { return barcodes_; }
    const std::vector<std::uint16_t> &tapeSlots() const { return tapeSlots_; }

    std::uint16_t transport() const { return shape_.transportStart; }
    std::uint16_t slot(int i) const { return static_cast<std::uint16_t>(shape_.slotStart + i); }
    std::uint16_t drive(int i) const { return static_cast<std::uint16_t>(shape_.driveStart + i); }
    std::uint16_t ieport(int i) const { return static_cast<std::uint16_t>(shape_.ieStart + i); }

    // SIGKILL of this library's tgtd (and wait until it is gone): a target that dies.
    void kill();
    // SIGSTOP / SIGCONT of its tgtd: a target that stops answering. The destructor thaws.
    void freeze();
    void thaw();
    // After kill(): a new tgtd on the same port, laid out afresh from the shape (blank tape
    // images): the robot back after an outage, as the database last saw it when nothing moved.
    void restart();

    // A TCP port on 127.0.0.1 that nothing listens on now (20000..40000 when the OS gives one).
    static int freePort();

private:
    void start(int fixedPort = 0);
    void stop() noexcept;

    Shape shape_;
    std::string dir_;
    int port_ = 0;
    pid_t pid_ = 0;
    bool frozen_ = false;
    std::string changerUrl_;
    std::vector<std::string> driveUrls_;
    std::vector<std::string> barcodes_;
    std::vector<std::uint16_t> tapeSlots_;
    std::map<std::string, std::string> env_;
    std::chrono::milliseconds startTime_{0};
};

}  // namespace rsm::test
