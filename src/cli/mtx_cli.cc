// rsmctl mtx: the command table's row (commands.cc), so that `rsmctl --help` lists it and
// `rsmctl --json mtx ...` works. `rsmctl mtx ...` itself is handed to mtx's own parser by main()
// before CLI11 runs (mtx_command.h).

#include <CLI/CLI.hpp>

#include "src/cli/context.h"
#include "src/cli/mtx_command.h"

namespace rsm::cli {

void addMtxCommand(CLI::App &command, Context &context) {
    command.prefix_command();
    command.allow_extras();
    command.fallthrough(false);  // `-f` and the rest are mtx's, not rsmctl's
    command.callback([&command, &context] { context.exitCode = runMtx(command.remaining()); });
}

}  // namespace rsm::cli
