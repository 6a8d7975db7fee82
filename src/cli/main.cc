// rsmctl: the command line of rsm. A table of command groups (commands.cc), each adding its
// subcommands; results go through a Printer (table or --json).

#include <iostream>

#include <CLI/CLI.hpp>

#include "src/cli/context.h"

int main(int argc, char **argv) {
    using namespace rsm::cli;

    CLI::App app("rsmctl: manage tape libraries with rsm", "rsmctl");
    app.require_subcommand(1);
    app.fallthrough();
    Context context;
    app.add_flag("--json", context.json, "Print results as JSON");
    app.set_version_flag("--version", "rsmctl 0.1.0");

    for (const CommandGroup &group : commandGroups()) {
        CLI::App *sub = app.add_subcommand(group.name, group.help);
        sub->require_subcommand(1);
        sub->fallthrough();
        group.add(*sub, context);
    }
    app.parse_complete_callback([&] {
        context.printer =
            context.json ? makeJsonPrinter(std::cout) : makeTablePrinter(std::cout, std::cerr);
    });

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError &e) {
        if (e.get_exit_code() == 0)
            return app.exit(e);
        app.exit(e);
        return 2;
    }
    return context.exitCode;
}
