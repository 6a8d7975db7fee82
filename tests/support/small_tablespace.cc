#include "tests/support/small_tablespace.h"

#include <algorithm>

#include <pqxx/connection>
#include <pqxx/nontransaction>
#include <pqxx/transaction>

#include "tests/support/run.h"

namespace rsm::test {

SmallTablespace::SmallTablespace(PgCluster &cluster, std::string name)
    : cluster_(cluster), name_(std::move(name)), dir_(cluster.dir() / name_) {
    std::filesystem::create_directories(dir_);
    RunResult m =
        run({"/bin/mount", "-t", "tmpfs", "-o", "size=2m,mode=0700", "tmpfs", dir_.string()});
    if (m.status != 0)
        FAIL("cannot mount a tmpfs on " << dir_.string() << " (status " << m.status
                                        << "): " << m.err);
    mounted_ = true;
    RunResult c = run({"/bin/chown", cluster.owner() + ":", dir_.string()});
    if (c.status != 0) {
        run({"/bin/umount", dir_.string()});
        FAIL("cannot give " << dir_.string() << " to " << cluster.owner() << ": " << c.err);
    }
    pqxx::connection admin(cluster.connectionString());
    pqxx::nontransaction tx(admin);
    tx.exec("CREATE TABLESPACE " + tx.quote_name(name_) + " LOCATION " + tx.quote(dir_.string()));
    created_ = true;
}

SmallTablespace::~SmallTablespace() {
    try {
        if (created_) {
            pqxx::connection admin(cluster_.connectionString());
            pqxx::nontransaction tx(admin);
            for (const auto &db : databases_)
                tx.exec("DROP DATABASE IF EXISTS " + tx.quote_name(db) + " WITH (FORCE)");
            tx.exec("DROP TABLESPACE IF EXISTS " + tx.quote_name(name_));
        }
    } catch (const std::exception &e) {
        MESSAGE("cleaning up the tablespace failed: " << e.what());
    }
    if (mounted_)
        run({"/bin/umount", dir_.string()});
    std::error_code ec;
    std::filesystem::remove(dir_, ec);
}

std::string SmallTablespace::moveLogAndAttributesSql() const {
    const std::string t = " SET TABLESPACE " + name_ + ";";
    return "ALTER TABLE attribute" + t + "ALTER INDEX attribute_pkey" + t +
           "ALTER TABLE event_log" + t + "ALTER INDEX event_log_pkey" + t +
           "ALTER INDEX event_log_object" + t + "ALTER INDEX event_log_at" + t;
}

void SmallTablespace::grow(int megabytes) {
    RunResult m =
        run({"/bin/mount", "-o", "remount,size=" + std::to_string(megabytes) + "m", dir_.string()});
    REQUIRE_MESSAGE(m.status == 0, "cannot grow the tmpfs on " << dir_.string() << ": " << m.err);
}

// Fills the database's small disk with incompressible attributes until PostgreSQL says it is
// full, then with smaller ones, so that no room is left for even a short row.
void fillDisk(const std::string &connectionString) {
    pqxx::connection c(connectionString);
    int chunks = 2000;  // of 32 random hex digits: 64,000 bytes
    for (int i = 0; i < 200000; ++i) {
        try {
            pqxx::work tx(c);
            tx.exec_params(
                "INSERT INTO attribute (object_id, object_kind, name, value)"
                " SELECT id, 0, $1, convert_to((SELECT string_agg(md5(random()::text),"
                " '') FROM generate_series(1, $2)), 'UTF8') FROM computer",
                "fill" + std::to_string(i), chunks);
            tx.commit();
        } catch (const pqxx::sql_error &e) {
            REQUIRE_MESSAGE(std::string(e.sqlstate()) == "53100", e.what());
            if (chunks == 1)
                return;
            chunks = std::max(1, chunks / 8);
        }
    }
    FAIL("the disk never filled");
}

}  // namespace rsm::test
