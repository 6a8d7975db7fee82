#include <doctest/doctest.h>

#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "sg/discovery.h"

using namespace rsm;
using namespace rsm::sg;
namespace fs = std::filesystem;

namespace {

// A throwaway directory holding a sysfs tree of the test's own making.
class FakeSysfs {
public:
    FakeSysfs() {
        std::string pattern = (fs::temp_directory_path() / "rsm-discovery-XXXXXX").string();
        REQUIRE(mkdtemp(pattern.data()) != nullptr);
        root_ = pattern;
    }
    ~FakeSysfs() {
        std::error_code ec;
        fs::remove_all(root_, ec);
    }
    FakeSysfs(const FakeSysfs &) = delete;
    FakeSysfs &operator=(const FakeSysfs &) = delete;

    fs::path sys() const { return root_ / "sys"; }
    fs::path classDir() const { return sys() / "class" / "scsi_generic"; }

    // sys/class/scsi_generic/<sg>/device -> ../../../devices/<hctl>, as the kernel links it.
    fs::path addDevice(const std::string &sg, const std::string &hctl) {
        const fs::path target = sys() / "devices" / hctl;
        fs::create_directories(target);
        fs::create_directories(classDir() / sg);
        fs::create_directory_symlink(fs::path("../../../devices") / hctl,
                                     classDir() / sg / "device");
        return target;
    }

    static void write(const fs::path &path, const std::string &content) {
        fs::create_directories(path.parent_path());
        std::ofstream out(path, std::ios::binary);
        out << content;
        REQUIRE(out.good());
    }

    static void writeIdentity(const fs::path &device, const std::string &type,
                              const std::string &vendor, const std::string &model,
                              const std::string &rev) {
        write(device / "type", type + "\n");
        write(device / "vendor", vendor + "\n");
        write(device / "model", model + "\n");
        write(device / "rev", rev + "\n");
    }

    static void touch(const fs::path &path) { write(path, ""); }

private:
    fs::path root_;
};

std::string vpdPage80(const std::string &serial) {
    std::string page{'\x01', '\x80', '\x00', static_cast<char>(serial.size())};
    return page + serial;
}

}  // namespace

TEST_CASE("discovery: changers and tape drives from sysfs, ordered by sg number") {
    FakeSysfs tree;

    // sg0: a disk, not ours.
    auto disk = tree.addDevice("sg0", "0:0:0:0");
    FakeSysfs::writeIdentity(disk, "0", "ATA     ", "Samsung SSD     ", "1B6Q");

    // sg1: an LTO drive with its tape nodes and a serial number in VPD page 80h.
    auto lto = tree.addDevice("sg1", "2:0:1:0");
    FakeSysfs::writeIdentity(lto, "1", "IBM     ", "ULT3580-TD5     ", "C7R3");
    FakeSysfs::write(lto / "vpd_pg80", vpdPage80("  1013000654"));
    for (const char *node : {"st0", "st0a", "st0l", "st0m", "nst0", "nst0a", "nst0l", "nst0m"})
        FakeSysfs::touch(lto / "scsi_tape" / node);

    // sg2: the changer; no VPD page in sysfs.
    auto changer = tree.addDevice("sg2", "2:0:1:1");
    FakeSysfs::writeIdentity(changer, "8", "IBM     ", "3573-TL         ", "9.20");

    // sg3: a drive whose scsi_tape directory lists only the rewinding nodes.
    auto onlySt = tree.addDevice("sg3", "2:0:2:0");
    FakeSysfs::writeIdentity(onlySt, "1", "HP      ", "Ultrium 6-SCSI  ", "35GD");
    FakeSysfs::touch(onlySt / "scsi_tape" / "st1");
    FakeSysfs::touch(onlySt / "scsi_tape" / "st1l");

    // sg4: no type file (being removed, or unreadable): skipped.
    auto noType = tree.addDevice("sg4", "3:0:0:0");
    FakeSysfs::write(noType / "vendor", "IBM\n");

    // sg5: a type that is not a number: skipped.
    auto badType = tree.addDevice("sg5", "3:0:1:0");
    FakeSysfs::writeIdentity(badType, "tape", "IBM", "X", "1");

    // sg10: a drive of an old kernel (scsi_tape:nstN links in the device directory) and a VPD
    // page that was cut short: no serial.
    auto old = tree.addDevice("sg10", "4:0:3:0");
    FakeSysfs::writeIdentity(old, "1", "QUANTUM ", "SDLT320         ", "5959");
    FakeSysfs::touch(old / "scsi_tape:st7");
    FakeSysfs::touch(old / "scsi_tape:nst7");
    FakeSysfs::write(old / "vpd_pg80", std::string{'\x01', '\x80', '\x00', '\x20', 'A', 'B'});

    // sg12: a changer missing vendor, model and revision files: kept, with empty fields.
    auto bare = tree.addDevice("sg12", "5:0:0:0");
    FakeSysfs::write(bare / "type", "8\n");

    // Strays in the class directory.
    FakeSysfs::touch(tree.classDir() / "sgfoo");
    fs::create_directories(tree.classDir() / "sg");

    auto devices = discoverDevices({tree.sys(), "/xdev"});
    REQUIRE(devices.ok());
    REQUIRE(devices->size() == 5);
    const auto &d = *devices;

    CHECK(d[0].sgPath == "/xdev/sg1");
    CHECK(d[0].hctl == "2:0:1:0");
    CHECK(d[0].peripheralType == 1);
    CHECK(d[0].vendor == "IBM");
    CHECK(d[0].model == "ULT3580-TD5");
    CHECK(d[0].revision == "C7R3");
    CHECK(d[0].serial == "1013000654");
    REQUIRE(d[0].tapePath.has_value());
    CHECK(*d[0].tapePath == "/xdev/nst0");

    CHECK(d[1].sgPath == "/xdev/sg2");
    CHECK(d[1].hctl == "2:0:1:1");
    CHECK(d[1].peripheralType == 8);
    CHECK(d[1].vendor == "IBM");
    CHECK(d[1].model == "3573-TL");
    CHECK(d[1].revision == "9.20");
    CHECK(d[1].serial.empty());
    CHECK(!d[1].tapePath.has_value());

    CHECK(d[2].sgPath == "/xdev/sg3");
    CHECK(d[2].model == "Ultrium 6-SCSI");
    REQUIRE(d[2].tapePath.has_value());
    CHECK(*d[2].tapePath == "/xdev/nst1");

    CHECK(d[3].sgPath == "/xdev/sg10");  // after sg3: numeric, not by name
    CHECK(d[3].hctl == "4:0:3:0");
    CHECK(d[3].serial.empty());
    REQUIRE(d[3].tapePath.has_value());
    CHECK(*d[3].tapePath == "/xdev/nst7");

    CHECK(d[4].sgPath == "/xdev/sg12");
    CHECK(d[4].peripheralType == 8);
    CHECK(d[4].vendor.empty());
    CHECK(d[4].model.empty());
    CHECK(d[4].revision.empty());
}

TEST_CASE("discovery: a tape drive without tape nodes has no tape path") {
    FakeSysfs tree;
    auto drive = tree.addDevice("sg0", "1:0:0:0");
    FakeSysfs::writeIdentity(drive, "1", "IBM", "ULT3580-TD8", "Q3F1");
    auto devices = discoverDevices({tree.sys(), "/dev"});
    REQUIRE(devices.ok());
    REQUIRE(devices->size() == 1);
    CHECK((*devices)[0].sgPath == "/dev/sg0");
    CHECK(!(*devices)[0].tapePath.has_value());
}

TEST_CASE("discovery: no scsi_generic class is an empty list, not an error") {
    FakeSysfs tree;
    auto devices = discoverDevices({tree.sys(), "/dev"});
    REQUIRE(devices.ok());
    CHECK(devices->empty());

    fs::create_directories(tree.classDir());
    auto empty = discoverDevices({tree.sys(), "/dev"});
    REQUIRE(empty.ok());
    CHECK(empty->empty());
}

TEST_CASE("discovery: a drive element's DVCID identifier finds its drive by serial") {
    std::vector<ScsiDevice> drives(4);
    drives[0].peripheralType = 1;
    drives[0].sgPath = "/dev/sg1";
    drives[0].serial = "1013000654";
    drives[1].peripheralType = 1;
    drives[1].sgPath = "/dev/sg3";
    drives[1].serial = "";
    drives[2].peripheralType = 1;
    drives[2].sgPath = "/dev/sg4";
    drives[2].serial = "HU1234ABCD";
    drives[3].peripheralType = 1;
    drives[3].sgPath = "/dev/sg5";
    drives[3].serial = "654";

    SUBCASE("full VENDOR PRODUCT SERIAL identifier") {
        CHECK(matchDriveByIdentifier(drives, "IBM     ULT3580-TD5     1013000654") == &drives[0]);
        CHECK(matchDriveByIdentifier(drives, "HP      Ultrium 6-SCSI  HU1234ABCD  ") == &drives[2]);
    }
    SUBCASE("serial only, with padding") {
        CHECK(matchDriveByIdentifier(drives, "1013000654") == &drives[0]);
        CHECK(matchDriveByIdentifier(drives, std::string("  HU1234ABCD\0\0", 14)) == &drives[2]);
        CHECK(matchDriveByIdentifier(drives, "654") == &drives[3]);
    }
    SUBCASE("no match: a serial must be a whole token") {
        CHECK(matchDriveByIdentifier(drives, "IBM     ULT3580-TD5     9999999999") == nullptr);
        CHECK(matchDriveByIdentifier(drives, "IBM     ULT3580-TD5     X1013000654") == nullptr);
        CHECK(matchDriveByIdentifier(drives, "1013000654 IBM") == nullptr);
        CHECK(matchDriveByIdentifier({}, "1013000654") == nullptr);
    }
    SUBCASE("an empty serial never matches") {
        CHECK(matchDriveByIdentifier(drives, "") == nullptr);
        CHECK(matchDriveByIdentifier(drives, "   ") == nullptr);
        CHECK(matchDriveByIdentifier(drives, "IBM     ULT3580-TD5     ") == nullptr);
        std::vector<ScsiDevice> unknown(1);
        unknown[0].peripheralType = 1;
        CHECK(matchDriveByIdentifier(unknown, "IBM     ULT3580-TD5     ") == nullptr);
        CHECK(matchDriveByIdentifier(unknown, "") == nullptr);
    }
    SUBCASE("a changer sharing the drive's serial is not taken for the drive") {
        std::vector<ScsiDevice> both(2);
        both[0].peripheralType = 8;
        both[0].serial = "1013000654";
        both[1].peripheralType = 1;
        both[1].serial = "1013000654";
        CHECK(matchDriveByIdentifier(both, "IBM     ULT3580-TD5     1013000654") == &both[1]);
    }
}

TEST_CASE("discovery: this host's own sysfs is read without error") {
    auto devices = discoverDevices();
    REQUIRE(devices.ok());
    for (const auto &d : *devices) {
        CHECK((d.peripheralType == 1 || d.peripheralType == 8));
        CHECK(d.sgPath.starts_with("/dev/sg"));
    }
}
