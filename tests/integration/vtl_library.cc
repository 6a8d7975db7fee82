#include "tests/integration/vtl_library.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace rsm::test {

namespace {

const std::string kScripts = RSM_SOURCE_DIR "/tests/vtl/";

std::string readFile(const std::string &path) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

// Runs argv[0] with stdout and stderr into files; returns the exit status (-1: no status).
int run(const std::vector<std::string> &argv, const std::string &out, const std::string &err) {
    const pid_t child = fork();
    if (child < 0)
        throw std::runtime_error(std::string("fork: ") + std::strerror(errno));
    if (child == 0) {
        const int in = open("/dev/null", O_RDONLY);
        const int o = open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        const int e = open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (in < 0 || o < 0 || e < 0)
            _exit(126);
        dup2(in, 0);
        dup2(o, 1);
        dup2(e, 2);
        // Nothing of ours (iSCSI sockets of other transports) may live on in tgtd.
        closefrom(3);
        std::vector<char *> args;
        for (const auto &a : argv)
            args.push_back(const_cast<char *>(a.c_str()));
        args.push_back(nullptr);
        execv(args[0], args.data());
        _exit(127);
    }
    int status = 0;
    while (waitpid(child, &status, 0) < 0)
        if (errno != EINTR)
            return -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

template <typename T>
std::string joined(const std::vector<T> &items) {
    std::string text;
    for (const auto &item : items) {
        if (!text.empty())
            text += ',';
        std::ostringstream one;
        one << item;
        text += one.str();
    }
    return text;
}

std::vector<std::string> words(const std::string &text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string w; in >> w;)
        out.push_back(w);
    return out;
}

// Live (not a zombie) process?
bool alive(pid_t pid) {
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string line;
    if (!std::getline(stat, line))
        return false;
    const auto close = line.rfind(')');
    if (close == std::string::npos || close + 2 >= line.size())
        return false;
    const char state = line[close + 2];
    return state != 'Z' && state != 'X';
}

bool portFree(int port) {
    const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return false;
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(static_cast<std::uint16_t>(port));
    const bool ok = bind(fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr) == 0;
    ::close(fd);
    return ok;
}

}  // namespace

int VirtualLibrary::freePort() {
    // Ask the OS (bind to port 0); prefer what it gives in 20000..40000.
    for (int attempt = 0; attempt < 100; ++attempt) {
        const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0)
            throw std::runtime_error(std::string("socket: ") + std::strerror(errno));
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        addr.sin_port = 0;
        socklen_t len = sizeof addr;
        int port = 0;
        if (bind(fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr) == 0 &&
            getsockname(fd, reinterpret_cast<sockaddr *>(&addr), &len) == 0)
            port = ntohs(addr.sin_port);
        ::close(fd);
        if (port >= 20000 && port <= 40000)
            return port;
    }
    // The OS keeps to another range: try ports of 20000..40000 until one binds.
    std::mt19937 random(std::random_device{}());
    std::uniform_int_distribution<int> pick(20000, 40000);
    for (int attempt = 0; attempt < 200; ++attempt) {
        const int port = pick(random);
        if (portFree(port))
            return port;
    }
    throw std::runtime_error("no free TCP port on 127.0.0.1 in 20000..40000");
}

VirtualLibrary::VirtualLibrary(Shape shape) : shape_(std::move(shape)) {
    char pattern[] = "/tmp/rsm-vtl.XXXXXX";
    if (mkdtemp(pattern) == nullptr)
        throw std::runtime_error(std::string("mkdtemp: ") + std::strerror(errno));
    dir_ = pattern;
    try {
        start();
    } catch (...) {
        stop();
        throw;
    }
}

VirtualLibrary::~VirtualLibrary() {
    stop();
}

void VirtualLibrary::start(int fixedPort) {
    std::string lastError;
    // The port can be taken between freePort() and tgtd's bind(): then try another one.
    for (int attempt = 0; attempt < 3; ++attempt) {
        port_ = fixedPort != 0 ? fixedPort : freePort();
        std::vector<std::string> argv = {kScripts + "vtl-start",
                                         "--dir",
                                         dir_,
                                         "--port",
                                         std::to_string(port_),
                                         "--slots",
                                         std::to_string(shape_.slots),
                                         "--slot-start",
                                         std::to_string(shape_.slotStart),
                                         "--drives",
                                         std::to_string(shape_.drives),
                                         "--drive-start",
                                         std::to_string(shape_.driveStart),
                                         "--ieports",
                                         std::to_string(shape_.ieports),
                                         "--ie-start",
                                         std::to_string(shape_.ieStart),
                                         "--transport-start",
                                         std::to_string(shape_.transportStart),
                                         "--iqn",
                                         shape_.iqn};
        if (!shape_.barcodes.empty()) {
            argv.insert(argv.end(), {"--barcodes", joined(shape_.barcodes)});
        } else {
            argv.insert(argv.end(), {"--tapes", std::to_string(shape_.tapes)});
        }
        if (!shape_.tapeSlots.empty())
            argv.insert(argv.end(), {"--tape-slots", joined(shape_.tapeSlots)});
        if (!shape_.noBarcodeSlots.empty())
            argv.insert(argv.end(), {"--no-barcode-slots", joined(shape_.noBarcodeSlots)});
        if (!shape_.noImage.empty())
            argv.insert(argv.end(), {"--no-image", joined(shape_.noImage)});
        if (!shape_.unmappedDrives.empty())
            argv.insert(argv.end(), {"--unmapped-drives", joined(shape_.unmappedDrives)});

        const auto began = std::chrono::steady_clock::now();
        const int status = run(argv, dir_ + "/vtl-start.out", dir_ + "/vtl-start.err");
        startTime_ = std::chrono::duration_cast<std::chrono::milliseconds>(
            std::chrono::steady_clock::now() - began);
        if (status == 0)
            break;
        lastError = readFile(dir_ + "/vtl-start.err");
        if (lastError.find("cannot listen") == std::string::npos &&
            lastError.find("not listening") == std::string::npos)
            throw std::runtime_error("vtl-start failed (exit " + std::to_string(status) +
                                     "): " + lastError);
        if (attempt == 2 || fixedPort != 0)
            throw std::runtime_error("vtl-start found no free port: " + lastError);
    }

    std::istringstream env(readFile(dir_ + "/vtl.env"));
    for (std::string line; std::getline(env, line);) {
        const auto eq = line.find('=');
        if (eq == std::string::npos)
            continue;
        std::string value = line.substr(eq + 1);
        if (value.size() >= 2 && value.front() == '\'' && value.back() == '\'')
            value = value.substr(1, value.size() - 2);
        env_[line.substr(0, eq)] = value;
    }
    for (const char *key : {"TGTD_PID", "CHANGER_URL", "DRIVE_URLS", "PORT"})
        if (env_.find(key) == env_.end())
            throw std::runtime_error(std::string("vtl-start wrote no ") + key + " to " + dir_ +
                                     "/vtl.env");
    pid_ = static_cast<pid_t>(std::stol(env_["TGTD_PID"]));
    tapeSlots_.clear();
    changerUrl_ = env_["CHANGER_URL"];
    driveUrls_ = words(env_["DRIVE_URLS"]);
    barcodes_ = words(env_["BARCODES"]);
    for (const auto &w : words(env_["TAPE_SLOTS"]))
        tapeSlots_.push_back(static_cast<std::uint16_t>(std::stoul(w)));
}

void VirtualLibrary::kill() {
    thaw();
    if (run({kScripts + "vtl-kill", "--dir", dir_}, "/dev/null", dir_ + "/vtl-kill.err") != 0)
        throw std::runtime_error("vtl-kill failed: " + readFile(dir_ + "/vtl-kill.err"));
    for (int i = 0; i < 500 && alive(pid_); ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    if (alive(pid_))
        throw std::runtime_error("tgtd " + std::to_string(pid_) + " outlived SIGKILL");
}

void VirtualLibrary::restart() {
    if (pid_ > 0 && alive(pid_))
        kill();
    // The port was tgtd's a moment ago: wait until the kernel lets it go (no TIME_WAIT holds a
    // listening port, but the dead process's socket may take a moment to close).
    std::string lastError;
    for (int attempt = 0; attempt < 50; ++attempt) {
        try {
            start(port_);
            return;
        } catch (const std::runtime_error &e) {
            lastError = e.what();
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
    }
    throw std::runtime_error("tgtd did not start again on port " + std::to_string(port_) + ": " +
                             lastError);
}

void VirtualLibrary::freeze() {
    if (pid_ > 0 && alive(pid_) && ::kill(pid_, SIGSTOP) == 0)
        frozen_ = true;
}

void VirtualLibrary::thaw() {
    if (frozen_ && pid_ > 0)
        ::kill(pid_, SIGCONT);
    frozen_ = false;
}

void VirtualLibrary::stop() noexcept {
    try {
        thaw();
        if (!dir_.empty()) {
            run({kScripts + "vtl-stop", "--dir", dir_}, "/dev/null", "/dev/null");
            std::error_code ignored;
            std::filesystem::remove_all(dir_, ignored);
        }
    } catch (...) {
    }
    dir_.clear();
}

}  // namespace rsm::test
