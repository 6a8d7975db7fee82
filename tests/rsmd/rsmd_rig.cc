#include "tests/rsmd/rsmd_rig.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include <pqxx/connection>
#include <pqxx/transaction>

#include "tests/support/serializable.h"

extern char **environ;

namespace rsm::test {

namespace {

bool socketAnswers(const std::filesystem::path &path) {
    int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::snprintf(addr.sun_path, sizeof addr.sun_path, "%s", path.c_str());
    bool ok = ::connect(fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr) == 0;
    ::close(fd);
    return ok;
}

}  // namespace

std::string rsmdPath() {
    return std::string(RSM_BUILD_DIR) + "/src/daemon/rsmd";
}

RsmdRig::RsmdRig(const std::string &extraConfig, PgCluster &c, std::optional<Who> as,
                 std::vector<std::string> env)
    : cluster(c), runAs(std::move(as)), extraEnv(std::move(env)) {
    char pattern[] = "/tmp/rsm-rsmd-XXXXXX";
    if (!mkdtemp(pattern))
        throw std::runtime_error("mkdtemp failed");
    dir = pattern;
    // Other uids (the access-control tests) must reach the socket.
    std::filesystem::permissions(dir, std::filesystem::perms(0755));
    socket = dir / "rsmd.sock";
    config = dir / "rsmd.conf";
    database = cluster.createDatabase();
    connectionString = cluster.connectionString(database);
    auto sets = [&](const char *key) { return extraConfig.find(key) != std::string::npos; };
    std::ofstream(config) << "[rsmd]\n"
                          << "database = \"" << connectionString << "\"\n"
                          << "socket = " << socket.string() << "\n"
                          << (sets("socket_mode") ? "" : "socket_mode = 0666\n")
                          << (sets("socket_group") ? "" : "socket_group = \n")
                          << "admin_group = " << kRsmdAdminGid << "\n"
                          << "schema_dir = " << RSM_SOURCE_DIR << "/schema\n"
                          << (sets("log_level") ? "" : "log_level = debug\n") << extraConfig;
    if (runAs) {
        // rsmd binds its socket in the rig's directory and reads its config there.
        const std::uint32_t gid = runAs->gids.empty() ? runAs->uid : runAs->gids.front();
        if (::chown(dir.c_str(), runAs->uid, gid) != 0 || ::chmod(config.c_str(), 0644) != 0)
            throw std::runtime_error("cannot give the rig's directory to uid " +
                                     std::to_string(runAs->uid));
    }
    start();
}

RsmdRig::~RsmdRig() {
    if (pid > 0)
        stop();
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
}

void RsmdRig::start() {
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 2, (dir / "rsmd.log").c_str(),
                                     O_WRONLY | O_CREAT | O_APPEND, 0644);
    posix_spawn_file_actions_adddup2(&actions, 2, 1);
    std::vector<std::string> args;
    if (runAs) {
        // As a service manager would start it: another uid and groups, no capabilities at all
        // (none inheritable, none in the bounding set), no way to gain privileges.
        std::string groups;
        for (std::size_t i = 1; i < runAs->gids.size(); ++i)
            groups += (groups.empty() ? "" : ",") + std::to_string(runAs->gids[i]);
        args = {"/usr/bin/setpriv",
                "--reuid=" + std::to_string(runAs->uid),
                "--regid=" + std::to_string(runAs->gids.empty() ? runAs->uid : runAs->gids[0]),
                groups.empty() ? "--clear-groups" : "--groups=" + groups,
                "--inh-caps=-all",
                "--bounding-set=-all",
                "--no-new-privs",
                "--"};
    }
    args.insert(args.end(), {rsmdPath(), "--config", config.string()});
    std::vector<char *> argv;
    for (auto &a : args)
        argv.push_back(a.data());
    argv.push_back(nullptr);
    const std::string binary = args.front();
    // Not under systemd: no journal, no notify socket.
    std::vector<std::string> env;
    auto overridden = [this](std::string_view entry) {
        for (const std::string &e : extraEnv)
            if (entry.substr(0, entry.find('=') + 1) == e.substr(0, e.find('=') + 1))
                return true;
        return false;
    };
    for (char **e = environ; *e; ++e)
        if (std::string_view(*e).rfind("NOTIFY_SOCKET=", 0) != 0 &&
            std::string_view(*e).rfind("JOURNAL_STREAM=", 0) != 0 &&
            std::string_view(*e).rfind("LISTEN_", 0) != 0 && !overridden(*e))
            env.emplace_back(*e);
    env.insert(env.end(), extraEnv.begin(), extraEnv.end());
    std::vector<char *> envp;
    for (auto &s : env)
        envp.push_back(s.data());
    envp.push_back(nullptr);
    int rc = posix_spawn(&pid, binary.c_str(), &actions, nullptr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0)
        throw std::runtime_error("cannot start " + binary);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (!socketAnswers(socket)) {
        int status = 0;
        if (waitpid(pid, &status, WNOHANG) == pid) {
            pid = -1;
            throw std::runtime_error("rsmd exited at start:\n" + log());
        }
        if (std::chrono::steady_clock::now() > deadline)
            throw std::runtime_error("rsmd did not listen within 60 s:\n" + log());
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
}

int RsmdRig::stop() {
    if (pid <= 0)
        return -1;
    ::kill(pid, SIGTERM);
    int status = 0;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (waitpid(pid, &status, WNOHANG) != pid) {
        if (std::chrono::steady_clock::now() > deadline) {
            ::kill(pid, SIGKILL);
            waitpid(pid, &status, 0);
            break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    pid = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

void RsmdRig::kill() {
    if (pid <= 0)
        return;
    ::kill(pid, SIGKILL);
    int status = 0;
    waitpid(pid, &status, 0);
    pid = -1;
}

std::string RsmdRig::log() const {
    std::ifstream in(dir / "rsmd.log");
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

RunResult RsmdRig::ctl(const std::vector<std::string> &args, const std::optional<Who> &who) const {
    std::vector<std::string> argv;
    if (who) {
        std::string groups;
        for (std::uint32_t g : who->gids)
            groups += (groups.empty() ? "" : ",") + std::to_string(g);
        argv = {"/usr/bin/setpriv", "--reuid=" + std::to_string(who->uid),
                "--regid=" + std::to_string(who->gids.empty() ? who->uid : who->gids.front())};
        argv.push_back(groups.empty() ? "--clear-groups" : "--groups=" + groups);
        argv.push_back("--");
    }
    argv.push_back(rsmctlPath());
    argv.insert(argv.end(), args.begin(), args.end());
    return run(argv, {"RSM_SOCKET=" + socket.string()});
}

nlohmann::json RsmdRig::json(const std::vector<std::string> &args,
                             const std::optional<Who> &who) const {
    std::vector<std::string> withJson = {"--json"};
    withJson.insert(withJson.end(), args.begin(), args.end());
    RunResult r = ctl(withJson, who);
    if (r.out.empty())
        return nullptr;
    auto parsed = nlohmann::json::parse(r.out, nullptr, false);
    if (parsed.is_discarded())
        FAIL("rsmctl --json printed no JSON: " << r.out << r.err);
    return parsed;
}

std::string RsmdRig::sql(const std::string &query) const {
    pqxx::connection c(connectionString);
    pqxx::result r = serializable(c, [&](pqxx::transaction_base &tx) { return tx.exec(query); });
    if (r.empty() || r[0].empty() || r[0][0].is_null())
        return {};
    return r[0][0].c_str();
}

long rssKib(pid_t pid, const char *field) {
    std::ifstream status("/proc/" + std::to_string(pid) + "/status");
    const std::string key = field;
    std::string line;
    while (std::getline(status, line))
        if (line.starts_with(key))
            return std::stol(line.substr(key.size()));
    return -1;
}

long memoryBoundKib(long plainKib) {
#if defined(__SANITIZE_ADDRESS__)
    return 2 * plainKib + 32 * 1024;
#else
    return plainKib;
#endif
}

nlohmann::json mediaOf(const RsmdRig &rig, const std::string &barcode) {
    return rig.json({"media", "show", barcode})["media"];
}

std::string lines(const std::vector<std::string> &v) {
    std::string out;
    for (const auto &s : v)
        out += s + "\n";
    return out;
}

}  // namespace rsm::test
