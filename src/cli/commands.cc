#include "src/cli/context.h"

namespace rsm::cli {

const std::vector<CommandGroup> &commandGroups() {
    static const std::vector<CommandGroup> groups = {
        {"changer", "Drive a medium changer directly (no daemon, no database)", addChangerCommands},
    };
    return groups;
}

}  // namespace rsm::cli
