#include "src/mtx/lock_holder.h"

#include <sys/stat.h>
#include <sys/sysmacros.h>

#include <charconv>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "src/mtx/local_accounts.h"

namespace rsm::mtx {

namespace {

template <typename T>
bool parseNumber(std::string_view text, T &value, int base = 10) {
    const char *end = text.data() + text.size();
    auto [ptr, ec] = std::from_chars(text.data(), end, value, base);
    return ec == std::errc() && ptr == end;
}

// "00:1a:12345" -> major 0x00, minor 0x1a, inode 12345.
bool parseFileId(std::string_view text, unsigned &major, unsigned &minor, ino_t &inode) {
    const auto first = text.find(':');
    if (first == std::string_view::npos)
        return false;
    const auto second = text.find(':', first + 1);
    if (second == std::string_view::npos)
        return false;
    unsigned long long ino = 0;
    if (!parseNumber(text.substr(0, first), major, 16) ||
        !parseNumber(text.substr(first + 1, second - first - 1), minor, 16) ||
        !parseNumber(text.substr(second + 1), ino))
        return false;
    inode = static_cast<ino_t>(ino);
    return true;
}

std::string readFirstLine(const std::string &path) {
    std::ifstream in(path);
    std::string line;
    std::getline(in, line);
    return line;
}

// Printable ASCII only: a command name is chosen by whoever runs the process.
std::string plainText(std::string text) {
    for (char &c : text)
        if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) > 0x7E)
            c = '?';
    return text;
}

std::string describePid(pid_t pid) {
    const std::string proc = fmt::format("/proc/{}", pid);
    std::string text = fmt::format("pid {}", pid);
    const std::string command = plainText(readFirstLine(proc + "/comm"));
    struct stat st {};
    if (stat(proc.c_str(), &st) != 0)
        return text + " (gone)";
    const auto name = localName(st.st_uid, kPasswdFile);
    const std::string user =
        name ? fmt::format("user {}", plainText(*name)) : fmt::format("uid {}", st.st_uid);
    return fmt::format("{} ({}, {})", text, command.empty() ? "?" : command, user);
}

}  // namespace

std::vector<pid_t> lockHolderPids(std::string_view procLocks, unsigned major, unsigned minor,
                                  ino_t inode) {
    std::vector<pid_t> pids;
    std::istringstream lines{std::string(procLocks)};
    for (std::string line; std::getline(lines, line);) {
        std::istringstream words(line);
        std::vector<std::string> fields;
        for (std::string word; words >> word;)
            fields.push_back(word);
        // id, [->], class, ADVISORY, READ/WRITE, pid, maj:min:inode, start, end
        if (fields.size() < 6 || fields[1] == "->")
            continue;
        for (std::size_t i = 1; i < fields.size(); ++i) {
            unsigned fileMajor = 0, fileMinor = 0;
            ino_t fileInode = 0;
            if (!parseFileId(fields[i], fileMajor, fileMinor, fileInode))
                continue;
            pid_t pid = 0;
            if (fileMajor == major && fileMinor == minor && fileInode == inode &&
                parseNumber(fields[i - 1], pid) && pid > 0)
                pids.push_back(pid);
            break;
        }
    }
    return pids;
}

std::string describeLockHolders(int fd) {
    struct stat st {};
    if (fstat(fd, &st) != 0)
        return "another process";
    std::ifstream in("/proc/locks");
    std::stringstream text;
    text << in.rdbuf();
    std::string described;
    for (pid_t pid : lockHolderPids(text.str(), ::major(st.st_dev), ::minor(st.st_dev), st.st_ino))
        described += (described.empty() ? "" : ", ") + describePid(pid);
    if (described.empty())
        return "a process rsm-mtx cannot see (not in /proc/locks with a pid of this PID "
               "namespace)";
    return described;
}

}  // namespace rsm::mtx
