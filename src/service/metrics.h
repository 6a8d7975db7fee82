#pragma once
// MetricsCollector: what rsmd's /metrics says (docs/metrics.md). Two kinds of figures:
//  - state of the libraries, drives, media and requests: a MetricsModel kept current from the
//    event log. The first scrape reads a snapshot of the objects; each later scrape reads only
//    the events since the one before (one statement), so a scrape costs the same whether the
//    library has 100 slots or 10,000;
//  - rsmd's own counters, counted where they happen: requests per verb and errors by RSM
//    code (the dispatcher), robot moves and their durations, figures of the drives' health
//    readings (the library workers), database transaction retries (the store), and the
//    connections and sessions of this rsmd (read from the server and dispatcher at scrape).
// Thread-safety: every member may be called from any thread.

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "rsm/error.h"
#include "rsm/health.h"
#include "src/engine/engine.h"
#include "src/service/metrics_model.h"
#include "src/service/metrics_text.h"

namespace rsm::service {

// Gauges read from elsewhere at each scrape (connections, sessions, retries).
using GaugeReader = std::function<std::vector<metrics::Family>()>;

class MetricsCollector {
public:
    explicit MetricsCollector(engine::Engine &engine);

    // A protocol request answered: its verb ("unknown" when rsmd knows none by that name) and
    // its error when it failed.
    void request(std::string_view verb, std::optional<ErrorCode> error);
    // A robot move of `library` that took `seconds`; ok false when it failed.
    void moved(const std::string &library, double seconds, bool ok);
    // A drive's health reading: bytes written and read in the mount it ends, TapeAlert flags.
    // The drive is named by its library and number at the scrape.
    void health(const Uuid &drive, const DriveHealth &reading);
    void addGauges(GaugeReader reader);

    // The exposition text. Fails (the error said to the scraper) only when the database cannot
    // be read for the first snapshot; later read failures keep the last state and count in
    // rsm_metrics_read_errors_total.
    Result<std::string> scrape();

private:
    Result<void> catchUp();

    engine::Engine &engine_;
    std::mutex mutex_;  // everything below
    MetricsModel model_;
    bool seeded_ = false;
    std::int64_t position_ = 0;
    std::uint64_t readErrors_ = 0;
    std::uint64_t eventsRead_ = 0;
    std::map<std::string, std::uint64_t> requests_;                       // by verb
    std::map<std::string, std::uint64_t> errors_;                         // by error name
    std::map<std::pair<std::string, std::string>, std::uint64_t> moves_;  // library, result
    std::map<std::string, metrics::Histogram> moveSeconds_;               // by library
    // by drive
    std::map<Uuid, std::uint64_t> bytesWritten_, bytesRead_, readings_;
    std::map<Uuid, int> alertFlags_;
    std::vector<GaugeReader> gauges_;
};

}  // namespace rsm::service
