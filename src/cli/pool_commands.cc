// rsmctl pool: media pools, named by their path (backup/daily, free:LTO-5).

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "src/cli/context.h"

namespace rsm::cli {

namespace {

using nlohmann::json;

struct PoolArgs {
    std::string pool, type, description;
    bool noAllocateFromFree = false;
    bool noDeallocateToFree = false;
    unsigned maxAllocations = 0;
};

}  // namespace

void addPoolCommands(CLI::App &group, Context &context) {
    auto args = std::make_shared<PoolArgs>();

    group.add_subcommand("list", "List the media pools")->callback([&context] {
        context.list("pool.list", json::object(), "pool");
    });

    auto *show = group.add_subcommand("show", "Show a media pool");
    show->add_option("POOL", args->pool, "The pool's path or UUID")->required();
    show->callback([&context, args] { context.show("pool.show", {{"pool", args->pool}}, "pool"); });

    auto *create = group.add_subcommand("create", "Create an application pool");
    create->add_option("PATH", args->pool, "Its path: PARENT/NAME or NAME")->required();
    create->add_option("--type", args->type, "The media type it holds");
    create->add_option("--description", args->description, "What it is for");
    create->add_flag("--no-allocate-from-free", args->noAllocateFromFree,
                     "Do not take media from the free pool when empty");
    create->add_flag("--no-deallocate-to-free", args->noDeallocateToFree,
                     "Keep deallocated media instead of returning them to the free pool");
    auto *max = create->add_option("--max-allocations", args->maxAllocations,
                                   "Decommission a side allocated this many times");
    create->callback([&context, args, max] {
        json fields = {{"path", args->pool},
                       {"allocate_from_free", !args->noAllocateFromFree},
                       {"deallocate_to_free", !args->noDeallocateToFree}};
        addIfGiven(fields, "media_type", args->type);
        addIfGiven(fields, "description", args->description);
        if (max->count())
            fields["max_allocations"] = args->maxAllocations;
        context.change("pool.create", std::move(fields), "created pool " + args->pool);
    });

    auto *remove = group.add_subcommand("delete", "Delete an empty media pool");
    remove->add_option("POOL", args->pool, "The pool's path or UUID")->required();
    remove->callback([&context, args] {
        context.change("pool.delete", {{"pool", args->pool}}, "deleted pool " + args->pool);
    });
    addPoolLifecycleCommands(group, context);
}

}  // namespace rsm::cli
