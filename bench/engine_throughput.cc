// Engine throughput on a real PostgreSQL: swap, and allocate+deallocate, from N client
// threads at once (each with its own session and connection), for a fixed time.
//   bench-engine CONNINFO SCHEMA_DIR [SECONDS]
// Prints one line per operation and client count: operations per second.
// Each client works on its own media, as backup jobs on different tapes do; the database
// still serialises the shared rows (pools, event log).

#include <atomic>
#include <chrono>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include "src/engine/engine.h"
#include "src/store/pg_store.h"

using namespace rsm;
using namespace rsm::engine;

namespace {

void die(const Error &e) {
    std::fprintf(stderr, "bench-engine: %s\n", e.toString().c_str());
    std::exit(1);
}

template <typename T>
T must(Result<T> r) {
    if (!r)
        die(r.error());
    return std::move(*r);
}

void must(Result<void> r) {
    if (!r)
        die(r.error());
}

}  // namespace

int main(int argc, char **argv) {
    if (argc < 3) {
        std::fprintf(stderr, "usage: bench-engine CONNINFO SCHEMA_DIR [SECONDS]\n");
        return 2;
    }
    const double seconds = argc > 3 ? std::stod(argv[3]) : 10;
    store::PgStoreOptions options;
    options.schemaDir = argv[2];
    options.poolSize = 32;
    options.maxRetries = 1000;
    auto store = must(store::PgStore::open(argv[1], options));
    Engine engine(*store);
    const Uuid root = must(engine.openSession(Principal{0, {}}, "bench"));
    must(engine.createMediaType(root, "LTO-9", 1));

    for (int clients : {1, 8, 32}) {
        // Each client: its own pool, two LMIDs to swap, one free medium to allocate.
        struct Client {
            Uuid session, pool, a, b;
        };
        std::vector<Client> cs;
        for (int i = 0; i < clients; ++i) {
            Client c;
            c.session = must(engine.openSession(Principal{0, {}}, "bench"));
            PoolOptions po;
            po.mediaType = "LTO-9";
            po.allocateFromFree = false;
            po.deallocateToFree = false;
            c.pool = must(engine.createPool(
                root, "b" + std::to_string(clients) + "_" + std::to_string(i), po));
            for (int k = 0; k < 3; ++k) {
                NewMedia m;
                m.barcode = "B" + std::to_string(clients) + "_" + std::to_string(i) + "_" +
                            std::to_string(k);
                m.mediaType = "LTO-9";
                m.pool = c.pool;
                m.labelType = "Bacula";
                must(engine.createOfflineMedia(root, m));
            }
            c.a = must(engine.allocate(root, c.pool, {}));
            c.b = must(engine.allocate(root, c.pool, {}));
            cs.push_back(c);
        }
        for (const char *op : {"swap", "allocate+deallocate"}) {
            std::atomic<long> done{0};
            std::atomic<bool> stop{false};
            std::vector<std::thread> threads;
            const auto start = std::chrono::steady_clock::now();
            for (int i = 0; i < clients; ++i)
                threads.emplace_back([&, i] {
                    const Client &c = cs[static_cast<std::size_t>(i)];
                    while (!stop) {
                        if (op[0] == 's') {
                            must(engine.swap(c.session, c.a, c.b));
                        } else {
                            Uuid l = must(engine.allocate(c.session, c.pool, {}));
                            must(engine.deallocate(c.session, l));
                        }
                        ++done;
                    }
                });
            std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
            stop = true;
            for (auto &t : threads)
                t.join();
            const double elapsed =
                std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
            std::printf("engine op=%s clients=%d operations=%ld seconds=%.1f ops_per_second=%.0f\n",
                        op, clients, done.load(), elapsed, done.load() / elapsed);
            std::fflush(stdout);
        }
    }
    return 0;
}
