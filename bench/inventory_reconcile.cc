// FAST inventory reconciliation of a 10,000-slot library on a real PostgreSQL: wall time,
// database time and the statements the database ran, per reconcile.
//   bench-inventory CONNINFO SCHEMA_DIR STATS_CONNINFO [ROUNDS]
// STATS_CONNINFO names another database of the same server, where pg_stat_statements is
// installed (the server must preload it; bench/inventory.sh does). Each round registers a
// library of 10,000 slots, 4 drives and 8 I/E ports, then reconciles three reports:
//   first      9,000 cartridges, all new;
//   unchanged  the same report again;
//   changed    500 moved (496 to other slots, 4 into the drives), 200 gone, 200 new.
// Database time and statements are pg_stat_statements' top-level statements of the benchmark's
// database between a reset and the end of the reconcile (BEGIN and COMMIT included; the time
// is execution plus planning, triggers included). Wall time is Engine::reconcileInventory's.

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <pqxx/pqxx>

#include "src/engine/engine.h"
#include "src/store/pg_store.h"

using namespace rsm;
using namespace rsm::engine;

namespace {

constexpr int kSlots = 10000, kDrives = 4, kIePorts = 8, kTapes = 9000;

[[noreturn]] void die(const std::string &message) {
    std::fprintf(stderr, "bench-inventory: %s\n", message.c_str());
    std::exit(1);
}

template <typename T>
T must(Result<T> r) {
    if (!r)
        die(r.error().toString());
    return std::move(*r);
}

int slot(int i) {
    return 1000 + i;
}
int drive(int i) {
    return 500 + i;
}

// What the robot holds: element -> barcode.
using Holdings = std::map<std::pair<ObjectKind, int>, std::string>;

std::vector<InventoryElement> report(const Holdings &holds) {
    std::vector<InventoryElement> out;
    auto add = [&](ObjectKind kind, int address) {
        InventoryElement e{kind, address, false, std::nullopt};
        auto h = holds.find({kind, address});
        if (h != holds.end()) {
            e.full = true;
            e.barcode = h->second;
        }
        out.push_back(e);
    };
    for (int i = 0; i < kSlots; ++i)
        add(ObjectKind::Slot, slot(i));
    for (int i = 0; i < kDrives; ++i)
        add(ObjectKind::Drive, drive(i));
    for (int i = 0; i < kIePorts; ++i)
        add(ObjectKind::IePort, 10 + i);
    return out;
}

struct Statement {
    long long calls = 0;
    double ms = 0;
    std::string query;
};

struct Measure {
    double wallMs = 0, dbMs = 0;
    long long statements = 0;
    std::vector<Statement> detail;  // slowest first
    InventoryResult result;
};

class Stats {
public:
    Stats(const std::string &conninfo, const std::string &database) : c_(conninfo) {
        pqxx::nontransaction tx(c_);
        tx.exec("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
        dbid_ = tx.exec_params("SELECT oid FROM pg_database WHERE datname = $1", database)[0][0]
                    .as<std::string>();
    }
    void reset() { pqxx::nontransaction(c_).exec("SELECT pg_stat_statements_reset()"); }
    std::vector<Statement> read() {
        pqxx::nontransaction tx(c_);
        std::vector<Statement> out;
        for (const auto &r :
             tx.exec_params("SELECT calls, total_exec_time + total_plan_time, query"
                            " FROM pg_stat_statements WHERE dbid = $1::oid AND toplevel"
                            " ORDER BY 2 DESC",
                            dbid_))
            out.push_back({r[0].as<long long>(), r[1].as<double>(), r[2].as<std::string>()});
        return out;
    }

private:
    pqxx::connection c_;
    std::string dbid_;
};

Measure reconcile(Engine &engine, Stats &stats, const Uuid &library, const Holdings &holds) {
    const std::vector<InventoryElement> seen = report(holds);
    stats.reset();
    const auto start = std::chrono::steady_clock::now();
    Measure m;
    m.result = must(engine.reconcileInventory(library, seen));
    m.wallMs =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    m.detail = stats.read();
    for (const Statement &s : m.detail) {
        m.statements += s.calls;
        m.dbMs += s.ms;
    }
    return m;
}

void print(int round, const char *scenario, const Measure &m, bool detail) {
    const InventoryResult &r = m.result;
    std::printf(
        "inventory round=%d scenario=%s seen=%d added=%d moved=%d removed=%d wall_ms=%.1f "
        "db_ms=%.1f statements=%lld\n",
        round, scenario, r.seen, r.added, r.moved, r.removed, m.wallMs, m.dbMs, m.statements);
    if (detail)
        for (const Statement &s : m.detail) {
            std::string q = s.query.substr(0, 90);
            std::replace(q.begin(), q.end(), '\n', ' ');
            std::printf("    calls=%lld db_ms=%.2f %s\n", s.calls, s.ms, q.c_str());
        }
    std::fflush(stdout);
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

}  // namespace

int main(int argc, char **argv) {
    const int rounds = argc > 4 ? std::atoi(argv[4]) : 3;
    if (argc < 4 || rounds < 1 || rounds > 20) {
        std::fprintf(stderr,
                     "usage: bench-inventory CONNINFO SCHEMA_DIR STATS_CONNINFO [ROUNDS]\n");
        return 2;
    }
    try {
        store::PgStoreOptions options;
        options.schemaDir = argv[2];
        auto store = must(store::PgStore::open(argv[1], options));
        Engine engine(*store);
        std::string database;
        {
            pqxx::connection c(argv[1]);
            database = pqxx::nontransaction(c).exec("SELECT current_database()")[0][0].c_str();
        }
        Stats stats(argv[3], database);
        const Uuid root = must(engine.openSession(Principal{0, {}}, "bench"));
        must(engine.createMediaType(root, "LTO-5", 1));

        std::map<std::string, std::vector<double>> wall, db, statements;
        for (int round = 1; round <= rounds; ++round) {
            NewLibrary l;
            l.name = fmt::format("lib{}", round);
            l.device = fmt::format("/dev/sg{}", round);
            for (int i = 0; i < kSlots; ++i)
                l.slots.push_back(slot(i));
            for (int i = 0; i < kDrives; ++i)
                l.drives.push_back({drive(i), fmt::format("S{}-{}", round, i), std::nullopt});
            for (int i = 0; i < kIePorts; ++i)
                l.ieports.push_back(10 + i);
            const Uuid library = must(engine.addLibrary(root, l));
            // Barcodes of 8 characters, LTO-5 ("A00042L5"); new ones "AN0042L5".
            const char prefix = static_cast<char>('A' + round - 1);
            Holdings holds;
            for (int i = 0; i < kTapes; ++i)
                holds[{ObjectKind::Slot, slot(i)}] = fmt::format("{}{:05}L5", prefix, i);
            auto run = [&](const char *scenario) {
                Measure m = reconcile(engine, stats, library, holds);
                print(round, scenario, m, round == 1);
                wall[scenario].push_back(m.wallMs);
                db[scenario].push_back(m.dbMs);
                statements[scenario].push_back(static_cast<double>(m.statements));
            };
            run("first");
            run("unchanged");
            auto move = [&](ObjectKind kind, int from, ObjectKind toKind, int to) {
                holds[{toKind, to}] = holds.at({kind, from});
                holds.erase({kind, from});
            };
            for (int i = 0; i < 496; ++i)
                move(ObjectKind::Slot, slot(i), ObjectKind::Slot, slot(kTapes + i));
            for (int i = 0; i < kDrives; ++i)
                move(ObjectKind::Slot, slot(496 + i), ObjectKind::Drive, drive(i));
            for (int i = 500; i < 700; ++i)
                holds.erase({ObjectKind::Slot, slot(i)});
            for (int i = 0; i < 200; ++i)
                holds[{ObjectKind::Slot, slot(i)}] = fmt::format("{}N{:04}L5", prefix, i);
            run("changed");
        }
        for (const char *s : {"first", "unchanged", "changed"})
            std::printf(
                "inventory median_of=%d scenario=%s wall_ms=%.1f db_ms=%.1f statements=%.0f\n",
                rounds, s, median(wall[s]), median(db[s]), median(statements[s]));
    } catch (const std::exception &e) {
        die(e.what());
    }
    return 0;
}
