// rsmctl media, mediatype, delete-media, move-to-pool and decommission: physical media (a
// cartridge, named by its barcode) and the media types they are of.

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "src/cli/context.h"

namespace rsm::cli {

namespace {

using nlohmann::json;

struct MediaArgs {
    std::string media, type, barcode, pool, library, name, description, labelType, labelId;
    std::string state, location;
    bool due = false, expired = false;
    unsigned sides = 1;
    unsigned side = 0;
    int limit = 0;
};

void addMedia(CLI::App *app, MediaArgs &args) {
    app->add_option("PMID", args.media, "The medium's barcode or UUID")->required();
}

void addCleanerCommand(CLI::App &group, Context &context) {
    auto args = std::make_shared<MediaArgs>();
    auto uses = std::make_shared<int>(0);
    auto *cleaner =
        group.add_subcommand("cleaner", "Make a medium a cleaner cartridge, or set its uses left");
    addMedia(cleaner, *args);
    cleaner->add_option("--uses", *uses, "Cleanings it has left (0: spent)")
        ->required()
        ->check(CLI::Range(0, 10000));
    cleaner->callback([&context, args, uses] {
        context.change("media.cleaner", {{"media", args->media}, {"uses", *uses}},
                       fmt::format("{} is a cleaner with {} use{} left", args->media, *uses,
                                   *uses == 1 ? "" : "s"));
    });
}

}  // namespace

void addMediaCommands(CLI::App &group, Context &context) {
    auto args = std::make_shared<MediaArgs>();

    auto *list = group.add_subcommand("list", "List the physical media");
    list->add_option("--pool", args->pool, "Only the media of this pool");
    list->add_option("--library", args->library, "Only the media in this library");
    list->add_option("--state", args->state,
                     "Only media with a side in this state (available, allocated, complete, …) "
                     "or in this medium state (idle, loaded, …), or lifecycle state (full, "
                     "damaged, retired, active, worm)");
    list->add_option("--location", args->location,
                     "Only media here: online, offline, shelf, slot, drive, ieport, transport");
    list->add_flag("--due", args->due,
                   "The sides whose retention ends later, with when (docs/lifecycle.md)");
    list->add_flag("--expired", args->expired, "The sides whose retention has ended");
    list->callback([&context, args] {
        if (args->due || args->expired) {
            listRetention(context, args->pool, args->expired);
            return;
        }
        json fields = json::object();
        addIfGiven(fields, "pool", args->pool);
        addIfGiven(fields, "library", args->library);
        addIfGiven(fields, "state", args->state);
        addIfGiven(fields, "location", args->location);
        context.list("media.list", std::move(fields), "media");
    });

    auto *show = group.add_subcommand("show", "Show a medium and its sides");
    addMedia(show, *args);
    show->callback([&context, args] { showMediaWithHealth(context, args->media); });
    addMediaLifecycleCommands(group, context);
    addMediaHealthCommands(group, context);

    auto *history = group.add_subcommand(
        "history", "What happened to a medium: mounts and who asked, moves, inventories");
    addMedia(history, *args);
    history->add_option("--limit", args->limit, "Read at most this many events (default 1000)")
        ->check(CLI::Range(1, 10000));
    history->callback([&context, args] {
        json fields = {{"media", args->media}};
        if (args->limit)
            fields["limit"] = args->limit;
        context.list("media.history", std::move(fields), "history");
    });

    auto *create = group.add_subcommand("create", "Add a medium to rsm's database");
    create->add_option("--type", args->type, "Its media type (LTO-5, …)")->required();
    create->add_option("--barcode", args->barcode, "Its barcode");
    create->add_option("--pool", args->pool, "The pool it goes to");
    create->add_option("--name", args->name, "A name for it");
    create->add_option("--description", args->description, "What it is for");
    create->add_option("--label-type", args->labelType, "The kind of label written on it");
    create->add_option("--label-id", args->labelId, "The label's identifier");
    create->callback([&context, args] {
        json fields = {{"media_type", args->type}};
        addIfGiven(fields, "barcode", args->barcode);
        addIfGiven(fields, "pool", args->pool);
        addIfGiven(fields, "name", args->name);
        addIfGiven(fields, "description", args->description);
        addIfGiven(fields, "label_type", args->labelType);
        addIfGiven(fields, "label_id", args->labelId);
        context.call("media.create", std::move(fields), [&](const json &result) {
            const json &media = member(result, "media");
            const json &barcode = member(media, "barcode");
            const std::string label =
                barcode.is_string() ? barcode.get<std::string>() : memberText(media, "id");
            context.printer->done("created medium " + label, result);
        });
    });
    addCleanerCommand(group, context);
}

void addMediaTypeCommands(CLI::App &group, Context &context) {
    auto args = std::make_shared<MediaArgs>();

    group.add_subcommand("list", "List the media types")->callback([&context] {
        context.list("mediatype.list", json::object(), "media_type");
    });

    auto *create = group.add_subcommand("create", "Add a media type");
    create->add_option("NAME", args->name, "Its name (LTO-9, …)")->required();
    auto *sides = create->add_option("--sides", args->sides, "Sides of a medium (1)")
                      ->check(CLI::PositiveNumber);
    create->add_option("--description", args->description, "What it is");
    auto worm = std::make_shared<bool>(false);
    create->add_flag("--worm", *worm, "Its media are WORM: never deallocated to scratch");
    create->callback([&context, args, sides, worm] {
        json fields = {{"name", args->name}};
        if (*worm)
            fields["worm"] = true;
        if (sides->count())
            fields["sides"] = args->sides;
        addIfGiven(fields, "description", args->description);
        context.change("mediatype.create", std::move(fields), "created media type " + args->name);
    });
}

void addDeleteMediaCommand(CLI::App &command, Context &context) {
    auto args = std::make_shared<MediaArgs>();
    addMedia(&command, *args);
    command.callback([&context, args] {
        context.change("media.delete", {{"media", args->media}}, "deleted medium " + args->media);
    });
}

void addMoveToPoolCommand(CLI::App &command, Context &context) {
    auto args = std::make_shared<MediaArgs>();
    addMedia(&command, *args);
    command.add_option("POOL", args->pool, "The pool's path or UUID")->required();
    command.callback([&context, args] {
        context.change("media.move_to_pool", {{"media", args->media}, {"pool", args->pool}},
                       fmt::format("moved medium {} to pool {}", args->media, args->pool));
    });
}

void addDecommissionCommand(CLI::App &command, Context &context) {
    auto args = std::make_shared<MediaArgs>();
    addMedia(&command, *args);
    auto *side =
        command.add_option("--side", args->side, "Which side: 0, the first (default), or 1")
            ->check(CLI::NonNegativeNumber);
    command.callback([&context, args, side] {
        json fields = {{"media", args->media}};
        if (side->count())
            fields["side"] = args->side;
        context.change("media.decommission", std::move(fields),
                       side->count() ? fmt::format("decommissioned side {} of medium {}",
                                                   args->side, args->media)
                                     : "decommissioned medium " + args->media);
    });
}

}  // namespace rsm::cli
