// The migration runner against a real server: fresh databases, second runs, newer databases,
// concurrent runners, numbering and failing migrations.

#include <doctest/doctest.h>

#include <atomic>
#include <fstream>
#include <sstream>
#include <thread>
#include <vector>

#include <pqxx/nontransaction>
#include <pqxx/transaction>

#include "src/store/migrations.h"
#include "tests/store/store_fixture.h"

using namespace rsm;
using namespace rsm::test;

namespace {

long long scalar(pqxx::connection &c, const std::string &sql) {
    pqxx::nontransaction tx(c);
    return tx.exec1(sql)[0].as<long long>();
}

// The migrations of schema/ (numbers may have gaps while migrations are merged).
long long migrationCount() {
    auto files = store::listMigrations(schemaDir());
    REQUIRE_MESSAGE(files.ok(), files.error().toString());
    return static_cast<long long>(files->size());
}

struct TempDir {
    std::filesystem::path path;
    TempDir() {
        std::string pattern = std::filesystem::temp_directory_path() / "rsm-migrations-XXXXXX";
        REQUIRE(mkdtemp(pattern.data()) != nullptr);
        path = pattern;
    }
    ~TempDir() { std::filesystem::remove_all(path); }
    void add(const std::string &name, const std::string &text) const {
        std::ofstream(path / name) << text;
    }
};

}  // namespace

TEST_CASE("migrate: a fresh database reaches the latest version") {
    const int latest = store::latestSchemaVersion(schemaDir());
    REQUIRE(latest >= 1);
    PgCluster &cluster = PgCluster::shared();
    pqxx::connection c(cluster.connectionString(cluster.createDatabase()));
    Result<int> v = store::migrate(c, schemaDir());
    REQUIRE_MESSAGE(v.ok(), v.error().toString());
    CHECK(*v == latest);
    CHECK(scalar(c, "SELECT max(version) FROM schema_version") == latest);
    CHECK(scalar(c, "SELECT count(*) FROM schema_version WHERE version = 1 AND name = 'model'") ==
          1);
    CHECK(scalar(c, "SELECT count(*) FROM computer") == 1);
    CHECK(scalar(c, "SELECT count(*) FROM library WHERE kind = 0") == 1);
}

TEST_CASE("migrate: a second run changes nothing") {
    PgCluster &cluster = PgCluster::shared();
    pqxx::connection c(cluster.connectionString(cluster.createDatabase()));
    REQUIRE(store::migrate(c, schemaDir()).ok());
    Result<int> again = store::migrate(c, schemaDir());
    REQUIRE_MESSAGE(again.ok(), again.error().toString());
    CHECK(*again == store::latestSchemaVersion(schemaDir()));
    CHECK(scalar(c, "SELECT count(*) FROM schema_version") == migrationCount());
    CHECK(scalar(c, "SELECT count(*) FROM computer") == 1);
    CHECK(scalar(c, "SELECT count(*) FROM library") == 1);
}

TEST_CASE("migrate: a database newer than this rsm is refused") {
    PgCluster &cluster = PgCluster::shared();
    const std::string db = cluster.createDatabase();
    pqxx::connection c(cluster.connectionString(db));
    REQUIRE(store::migrate(c, schemaDir()).ok());
    {
        pqxx::nontransaction tx(c);
        tx.exec("INSERT INTO schema_version (version, name) VALUES (999, 'future')");
    }
    const std::string expected =
        "database schema version 999 is newer than this rsm (knows up "
        "to " +
        std::to_string(store::latestSchemaVersion(schemaDir())) + ")";
    Result<int> v = store::migrate(c, schemaDir());
    REQUIRE_FALSE(v.ok());
    CHECK(v.error().code() == ErrorCode::DatabaseFailure);
    CHECK(v.error().message() == expected);

    store::PgStoreOptions options;
    options.schemaDir = schemaDir();
    auto opened = store::PgStore::open(cluster.connectionString(db), options);
    REQUIRE_FALSE(opened.ok());
    CHECK(opened.error().code() == ErrorCode::DatabaseFailure);
    CHECK(opened.error().message() == expected);
}

TEST_CASE("migrate: concurrent runners apply each migration once") {
    PgCluster &cluster = PgCluster::shared();
    const std::string cs = cluster.connectionString(cluster.createDatabase());
    constexpr int kRunners = 4;
    std::vector<std::unique_ptr<pqxx::connection>> connections;
    for (int i = 0; i < kRunners; ++i)
        connections.push_back(std::make_unique<pqxx::connection>(cs));
    std::vector<std::optional<Result<int>>> results(kRunners);
    std::atomic<int> ready{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < kRunners; ++i) {
        threads.emplace_back([&, i] {
            ++ready;
            while (ready < kRunners) {
            }
            results[i].emplace(store::migrate(*connections[i], schemaDir()));
        });
    }
    for (auto &t : threads)
        t.join();
    for (auto &r : results) {
        REQUIRE(r.has_value());
        REQUIRE_MESSAGE(r->ok(), r->error().toString());
        CHECK(**r == store::latestSchemaVersion(schemaDir()));
    }
    CHECK(scalar(*connections[0], "SELECT count(*) FROM schema_version") == migrationCount());
    CHECK(scalar(*connections[0], "SELECT count(*) FROM computer") == 1);
    CHECK(scalar(*connections[0], "SELECT count(*) FROM library") == 1);
}

TEST_CASE("migrate: files are taken in numeric order and only the missing ones run") {
    TempDir dir;
    dir.add("010_third.sql", "ALTER TABLE t ADD COLUMN c int;");
    dir.add("001_first.sql", "CREATE TABLE t (a int);");
    dir.add("002_second.sql", "INSERT INTO t (a) VALUES (1), (2);");
    dir.add("README", "not a migration");
    dir.add("x01_bad.sql", "SELECT 1;");
    dir.add("003.sql", "SELECT 1;");

    auto files = store::listMigrations(dir.path);
    REQUIRE(files.ok());
    REQUIRE(files->size() == 3);
    CHECK((*files)[0].version == 1);
    CHECK((*files)[0].name == "first");
    CHECK((*files)[1].version == 2);
    CHECK((*files)[2].version == 10);
    CHECK(store::latestSchemaVersion(dir.path) == 10);

    PgCluster &cluster = PgCluster::shared();
    pqxx::connection c(cluster.connectionString(cluster.createDatabase()));
    Result<int> v = store::migrate(c, dir.path);
    REQUIRE_MESSAGE(v.ok(), v.error().toString());
    CHECK(*v == 10);
    CHECK(scalar(c, "SELECT count(*) FROM t") == 2);

    dir.add("011_fourth.sql", "INSERT INTO t (a, c) VALUES (3, 3);");
    v = store::migrate(c, dir.path);
    REQUIRE_MESSAGE(v.ok(), v.error().toString());
    CHECK(*v == 11);
    CHECK(scalar(c, "SELECT count(*) FROM t") == 3);  // 002 did not run again
    CHECK(scalar(c, "SELECT count(*) FROM schema_version") == 4);

    dir.add("011_clash.sql", "SELECT 1;");
    CHECK_FALSE(store::listMigrations(dir.path).ok());
    CHECK(store::latestSchemaVersion(dir.path / "missing") == 0);
}

TEST_CASE("migrate: a failing migration leaves the database as it was") {
    TempDir dir;
    dir.add("001_good.sql", "CREATE TABLE good (a int);");
    dir.add("002_bad.sql", "CREATE TABLE bad (a int); SELECT no_such_function();");
    PgCluster &cluster = PgCluster::shared();
    pqxx::connection c(cluster.connectionString(cluster.createDatabase()));
    Result<int> v = store::migrate(c, dir.path);
    REQUIRE_FALSE(v.ok());
    CHECK(v.error().code() == ErrorCode::DatabaseFailure);
    CHECK(v.error().message().find("no_such_function") != std::string::npos);
    CHECK(scalar(c,
                 "SELECT count(*) FROM pg_tables WHERE tablename IN ('good', 'bad', "
                 "'schema_version')") == 0);
}

namespace {

std::string text(pqxx::connection &c, const std::string &sql) {
    pqxx::nontransaction tx(c);
    return tx.exec1(sql)[0].as<std::string>();
}

// The shipped migrations up to `last`, copied into `dir`.
void copyMigrations(const TempDir &dir, int first, int last) {
    auto files = store::listMigrations(schemaDir());
    REQUIRE(files.ok());
    for (const auto &m : *files)
        if (m.version >= first && m.version <= last) {
            std::ifstream in(m.path);
            std::stringstream contents;
            contents << in.rdbuf();
            dir.add(m.path.filename().string(), contents.str());
        }
}

}  // namespace

// Issue 14, finding 12: 007 makes LMID and drive names unique; duplicates made before it keep
// the name on the oldest holder, and the others get NAME~N in a fixed order.
TEST_CASE("migrate: 007 renames duplicate LMID and drive names deterministically") {
    TempDir dir;
    copyMigrations(dir, 1, 6);
    PgCluster &cluster = PgCluster::shared();
    pqxx::connection c(cluster.connectionString(cluster.createDatabase()));
    REQUIRE(store::migrate(c, dir.path).ok());
    const std::string id = "00000000-0000-4000-8000-000000000";
    const std::string long64(64, 'n');
    {
        pqxx::work tx(c);
        tx.exec("INSERT INTO media_type (id, name) VALUES ('" + id + "001', 'LTO-5')");
        tx.exec("INSERT INTO pool (id, name, media_type_id, kind) VALUES ('" + id + "002', 'p', '" +
                id + "001', 3)");
        tx.exec(
            "INSERT INTO physical_media (id, media_type_id, pool_id, library_id, "
            "library_kind, location) SELECT ('" +
            id + "1' || lpad(n::text, 2, '0'))::uuid, '" + id + "001', '" + id +
            "002', l.id, 0, 0 FROM library l, generate_series(1, 8) n "
            "WHERE l.kind = 0");
        tx.exec("INSERT INTO side (id, media_id, number) SELECT ('" + id +
                "2' || lpad(n::text, 2, '0'))::uuid, ('" + id +
                "1' || lpad(n::text, 2, '0'))::uuid, 0 FROM generate_series(1, 8) n");
        tx.exec(
            "INSERT INTO logical_media (id, side_id, name, created) VALUES "
            "('" +
            id + "301', '" + id +
            "201', 'dup', '2026-01-01'), "
            "('" +
            id + "302', '" + id +
            "202', 'dup', '2026-01-03'), "
            "('" +
            id + "303', '" + id +
            "203', 'dup', '2026-01-02'), "
            "('" +
            id + "304', '" + id +
            "204', 'dup~2', '2026-01-04'), "
            "('" +
            id + "305', '" + id +
            "205', '', '2026-01-01'), "
            "('" +
            id + "306', '" + id +
            "206', '', '2026-01-01'), "
            "('" +
            id + "308', '" + id + "208', '" + long64 +
            "', '2026-01-01'), "
            "('" +
            id + "307', '" + id + "207', '" + long64 + "', '2026-01-01')");
        tx.exec("INSERT INTO library (id, name, kind, device) VALUES ('" + id +
                "500', 'L', 1, '/dev/null')");
        tx.exec(
            "INSERT INTO drive (id, library_id, number, name) VALUES "
            "('" +
            id + "402', '" + id +
            "500', 1, 'tape'), "
            "('" +
            id + "401', '" + id +
            "500', 0, 'tape'), "
            "('" +
            id + "403', '" + id + "500', 2, '')");
        tx.commit();
    }
    copyMigrations(dir, 7, 7);
    Result<int> v = store::migrate(c, dir.path);
    REQUIRE_MESSAGE(v.ok(), v.error().toString());
    CHECK(*v == 7);
    const auto lmidName = [&](const std::string &n) {
        return text(c, "SELECT name FROM logical_media WHERE id = '" + id + n + "'");
    };
    CHECK(lmidName("301") == "dup");    // the oldest keeps it
    CHECK(lmidName("303") == "dup~3");  // next by age; dup~2 was taken
    CHECK(lmidName("302") == "dup~4");
    CHECK(lmidName("304") == "dup~2");
    CHECK(lmidName("305") == "");  // no name is no duplicate
    CHECK(lmidName("306") == "");
    CHECK(lmidName("307") == long64);  // same age: the lower id keeps it
    CHECK(lmidName("308") == std::string(62, 'n') + "~2");
    CHECK(text(c, "SELECT name FROM drive WHERE id = '" + id + "401'") == "tape");
    CHECK(text(c, "SELECT name FROM drive WHERE id = '" + id + "402'") == "tape~2");

    // From now on the database refuses a second holder of a name.
    pqxx::work tx(c);
    CHECK_THROWS_AS(tx.exec("UPDATE logical_media SET name = 'dup' WHERE id = '" + id + "302'"),
                    pqxx::unique_violation);
}
