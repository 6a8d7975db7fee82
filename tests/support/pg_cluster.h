#pragma once
// PgCluster: a private PostgreSQL server for the database tests, started with tests/pg/pg-start
// in a fresh temporary directory and stopped (its directory removed) by the destructor. Each
// test takes a database of its own from createDatabase(). A cluster that cannot be started
// throws: the database tests fail, they never skip.
// Thread-safety: none; one test thread drives it.

#include <filesystem>
#include <string>

namespace rsm::test {

class PgCluster {
public:
    PgCluster();  // throws std::runtime_error when the server does not start
    ~PgCluster();
    PgCluster(const PgCluster &) = delete;
    PgCluster &operator=(const PgCluster &) = delete;

    // The one cluster of this test process, started on first use.
    static PgCluster &shared();

    // A libpq connection string for `dbname` on this cluster.
    std::string connectionString(const std::string &dbname = "postgres") const;
    // Creates an empty database with a name not used before and returns the name.
    std::string createDatabase();

    // Stops the server, keeping its files: `immediate` is a crash-like stop (no checkpoint).
    void stop(bool immediate);
    // Starts the stopped server again on the same files.
    void start();
    bool running() const { return running_; }

    const std::filesystem::path &dir() const { return dir_; }
    // The operating-system user the server runs as (owner of tablespace directories).
    const std::string &owner() const { return owner_; }

private:
    void readEnvironment();

    std::filesystem::path dir_;
    std::string host_, port_, user_, owner_;
    bool running_ = false;
    int databases_ = 0;
};

}  // namespace rsm::test
