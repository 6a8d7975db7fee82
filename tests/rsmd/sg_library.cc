#include "tests/rsmd/sg_library.h"

#include <stdlib.h>

#include <cstdlib>
#include <fstream>
#include <stdexcept>

#include <fmt/format.h>

namespace rsm::test {

namespace fs = std::filesystem;

namespace {

void write(const fs::path &path, const std::string &content) {
    fs::create_directories(path.parent_path());
    std::ofstream out(path, std::ios::binary);
    out << content;
    if (!out)
        throw std::runtime_error("cannot write " + path.string());
}

// VPD page 80h as sysfs gives it: the page header, then the serial number.
std::string unitSerialPage(const std::string &serial) {
    std::string page = {'\x01', '\x80', '\0', static_cast<char>(serial.size())};
    return page + serial;
}

// sys/class/scsi_generic/sgN -> the SCSI device directory, with the attributes discovery reads.
fs::path addDevice(const fs::path &sys, int sg, const std::string &hctl, int type,
                   const std::string &vendor, const std::string &model) {
    const fs::path device = sys / "devices" / hctl;
    write(device / "type", std::to_string(type) + "\n");
    write(device / "vendor", vendor + "\n");
    write(device / "model", model + "\n");
    write(device / "rev", "0104\n");
    const fs::path entry = sys / "class" / "scsi_generic" / fmt::format("sg{}", sg);
    fs::create_directories(entry);
    fs::create_directory_symlink(fs::relative(device, entry), entry / "device");
    return device;
}

}  // namespace

std::string sgDoublePath() {
    return RSM_BUILD_DIR "/tests/libsg-double.so";
}

SgLibrary::SgLibrary(const VirtualLibrary &vtl, bool serials) : drives_(vtl.shape().drives) {
    std::string pattern = (fs::temp_directory_path() / "rsm-sg-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr)
        throw std::runtime_error("mkdtemp failed");
    dir_ = pattern;
    fs::permissions(dir_, fs::perms(0755));
    const fs::path dev = dir_ / "dev", sys = dir_ / "sys";
    std::string map = changer() + " " + vtl.changerUrl() + "\n";
    write(changer(), "");
    addDevice(sys, 5, "2:0:0:3", 8, "STK", "L700");
    for (int i = 0; i < drives_; ++i) {
        const std::string sg = (dev / fmt::format("sg{}", 6 + i)).string();
        write(sg, "");
        write(tape(i), "");
        map += sg + " " + vtl.driveUrls().at(static_cast<std::size_t>(i)) + "\n";
        map += tape(i) + " " + vtl.driveUrls().at(static_cast<std::size_t>(i)) + "\n";
        const fs::path device =
            addDevice(sys, 6 + i, fmt::format("2:0:0:{}", i + 1), 1, "HP", "Ultrium-5-SCSI");
        fs::create_directories(device / "scsi_tape" / fmt::format("nst{}", i));
        if (serials)
            write(device / "vpd_pg80", unitSerialPage(fmt::format("DRV{:03}", i + 1)));
    }
    write(dir_ / "sg-map", map);
}

SgLibrary::~SgLibrary() {
    std::error_code ec;
    fs::remove_all(dir_, ec);
}

std::string SgLibrary::changer() const {
    return (dir_ / "dev" / "sg5").string();
}

std::string SgLibrary::tape(int drive) const {
    return (dir_ / "dev" / fmt::format("nst{}", drive)).string();
}

std::vector<std::string> SgLibrary::env() const {
    const char *asan = std::getenv("ASAN_OPTIONS");
    return {"LD_PRELOAD=" + sgDoublePath(), "RSM_SG_DOUBLE=" + (dir_ / "sg-map").string(),
            // The double is preloaded before AddressSanitizer's runtime in sanitized builds.
            std::string("ASAN_OPTIONS=") + (asan ? std::string(asan) + ":" : std::string()) +
                "verify_asan_link_order=0"};
}

std::string SgLibrary::rsmdConfig() const {
    return "sysfs_root = " + (dir_ / "sys").string() + "\ndev_root = " + (dir_ / "dev").string() +
           "\n";
}

}  // namespace rsm::test
