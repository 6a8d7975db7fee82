#include "src/daemon/log.h"

#include <sys/stat.h>
#include <syslog.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <mutex>

#include <systemd/sd-journal.h>

namespace rsm::daemon::log {

namespace {

std::atomic<Level> currentLevel{Level::Info};
std::mutex stderrMutex;

constexpr std::array<std::string_view, 5> kNames = {"error", "warning", "notice", "info", "debug"};
constexpr std::array<int, 5> kPriorities = {LOG_ERR, LOG_WARNING, LOG_NOTICE, LOG_INFO, LOG_DEBUG};

// JOURNAL_STREAM is "DEVICE:INODE" of the stream systemd connected stdout/stderr to; stderr is
// the journal only when it still is that stream (a redirection would change it).
bool stderrIsJournal() {
    const char *stream = std::getenv("JOURNAL_STREAM");
    if (stream == nullptr)
        return false;
    unsigned long long device = 0, inode = 0;
    if (std::sscanf(stream, "%llu:%llu", &device, &inode) != 2)
        return false;
    struct stat st {};
    if (fstat(STDERR_FILENO, &st) != 0)
        return false;
    return static_cast<unsigned long long>(st.st_dev) == device &&
           static_cast<unsigned long long>(st.st_ino) == inode;
}

bool toJournal() {
    static const bool journal = stderrIsJournal();
    return journal;
}

}  // namespace

void setLevel(Level level) {
    currentLevel.store(level, std::memory_order_relaxed);
}

Level level() {
    return currentLevel.load(std::memory_order_relaxed);
}

bool enabled(Level level) {
    return static_cast<int>(level) <= static_cast<int>(log::level());
}

std::string_view levelName(Level level) {
    return kNames[static_cast<std::size_t>(level)];
}

std::optional<Level> parseLevel(std::string_view name) {
    for (std::size_t i = 0; i < kNames.size(); ++i)
        if (kNames[i] == name)
            return static_cast<Level>(i);
    return std::nullopt;
}

void write(Level level, std::string_view message) {
    const int priority = kPriorities[static_cast<std::size_t>(level)];
    if (toJournal()) {
        sd_journal_send("MESSAGE=%.*s", static_cast<int>(message.size()), message.data(),
                        "PRIORITY=%i", priority, "SYSLOG_IDENTIFIER=rsmd", nullptr);
        return;
    }
    std::string line = fmt::format("rsmd: {}: {}\n", levelName(level), message);
    std::lock_guard lock(stderrMutex);
    std::fwrite(line.data(), 1, line.size(), stderr);
    std::fflush(stderr);
}

}  // namespace rsm::daemon::log
