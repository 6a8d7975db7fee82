#pragma once
// RsmdRig: a real rsmd for the daemon tests — a fresh database on the private PostgreSQL
// cluster, a config file and a socket in a temporary directory, the daemon started as a child
// process and stopped with SIGTERM by the destructor. rsmctl runs against it as root or, through
// setpriv(1), as any uid with any groups (the peer credentials rsmd sees).
// Thread-safety: one test thread drives a rig.

#include <doctest/doctest.h>

#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tests/support/pg_cluster.h"
#include "tests/support/run.h"

namespace rsm::test {

constexpr std::uint32_t kRsmdAdminGid = 4242;

struct Who {
    std::uint32_t uid = 0;
    std::vector<std::uint32_t> gids;
};

struct RsmdRig {
    // `extraConfig` is appended to the [rsmd] section ("idle_timeout = 2\n"). The rig's socket
    // is mode 0666 with no group, for tests that connect as many uids; an `extraConfig` that
    // sets socket_mode or socket_group replaces that default. With `runAs`, rsmd runs as that
    // uid, its first gid (or the uid) as group and the others as supplementary groups, without
    // any capability (setpriv), and owns the rig's directory; otherwise it runs as root.
    // `env`: NAME=VALUE entries rsmd gets beside the tests' own environment (they win).
    explicit RsmdRig(const std::string &extraConfig = {}, PgCluster &cluster = PgCluster::shared(),
                     std::optional<Who> runAs = {}, std::vector<std::string> env = {});
    ~RsmdRig();
    RsmdRig(const RsmdRig &) = delete;
    RsmdRig &operator=(const RsmdRig &) = delete;

    // rsmctl ARGS… against this rsmd, as root or as `who`.
    RunResult ctl(const std::vector<std::string> &args, const std::optional<Who> &who = {}) const;
    // rsmctl --json ARGS…: the parsed stdout (a JSON object, or null when there is none).
    nlohmann::json json(const std::vector<std::string> &args,
                        const std::optional<Who> &who = {}) const;
    // The first column of the first row of a query on rsmd's database.
    std::string sql(const std::string &query) const;

    // Stops rsmd with SIGTERM; its exit status (128 + signal when killed).
    int stop();
    // SIGKILL: rsmd dies wherever it is, as in a crash.
    void kill();
    // Starts it again on the same database and socket.
    void start();
    std::string log() const;  // rsmd's stderr so far

    std::filesystem::path dir;
    std::filesystem::path socket;
    std::filesystem::path config;
    std::string database;
    std::string connectionString;
    pid_t pid = -1;
    PgCluster &cluster;
    std::optional<Who> runAs;
    std::vector<std::string> extraEnv;
};

// The rsmd built with the tests.
std::string rsmdPath();

// A process's resident memory (VmRSS, or another field of /proc/PID/status such as VmHWM), in
// KiB; -1 when it cannot be read.
long rssKib(pid_t pid, const char *field = "VmRSS:");

// A bound on memory growth of rsmd, in KiB, for a plain build; under AddressSanitizer twice as
// much (redzones, its allocator) plus the 32 MiB quarantine scripts/test gives it
// (ASAN_OPTIONS quarantine_size_mb=32), where freed memory waits before it is reused.
long memoryBoundKib(long plainKib);

// A medium as `rsmctl media show BARCODE --json` shows it.
nlohmann::json mediaOf(const RsmdRig &rig, const std::string &barcode);

// The strings, each ended by a newline.
std::string lines(const std::vector<std::string> &v);

}  // namespace rsm::test
