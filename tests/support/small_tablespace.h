#pragma once
// SmallTablespace: a 2 MiB tmpfs owned by the database server's user, with a tablespace on it,
// for tests that need a really full disk (DATABASE_FULL). Mounting needs root; when it fails
// the test fails with the reason. Removed (tablespace, databases named, mount) on destruction.

#include <doctest/doctest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "tests/support/pg_cluster.h"

namespace rsm::test {

// Fills the database's small disk (the tables moved onto the tablespace) with incompressible
// attributes until PostgreSQL says it is full, then with smaller ones, so that no room is left
// for even a short row.
void fillDisk(const std::string &connectionString);

class SmallTablespace {
public:
    SmallTablespace(PgCluster &cluster, std::string name);
    ~SmallTablespace();
    SmallTablespace(const SmallTablespace &) = delete;
    SmallTablespace &operator=(const SmallTablespace &) = delete;

    void dropDatabaseLater(const std::string &db) { databases_.push_back(db); }
    const std::string &name() const { return name_; }
    // More room on the disk (an administrator grows the volume): the tmpfs is remounted with
    // `megabytes` MiB.
    void grow(int megabytes);
    // SQL that moves the attribute table and the event log (and their indexes) onto it.
    std::string moveLogAndAttributesSql() const;

private:
    PgCluster &cluster_;
    std::string name_;
    std::filesystem::path dir_;
    std::vector<std::string> databases_;
    bool mounted_ = false, created_ = false;
};

}  // namespace rsm::test
