#include "src/service/lifecycle_job.h"

#include <fmt/format.h>

namespace rsm::service {

std::vector<std::string> sweepLines(const engine::SweepReport &report) {
    std::vector<std::string> out;
    for (const engine::SweepSide &s : report.sides)
        out.push_back(
            fmt::format("lifecycle: side {} of {} (pool {}, LMID {}): retention ended; {}",
                        s.side.sideNumber, s.side.barcode.value_or(s.side.mediaId.toString()),
                        s.pool, s.side.lmidName, s.outcome));
    for (const engine::SweepPool &p : report.pools) {
        if (p.raised)
            out.push_back(
                fmt::format("lifecycle: pool {} has {} free media, below its low mark "
                            "of {}: operator request posted",
                            p.pool, p.free, p.lowMark.value_or(0)));
        if (p.withdrawn)
            out.push_back(fmt::format(
                "lifecycle: pool {} has {} free media again: its operator request is complete",
                p.pool, p.free));
    }
    return out;
}

engine::SweepReport freshInSweep(const engine::SweepReport &report, std::set<std::string> &shown) {
    engine::SweepReport fresh = report;
    fresh.sides.clear();
    std::set<std::string> found;
    for (const engine::SweepSide &s : report.sides) {
        const bool standing = s.outcome == "reported" || s.outcome.rfind("kept", 0) == 0;
        if (!standing) {
            fresh.sides.push_back(s);
            continue;
        }
        std::string key = s.side.sideId.toString() + " " + s.outcome;
        if (!shown.count(key))
            fresh.sides.push_back(s);
        found.insert(std::move(key));
    }
    shown = std::move(found);
    return fresh;
}

std::function<void()> sweepWork(engine::Engine &engine, JobReport report) {
    return [&engine, report = std::move(report), shown = std::set<std::string>()]() mutable {
        auto swept = engine.applyLifecycle();
        if (!report)
            return;
        if (!swept) {
            report(true, "lifecycle: sweep failed: " + swept.error().toString());
            return;
        }
        for (const std::string &line : sweepLines(freshInSweep(*swept, shown)))
            report(line.find("; failed") != std::string::npos, line);
    };
}

}  // namespace rsm::service
