// rsmctl: the command line of rsm. A table of command groups (commands.cc), each adding its
// subcommands; results go through a Printer (table or --json). Commands other than `changer`
// and `mtx` talk to rsmd (client.h) over its Unix socket. `rsmctl mtx ...` (and rsmctl run as
// `mtx` or `rsm-mtx`) reads mtx's own command line, before CLI11 (mtx_command.cc).

#include <algorithm>
#include <iostream>
#include <string_view>

#include <CLI/CLI.hpp>

#include "src/cli/context.h"
#include "src/cli/mtx_command.h"
#include "src/cli/suggest.h"

int main(int argc, char **argv) {
    using namespace rsm::cli;

    keepFreedMemory();  // rsmctl too runs one command line (`changer status`, `mtx`) and exits
    if (auto mtxArgs = mtxArguments(argc, argv))
        return runMtx(*mtxArgs);

    CLI::App app("rsmctl: manage tape libraries with rsm", "rsmctl");
    app.require_subcommand(1);
    app.fallthrough();
    Context context;
    app.add_flag("--json", context.json, "Print results as JSON");
    app.add_flag("--utc", context.table.utc,
                 "Show times in UTC (default: the local time zone, named after each time)");
    app.add_flag("--wide", context.table.wide,
                 "Show every cell of a table whole (default: tables fit 100 columns)");
    app.add_option(
        "--socket", context.socket,
        std::string("rsmd's socket (default: $RSM_SOCKET, else ") + kDefaultSocket + ")");
    app.add_option("--timeout", context.timeoutSeconds,
                   "Seconds to wait for rsmd's reply (default 30; at least an hour for robot "
                   "work; 0: no limit)")
        ->check(CLI::NonNegativeNumber);
    app.set_version_flag("--version", kClientName);

    for (const CommandGroup &group : commandGroups()) {
        CLI::App *sub = app.add_subcommand(group.name, group.help);
        if (group.shape == Shape::Group)
            sub->require_subcommand(1);
        sub->fallthrough();
        group.add(*sub, context);
    }
    auto choosePrinter = [&] {
        context.printer = context.json ? makeJsonPrinter(std::cout)
                                       : makeTablePrinter(std::cout, std::cerr, context.table);
    };
    app.parse_complete_callback(choosePrinter);

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError &e) {
        if (e.get_exit_code() == 0)
            return app.exit(e);
        // A command name mistyped: say which one was meant, rather than "a subcommand is
        // required".
        const auto hint = commandHint(app, argc, argv);
        // Under --json a command-line error is a JSON error object too, for the script that
        // reads stdout; exit status 2 as for every usage error.
        if (std::find(argv + 1, argv + argc, std::string_view("--json")) != argv + argc) {
            makeJsonPrinter(std::cout)->error(rsm::Error(
                rsm::ErrorCode::InvalidParameter,
                hint ? *hint : std::string(e.what()) + "; rsmctl --help lists the commands"));
            return 2;
        }
        if (hint) {
            std::cerr << "rsmctl: " << *hint << "\n";
            return 2;
        }
        app.exit(e);
        return 2;
    } catch (const std::exception &e) {
        // Results are read defensively (kinds.h: member); this is the last line of defence,
        // so that even a surprise is one error line and exit status 1.
        if (!context.printer)
            choosePrinter();
        context.fail(rsm::Error(rsm::ErrorCode::BadFormat, std::string("unexpected: ") + e.what()));
    }
    context.finish();
    return context.exitCode;
}
