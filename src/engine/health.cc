#include "src/engine/engine.h"

namespace rsm::engine {

// Placeholder until the health store lands (issue 19): nothing is kept yet.
Result<HealthOutcome> Engine::recordHealth(const HealthRecord &) {
    return HealthOutcome{};
}

}  // namespace rsm::engine
