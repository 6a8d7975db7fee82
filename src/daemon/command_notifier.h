#pragma once
// CommandNotifier: runs rsmd.conf's notify_command once per notification, never through a
// shell: the program (an absolute path) with its arguments, as rsmd's own user, with the
// notification's variables added to rsmd's environment and its JSON on standard input.
// A thread of its own takes notifications from a bounded queue (a full queue drops the new one
// and counts the drops, logged when room returns) and runs up to kMaxRunning programs at once,
// so a hanging program costs one place, never robot work, the Asio loop, or the notifications
// behind it. A program still running after the timeout gets SIGTERM (its process group: the
// children of a script too), and SIGKILL kNotifyKillGrace later; the kill, the exit status and
// the first kNotifyOutputLimit bytes of its output (stdout and stderr) are logged.
// Thread-safety: submit, setCommand and counters from any thread.

#include <sys/types.h>

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "rsm/error.h"
#include "src/daemon/log.h"

namespace rsm::daemon {

constexpr std::size_t kNotifyQueueLimit = 256;
constexpr std::size_t kMaxRunning = 4;
constexpr std::chrono::seconds kNotifyKillGrace{2};
constexpr std::size_t kNotifyOutputLimit = 2048;

// Splits a command line into words as a shell would, without one: words are separated by
// blanks; '…' quotes everything literally, "…" quotes with \" \\ \$ \` escapes, and a
// backslash outside quotes takes the next character as it is. No variables, globs,
// redirections or pipes. An unclosed quote or a trailing backslash is ERROR_INVALID_PARAMETER;
// an empty line, no words.
Result<std::vector<std::string>> splitCommandLine(std::string_view line);

// One run of the program: "NAME=value" entries added to the environment, standard input, and
// what the log calls it ("operator-request-posted #42").
struct NotifyJob {
    std::vector<std::pair<std::string, std::string>> environment;
    std::string input;
    std::string label;
};

struct NotifyCounters {
    std::uint64_t started = 0, succeeded = 0, failed = 0, killed = 0, dropped = 0;
};

class CommandNotifier {
public:
    using Log = std::function<void(log::Level, const std::string &)>;
    // An empty command runs nothing (jobs submitted then are dropped without a count).
    CommandNotifier(std::vector<std::string> command, std::chrono::milliseconds timeout,
                    Log log = {});
    ~CommandNotifier();
    CommandNotifier(const CommandNotifier &) = delete;
    CommandNotifier &operator=(const CommandNotifier &) = delete;

    void start();
    // Stops taking jobs, ends the running programs as at a timeout, and joins the thread.
    void stop();
    // Queues a run; false when it was dropped (no command, the queue full, or stopped).
    bool submit(NotifyJob job);
    // A reloaded config: programs started from now on use these.
    void setCommand(std::vector<std::string> command, std::chrono::milliseconds timeout);
    bool enabled() const;
    NotifyCounters counters() const;

private:
    struct Child {
        pid_t pid = -1;
        int output = -1;  // the read end of its stdout and stderr
        std::string label;
        std::string captured;
        std::chrono::steady_clock::time_point deadline;
        bool eof = false;         // its output is closed: not polled any more
        bool terminated = false;  // SIGTERM sent; SIGKILL at killAt
        std::chrono::steady_clock::time_point killAt;
    };
    void run();
    void launch(NotifyJob job, const std::vector<std::string> &command,
                std::chrono::milliseconds timeout);
    // Reads its output, reaps it when it has ended, signals it when late; true when done.
    bool service(Child &child, std::chrono::steady_clock::time_point now);
    void say(log::Level level, const std::string &text);

    Log log_;
    mutable std::mutex mutex_;
    std::condition_variable cv_;
    std::vector<std::string> command_;
    std::chrono::milliseconds timeout_;
    std::deque<NotifyJob> queue_;
    NotifyCounters counters_;
    std::uint64_t droppedUnlogged_ = 0;
    bool stopping_ = false;
    std::vector<Child> running_;  // the thread's only
    std::thread thread_;
};

}  // namespace rsm::daemon
