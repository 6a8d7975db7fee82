#pragma once
// What every rsmctl command gets: the chosen printer and the exit status it sets.

#include <memory>
#include <vector>

#include "src/cli/printer.h"

namespace CLI {
class App;
}

namespace rsm::cli {

struct Context {
    bool json = false;
    std::unique_ptr<Printer> printer;
    int exitCode = 0;

    // Prints the error and sets exit status 1.
    void fail(const Error &error) {
        printer->error(error);
        exitCode = 1;
    }
};

// One group of subcommands ("changer", later "library", "media", …): a row of the command
// table in commands.cc.
struct CommandGroup {
    const char *name;
    const char *help;
    void (*add)(CLI::App &group, Context &context);
};

const std::vector<CommandGroup> &commandGroups();

void addChangerCommands(CLI::App &group, Context &context);

}  // namespace rsm::cli
