// bench-rsmd: request latency and throughput through a running rsmd, as its clients see them.
//   bench-rsmd SOCKET SECONDS CLIENTS...
// Seeds a media type, a pool, two labelled LMIDs per client and one labelled free medium per
// client (over the protocol), then for each client count runs each workload for SECONDS —
// `read`: a read-only request (pool.show); `swap`: SwapNtmsMedia (lmid.swap on the client's own
// pair, named by name); `alloc`: an allocation from the pool and the deallocation of the LMID
// it gave (two requests, timed as one operation) — with CLIENTS connections at once, each
// sending its next request as soon as the reply arrives. RSM_BENCH_WORKLOADS picks the
// workloads (default "read,swap"; empty: only the seeding), RSM_BENCH_SEED=0 skips the
// seeding (done by an earlier run), RSM_BENCH_POOL names the pool by its path (default
// "bench"; "site/backup/daily" makes the pools above it too). Prints one line per run: operations
// per second, p50 and p99 latency, errors.

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace {

using Clock = std::chrono::steady_clock;
using nlohmann::json;

class Connection {
public:
    explicit Connection(const std::string &path) {
        fd_ = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_un addr{};
        addr.sun_family = AF_UNIX;
        std::snprintf(addr.sun_path, sizeof addr.sun_path, "%s", path.c_str());
        if (::connect(fd_, reinterpret_cast<sockaddr *>(&addr), sizeof addr) != 0)
            throw std::runtime_error("cannot connect to " + path);
        call({{"verb", "hello"}, {"protocol", 1}});
        session_ = call({{"verb", "session.open"}, {"application", "bench"}})["result"]["session"];
    }
    ~Connection() { ::close(fd_); }

    json call(json request) {
        if (!session_.empty() && !request.contains("session"))
            request["session"] = session_;
        std::string line = request.dump() + "\n";
        if (::send(fd_, line.data(), line.size(), MSG_NOSIGNAL) !=
            static_cast<ssize_t>(line.size()))
            throw std::runtime_error("send failed");
        for (;;) {
            if (auto nl = buffer_.find('\n'); nl != std::string::npos) {
                json reply = json::parse(buffer_.substr(0, nl));
                buffer_.erase(0, nl + 1);
                return reply;
            }
            char chunk[65536];
            ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
            if (n <= 0)
                throw std::runtime_error("rsmd closed the connection");
            buffer_.append(chunk, static_cast<std::size_t>(n));
        }
    }

private:
    int fd_ = -1;
    std::string buffer_;
    std::string session_;
};

json must(const json &reply) {
    if (!reply.contains("result"))
        throw std::runtime_error("seeding failed: " + reply.dump());
    return reply["result"];
}

// The pool's path (RSM_BENCH_POOL).
std::string benchPool() {
    const char *path = std::getenv("RSM_BENCH_POOL");
    return path && *path ? path : "bench";
}

void seed(const std::string &socket, int pairs) {
    Connection c(socket);
    must(c.call({{"verb", "mediatype.create"}, {"name", "LTO-5"}}));
    const std::string pool = benchPool();
    for (std::size_t slash = pool.find('/'); slash != std::string::npos;
         slash = pool.find('/', slash + 1))  // the pools above it first
        must(c.call(
            {{"verb", "pool.create"}, {"path", pool.substr(0, slash)}, {"media_type", "LTO-5"}}));
    must(c.call({{"verb", "pool.create"}, {"path", pool}, {"media_type", "LTO-5"}}));
    // A labelled medium in the pool.
    auto medium = [&](const std::string &barcode) {
        must(c.call({{"verb", "media.create"},
                     {"media_type", "LTO-5"},
                     {"barcode", barcode},
                     {"pool", pool},
                     {"label_type", "Bacula"},
                     {"label_id", barcode}}));
    };
    for (int i = 0; i < pairs; ++i)  // what the alloc workload allocates
        medium(fmt::format("A{:05}L5", i));
    for (int i = 0; i < 2 * pairs; ++i) {
        medium(fmt::format("B{:05}L5", i));
        must(c.call({{"verb", "lmid.allocate"}, {"pool", pool}, {"name", fmt::format("l{}", i)}}));
    }
}

struct Run {
    std::vector<double> latenciesMs;
    long errors = 0;
    std::string firstError;
};

void runClients(const std::string &socket, const std::string &workload, int clients, int seconds) {
    std::vector<Run> runs(static_cast<std::size_t>(clients));
    std::atomic<bool> go{false};
    std::vector<std::thread> threads;
    const auto end = Clock::now() + std::chrono::seconds(seconds) + std::chrono::milliseconds(200);
    for (int i = 0; i < clients; ++i)
        threads.emplace_back([&, i] {
            Connection c(socket);
            json request = workload == "read"   ? json{{"verb", "pool.show"}, {"pool", benchPool()}}
                           : workload == "swap" ? json{{"verb", "lmid.swap"},
                                                       {"lmid1", fmt::format("l{}", 2 * i)},
                                                       {"lmid2", fmt::format("l{}", 2 * i + 1)}}
                                                : json{{"verb", "lmid.allocate"},
                                                       {"pool", benchPool()},
                                                       {"name", fmt::format("a{}", i)}};
            while (!go)
                std::this_thread::yield();
            Run &run = runs[static_cast<std::size_t>(i)];
            while (Clock::now() < end) {
                auto start = Clock::now();
                json reply = c.call(request);
                if (workload == "alloc" && reply.contains("result"))
                    reply = c.call(
                        {{"verb", "lmid.deallocate"}, {"lmid", reply["result"]["lmid"]["id"]}});
                auto ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
                run.latenciesMs.push_back(ms);
                if (!reply.contains("result") && run.errors++ == 0)
                    run.firstError = reply.dump();
            }
        });
    std::this_thread::sleep_for(std::chrono::milliseconds(200));  // all connected
    auto start = Clock::now();
    go = true;
    for (auto &t : threads)
        t.join();
    double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
    std::vector<double> all;
    long errors = 0;
    std::string firstError;
    for (const Run &r : runs) {
        all.insert(all.end(), r.latenciesMs.begin(), r.latenciesMs.end());
        errors += r.errors;
        if (firstError.empty())
            firstError = r.firstError;
    }
    std::sort(all.begin(), all.end());
    auto pct = [&](double p) {
        return all.empty() ? 0.0 : all[std::min(all.size() - 1, std::size_t(p * all.size()))];
    };
    fmt::print(
        "rsmd workload={} clients={} ops/s={:.0f} p50_ms={:.2f} p99_ms={:.2f} "
        "errors={}\n",
        workload, clients, all.size() / elapsed, pct(0.50), pct(0.99), errors);
    if (!firstError.empty())
        fmt::print("  first error: {}\n", firstError);
    std::fflush(stdout);
}

}  // namespace

int main(int argc, char **argv) {
    if (argc < 4) {
        std::fprintf(stderr, "usage: bench-rsmd SOCKET SECONDS CLIENTS...\n");
        return 2;
    }
    try {
        const std::string socket = argv[1];
        const int seconds = std::stoi(argv[2]);
        std::vector<int> counts;
        for (int i = 3; i < argc; ++i)
            counts.push_back(std::stoi(argv[i]));
        // RSM_BENCH_SEED=0: seeded already (a run before, with RSM_BENCH_WORKLOADS empty).
        const char *seedIt = std::getenv("RSM_BENCH_SEED");
        if (!seedIt || std::string(seedIt) != "0")
            seed(socket, *std::max_element(counts.begin(), counts.end()));
        const char *chosen = std::getenv("RSM_BENCH_WORKLOADS");
        std::string workloads = chosen ? chosen : "read,swap";
        for (std::size_t at = 0; at < workloads.size();) {
            std::size_t comma = workloads.find(',', at);
            if (comma == std::string::npos)
                comma = workloads.size();
            const std::string workload = workloads.substr(at, comma - at);
            at = comma + 1;
            if (workload != "read" && workload != "swap" && workload != "alloc")
                throw std::runtime_error("unknown workload " + workload);
            for (int clients : counts)
                runClients(socket, workload, clients, seconds);
        }
    } catch (const std::exception &e) {
        std::fprintf(stderr, "bench-rsmd: %s\n", e.what());
        return 1;
    }
    return 0;
}
