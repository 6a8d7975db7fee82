// CommandNotifier (notify_command): the program gets the variables and the JSON, without a
// shell; a failing program is logged with its status and output; a hanging one is killed at
// its timeout (SIGTERM, then SIGKILL) and does not hold back the notifications after it; a
// full queue drops and counts. Also splitCommandLine and the config keys.

#include <doctest/doctest.h>

#include <sys/stat.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "src/daemon/command_notifier.h"
#include "src/daemon/config.h"
#include "tests/daemon/server_fixture.h"
#include "tests/support/run.h"

namespace rsm::daemon::test {

namespace {

using namespace std::chrono_literals;

std::string script(const TempDir &dir, const std::string &name, const std::string &body) {
    const std::string path = dir.file(name);
    std::ofstream(path) << "#!/bin/bash\n" << body;
    ::chmod(path.c_str(), 0755);
    return path;
}

std::string slurp(const std::string &path) {
    std::ifstream in(path);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

// The log lines a notifier writes, kept for the test.
struct Lines {
    std::mutex mutex;
    std::vector<std::string> lines;
    CommandNotifier::Log log() {
        return [this](log::Level, const std::string &line) {
            std::lock_guard lock(mutex);
            lines.push_back(line);
        };
    }
    bool has(const std::string &part) {
        std::lock_guard lock(mutex);
        for (const auto &l : lines)
            if (l.find(part) != std::string::npos)
                return true;
        return false;
    }
    std::string all() {
        std::lock_guard lock(mutex);
        std::string out;
        for (const auto &l : lines)
            out += l + "\n";
        return out;
    }
};

template <typename Pred>
bool waitFor(Pred pred, std::chrono::milliseconds limit) {
    const auto end = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < end) {
        if (pred())
            return true;
        std::this_thread::sleep_for(20ms);
    }
    return pred();
}

NotifyJob job(const std::string &event, const std::string &message) {
    return NotifyJob{
        {{"RSM_EVENT", event}, {"RSM_MESSAGE", message}}, "{\"event\":\"" + event + "\"}\n", event};
}

}  // namespace

TEST_CASE("splitCommandLine: words as a shell splits them, without one") {
    auto words = splitCommandLine(R"(/usr/bin/x  -a 'b c' "d \"e\" $f" g\ h '' )");
    REQUIRE(words.ok());
    CHECK(*words == std::vector<std::string>{"/usr/bin/x", "-a", "b c", "d \"e\" $f", "g h", ""});
    CHECK(splitCommandLine("").value().empty());
    CHECK(splitCommandLine("/bin/x; rm -rf /").value() ==
          std::vector<std::string>{"/bin/x;", "rm", "-rf", "/"});
    CHECK(!splitCommandLine("/bin/x 'open").ok());
    CHECK(!splitCommandLine("/bin/x \"open").ok());
    CHECK(!splitCommandLine("/bin/x \\").ok());
}

TEST_CASE("rsmd.conf: notify_command and notify_timeout") {
    auto c = parseConfig(
        "[rsmd]\nnotify_command = /usr/local/bin/page \"the admins\" -q\n"
        "notify_timeout = 5\n",
        "t.conf");
    REQUIRE(c.ok());
    CHECK(c->notifyCommand == std::vector<std::string>{"/usr/local/bin/page", "the admins", "-q"});
    CHECK(c->notifyTimeout == 5s);
    CHECK(c->notifyCommandLine == 2);
    CHECK(parseConfig("[rsmd]\n", "t.conf")->notifyTimeout == 30s);
    CHECK(parseConfig("[rsmd]\n", "t.conf")->notifyCommand.empty());
    auto relative = parseConfig("[rsmd]\nnotify_command = mail root\n", "t.conf");
    REQUIRE(!relative.ok());
    CHECK(relative.error().message().find("absolute path") != std::string::npos);
    CHECK(!parseConfig("[rsmd]\nnotify_command = /bin/x 'a\n", "t.conf").ok());
    CHECK(!parseConfig("[rsmd]\nnotify_timeout = 0\n", "t.conf").ok());

    // --check-config: the program must exist and be executable.
    TempDir dir;
    const std::string conf = dir.file("rsmd.conf");
    const std::string notExecutable = dir.file("plain");
    std::ofstream(notExecutable) << "#!/bin/sh\n";
    for (const auto &[program, expected] :
         {std::pair{dir.file("missing"), std::string("No such file")},
          std::pair{notExecutable, std::string("is not an executable file")},
          std::pair{dir.path(), std::string("is not an executable file")}}) {
        std::ofstream(conf) << "[rsmd]\nsocket_group = \"\"\nnotify_command = " << program
                            << " --x\n";
        auto r =
            rsm::test::run({RSM_BUILD_DIR "/src/daemon/rsmd", "--check-config", "--config", conf});
        CHECK(r.status == 1);
        CHECK_MESSAGE(r.err.find(conf + ":3: notify_command: " + program) != std::string::npos,
                      r.err);
        CHECK_MESSAGE(r.err.find(expected) != std::string::npos, r.err);
    }
    std::ofstream(conf) << "[rsmd]\nsocket_group = \"\"\nnotify_command = /bin/true --x\n";
    auto ok =
        rsm::test::run({RSM_BUILD_DIR "/src/daemon/rsmd", "--check-config", "--config", conf});
    CHECK_MESSAGE(ok.status == 0, ok.err);
}

TEST_CASE("CommandNotifier: the program gets the variables, its arguments and the JSON") {
    TempDir dir;
    const std::string calls = dir.file("calls");
    // Records its arguments, the RSM_ variables the notifier sets (the tests' own environment may
    // hold others, as RSM_STRESS_SECONDS) and its input: one call a block.
    const std::string record = script(dir, "record",
                                      "{ echo \"args: $*\"; env | grep -E '^RSM_(EVENT|MESSAGE)=' "
                                      "| sort; echo \"stdin: $(cat)\"; "
                                      "echo --; } >> '" +
                                          calls + "'\necho recorded\n");
    Lines lines;
    CommandNotifier n({record, "one arg", "$HOME;x"}, 10s, lines.log());
    n.start();
    CHECK(n.submit(job("library-unreachable", "no answer; 'quoted' $(rm -rf /)")));
    REQUIRE(waitFor([&] { return n.counters().succeeded == 1; }, 10s));
    const std::string got = slurp(calls);
    CHECK_MESSAGE(got ==
                      "args: one arg $HOME;x\n"
                      "RSM_EVENT=library-unreachable\n"
                      "RSM_MESSAGE=no answer; 'quoted' $(rm -rf /)\n"
                      "stdin: {\"event\":\"library-unreachable\"}\n--\n",
                  got);
    CHECK_MESSAGE(lines.has("notify_command for library-unreachable: done; it said: recorded"),
                  lines.all());
    n.stop();
}

TEST_CASE("CommandNotifier: a failing program is logged with its status and output") {
    TempDir dir;
    const std::string fail = script(dir, "fail", "echo 'smtp: refused' >&2\nexit 3\n");
    Lines lines;
    CommandNotifier n({fail}, 10s, lines.log());
    n.start();
    n.submit(job("drive-needs-cleaning", "x"));
    REQUIRE(waitFor([&] { return n.counters().failed == 1; }, 10s));
    CHECK_MESSAGE(lines.has("notify_command for drive-needs-cleaning failed: exit status 3; it "
                            "said: smtp: refused"),
                  lines.all());
    // A program that cannot be run at all is logged too.
    n.setCommand({dir.file("missing")}, 10s);
    n.submit(job("tape-suspect", "x"));
    REQUIRE(waitFor([&] { return n.counters().failed == 2; }, 10s));
    CHECK_MESSAGE(lines.has("notify_command for tape-suspect: cannot run " + dir.file("missing")),
                  lines.all());
}

TEST_CASE("CommandNotifier: a hanging program is killed at its timeout and holds nothing back") {
    TempDir dir;
    const std::string calls = dir.file("calls");
    // Hangs for the first event (ignoring SIGTERM, and with a child of its own), records the
    // others at once.
    const std::string program =
        script(dir, "maybe-hang",
               "if [ \"$RSM_EVENT\" = hang ]; then trap '' TERM; sleep 300 & echo $! > '" +
                   dir.file("child") +
                   "'; sleep 300; fi\n"
                   "echo \"$RSM_EVENT\" >> '" +
                   calls + "'\n");
    Lines lines;
    CommandNotifier n({program}, 1s, lines.log());
    n.start();
    const auto begin = std::chrono::steady_clock::now();
    n.submit(job("hang", ""));
    std::this_thread::sleep_for(100ms);
    n.submit(job("after", ""));
    // The next notification goes out while the first still hangs.
    REQUIRE(waitFor([&] { return slurp(calls) == "after\n"; }, 900ms));
    CHECK(n.counters().killed == 0);
    // Killed: SIGTERM at 1 s, ignored; SIGKILL 2 s later.
    REQUIRE(waitFor([&] { return n.counters().killed == 1; }, 10s));
    const auto took = std::chrono::steady_clock::now() - begin;
    CHECK(took >= 1s + kNotifyKillGrace);
    CHECK(took < 1s + kNotifyKillGrace + 2s);
    CHECK_MESSAGE(lines.has("notify_command for hang (pid "), lines.all());
    CHECK_MESSAGE(lines.has("still runs at its timeout: SIGTERM, and SIGKILL in 2 s"), lines.all());
    CHECK_MESSAGE(lines.has("notify_command for hang was killed at its timeout by signal 9"),
                  lines.all());
    // Its child was in its process group: gone too.
    const std::string child = slurp(dir.file("child"));
    REQUIRE(!child.empty());
    const std::string stat = "/proc/" + child.substr(0, child.find('\n')) + "/stat";
    CHECK_MESSAGE(waitFor(
                      [&] {
                          const std::string s = slurp(stat);
                          return s.empty() || s.find(") Z ") != std::string::npos;
                      },
                      3s),
                  slurp(stat));
    CHECK(slurp(calls) == "after\n");
}

TEST_CASE("CommandNotifier: a full queue drops notifications and logs how many") {
    TempDir dir;
    const std::string slow = script(dir, "slow", "sleep 1\n");
    Lines lines;
    CommandNotifier n({slow}, 30s, lines.log());
    n.start();
    int accepted = 0;
    for (std::size_t i = 0; i < kNotifyQueueLimit + kMaxRunning + 10; ++i)
        accepted += n.submit(job("operator-request-posted", std::to_string(i))) ? 1 : 0;
    CHECK(accepted < static_cast<int>(kNotifyQueueLimit + kMaxRunning + 10));
    CHECK(n.counters().dropped >= 10);
    REQUIRE(waitFor([&] { return lines.has("dropped"); }, 5s));
    CHECK_MESSAGE(lines.has("notifications dropped: 256 were waiting already"), lines.all());
    // An empty command takes nothing.
    n.setCommand({}, 30s);
    CHECK(!n.submit(job("x", "")));
    n.stop();  // ends the running ones
}

TEST_CASE("contrib/notify: the example programs parse, and the mail one writes a mail") {
    const std::string dir = RSM_SOURCE_DIR "/contrib/notify/";
    for (const char *name : {"notify-mail", "notify-webhook"}) {
        CAPTURE(name);
        auto r = rsm::test::run({"/bin/bash", "-n", dir + name});
        CHECK_MESSAGE(r.status == 0, r.err);
    }
    // notify-mail run by a CommandNotifier, with a sendmail that keeps what it gets.
    TempDir tmp;
    const std::string mail = tmp.file("mail");
    const std::string sendmail =
        script(tmp, "sendmail", "{ echo \"args: $*\"; cat; } > '" + mail + "'\n");
    ::setenv("SENDMAIL", sendmail.c_str(), 1);
    Lines lines;
    CommandNotifier n({dir + "notify-mail", "root", "ops@example.com"}, 10s, lines.log());
    n.start();
    n.submit(NotifyJob{{{"RSM_EVENT", "drive-needs-cleaning"},
                        {"RSM_SEQ", "7"},
                        {"RSM_TIME", "2026-12-07T03:00:00.000Z"},
                        {"RSM_LIBRARY", "vtl"},
                        {"RSM_DRIVE", "vtl/1"}},
                       "{\"event\":\"drive-needs-cleaning\"}\n",
                       "drive-needs-cleaning #7"});
    const bool done = waitFor([&] { return n.counters().succeeded == 1; }, 10s);
    ::unsetenv("SENDMAIL");
    REQUIRE_MESSAGE(done, lines.all());
    const std::string got = slurp(mail);
    CHECK_MESSAGE(got.find("args: -oi -- root ops@example.com\n") == 0, got);
    CHECK_MESSAGE(
        got.find("To: root,ops@example.com\nSubject: rsm: drive-needs-cleaning vtl/1\n") !=
            std::string::npos,
        got);
    CHECK_MESSAGE(got.find("Drive:    vtl/1\n") != std::string::npos, got);
    CHECK_MESSAGE(got.find("{\"event\":\"drive-needs-cleaning\"}") != std::string::npos, got);
}

}  // namespace rsm::daemon::test
