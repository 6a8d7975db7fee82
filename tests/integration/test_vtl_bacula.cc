// Bacula's changer script on rsm-mtx: Debian's own /etc/bacula/scripts/mtx-changer (package
// bacula-sd 9.6.7, unchanged, with its unchanged mtx-changer.conf) drives tgtd's virtual
// library through the rsm-mtx built here, and every answer it gives Bacula — list, listall,
// slots, loaded, load, unload, transfer, and their exit statuses — is compared with what the
// mtx-changer contract says it answers (list: slot:barcode of each full storage slot and
// loaded drive; listall: D:/S:/I: lines; slots: the slot count; loaded: the drive's source
// slot or 0), computed from the library's contents, which the test keeps itself (Contents
// below) from the shape it asked vtl-start for and the moves it made.
//
// How the script is run, and why that way (tests/vtl/bacula-sd-env):
//   - scripts/install-deps downloads bacula-sd with `apt-get download` and unpacks it with
//     `dpkg-deb -x` into /var/cache/rsm/bacula-sd/root; nothing is installed (bacula-sd would
//     bring a catalog database and services).
//   - The script reads /etc/bacula/scripts/mtx-changer.conf, writes its temporary files in
//     /var/lib/bacula, and sets MTX=/usr/sbin/mtx itself *after* reading the conf: in
//     Debian's Bacula (unlike Bareos's script, which keeps `MTX=${MTX:-…}`) a conf's MTX= is
//     ignored. So each call runs in a private mount namespace where /etc/bacula is the
//     package's directory (read-only), /var/lib/bacula is empty and /usr/sbin/mtx is a link
//     to a link to the built rsm-mtx — what `dpkg-divert --rename /usr/sbin/mtx` and a link
//     to rsm-mtx do on a real machine. The machine's own files are not touched.
//   - After a load the script polls `mt -f <archive-device> status` until it prints ONLINE
//     (300 times, a second apart). tgtd's drives are iSCSI LUNs with no /dev/nst node, so the
//     archive device given to the script is the drive's iSCSI URL and, in the namespace,
//     `mt -f iscsi://… status` runs tests/tape-status: one TEST UNIT READY on that drive,
//     printing ONLINE when a tape is loaded and ready (mt-st's word), DR_OPEN when it is empty.
//     Any other mt command line goes to mt-st; the conf's `mt --version` check sees mt-st.
//   - `sleep` returns at once and logs its argument (bacula-sd-env --sleep-log): a failed load
//     makes the script poll an empty drive 301 times and, when mtx's error mentions
//     "Error Code=", retry the load 5 times, sleeping in between; the log shows both, and the
//     test takes seconds instead of minutes.

#include <doctest/doctest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>

#include <fmt/format.h>

#include "src/mtx/device_lock.h"
#include "tests/integration/vtl_library.h"
#include "tests/support/run.h"

using rsm::test::RunResult;
using rsm::test::VirtualLibrary;

namespace {

const std::string kBaculaRoot = "/var/cache/rsm/bacula-sd/root";
const std::string kEnv = RSM_SOURCE_DIR "/tests/vtl/bacula-sd-env";
const std::string kTapeStatus = RSM_BUILD_DIR "/tests/tape-status";

std::string readFile(const std::string &path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

// What the library holds, numbered as mtx numbers it: slots 1..storage are the storage slots
// in address order, then come the import/export slots. A cartridge is its barcode, "" when it
// has no label.
struct Contents {
    struct Drive {
        std::optional<std::string> tape;
        int from = 0;  // the slot it was loaded from (the library reports that slot's address)
    };
    int storage = 0;
    std::vector<std::optional<std::string>> slots;  // [ordinal - 1]
    std::vector<Drive> drives;

    // The shape's cartridges where vtl-start put them.
    explicit Contents(const VirtualLibrary &vtl) {
        const auto &shape = vtl.shape();
        storage = shape.slots;
        slots.resize(static_cast<std::size_t>(shape.slots + shape.ieports));
        drives.resize(static_cast<std::size_t>(shape.drives));
        for (std::size_t i = 0; i < vtl.barcodes().size(); ++i)
            at(vtl.tapeSlots()[i] - shape.slotStart + 1) = vtl.barcodes()[i];
        for (std::uint16_t address : shape.noBarcodeSlots)
            at(address - shape.slotStart + 1) = "";
    }

    std::optional<std::string> &at(int slot) {
        return slots.at(static_cast<std::size_t>(slot - 1));
    }
    const std::optional<std::string> &at(int slot) const {
        return slots.at(static_cast<std::size_t>(slot - 1));
    }
    Drive &drive(int d) { return drives.at(static_cast<std::size_t>(d)); }

    void load(int slot, int d) {
        REQUIRE(at(slot).has_value());
        REQUIRE(!drive(d).tape.has_value());
        drive(d) = {at(slot), slot};
        at(slot).reset();
    }
    void unload(int d, int slot) {
        REQUIRE(drive(d).tape.has_value());
        REQUIRE(!at(slot).has_value());
        at(slot) = drive(d).tape;
        drive(d) = {};
    }
    void transfer(int from, int to) {
        REQUIRE(at(from).has_value());
        REQUIRE(!at(to).has_value());
        at(to) = at(from);
        at(from).reset();
    }

    // The slot each drive's status line names ("Full (Storage Element N Loaded)"), 0 for an
    // empty drive: the slot it came from when that slot is empty; otherwise the next empty
    // storage slot no other drive names (where `unload` puts it).
    std::vector<int> named() const {
        std::vector<int> out(drives.size(), 0);
        std::vector<bool> taken(slots.size(), false);
        for (std::size_t d = 0; d < drives.size(); ++d)
            if (drives[d].tape && !at(drives[d].from)) {
                out[d] = drives[d].from;
                taken[static_cast<std::size_t>(drives[d].from - 1)] = true;
            }
        int next = 1;
        for (std::size_t d = 0; d < drives.size(); ++d) {
            if (!drives[d].tape || out[d] != 0)
                continue;
            while (next <= storage && (at(next) || taken[static_cast<std::size_t>(next - 1)]))
                ++next;
            REQUIRE_MESSAGE(next <= storage, "the tests keep an empty storage slot for each drive");
            out[d] = next++;
        }
        return out;
    }

    int total() const { return static_cast<int>(slots.size()); }
};

// A volume tag field as tgtd sends it: the barcode padded with blanks to 32 bytes. mtx prints
// it so, and the script's perl (listall) keeps the blanks; its awk (list) drops them.
std::string tagField(const std::string &barcode) {
    return barcode + std::string(32 - barcode.size(), ' ');
}

// The contract: `list` is slot:barcode for each full storage slot, then slot:barcode for each
// loaded drive (the slot its line names).
std::string expectedList(const Contents &c) {
    std::string out;
    for (int s = 1; s <= c.storage; ++s)
        if (c.at(s))
            out += fmt::format("{}:{}\n", s, *c.at(s));
    const auto named = c.named();
    for (std::size_t d = 0; d < c.drives.size(); ++d)
        if (c.drives[d].tape)
            out += fmt::format("{}:{}\n", named[d], *c.drives[d].tape);
    return out;
}

// `listall`: D:drive:E / D:drive:F:slot:volume, S:slot:E / S:slot:F:volume, then the I/E slots
// as I:slot:….
std::string expectedListall(const Contents &c) {
    std::string out;
    const auto named = c.named();
    for (std::size_t d = 0; d < c.drives.size(); ++d)
        out += c.drives[d].tape
                   ? fmt::format("D:{}:F:{}:{}\n", d, named[d], tagField(*c.drives[d].tape))
                   : fmt::format("D:{}:E\n", d);
    for (int s = 1; s <= c.total(); ++s) {
        const char kind = s <= c.storage ? 'S' : 'I';
        out += c.at(s) ? fmt::format("{}:{}:F:{}\n", kind, s, tagField(*c.at(s)))
                       : fmt::format("{}:{}:E\n", kind, s);
    }
    return out;
}

// `loaded` for drive d: the slot its line names, 0 when it is empty.
std::string expectedLoaded(const Contents &c, int d) {
    return fmt::format("{}\n", c.named()[static_cast<std::size_t>(d)]);
}

// Runs Debian's mtx-changer in bacula-sd-env, as the storage daemon does:
// `mtx-changer <changer-device> <command> <slot> <archive-device> <drive-index>`, the archive
// device of a drive being its iSCSI URL.
class MtxChanger {
public:
    explicit MtxChanger(const VirtualLibrary &vtl, std::string changer = {})
        : vtl_(vtl), changer_(changer.empty() ? vtl.changerUrl() : std::move(changer)) {
        char pattern[] = "/tmp/rsm-bacula.XXXXXX";
        REQUIRE(mkdtemp(pattern) != nullptr);
        dir_ = pattern;
        mtx_ = dir_ + "/rsm-mtx";
        REQUIRE(symlink(rsm::test::rsmMtxPath().c_str(), mtx_.c_str()) == 0);
    }
    ~MtxChanger() {
        std::error_code ignored;
        std::filesystem::remove_all(dir_, ignored);
        unlink(rsm::mtx::lockPath(changer_, std::string(rsm::mtx::kLockDirectory)).c_str());
    }
    MtxChanger(const MtxChanger &) = delete;
    MtxChanger &operator=(const MtxChanger &) = delete;

    RunResult operator()(const std::string &command, int slot = 0, int drive = 0) {
        return script(command, std::to_string(slot), archiveDevice(drive), std::to_string(drive));
    }
    // Bacula's transfer: the destination slot in the archive device's place.
    RunResult transfer(int from, int to) {
        return script("transfer", std::to_string(from), std::to_string(to), "0");
    }
    // The arguments of `sleep` since the last call, one per call.
    std::vector<std::string> sleeps() {
        std::vector<std::string> out;
        std::istringstream in(readFile(log()));
        for (std::string line; std::getline(in, line);)
            out.push_back(line);
        unlink(log().c_str());
        return out;
    }

private:
    std::string log() const { return dir_ + "/sleep.log"; }
    std::string archiveDevice(int drive) const {
        const auto &urls = vtl_.driveUrls();
        return drive >= 0 && static_cast<std::size_t>(drive) < urls.size()
                   ? urls[static_cast<std::size_t>(drive)]
                   : "/dev/nst" + std::to_string(drive);
    }
    RunResult script(const std::string &command, const std::string &slot, const std::string &device,
                     const std::string &drive) {
        RunResult r = rsm::test::run({kEnv, "--mtx", mtx_, "--mt-status", kTapeStatus,
                                      "--sleep-log", log(), "--", "/etc/bacula/scripts/mtx-changer",
                                      changer_, command, slot, device, drive});
        REQUIRE_MESSAGE(r.status != 125, "bacula-sd-env: " << r.err);
        return r;
    }

    const VirtualLibrary &vtl_;
    std::string changer_;
    std::string dir_;
    std::string mtx_;
};

// The queries, each checked against the contents.
void checkQueries(MtxChanger &changer, const Contents &c) {
    RunResult list = changer("list");
    CHECK(list.status == 0);
    CHECK(list.out == expectedList(c));
    CHECK(list.err.empty());
    RunResult listall = changer("listall");
    CHECK(listall.status == 0);
    CHECK(listall.out == expectedListall(c));
    CHECK(listall.err.empty());
    RunResult slots = changer("slots");
    CHECK(slots.status == 0);
    CHECK(slots.out == fmt::format("{}\n", c.total()));
    for (int d = 0; d < static_cast<int>(c.drives.size()); ++d) {
        CAPTURE(d);
        RunResult loaded = changer("loaded", 0, d);
        CHECK(loaded.status == 0);
        CHECK(loaded.out == expectedLoaded(c, d));
        CHECK(loaded.err.empty());
    }
}

std::vector<std::string> repeated(const std::string &what, std::size_t times) {
    return std::vector<std::string>(times, what);
}

// The script's waits after a failed load, when the drive stays empty: 301 polls of
// `mt status`, a second apart.
const std::vector<std::string> kDriveNeverReady = repeated("1", 301);

void moveDirectly(const VirtualLibrary &vtl, int from, int to) {
    RunResult r = rsm::test::run({rsm::test::rsmctlPath(), "changer", "--device", vtl.changerUrl(),
                                  "move", std::to_string(from), std::to_string(to)});
    INFO("stderr: " << r.err);
    REQUIRE(r.status == 0);
}

}  // namespace

TEST_CASE("Debian's mtx-changer is what the Bacula tests run, and it names mtx after its conf") {
    const std::string script = readFile(kBaculaRoot + "/etc/bacula/scripts/mtx-changer");
    REQUIRE_MESSAGE(
        !script.empty(),
        "no " << kBaculaRoot << "/etc/bacula/scripts/mtx-changer: run scripts/install-deps");
    REQUIRE(std::filesystem::exists(kBaculaRoot + "/etc/bacula/scripts/mtx-changer.conf"));
    // bacula-sd-env's /usr/sbin/mtx link rests on these two lines, in this order.
    const auto conf = script.find("\n. /etc/bacula/scripts/mtx-changer.conf\n");
    const auto mtx = script.find("\nMTX=/usr/sbin/mtx\n");
    REQUIRE(conf != std::string::npos);
    REQUIRE(mtx != std::string::npos);
    CHECK(conf < mtx);
    CHECK(script.find("MTX=", mtx + 2) == std::string::npos);
    // mt status is polled for ONLINE on Linux with mt-st.
    CHECK(readFile(kBaculaRoot + "/etc/bacula/scripts/mtx-changer.conf").find("ready=\"ONLINE\"") !=
          std::string::npos);
}

TEST_CASE(
    "Bacula's mtx-changer on rsm-mtx: I/E ports, a loaded drive, a cartridge without a label") {
    VirtualLibrary::Shape shape;
    shape.slots = 10;
    shape.drives = 2;
    shape.ieports = 3;
    shape.ieStart = 10;
    shape.barcodes = {"A00001L5", "A00002L5", "A00003L5", "A00004L5", "CLN001L1"};
    shape.tapeSlots = {1000, 1001, 1003, 1006, 1009};
    shape.noBarcodeSlots = {1004};
    VirtualLibrary vtl(shape);
    Contents c(vtl);
    // Storage slots 1 A00001L5, 2 A00002L5, 3 -, 4 A00003L5, 5 (no label), 6 -, 7 A00004L5,
    // 8 -, 9 -, 10 CLN001L1; I/E slots 11, 12, 13.
    REQUIRE(c.at(5) == std::optional<std::string>(""));
    // Before Bacula looks: a tape in drive 1 and the cleaner in the first I/E port, moved with
    // rsmctl changer (element addresses), not through mtx.
    moveDirectly(vtl, vtl.slot(1), vtl.drive(1));
    c.load(2, 1);
    moveDirectly(vtl, vtl.slot(9), vtl.ieport(0));
    c.transfer(10, 11);
    MtxChanger changer(vtl);

    SUBCASE("the queries") {
        checkQueries(changer, c);
    }

    SUBCASE("load, unload and transfer, then the queries again") {
        RunResult load = changer("load", 1, 0);
        CHECK(load.status == 0);
        CHECK(load.out == "Loading media from Storage Element 1 into drive 0...done\n");
        CHECK(load.err.empty());
        // Drive 0 was ONLINE at the first `mt status`.
        CHECK(changer.sleeps().empty());
        c.load(1, 0);
        checkQueries(changer, c);

        // Into a full drive: mtx's refusal, exit 1; the drive is ONLINE (its own tape).
        RunResult full = changer("load", 4, 0);
        CHECK(full.status == 1);
        CHECK(full.out == "Drive 0 Full (Storage Element 1 loaded)\n");
        CHECK(changer.sleeps().empty());

        RunResult unload = changer("unload", 1, 0);
        CHECK(unload.status == 0);
        CHECK(unload.out == "Unloading drive 0 into Storage Element 1...done\n");
        CHECK(unload.err.empty());
        c.unload(0, 1);

        // From an empty slot: the library refuses (05/3B/0E), exit 1; no retry, since the
        // message has no "Error Code="; then the script waits for the drive in vain.
        RunResult empty = changer("load", 3, 0);
        CHECK(empty.status == 1);
        CHECK(empty.out == fmt::format("Loading media from Storage Element 3 into drive 0..."
                                       "Source Element Address {} is Empty\n",
                                       vtl.slot(2)));
        CHECK(changer.sleeps() == kDriveNeverReady);

        // The cartridge without a label has no tape image in tgtd: the load fails with a
        // hardware error (04/15/01), whose sense dump has "Error Code=", so the script tries
        // five times, sleeping 1 to 5 s, then waits for the drive in vain.
        RunResult unlabelled = changer("load", 5, 0);
        CHECK(unlabelled.status == 1);
        std::string attempts;
        for (int i = 0; i < 5; ++i)
            attempts += "Loading media from Storage Element 5 into drive 0...";
        CHECK(unlabelled.out.rfind(attempts + "mtx: Request Sense: Long Report=yes\n", 0) == 0);
        CHECK(unlabelled.out.find("mtx: Request Sense: Error Code=70 (Current)\n") !=
              std::string::npos);
        CHECK(unlabelled.out.find("mtx: Request Sense: Additional Sense Code = 15\n") !=
              std::string::npos);
        const std::string failed = fmt::format("MOVE MEDIUM from Element Address {} to {} Failed\n",
                                               vtl.slot(4), vtl.drive(0));
        CHECK(unlabelled.out.size() > failed.size());
        CHECK(unlabelled.out.substr(unlabelled.out.size() - failed.size()) == failed);
        std::vector<std::string> waits = {"1", "2", "3", "4", "5"};
        waits.insert(waits.end(), kDriveNeverReady.begin(), kDriveNeverReady.end());
        CHECK(changer.sleeps() == waits);

        // Slot to slot, I/E slots included: silent on success.
        RunResult in = changer.transfer(11, 3);
        CHECK(in.status == 0);
        CHECK(in.out.empty());
        CHECK(in.err.empty());
        c.transfer(11, 3);
        RunResult out = changer.transfer(7, 12);
        CHECK(out.status == 0);
        c.transfer(7, 12);
        RunResult onto = changer.transfer(4, 1);
        CHECK(onto.status == 1);
        CHECK(onto.out.empty());
        CHECK(onto.err ==
              fmt::format("Destination Element Address {} is Already Full\n", vtl.slot(0)));
        RunResult from = changer.transfer(6, 8);
        CHECK(from.status == 1);
        CHECK(from.err == fmt::format("Source Element Address {} is Empty\n", vtl.slot(5)));
        checkQueries(changer, c);

        // Drive 1's tape came from slot 2; fill slot 2 while it is away. Its line now names the
        // first empty storage slot, which is what `loaded` answers and where Bacula's unload
        // (to the slot `loaded` said) puts it.
        RunResult refill = changer.transfer(4, 2);
        CHECK(refill.status == 0);
        c.transfer(4, 2);
        checkQueries(changer, c);
        const int home = c.named()[1];
        CHECK(home == 4);
        RunResult back = changer("unload", home, 1);
        CHECK(back.status == 0);
        CHECK(back.out == fmt::format("Unloading drive 1 into Storage Element {}...done\n", home));
        c.unload(1, home);
        // Unloading an empty drive: mtx's refusal, exit 1.
        RunResult none = changer("unload", 6, 1);
        CHECK(none.status == 1);
        CHECK(none.out == "Data Transfer Element 1 is Empty\n");
        checkQueries(changer, c);
    }
}

TEST_CASE(
    "Bacula's mtx-changer on rsm-mtx: one drive, no I/E port, every slot full, other addresses") {
    VirtualLibrary::Shape shape;
    shape.slots = 4;
    shape.slotStart = 4000;
    shape.drives = 1;
    shape.driveStart = 30;
    shape.ieports = 0;
    shape.tapes = 4;
    VirtualLibrary vtl(shape);
    Contents c(vtl);
    MtxChanger changer(vtl);
    checkQueries(changer, c);

    RunResult load = changer("load", 4, 0);
    CHECK(load.status == 0);
    CHECK(load.out == "Loading media from Storage Element 4 into drive 0...done\n");
    CHECK(changer.sleeps().empty());
    c.load(4, 0);
    checkQueries(changer, c);
    RunResult onto = changer.transfer(1, 2);
    CHECK(onto.status == 1);
    CHECK(onto.err == fmt::format("Destination Element Address {} is Already Full\n", vtl.slot(1)));
    RunResult unload = changer("unload", 4, 0);
    CHECK(unload.status == 0);
    CHECK(unload.out == "Unloading drive 0 into Storage Element 4...done\n");
    c.unload(0, 4);
    checkQueries(changer, c);
}

TEST_CASE("Bacula's mtx-changer on rsm-mtx: a changer that does not answer fails the queries") {
    // A library that is gone: nothing listens on its port.
    VirtualLibrary::Shape shape;
    shape.slots = 2;
    shape.drives = 1;
    shape.ieports = 0;
    shape.tapes = 1;
    VirtualLibrary vtl(shape);
    const std::string gone =
        fmt::format("iscsi://127.0.0.1:{}/{}/2", VirtualLibrary::freePort(), vtl.shape().iqn);
    MtxChanger changer(vtl, gone);
    for (const std::string command : {"list", "listall", "loaded"}) {
        CAPTURE(command);
        RunResult r = changer(command);
        CHECK(r.status == 1);
        CHECK(r.out.empty());
        CHECK(!r.err.empty());
    }
}
