#include "tests/support/pg_cluster.h"

#include <unistd.h>

#include <fstream>
#include <stdexcept>

#include <pqxx/connection>
#include <pqxx/nontransaction>

#include "tests/support/run.h"

namespace rsm::test {

namespace {

std::string script(const char *name) {
    return std::string(RSM_SOURCE_DIR) + "/tests/pg/" + name;
}

std::string unquote(std::string v) {
    if (v.size() >= 2 && (v.front() == '\'' || v.front() == '"') && v.back() == v.front())
        return v.substr(1, v.size() - 2);
    return v;
}

}  // namespace

PgCluster::PgCluster() {
    std::string pattern = (std::filesystem::temp_directory_path() / "rsm-db-tests-XXXXXX");
    if (!mkdtemp(pattern.data()))
        throw std::runtime_error("PgCluster: cannot make a temporary directory");
    dir_ = pattern;
    start();
}

PgCluster::~PgCluster() {
    try {
        run({script("pg-stop"), "--dir", dir_.string()});
        std::error_code ec;
        std::filesystem::remove_all(dir_, ec);
    } catch (...) {
    }
}

PgCluster &PgCluster::shared() {
    static PgCluster cluster;
    return cluster;
}

void PgCluster::start() {
    RunResult r = run({script("pg-start"), "--dir", dir_.string()});
    if (r.status != 0)
        throw std::runtime_error("PgCluster: pg-start failed (status " + std::to_string(r.status) +
                                 "): " + r.err);
    readEnvironment();
    running_ = true;
}

void PgCluster::stop(bool immediate) {
    RunResult r = run({script("pg-stop"), "--dir", dir_.string(), "--mode",
                       immediate ? "immediate" : "fast", "--keep"});
    if (r.status != 0)
        throw std::runtime_error("PgCluster: pg-stop failed: " + r.err);
    running_ = false;
}

void PgCluster::readEnvironment() {
    std::ifstream env(dir_ / "pg.env");
    if (!env)
        throw std::runtime_error("PgCluster: pg-start wrote no pg.env");
    std::string line;
    while (std::getline(env, line)) {
        std::size_t eq = line.find('=');
        if (eq == std::string::npos)
            continue;
        std::string key = line.substr(0, eq), value = unquote(line.substr(eq + 1));
        if (key == "PGHOST")
            host_ = value;
        else if (key == "PGPORT")
            port_ = value;
        else if (key == "PGUSER")
            user_ = value;
        else if (key == "PG_OWNER")
            owner_ = value;
    }
    if (host_.empty() || port_.empty() || user_.empty())
        throw std::runtime_error("PgCluster: pg.env lacks PGHOST, PGPORT or PGUSER");
}

std::string PgCluster::connectionString(const std::string &dbname) const {
    return "host=" + host_ + " port=" + port_ + " user=" + user_ + " dbname=" + dbname;
}

std::string PgCluster::createDatabase() {
    std::string name = "rsm_test_" + std::to_string(getpid()) + "_" + std::to_string(++databases_);
    pqxx::connection admin(connectionString());
    pqxx::nontransaction tx(admin);
    tx.exec("CREATE DATABASE " + tx.quote_name(name));
    return name;
}

}  // namespace rsm::test
