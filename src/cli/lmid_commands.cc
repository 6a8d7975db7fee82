// rsmctl lmid, allocate, deallocate, swap and complete: logical media (a side of a medium
// allocated to an application, named by its LMID).

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "src/cli/context.h"

namespace rsm::cli {

namespace {

using nlohmann::json;

struct LmidArgs {
    std::string lmid, second, pool, next, name, media;
    bool fresh = false;
};

void addLmid(CLI::App *app, std::string &into, const char *name = "LMID") {
    app->add_option(name, into, "The logical medium's name or UUID")->required();
}

}  // namespace

void addLmidCommands(CLI::App &group, Context &context) {
    auto args = std::make_shared<LmidArgs>();

    group.add_subcommand("list", "List the logical media")->callback([&context] {
        context.list("lmid.list", json::object(), "lmid");
    });

    auto *show = group.add_subcommand("show", "Show a logical medium");
    addLmid(show, args->lmid);
    show->callback([&context, args] { context.show("lmid.show", {{"lmid", args->lmid}}, "lmid"); });
}

void addAllocateCommand(CLI::App &command, Context &context) {
    auto args = std::make_shared<LmidArgs>();
    command.add_option("POOL", args->pool, "The pool to allocate from")->required();
    command.add_flag("--new", args->fresh, "Only a side never allocated before");
    command.add_option("--next", args->next, "The next side of this LMID's medium");
    command.add_option("--name", args->name,
                       "A name for the new LMID (default: the cartridge's barcode)");
    command.add_option("--media", args->media, "This cartridge (barcode or id), not rsm's choice");
    command.callback([&context, args] {
        json fields = {{"pool", args->pool}, {"new", args->fresh}};
        addIfGiven(fields, "next", args->next);
        addIfGiven(fields, "media", args->media);
        addIfGiven(fields, "name", args->name);
        context.call("lmid.allocate", std::move(fields), [&](const json &result) {
            const json &lmid = member(result, "lmid");
            context.printer->done(fmt::format("allocated {} (medium {} side {}) from pool {}",
                                              memberText(lmid, "name"), memberText(lmid, "barcode"),
                                              memberText(lmid, "side"), args->pool),
                                  result);
        });
    });
}

void addDeallocateCommand(CLI::App &command, Context &context) {
    auto args = std::make_shared<LmidArgs>();
    addLmid(&command, args->lmid);
    command.callback([&context, args] {
        context.change("lmid.deallocate", {{"lmid", args->lmid}}, "deallocated " + args->lmid);
    });
}

void addSwapCommand(CLI::App &command, Context &context) {
    auto args = std::make_shared<LmidArgs>();
    addLmid(&command, args->lmid, "LMID1");
    addLmid(&command, args->second, "LMID2");
    command.callback([&context, args] {
        // Scripts get the two LMIDs as they now are; people the confirmation.
        context.change(
            "lmid.swap",
            {{"lmid1", args->lmid}, {"lmid2", args->second}, {"return_lmids", context.json}},
            fmt::format("swapped {} and {}", args->lmid, args->second));
    });
}

void addCompleteCommand(CLI::App &command, Context &context) {
    auto args = std::make_shared<LmidArgs>();
    addLmid(&command, args->lmid);
    command.callback([&context, args] {
        context.change("lmid.complete", {{"lmid", args->lmid}}, "completed " + args->lmid);
    });
}

}  // namespace rsm::cli
