#include "src/service/retention.h"

#include <fmt/format.h>

namespace rsm::service {

std::chrono::seconds purgeInterval(const RetentionOptions &options) {
    if (options.events.count() == 0 && options.sessions.count() == 0)
        return std::chrono::seconds(0);  // everything is kept
    return options.interval;
}

std::function<void()> purgeWork(engine::Engine &engine, RetentionOptions options) {
    return [&engine, options = std::move(options)] {
        auto purged = engine.purge(options.events, options.sessions);
        if (!options.report)
            return;
        if (!purged)
            options.report(true, "retention: purge failed: " + purged.error().toString());
        else if (purged->events > 0 || purged->sessions > 0)
            options.report(false, fmt::format("retention: purged {} events and {} closed sessions",
                                              purged->events, purged->sessions));
    };
}

}  // namespace rsm::service
