// rsmctl watch: the stream of changes rsmd reports, one event per line, until it ends.

#include <cstdint>
#include <iostream>

#include <CLI/CLI.hpp>

#include "src/cli/context.h"

namespace rsm::cli {

void addWatchCommand(CLI::App &command, Context &context) {
    auto args = std::make_shared<std::uint64_t>(0);
    auto sessions = std::make_shared<bool>(false);
    auto *since =
        command.add_option("--since", *args, "Replay the events after this sequence number first");
    command.add_flag("--sessions", *sessions,
                     "Show sessions opened and closed too (rsmd logs them with "
                     "log_session_events = yes)");
    command.callback([&context, args, since, sessions] {
        nlohmann::json fields = nlohmann::json::object();
        if (since->count())
            fields["since"] = *args;
        if (*sessions)
            fields["sessions"] = true;
        auto daemon = context.daemon();
        if (!daemon)
            return context.fail(daemon.error());
        // Runs until rsmd ends the stream (an error, exit 1) or the user interrupts it.
        auto ended = (*daemon)->watch(
            std::move(fields),
            [&](const nlohmann::json &started) { context.printer->watching(started); },
            [&](const nlohmann::json &event) { context.printer->event(event); },
            [](const nlohmann::json &notice) {
                std::cerr << "rsmctl: " << notice.value("message", notice.dump()) << "\n";
            });
        if (!ended)
            context.fail(ended.error());
    });
}

}  // namespace rsm::cli
