// The migration runner of migrations.h.

#include "src/store/migrations.h"

#include <algorithm>
#include <charconv>
#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <pqxx/transaction>

#include "src/store/error_map.h"

namespace rsm::store {

namespace {

// pg_advisory_xact_lock key of the migration runner ("rsm-mig" in ASCII).
constexpr long long kMigrationLockKey = 0x72736d2d6d6967LL;

// "001_model.sql" -> {1, "model"}; nullopt for other names.
std::optional<Migration> parseName(const std::filesystem::path &path) {
    std::string file = path.filename().string();
    if (!file.ends_with(".sql"))
        return std::nullopt;
    std::size_t underscore = file.find('_');
    if (underscore == 0 || underscore == std::string::npos)
        return std::nullopt;
    Migration m;
    const char *first = file.data();
    const char *last = file.data() + underscore;
    auto [ptr, ec] = std::from_chars(first, last, m.version);
    if (ec != std::errc() || ptr != last || m.version <= 0)
        return std::nullopt;
    m.name = file.substr(underscore + 1, file.size() - underscore - 1 - 4);
    if (m.name.empty())
        return std::nullopt;
    m.path = path;
    return m;
}

Result<std::string> readFile(const std::filesystem::path &path) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return Error(ErrorCode::DatabaseFailure,
                     fmt::format("database: cannot read migration {}", path.string()));
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

Result<int> migrateOrThrow(pqxx::connection &connection, const std::vector<Migration> &files) {
    const int latest = files.empty() ? 0 : files.back().version;
    pqxx::work tx(connection, "rsm-migrate");
    // Read committed: once the lock is ours, each statement sees what the previous holder
    // committed.
    tx.exec_params("SELECT pg_advisory_xact_lock($1)", kMigrationLockKey);
    tx.exec(
        "CREATE TABLE IF NOT EXISTS schema_version ("
        " version integer PRIMARY KEY,"
        " name text NOT NULL,"
        " applied timestamptz NOT NULL DEFAULT now())");
    pqxx::row row = tx.exec1("SELECT coalesce(max(version), 0) FROM schema_version");
    const int current = row[0].as<int>();
    if (current > latest)
        return Error(ErrorCode::DatabaseFailure,
                     fmt::format("database schema version {} is newer than this rsm (knows up "
                                 "to {})",
                                 current, latest));
    for (const Migration &m : files) {
        if (m.version <= current)
            continue;
        Result<std::string> sql = readFile(m.path);
        if (!sql.ok())
            return sql.error();
        tx.exec(*sql, fmt::format("migration {}", m.path.filename().string()));
        tx.exec_params("INSERT INTO schema_version (version, name) VALUES ($1, $2)", m.version,
                       m.name);
    }
    tx.commit();
    return std::max(current, latest);
}

}  // namespace

Result<std::vector<Migration>> listMigrations(const std::filesystem::path &schemaDir) {
    std::vector<Migration> out;
    std::error_code ec;
    std::filesystem::directory_iterator it(schemaDir, ec);
    if (ec)
        return Error(ErrorCode::DatabaseFailure,
                     fmt::format("database: cannot read the schema directory {}: {}",
                                 schemaDir.string(), ec.message()));
    for (const auto &entry : it) {
        if (!entry.is_regular_file(ec))
            continue;
        if (auto m = parseName(entry.path()))
            out.push_back(std::move(*m));
    }
    std::sort(out.begin(), out.end(),
              [](const Migration &a, const Migration &b) { return a.version < b.version; });
    for (std::size_t i = 1; i < out.size(); ++i) {
        if (out[i].version == out[i - 1].version)
            return Error(ErrorCode::DatabaseFailure,
                         fmt::format("database: two migrations numbered {} in {}", out[i].version,
                                     schemaDir.string()));
    }
    return out;
}

int latestSchemaVersion(const std::filesystem::path &schemaDir) {
    try {
        Result<std::vector<Migration>> files = listMigrations(schemaDir);
        if (!files.ok() || files->empty())
            return 0;
        return files->back().version;
    } catch (...) {
        return 0;
    }
}

Result<int> migrate(pqxx::connection &connection, const std::filesystem::path &schemaDir) {
    try {
        Result<std::vector<Migration>> files = listMigrations(schemaDir);
        if (!files.ok())
            return files.error();
        return migrateOrThrow(connection, *files);
    } catch (...) {
        return errorFromException(std::current_exception()).withContext("schema migration");
    }
}

}  // namespace rsm::store
