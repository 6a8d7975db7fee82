#include "tests/rsmd/rsmd_rig.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
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

RsmdRig::RsmdRig(const std::string &extraConfig, PgCluster &c) : cluster(c) {
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
    std::ofstream(config) << "[rsmd]\n"
                          << "database = \"" << connectionString << "\"\n"
                          << "socket = " << socket.string() << "\n"
                          << "socket_mode = 0666\n"
                          << "socket_group = \n"
                          << "admin_group = " << kRsmdAdminGid << "\n"
                          << "schema_dir = " << RSM_SOURCE_DIR << "/schema\n"
                          << "log_level = debug\n"
                          << extraConfig;
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
    std::string binary = rsmdPath(), flag = "--config", path = config.string();
    char *argv[] = {binary.data(), flag.data(), path.data(), nullptr};
    // Not under systemd: no journal, no notify socket.
    std::vector<std::string> env;
    for (char **e = environ; *e; ++e)
        if (std::string_view(*e).rfind("NOTIFY_SOCKET=", 0) != 0 &&
            std::string_view(*e).rfind("JOURNAL_STREAM=", 0) != 0 &&
            std::string_view(*e).rfind("LISTEN_", 0) != 0)
            env.emplace_back(*e);
    std::vector<char *> envp;
    for (auto &s : env)
        envp.push_back(s.data());
    envp.push_back(nullptr);
    int rc = posix_spawn(&pid, binary.c_str(), &actions, nullptr, argv, envp.data());
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
    pqxx::work tx(c);
    pqxx::result r = tx.exec(query);
    tx.commit();
    if (r.empty() || r[0].empty() || r[0][0].is_null())
        return {};
    return r[0][0].c_str();
}

}  // namespace rsm::test
