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

// VPD page 83h with a T10 vendor identification (ASCII) and an NAA name (binary), as the kernel
// exposes it in vpd_pg83.
std::string vpdPage83(const std::string &t10, const std::string &naa) {
    std::string descriptors{'\x02', '\x01', '\x00', static_cast<char>(t10.size())};
    descriptors += t10;
    descriptors += std::string{'\x01', '\x03', '\x00', static_cast<char>(naa.size())};
    descriptors += naa;
    std::string page{'\x01', '\x83', '\x00', static_cast<char>(descriptors.size())};
    return page + descriptors;
}

Designator designator(std::uint8_t codeSet, std::uint8_t type, const std::string &value) {
    return {codeSet, association::LogicalUnit, type,
            std::vector<std::uint8_t>(value.begin(), value.end())};
}

ScsiDevice tape(const std::string &sgPath, const std::string &serial) {
    ScsiDevice d;
    d.sgPath = sgPath;
    d.peripheralType = 1;
    d.vendor = "IBM";
    d.model = "ULT3580-TD5";
    d.serial = serial;
    return d;
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
    FakeSysfs::write(lto / "vpd_pg83",
                     vpdPage83("IBM     ULT3580-TD5     1013000654",
                               std::string("\x50\x05\x07\x63\x0f\x1a\x2b\x3c", 8)));
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

    // sg10: a drive of an old kernel (scsi_tape:nstN links in the device directory) and VPD
    // pages that were cut short: no serial, no designators.
    auto old = tree.addDevice("sg10", "4:0:3:0");
    FakeSysfs::writeIdentity(old, "1", "QUANTUM ", "SDLT320         ", "5959");
    FakeSysfs::touch(old / "scsi_tape:st7");
    FakeSysfs::touch(old / "scsi_tape:nst7");
    FakeSysfs::write(old / "vpd_pg80", std::string{'\x01', '\x80', '\x00', '\x20', 'A', 'B'});
    FakeSysfs::write(old / "vpd_pg83", vpdPage83("QUANTUM SDLT320", "").substr(0, 12));

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
    REQUIRE(d[0].designators.size() == 2);
    CHECK(d[0].designators[0].type == designator_type::T10VendorId);
    CHECK(designatorText(d[0].designators[0]) == "IBM     ULT3580-TD5     1013000654");
    CHECK(d[0].designators[1].type == designator_type::Naa);
    CHECK(designatorText(d[0].designators[1]) == "500507630f1a2b3c");
    REQUIRE(d[0].tapePath.has_value());
    CHECK(*d[0].tapePath == "/xdev/nst0");

    CHECK(d[1].sgPath == "/xdev/sg2");
    CHECK(d[1].hctl == "2:0:1:1");
    CHECK(d[1].peripheralType == 8);
    CHECK(d[1].vendor == "IBM");
    CHECK(d[1].model == "3573-TL");
    CHECK(d[1].revision == "9.20");
    CHECK(d[1].serial.empty());
    CHECK(d[1].designators.empty());
    CHECK(!d[1].tapePath.has_value());

    CHECK(d[2].sgPath == "/xdev/sg3");
    CHECK(d[2].model == "Ultrium 6-SCSI");
    REQUIRE(d[2].tapePath.has_value());
    CHECK(*d[2].tapePath == "/xdev/nst1");

    CHECK(d[3].sgPath == "/xdev/sg10");  // after sg3: numeric, not by name
    CHECK(d[3].hctl == "4:0:3:0");
    CHECK(d[3].serial.empty());
    CHECK(d[3].designators.empty());
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

TEST_CASE("matchDrive: a serial number alone, or ending a T10 vendor identification") {
    std::vector<ScsiDevice> drives = {tape("/dev/sg1", "1013000654"), tape("/dev/sg3", ""),
                                      tape("/dev/sg4", "HU1234ABCD"), tape("/dev/sg5", "654")};
    drives[2].vendor = "HP";
    drives[2].model = "Ultrium 6-SCSI";

    SUBCASE("the serial number alone, with padding") {
        const DriveMatch m = matchDrive(drives, "1013000654");
        CHECK(m.device == &drives[0]);
        CHECK(m.how == "serial");
        CHECK(m.reason.empty());
        CHECK(matchDrive(drives, std::string("  HU1234ABCD\0\0", 14)).device == &drives[2]);
        CHECK(matchDrive(drives, "654").device == &drives[3]);
    }
    SUBCASE("vendor (8), product (16), serial; blanks kept, trimmed or squeezed") {
        CHECK(matchDrive(drives, "IBM     ULT3580-TD5     1013000654").device == &drives[0]);
        CHECK(matchDrive(drives, "HP      Ultrium 6-SCSI  HU1234ABCD  ").device == &drives[2]);
        CHECK(matchDrive(drives, "IBM ULT3580-TD5 1013000654").device == &drives[0]);
        CHECK(matchDrive(drives, std::string("IBM     ULT3580-TD5\0\0\0\0\0", 24) + "654").device ==
              &drives[3]);
    }
    SUBCASE("a product that fills its 16 bytes: no blank before the serial") {
        std::vector<ScsiDevice> full = {tape("/dev/sg7", "K1234")};
        full[0].vendor = "QUANTUM";
        full[0].model = "ULTRIUM-HH8XXXXX";
        CHECK(matchDrive(full, "QUANTUM ULTRIUM-HH8XXXXXK1234").device == &full[0]);
        CHECK(matchDrive(full, "QUANTUM ULTRIUM-HH8XXXXYK1234").device == nullptr);
        CHECK(matchDrive(full, "QUANTUMULTRIUM-HH8XXXXXK1234").device == nullptr);
    }
    SUBCASE("never a piece of a serial number") {
        CHECK(matchDrive(drives, "IBM     ULT3580-TD5     9999999999").device == nullptr);
        CHECK(matchDrive(drives, "IBM     ULT3580-TD5     X1013000654").device == nullptr);
        CHECK(matchDrive(drives, "1013000654 IBM").device == nullptr);
        CHECK(matchDrive(drives, "101300065").device == nullptr);
        CHECK(matchDrive(drives, "013000654").device == nullptr);
    }
    SUBCASE("the old entry point gives the same device") {
        CHECK(matchDriveByIdentifier(drives, "IBM     ULT3580-TD5     1013000654") == &drives[0]);
        CHECK(matchDriveByIdentifier(drives, "9999999999") == nullptr);
    }
}

TEST_CASE("matchDrive: an identifier the library cut short matches nothing") {
    // tgtd 1.0.85 cuts the DVCID identifier of the last drive element.
    std::vector<ScsiDevice> drives = {tape("iscsi://127.0.0.1/iqn.x:vtl/1", "DRV001"),
                                      tape("iscsi://127.0.0.1/iqn.x:vtl/2", "DRV002")};
    for (ScsiDevice &d : drives) {
        d.vendor = "HP";
        d.model = "Ultrium-5-SCSI";
    }
    CHECK(matchDrive(drives, "HP      Ultrium-5-SCSI  DRV001").device == &drives[0]);
    const DriveMatch cut = matchDrive(drives, "HP      Ultrium-5-SCSI  DR");
    CHECK(cut.device == nullptr);
    CHECK(cut.how.empty());
    CHECK(cut.reason ==
          "no serial or designator match for \"HP      Ultrium-5-SCSI  DR\" among 2 tape "
          "device(s)");
    CHECK(matchDrive(drives, "DR").device == nullptr);
    CHECK(matchDrive(drives, "DRV00").device == nullptr);
}

TEST_CASE("matchDrive: binary and text identifiers against VPD 83h designators") {
    const std::string naaA("\x50\x05\x07\x63\x0f\x1a\x2b\x3c", 8);
    const std::string naaB("\x50\x05\x07\x63\x0f\x1a\x2b\x3d", 8);
    std::vector<ScsiDevice> drives = {tape("/dev/sg1", ""), tape("/dev/sg2", "X1"),
                                      tape("/dev/sg3", "")};
    drives[0].designators = {
        designator(code_set::Binary, designator_type::Naa, naaA),
        designator(code_set::Binary, designator_type::Eui64,
                   std::string("\x00\xa0\xb8\xff\xfe\x12\x34\x56", 8)),
        designator(code_set::Binary, designator_type::RelativeTargetPort,
                   std::string("\x00\x00\x00\x01", 4)),
    };
    drives[1].designators = {designator(code_set::Binary, designator_type::Naa, naaB)};
    // tgtd's T10 vendor identification, NUL padded.
    drives[2].designators = {designator(code_set::Ascii, designator_type::T10VendorId,
                                        std::string("IET     00010001\0\0\0\0", 20))};

    SUBCASE("NAA and EUI-64, as the lowercase hex of the element's binary identifier") {
        const DriveMatch naa = matchDrive(drives, "500507630f1a2b3c");
        CHECK(naa.device == &drives[0]);
        CHECK(naa.how == "naa designator");
        CHECK(matchDrive(drives, "500507630F1A2B3C").device == &drives[0]);
        CHECK(matchDrive(drives, "500507630f1a2b3d").device == &drives[1]);
        const DriveMatch eui = matchDrive(drives, "00a0b8fffe123456");
        CHECK(eui.device == &drives[0]);
        CHECK(eui.how == "eui64 designator");
    }
    SUBCASE("a T10 vendor identification designator, exactly") {
        const DriveMatch t10 = matchDrive(drives, "IET     00010001");
        CHECK(t10.device == &drives[2]);
        CHECK(t10.how == "t10 designator");
        CHECK(matchDrive(drives, "IET 00010001").device == nullptr);
    }
    SUBCASE("never a piece of a designator, never a port number") {
        CHECK(matchDrive(drives, "500507630f1a2b").device == nullptr);
        CHECK(matchDrive(drives, "500507630f1a2b3c00").device == nullptr);
        CHECK(matchDrive(drives, "IET     0001").device == nullptr);
        CHECK(matchDrive(drives, "00000001").device == nullptr);
    }
}

TEST_CASE("matchDrive: two devices matching is no match, and the reason names them") {
    const std::string id = "IBM     ULT3580-TD5     1013000654";
    std::vector<ScsiDevice> drives = {tape("/dev/sg1", "1013000654"), tape("/dev/sg3", "")};
    drives[1].designators = {designator(code_set::Ascii, designator_type::T10VendorId, id)};
    const DriveMatch m = matchDrive(drives, id);
    CHECK(m.device == nullptr);
    CHECK(m.reason ==
          "several devices match \"IBM     ULT3580-TD5     1013000654\" (/dev/sg1 by "
          "serial, /dev/sg3 by t10 designator)");

    // One device matching in two ways is one match.
    drives[0].designators = drives[1].designators;
    drives[1].designators.clear();
    const DriveMatch one = matchDrive(drives, id);
    CHECK(one.device == &drives[0]);
    CHECK(one.how == "serial");

    // Two drives reporting the same serial number.
    std::vector<ScsiDevice> twins = {tape("/dev/sg1", "SAME"), tape("/dev/sg2", "SAME")};
    CHECK(matchDrive(twins, "SAME").reason ==
          "several devices match \"SAME\" (/dev/sg1 by serial, /dev/sg2 by serial)");
}

TEST_CASE("matchDrive: a changer sharing the drive's serial is never taken for the drive") {
    std::vector<ScsiDevice> both = {tape("/dev/sg2", "1013000654"), tape("/dev/sg1", "1013000654")};
    both[0].peripheralType = 8;
    both[0].designators = {designator(code_set::Binary, designator_type::Naa, "\x50\x01")};
    CHECK(matchDrive(both, "IBM     ULT3580-TD5     1013000654").device == &both[1]);
    CHECK(matchDrive(both, "5001").device == nullptr);

    const std::vector<ScsiDevice> changerOnly = {both[0]};
    const DriveMatch none = matchDrive(changerOnly, "1013000654");
    CHECK(none.device == nullptr);
    CHECK(none.reason == "no tape device to match \"1013000654\" against");
    CHECK(matchDrive({}, "1013000654").reason == none.reason);
}

TEST_CASE("matchDrive: no identifier, or devices that say nothing of themselves") {
    std::vector<ScsiDevice> drives = {tape("/dev/sg1", "1013000654")};
    CHECK(matchDrive(drives, "").reason == "no identifier from the robot");
    CHECK(matchDrive(drives, "   ").reason == "no identifier from the robot");
    CHECK(matchDrive(drives, std::string("\0\0 ", 3)).reason == "no identifier from the robot");
    CHECK(matchDrive(drives, "").device == nullptr);

    // A serial number of blanks and an empty designator match nothing, not even blanks.
    std::vector<ScsiDevice> unknown = {tape("/dev/sg4", "   "), tape("/dev/sg5", "")};
    unknown[1].designators = {designator(code_set::Ascii, designator_type::T10VendorId, "  ")};
    const DriveMatch m = matchDrive(unknown, "IBM     ULT3580-TD5     ");
    CHECK(m.device == nullptr);
    CHECK(m.reason ==
          "no serial or designator match for \"IBM     ULT3580-TD5\" among 2 tape device(s) (1 "
          "without serial number or designators)");

    // Bytes that are not printable ASCII are shown escaped.
    CHECK(matchDrive(drives, "DRV\xe9\"\\").reason ==
          "no serial or designator match for \"DRV\\xe9\\x22\\x5c\" among 1 tape device(s)");
}

TEST_CASE("discovery: this host's own sysfs is read without error") {
    auto devices = discoverDevices();
    REQUIRE(devices.ok());
    for (const auto &d : *devices) {
        CHECK((d.peripheralType == 1 || d.peripheralType == 8));
        CHECK(d.sgPath.starts_with("/dev/sg"));
    }
}
