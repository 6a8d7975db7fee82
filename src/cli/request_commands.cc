// rsmctl request: the queue of library requests, the robot work rsmd does one at a time per
// library.

#include <CLI/CLI.hpp>

#include "src/cli/context.h"

namespace rsm::cli {

namespace {

using nlohmann::json;

struct RequestArgs {
    std::string library, request;
    bool all = false;
};

}  // namespace

void addRequestCommands(CLI::App &group, Context &context) {
    auto args = std::make_shared<RequestArgs>();

    auto *list = group.add_subcommand("list", "List the library requests not yet finished");
    list->add_option("--library", args->library, "Only this library's requests");
    list->add_flag("--all", args->all, "Finished requests too");
    list->callback([&context, args] {
        json fields = {{"all", args->all}};
        addIfGiven(fields, "library", args->library);
        context.list("request.list", std::move(fields), "request");
    });

    auto *cancel = group.add_subcommand("cancel", "Cancel a queued library request");
    cancel->add_option("ID", args->request, "The request's UUID")->required();
    cancel->callback([&context, args] {
        context.change("request.cancel", {{"request", args->request}},
                       "cancelled request " + args->request);
    });
}

}  // namespace rsm::cli
