#include "rsm/clock.h"

#include <cstdlib>
#include <fstream>
#include <memory>

namespace rsm {

const SystemClock &SystemClock::instance() {
    static const SystemClock clock;
    return clock;
}

WallTime ManualClock::now() const {
    std::lock_guard lock(mutex_);
    return now_;
}

void ManualClock::set(WallTime when) {
    std::lock_guard lock(mutex_);
    now_ = when;
}

void ManualClock::advance(std::chrono::seconds by) {
    std::lock_guard lock(mutex_);
    now_ += by;
}

WallTime OffsetClock::now() const {
    long long seconds = 0;
    std::ifstream in(file_);
    if (!(in >> seconds))
        seconds = 0;
    return std::chrono::system_clock::now() + std::chrono::seconds(seconds);
}

const Clock &environmentClock() {
    static const std::unique_ptr<Clock> clock = []() -> std::unique_ptr<Clock> {
        const char *file = std::getenv("RSM_CLOCK_OFFSET_FILE");
        if (file != nullptr && *file != '\0')
            return std::make_unique<OffsetClock>(file);
        return nullptr;
    }();
    if (clock)
        return *clock;
    return SystemClock::instance();
}

}  // namespace rsm
