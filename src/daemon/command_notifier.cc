#include "src/daemon/command_notifier.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <unistd.h>

#include <sys/wait.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <set>
#include <system_error>

#include <fmt/format.h>

extern char **environ;

namespace rsm::daemon {

namespace {

std::string errnoText(int error) {
    return std::system_category().message(error);
}

bool blank(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

// The output as one log line: trailing white space off, line breaks shown as " | ".
std::string oneLine(std::string text) {
    while (!text.empty() && (blank(text.back()) || text.back() == '\0'))
        text.pop_back();
    std::string out;
    for (char c : text) {
        if (c == '\n')
            out += " | ";
        else if (static_cast<unsigned char>(c) < 0x20 && c != '\t')
            out += '?';
        else
            out += c;
    }
    return out;
}

// rsmd's environment, without the variables the job sets, then the job's.
std::vector<std::string> environmentFor(const NotifyJob &job) {
    std::set<std::string> names;
    for (const auto &[name, value] : job.environment)
        names.insert(name);
    std::vector<std::string> out;
    for (char **e = environ; e != nullptr && *e != nullptr; ++e) {
        const std::string_view entry(*e);
        const auto equals = entry.find('=');
        if (equals == std::string_view::npos ||
            names.count(std::string(entry.substr(0, equals))) != 0)
            continue;
        out.emplace_back(entry);
    }
    for (const auto &[name, value] : job.environment)
        out.push_back(name + "=" + value);
    return out;
}

}  // namespace

Result<std::vector<std::string>> splitCommandLine(std::string_view line) {
    std::vector<std::string> words;
    std::string word;
    bool inWord = false;
    for (std::size_t i = 0; i < line.size(); ++i) {
        const char c = line[i];
        if (blank(c)) {
            if (inWord)
                words.push_back(std::move(word));
            word.clear();
            inWord = false;
            continue;
        }
        inWord = true;
        if (c == '\\') {
            if (++i == line.size())
                return Error(ErrorCode::InvalidParameter, "the command line ends in a '\\'");
            word += line[i];
        } else if (c == '\'') {
            const auto close = line.find('\'', i + 1);
            if (close == std::string_view::npos)
                return Error(ErrorCode::InvalidParameter, "a ' in the command line is not closed");
            word += line.substr(i + 1, close - i - 1);
            i = close;
        } else if (c == '"') {
            for (++i;; ++i) {
                if (i == line.size())
                    return Error(ErrorCode::InvalidParameter,
                                 "a \" in the command line is not closed");
                if (line[i] == '"')
                    break;
                if (line[i] == '\\' && i + 1 < line.size() &&
                    std::string_view("\"\\$`").find(line[i + 1]) != std::string_view::npos)
                    ++i;
                word += line[i];
            }
        } else {
            word += c;
        }
    }
    if (inWord)
        words.push_back(std::move(word));
    return words;
}

CommandNotifier::CommandNotifier(std::vector<std::string> command,
                                 std::chrono::milliseconds timeout, Log log)
    : log_(std::move(log)), command_(std::move(command)), timeout_(timeout) {}

CommandNotifier::~CommandNotifier() {
    stop();
}

void CommandNotifier::start() {
    std::lock_guard lock(mutex_);
    if (!thread_.joinable() && !stopping_)
        thread_ = std::thread([this] { run(); });
}

void CommandNotifier::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
        cv_.notify_all();
    }
    if (thread_.joinable())
        thread_.join();
}

bool CommandNotifier::submit(NotifyJob job) {
    std::lock_guard lock(mutex_);
    if (command_.empty() || stopping_)
        return false;
    if (queue_.size() >= kNotifyQueueLimit) {
        ++counters_.dropped;
        ++droppedUnlogged_;
        return false;
    }
    queue_.push_back(std::move(job));
    cv_.notify_all();
    return true;
}

void CommandNotifier::setCommand(std::vector<std::string> command,
                                 std::chrono::milliseconds timeout) {
    std::lock_guard lock(mutex_);
    command_ = std::move(command);
    timeout_ = timeout;
}

bool CommandNotifier::enabled() const {
    std::lock_guard lock(mutex_);
    return !command_.empty();
}

NotifyCounters CommandNotifier::counters() const {
    std::lock_guard lock(mutex_);
    return counters_;
}

void CommandNotifier::say(log::Level level, const std::string &text) {
    if (log_)
        log_(level, text);
    else
        log::message(level, "{}", text);
}

void CommandNotifier::run() {
    // A program that exits before reading its input must not end rsmd with SIGPIPE: this
    // thread gets EPIPE instead (and takes the pending signal back).
    sigset_t pipe;
    sigemptyset(&pipe);
    sigaddset(&pipe, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe, nullptr);
    for (;;) {
        std::vector<NotifyJob> jobs;
        std::vector<std::string> command;
        std::chrono::milliseconds timeout{};
        std::uint64_t dropped = 0;
        bool stopping = false;
        {
            std::unique_lock lock(mutex_);
            if (running_.empty())
                cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
            stopping = stopping_;
            while (!stopping && !queue_.empty() && running_.size() + jobs.size() < kMaxRunning) {
                jobs.push_back(std::move(queue_.front()));
                queue_.pop_front();
            }
            command = command_;
            timeout = timeout_;
            std::swap(dropped, droppedUnlogged_);
            if (!jobs.empty() && !command.empty())
                counters_.started += jobs.size();
        }
        if (dropped > 0)
            say(log::Level::Warning,
                fmt::format("notify_command: {} notification{} dropped: {} were waiting already",
                            dropped, dropped == 1 ? "" : "s", kNotifyQueueLimit));
        if (stopping)
            break;
        for (NotifyJob &job : jobs)
            if (!command.empty())
                launch(std::move(job), command, timeout);
        if (running_.empty())
            continue;
        std::vector<pollfd> fds;
        for (const Child &c : running_)
            fds.push_back(pollfd{c.eof ? -1 : c.output, POLLIN, 0});
        ::poll(fds.data(), fds.size(), 50);
        const auto now = std::chrono::steady_clock::now();
        running_.erase(std::remove_if(running_.begin(), running_.end(),
                                      [&](Child &c) { return service(c, now); }),
                       running_.end());
    }
    // Stopping: the programs still running end as at their timeout.
    for (Child &c : running_)
        c.deadline = std::chrono::steady_clock::now();
    while (!running_.empty()) {
        const auto now = std::chrono::steady_clock::now();
        running_.erase(std::remove_if(running_.begin(), running_.end(),
                                      [&](Child &c) { return service(c, now); }),
                       running_.end());
        if (!running_.empty())
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    std::lock_guard lock(mutex_);
    queue_.clear();
}

void CommandNotifier::launch(NotifyJob job, const std::vector<std::string> &command,
                             std::chrono::milliseconds timeout) {
    const auto failed = [&](const std::string &what, int error) {
        say(log::Level::Error,
            fmt::format("notify_command for {}: {}: {}", job.label, what, errnoText(error)));
        std::lock_guard lock(mutex_);
        ++counters_.failed;
    };
    int in[2] = {-1, -1};
    int out[2] = {-1, -1};
    if (::pipe2(in, O_CLOEXEC) != 0)
        return failed("pipe", errno);
    if (::pipe2(out, O_CLOEXEC) != 0) {
        const int error = errno;
        ::close(in[0]);
        ::close(in[1]);
        return failed("pipe", error);
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, in[0], 0);
    posix_spawn_file_actions_adddup2(&actions, out[1], 1);
    posix_spawn_file_actions_adddup2(&actions, out[1], 2);
    posix_spawn_file_actions_addclosefrom_np(&actions, 3);
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    sigset_t none;
    sigemptyset(&none);
    sigset_t defaults;
    sigemptyset(&defaults);
    sigaddset(&defaults, SIGPIPE);  // rsmd ignores it; the program should not
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setsigdefault(&attr, &defaults);
    posix_spawnattr_setpgroup(&attr, 0);  // a group of its own: a timeout ends its children too
    posix_spawnattr_setflags(
        &attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP);
    std::vector<char *> argv;
    for (const std::string &word : command)
        argv.push_back(const_cast<char *>(word.c_str()));
    argv.push_back(nullptr);
    const std::vector<std::string> env = environmentFor(job);
    std::vector<char *> envp;
    for (const std::string &entry : env)
        envp.push_back(const_cast<char *>(entry.c_str()));
    envp.push_back(nullptr);
    pid_t pid = -1;
    const int rc =
        ::posix_spawn(&pid, command[0].c_str(), &actions, &attr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
    ::close(in[0]);
    ::close(out[1]);
    if (rc != 0) {
        ::close(in[1]);
        ::close(out[0]);
        return failed("cannot run " + command[0], rc);
    }
    // The input: a pipe holds 64 KiB, far more than a notification's JSON; what does not fit
    // at once is not waited for.
    ::fcntl(in[1], F_SETFL, O_NONBLOCK);
    std::string_view rest = job.input;
    while (!rest.empty()) {
        const ssize_t n = ::write(in[1], rest.data(), rest.size());
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            if (errno == EPIPE) {
                const timespec zero{0, 0};
                sigset_t pipe;
                sigemptyset(&pipe);
                sigaddset(&pipe, SIGPIPE);
                (void)sigtimedwait(&pipe, nullptr, &zero);
            } else {
                say(log::Level::Warning,
                    fmt::format("notify_command for {}: {} bytes of its input not written: {}",
                                job.label, rest.size(), errnoText(errno)));
            }
            break;
        }
        rest.remove_prefix(static_cast<std::size_t>(n));
    }
    ::close(in[1]);
    ::fcntl(out[0], F_SETFL, O_NONBLOCK);
    Child child;
    child.pid = pid;
    child.output = out[0];
    child.label = std::move(job.label);
    child.deadline = std::chrono::steady_clock::now() + timeout;
    say(log::Level::Debug,
        fmt::format("notify_command for {}: started {} (pid {})", child.label, command[0], pid));
    running_.push_back(std::move(child));
}

bool CommandNotifier::service(Child &c, std::chrono::steady_clock::time_point now) {
    const auto drain = [&] {
        char buffer[4096];
        for (;;) {
            const ssize_t n = ::read(c.output, buffer, sizeof buffer);
            if (n < 0 && errno == EINTR)
                continue;
            if (n == 0)
                c.eof = true;
            if (n <= 0)
                return;
            const std::size_t room =
                kNotifyOutputLimit - std::min(kNotifyOutputLimit, c.captured.size());
            c.captured.append(buffer, std::min(room, static_cast<std::size_t>(n)));
        }
    };
    drain();
    int status = 0;
    pid_t done = 0;
    do
        done = ::waitpid(c.pid, &status, WNOHANG);
    while (done < 0 && errno == EINTR);
    if (done == c.pid || done < 0) {
        drain();
        ::close(c.output);
        const std::string output = oneLine(c.captured);
        const std::string said = output.empty() ? "" : "; it said: " + output;
        bool ok = false;
        if (done < 0) {
            say(log::Level::Error,
                fmt::format("notify_command for {}: waitpid: {}", c.label, errnoText(errno)));
        } else if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
            ok = true;
            say(log::Level::Info, fmt::format("notify_command for {}: done{}", c.label, said));
        } else if (WIFEXITED(status)) {
            say(log::Level::Warning, fmt::format("notify_command for {} failed: exit status {}{}",
                                                 c.label, WEXITSTATUS(status), said));
        } else if (WIFSIGNALED(status)) {
            say(log::Level::Warning,
                fmt::format("notify_command for {} {} by signal {} ({}){}", c.label,
                            c.terminated ? "was killed at its timeout" : "ended", WTERMSIG(status),
                            strsignal(WTERMSIG(status)), said));
        }
        std::lock_guard lock(mutex_);
        if (c.terminated)
            ++counters_.killed;
        else if (ok)
            ++counters_.succeeded;
        else
            ++counters_.failed;
        return true;
    }
    if (!c.terminated && now >= c.deadline) {
        c.terminated = true;
        c.killAt = now + kNotifyKillGrace;
        say(log::Level::Warning,
            fmt::format("notify_command for {} (pid {}) still runs at its timeout: SIGTERM, and "
                        "SIGKILL in {} s",
                        c.label, c.pid, kNotifyKillGrace.count()));
        ::kill(-c.pid, SIGTERM);
    } else if (c.terminated && now >= c.killAt) {
        ::kill(-c.pid, SIGKILL);
    }
    return false;
}

}  // namespace rsm::daemon
