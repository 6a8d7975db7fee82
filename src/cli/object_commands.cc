// rsmctl object: what any object has — a name, a description, named attributes — and the
// computer object that holds server-wide rights. Objects are named as in acl: a UUID,
// "computer", or KIND:NAME (library:vtl, pool:backup/daily, media:A00001L5, lmid:daily-1).

#include <CLI/CLI.hpp>

#include "src/cli/context.h"

namespace rsm::cli {

namespace {

using nlohmann::json;

struct ObjectArgs {
    std::string object, name, value;
};

void addObject(CLI::App *app, ObjectArgs &args) {
    app->add_option("OBJECT", args.object, "UUID, computer, or KIND:NAME (pool:backup, …)")
        ->required();
}

}  // namespace

void addObjectCommands(CLI::App &group, Context &context) {
    auto args = std::make_shared<ObjectArgs>();

    auto *rename = group.add_subcommand("rename", "Give an object a name");
    addObject(rename, *args);
    rename->add_option("NAME", args->name, "The new name (empty: none)")->required();
    rename->callback([&context, args] {
        context.change("object.rename", {{"object", args->object}, {"name", args->name}},
                       "renamed " + args->object + " to " + args->name);
    });

    auto *describe = group.add_subcommand("describe", "Set an object's description");
    addObject(describe, *args);
    describe->add_option("TEXT", args->value, "The description")->required();
    describe->callback([&context, args] {
        context.change("object.describe", {{"object", args->object}, {"description", args->value}},
                       "described " + args->object);
    });

    auto *get = group.add_subcommand("get", "Print a named attribute of an object");
    addObject(get, *args);
    get->add_option("NAME", args->name, "The attribute's name")->required();
    get->callback([&context, args] {
        context.call("attribute.get", {{"object", args->object}, {"name", args->name}},
                     [&context](const json &result) {
                         context.printer->done(result.value("value", ""), result);
                     });
    });

    auto *set = group.add_subcommand("set", "Set a named attribute of an object");
    addObject(set, *args);
    set->add_option("NAME", args->name, "The attribute's name")->required();
    set->add_option("VALUE", args->value, "Its value")->required();
    set->callback([&context, args] {
        context.change("attribute.set",
                       {{"object", args->object}, {"name", args->name}, {"value", args->value}},
                       "set " + args->name + " of " + args->object);
    });

    group.add_subcommand("computer", "Show the computer object (server-wide rights)")
        ->callback([&context] {
            context.call("computer.show", json::object(), [&context](const json &result) {
                context.printer->done("computer " + result["computer"].value("id", ""), result);
            });
        });
}

}  // namespace rsm::cli
