#pragma once
// The schema migration runner. Migrations are the files NNN_name.sql of a schema directory,
// applied in numeric order. migrate() applies the missing ones inside one transaction that
// holds a transaction-level advisory lock, so concurrent runners (two rsmd starting at once)
// apply each migration exactly once; schema_version records what has been applied.
// Thread-safety: free functions; the connection must not be used by anyone else meanwhile.

#include <filesystem>
#include <string>
#include <vector>

#include <pqxx/connection>

#include "rsm/error.h"

namespace rsm::store {

struct Migration {
    int version = 0;
    std::string name;  // "model" for 001_model.sql
    std::filesystem::path path;
};

// The migrations found in `schemaDir`, in version order. Files not named NNN_name.sql are
// ignored; two files with the same number are an error.
Result<std::vector<Migration>> listMigrations(const std::filesystem::path &schemaDir);

// The highest migration number in `schemaDir`; 0 when there is none or it cannot be read.
int latestSchemaVersion(const std::filesystem::path &schemaDir);

// Brings the database up to the newest migration and returns the resulting version. Refuses
// (DATABASE_FAILURE) a database whose version is newer than the newest file.
Result<int> migrate(pqxx::connection &connection, const std::filesystem::path &schemaDir);

}  // namespace rsm::store
