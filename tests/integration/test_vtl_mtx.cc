// rsm-mtx (and rsmctl mtx, the same code in rsmctl) against tgtd's virtual library. The
// sessions of tests/mtx/golden/tgtd-sessions.txt were recorded from Debian's mtx 1.3.12 on
// libraries of the same shapes (tests/mtx/golden/record-tgtd): rsm-mtx must print the same
// bytes and exit the same way, command after command. Then what rsm does beyond mtx: a
// 10,000-slot library, EXCHANGE through moves, the lock that serializes two processes, the
// names it answers to.

#include <doctest/doctest.h>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <future>
#include <sstream>

#include <fmt/format.h>

#include "src/mtx/device_lock.h"
#include "tests/integration/vtl_library.h"
#include "tests/support/run.h"

using rsm::test::RunResult;
using rsm::test::VirtualLibrary;

namespace {

struct GoldenCommand {
    std::string words;
    int exit = 0;
    std::string out, err;
};

struct Session {
    std::string name;
    VirtualLibrary::Shape shape;
    std::vector<GoldenCommand> commands;
};

std::vector<std::string> split(const std::string &text, char by) {
    std::vector<std::string> parts;
    std::istringstream in(text);
    for (std::string part; std::getline(in, part, by);)
        if (!part.empty())
            parts.push_back(part);
    return parts;
}

template <typename T>
std::vector<T> numbers(const std::string &text) {
    std::vector<T> out;
    for (const auto &n : split(text, ','))
        out.push_back(static_cast<T>(std::stoul(n)));
    return out;
}

VirtualLibrary::Shape shapeOf(const std::vector<std::string> &fields) {
    VirtualLibrary::Shape shape;
    for (const auto &field : fields) {
        const auto eq = field.find('=');
        const std::string key = field.substr(0, eq), value = field.substr(eq + 1);
        if (key == "slots")
            shape.slots = std::stoi(value);
        else if (key == "drives")
            shape.drives = std::stoi(value);
        else if (key == "ieports")
            shape.ieports = std::stoi(value);
        else if (key == "tapes")
            shape.tapes = std::stoi(value);
        else if (key == "barcodes")
            shape.barcodes = split(value, ',');
        else if (key == "tapeSlots")
            shape.tapeSlots = numbers<std::uint16_t>(value);
        else if (key == "noBarcodeSlots")
            shape.noBarcodeSlots = numbers<std::uint16_t>(value);
        else if (key == "noImage")
            shape.noImage = split(value, ',');
        else
            FAIL("unknown shape field " << key);
    }
    return shape;
}

// Reads "@@ <what> <rest>\n" and returns rest; "" at the end.
bool header(std::istream &in, const std::string &what, std::string &rest) {
    std::string line;
    if (!std::getline(in, line))
        return false;
    REQUIRE(line.rfind("@@ " + what + " ", 0) == 0);
    rest = line.substr(what.size() + 4);
    return true;
}

std::string block(std::istream &in, const std::string &what) {
    std::string size;
    header(in, what, size);
    std::string bytes(std::stoul(size), '\0');
    in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    in.get();  // the newline after the block
    return bytes;
}

std::vector<Session> transcript() {
    std::ifstream in(RSM_SOURCE_DIR "/tests/mtx/golden/tgtd-sessions.txt", std::ios::binary);
    REQUIRE(in);
    std::vector<Session> sessions;
    while (in.peek() != EOF) {
        std::string line;
        std::getline(in, line);
        if (line.rfind("@@ session ", 0) == 0) {
            auto fields = split(line.substr(11), ' ');
            Session s{fields.front(), {}, {}};
            fields.erase(fields.begin());
            s.shape = shapeOf(fields);
            sessions.push_back(std::move(s));
            continue;
        }
        REQUIRE(line.rfind("@@ cmd ", 0) == 0);
        REQUIRE(!sessions.empty());
        GoldenCommand c;
        c.words = line.substr(7);
        std::string exit;
        header(in, "exit", exit);
        c.exit = std::stoi(exit);
        c.out = block(in, "stdout");
        c.err = block(in, "stderr");
        sessions.back().commands.push_back(std::move(c));
    }
    return sessions;
}

VirtualLibrary::Shape shapeOf(int slots, int drives, int ieports, int tapes) {
    VirtualLibrary::Shape shape;
    shape.slots = slots;
    shape.drives = drives;
    shape.ieports = ieports;
    shape.tapes = tapes;
    return shape;
}

std::string replaceAll(std::string text, const std::string &from, const std::string &to) {
    for (std::size_t at = 0; (at = text.find(from, at)) != std::string::npos; at += to.size())
        text.replace(at, from.size(), to);
    return text;
}

// Removes the lock file rsmctl mtx leaves for a device (each test library has a port, and so
// a lock file, of its own).
struct LockFileCleanup {
    explicit LockFileCleanup(const std::string &device)
        : path(rsm::mtx::lockPath(device, std::string(rsm::mtx::kLockDirectory))) {}
    ~LockFileCleanup() { unlink(path.c_str()); }
    std::string path;
};

// rsm-mtx -f DEVICE WORDS...
RunResult runMtx(const std::string &device, const std::vector<std::string> &words,
                 const std::vector<std::string> &env = {}) {
    std::vector<std::string> argv = {rsm::test::rsmMtxPath(), "-f", device};
    argv.insert(argv.end(), words.begin(), words.end());
    return rsm::test::run(argv, env);
}

// rsmctl mtx -f DEVICE WORDS...
RunResult rsmctlMtx(const std::string &device, const std::vector<std::string> &words) {
    std::vector<std::string> argv = {rsm::test::rsmctlPath(), "mtx", "-f", device};
    argv.insert(argv.end(), words.begin(), words.end());
    return rsm::test::run(argv);
}

}  // namespace

TEST_CASE("rsm-mtx prints what mtx 1.3.12 prints, command after command (recorded sessions)") {
    const auto sessions = transcript();
    REQUIRE(sessions.size() == 3);
    for (const Session &session : sessions) {
        CAPTURE(session.name);
        VirtualLibrary vtl(session.shape);
        const std::string url = vtl.changerUrl();
        LockFileCleanup cleanup(url);
        for (const GoldenCommand &c : session.commands) {
            CAPTURE(c.words);
            auto words = split(replaceAll(c.words, "@DEVICE@", url), ' ');
            RunResult r = runMtx(url, words);
            CHECK(r.status == c.exit);
            CHECK(replaceAll(r.out, url, "@DEVICE@") == c.out);
            CHECK(replaceAll(r.err, url, "@DEVICE@") == c.err);
        }
    }
}

TEST_CASE("rsm-mtx and rsmctl mtx status of a 10,000-slot library, byte for byte") {
    VirtualLibrary::Shape shape;
    shape.slots = 10000;
    shape.drives = 4;
    shape.ieports = 8;
    shape.ieStart = 20;
    for (int i = 0; i < 40; ++i) {
        shape.barcodes.push_back(fmt::format("K{:05}L6", i));
        shape.tapeSlots.push_back(static_cast<std::uint16_t>(1000 + i * 250));
    }
    VirtualLibrary vtl(shape);
    const std::string url = vtl.changerUrl();
    LockFileCleanup cleanup(url);
    REQUIRE(runMtx(url, {"load", "10001", "3"}).status == 1);  // slot 10,001 is an (empty) I/E slot
    RunResult load = runMtx(url, {"load", "9001", "3"});       // slot 9,001 holds K00036L6
    INFO("stderr: " << load.err);
    REQUIRE(load.status == 0);
    RunResult r = runMtx(url, {"status"});
    REQUIRE(r.status == 0);

    const std::string pad = std::string(24, ' '), empty = ":VolumeTag=" + std::string(32, ' ');
    std::string expected =
        "  Storage Changer " + url + ":4 Drives, 10008 Slots ( 8 Import/Export )\n";
    for (int d = 0; d < 3; ++d)
        expected += fmt::format("Data Transfer Element {}:Empty\n", d);
    expected += "Data Transfer Element 3:Full (Storage Element 9001 Loaded):VolumeTag = K00036L6" +
                pad + "\n";
    for (int s = 1; s <= 10008; ++s) {
        const bool tape = s <= 10000 && (s - 1) % 250 == 0 && s != 9001;
        expected += fmt::format("      Storage Element {}{}:{}", s,
                                s > 10000 ? " IMPORT/EXPORT" : "", tape ? "Full " : "Empty");
        expected += tape ? fmt::format(":VolumeTag=K{:05}L6", (s - 1) / 250) + pad : empty;
        expected += '\n';
    }
    CHECK(r.out.size() == expected.size());
    CHECK(r.out == expected);
    CHECK(r.err.empty());
    RunResult viaRsmctl = rsmctlMtx(url, {"status"});
    CHECK(viaRsmctl.status == 0);
    CHECK(viaRsmctl.out == expected);
}

TEST_CASE("rsm-mtx exchange: done with moves on a library without EXCHANGE MEDIUM") {
    VirtualLibrary vtl(shapeOf(4, 1, 0, 3));
    const std::string url = vtl.changerUrl();
    LockFileCleanup cleanup(url);
    RunResult r = runMtx(url, {"exchange", "1", "3", "status"});
    INFO("stderr: " << r.err);
    REQUIRE(r.status == 0);
    CHECK(r.out.find("Storage Element 1:Full :VolumeTag=SMC003L5") != std::string::npos);
    CHECK(r.out.find("Storage Element 3:Full :VolumeTag=SMC001L5") != std::string::npos);
    CHECK(r.out.find("Storage Element 4:Empty") != std::string::npos);
}

TEST_CASE("rsm-mtx and rsmctl mtx: two processes on one robot take turns (the device lock)") {
    VirtualLibrary vtl(shapeOf(4, 1, 0, 2));
    const std::string url = vtl.changerUrl();
    LockFileCleanup cleanup(url);
    // Hold the lock rsm-mtx takes for this device, as another rsm-mtx would.
    const std::string path = rsm::mtx::lockPath(url, std::string(rsm::mtx::kLockDirectory));
    rsm::mtx::DeviceLock::acquire(url).value();  // makes the directory and the file
    const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
    REQUIRE(fd >= 0);
    REQUIRE(flock(fd, LOCK_EX) == 0);

    auto waiting = std::async(std::launch::async, [&] { return runMtx(url, {"load", "1"}); });
    CHECK(waiting.wait_for(std::chrono::milliseconds(1500)) == std::future_status::timeout);
    // Another device is not held up.
    VirtualLibrary other(shapeOf(2, 1, 0, 1));
    LockFileCleanup otherCleanup(other.changerUrl());
    CHECK(runMtx(other.changerUrl(), {"status"}).status == 0);
    // With a limit, a waiter gives up with ERROR_BUSY and names the holder: this process.
    RunResult impatient = runMtx(url, {"status"}, {"RSM_MTX_LOCK_TIMEOUT=0.5"});
    CHECK(impatient.status == 1);
    CHECK(impatient.out == "");
    INFO(impatient.err);
    CHECK(impatient.err.find("- ERROR_BUSY (170): " + url + " is in use: pid " +
                             std::to_string(getpid()) + " (vtl-tests, user root) holds its lock " +
                             path) != std::string::npos);

    flock(fd, LOCK_UN);
    close(fd);
    RunResult r = waiting.get();
    CHECK(r.status == 0);
    CHECK(r.out == "Loading media from Storage Element 1 into drive 0...done\n");
    CHECK(r.elapsed >= std::chrono::milliseconds(1500));

    // Two at once, rsm-mtx and rsmctl mtx: both succeed, one after the other, and the robot
    // ends up consistent.
    auto a = std::async(std::launch::async, [&] { return runMtx(url, {"unload", "load", "2"}); });
    auto b = std::async(std::launch::async, [&] { return rsmctlMtx(url, {"status"}); });
    RunResult ra = a.get(), rb = b.get();
    CHECK(ra.status == 0);
    CHECK(rb.status == 0);
    RunResult after = runMtx(url, {"status"});
    CHECK(after.out.find("Data Transfer Element 0:Full (Storage Element 2 Loaded)") !=
          std::string::npos);
}

TEST_CASE("rsm-mtx and rsmctl mtx: run as rsm-mtx or mtx, with $CHANGER, devices it cannot open") {
    VirtualLibrary vtl(shapeOf(2, 1, 0, 1));
    const std::string url = vtl.changerUrl();
    LockFileCleanup cleanup(url);
    char pattern[] = "/tmp/rsm-mtx-names.XXXXXX";
    REQUIRE(mkdtemp(pattern) != nullptr);
    const std::string dir = pattern;
    const std::string expected = runMtx(url, {"status"}).out;
    REQUIRE(!expected.empty());
    CHECK(rsmctlMtx(url, {"status"}).out == expected);
    // rsmctl under the names rsm-mtx and mtx is mtx; so is rsm-mtx under any name.
    for (const auto &[name, program] :
         {std::pair{"rsm-mtx", rsm::test::rsmctlPath()}, std::pair{"mtx", rsm::test::rsmctlPath()},
          std::pair{"mtx-rsm", rsm::test::rsmMtxPath()}}) {
        CAPTURE(name);
        const std::string link = dir + "/" + name;
        REQUIRE(symlink(program.c_str(), link.c_str()) == 0);
        RunResult r = rsm::test::run({link, "-f", url, "status"});
        CHECK(r.status == 0);
        CHECK(r.out == expected);
        RunResult env = rsm::test::run({link, "status"}, {"CHANGER=" + url});
        CHECK(env.out == expected);
    }
    std::filesystem::remove_all(dir);

    RunResult missing = runMtx("/nonexistent/sg9", {"status"});
    CHECK(missing.status == 1);
    CHECK(missing.err ==
          "cannot open SCSI device '/nonexistent/sg9' - No such file or directory\n");
    RunResult notSg = runMtx("/etc/passwd", {"status"});
    CHECK(notSg.status == 1);
    CHECK(notSg.err == "/etc/passwd is not an sg device, or old sg driver\n");
    RunResult version = rsm::test::run({rsm::test::rsmMtxPath(), "--version"});
    CHECK(version.status == 1);
    CHECK(version.err.rfind("mtx version 1.3.12\n\nUsage:\n", 0) == 0);
    RunResult rsmctlVersion = rsm::test::run({rsm::test::rsmctlPath(), "mtx", "--version"});
    CHECK(rsmctlVersion.status == 1);
    CHECK(rsmctlVersion.err == version.err);
}
