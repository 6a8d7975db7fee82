// rsmctl acl: who may use, modify or control an object. Users and groups are given by name or
// number and resolved here, on the client: rsmd knows principals by number only.

#include <grp.h>
#include <pwd.h>

#include <algorithm>
#include <cctype>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "src/cli/context.h"

namespace rsm::cli {

namespace {

using nlohmann::json;

struct AclArgs {
    std::string object, user, group;
    std::vector<std::string> rights;
};

struct Principal {
    std::string kind;  // "user" or "group"
    unsigned id;
    std::string label;  // "user alice (1000)"
};

bool isNumber(const std::string &text) {
    return !text.empty() && text.size() < 10 &&
           std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isdigit(c); });
}

Result<Principal> resolve(const AclArgs &args) {
    const bool isUser = !args.user.empty();
    const std::string &given = isUser ? args.user : args.group;
    const char *kind = isUser ? "user" : "group";
    std::optional<unsigned> id;
    if (isNumber(given)) {
        id = static_cast<unsigned>(std::stoul(given));
    } else if (isUser) {
        if (const passwd *pw = getpwnam(given.c_str()))
            id = pw->pw_uid;
    } else if (const group *gr = getgrnam(given.c_str())) {
        id = gr->gr_gid;
    }
    if (!id)
        return Error(ErrorCode::InvalidParameter,
                     fmt::format("there is no {} '{}' on this computer", kind, given));
    return Principal{kind, *id,
                     isNumber(given) ? fmt::format("{} {}", kind, *id)
                                     : fmt::format("{} {} ({})", kind, given, *id)};
}

// --user U or --group G, exactly one of them.
void addPrincipal(CLI::App *app, AclArgs &args) {
    auto *who = app->add_option_group("principal", "Whose rights");
    who->add_option("--user", args.user, "A user's name or uid");
    who->add_option("--group", args.group, "A group's name or gid");
    who->require_option(1);
}

// Resolves the principal, then calls verb with object, principal, principal_id and `more`.
void callWithPrincipal(Context &context, const AclArgs &args, const std::string &verb, json more,
                       const std::string &done) {
    auto principal = resolve(args);
    if (!principal)
        return context.fail(principal.error());
    json fields = {
        {"object", args.object}, {"principal", principal->kind}, {"principal_id", principal->id}};
    fields.update(more);
    context.change(verb, std::move(fields), fmt::format(fmt::runtime(done), principal->label));
}

}  // namespace

void addAclCommands(CLI::App &group, Context &context) {
    auto args = std::make_shared<AclArgs>();
    auto object = [&](CLI::App *app) {
        app->add_option("OBJECT", args->object,
                        "UUID, KIND:NAME (library:vtl, pool:backup/daily, media:A00001L5, …) "
                        "or computer")
            ->required();
    };

    auto *list = group.add_subcommand("list", "Show an object's access control list");
    object(list);
    list->callback([&context, args] {
        context.list("acl.list", {{"object", args->object}}, "ace");
    });

    auto *grant = group.add_subcommand("grant", "Give a user or a group rights on an object");
    object(grant);
    grant->add_option("RIGHTS", args->rights, "use, modify, control")
        ->required()
        ->check(CLI::IsMember({"use", "modify", "control"}));
    addPrincipal(grant, *args);
    grant->callback([&context, args] {
        std::string rights;
        for (const auto &right : args->rights)
            rights += (rights.empty() ? "" : ",") + right;
        callWithPrincipal(context, *args, "acl.grant", {{"rights", args->rights}},
                          "granted " + rights + " on " + args->object + " to {}");
    });

    auto *revoke = group.add_subcommand("revoke", "Take a user's or a group's rights away");
    object(revoke);
    addPrincipal(revoke, *args);
    revoke->callback([&context, args] {
        callWithPrincipal(context, *args, "acl.revoke", json::object(),
                          "revoked the rights of {} on " + args->object);
    });
}

}  // namespace rsm::cli
