// rsmctl pool policy, pool sweep, media state, and media list --due / --expired: the life of
// media in a pool (docs/lifecycle.md).

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "src/cli/context.h"
#include "src/cli/kinds.h"

namespace rsm::cli {

namespace {

using nlohmann::json;

struct PolicyArgs {
    std::string pool, retention, from, expire, allocation, low, high;
};

// "30d", "12h", "90m", "45s", "2w", "3600" (seconds) -> seconds; 0 when it is none of those.
long long spanSeconds(const std::string &text) {
    if (text.empty())
        return 0;
    std::size_t used = 0;
    long long n = 0;
    try {
        n = std::stoll(text, &used);
    } catch (const std::exception &) {
        return 0;
    }
    const std::string unit = text.substr(used);
    long long scale = 0;
    if (unit.empty() || unit == "s")
        scale = 1;
    else if (unit == "m")
        scale = 60;
    else if (unit == "h")
        scale = 3600;
    else if (unit == "d")
        scale = 86400;
    else if (unit == "w")
        scale = 7 * 86400;
    return n > 0 && scale > 0 && n <= 100LL * 366 * 86400 / scale ? n * scale : 0;
}

// A water mark: a count, or "none" (null: removes it).
json markValue(const std::string &text) {
    if (text == "none")
        return nullptr;
    try {
        std::size_t used = 0;
        const long long n = std::stoll(text, &used);
        if (used == text.size() && n >= 0)
            return n;
    } catch (const std::exception &) {
    }
    return text;  // rsmd says what is wrong with it
}

}  // namespace

void addPoolLifecycleCommands(CLI::App &group, Context &context) {
    auto args = std::make_shared<PolicyArgs>();
    auto *policy = group.add_subcommand(
        "policy", "Set a pool's retention, allocation policy and water marks (docs/lifecycle.md)");
    policy->add_option("POOL", args->pool, "The pool's path or UUID")->required();
    policy->add_option("--retention", args->retention,
                       "How long a side is kept after its basis time (30d, 12h, 2w), or keep");
    policy
        ->add_option("--retention-from", args->from,
                     "The basis time: complete (default) or last-write")
        ->check(CLI::IsMember({"complete", "last-write"}));
    policy
        ->add_option("--expire", args->expire,
                     "When the retention ends: deallocate (default) or report")
        ->check(CLI::IsMember({"deallocate", "report"}));
    policy
        ->add_option("--allocation", args->allocation,
                     "continue, new, per-day, per-week or per-month")
        ->check(CLI::IsMember({"continue", "new", "per-day", "per-week", "per-month"}));
    policy->add_option("--low-mark", args->low,
                       "Ask for media when free media fall below this count (none: off)");
    policy->add_option("--high-mark", args->high, "The count to refill to (none: off)");
    policy->callback([&context, args] {
        json fields = {{"pool", args->pool}};
        if (!args->retention.empty()) {
            if (args->retention == "keep") {
                fields["retention"] = "keep";
            } else {
                const long long seconds = spanSeconds(args->retention);
                if (seconds == 0) {
                    context.fail(Error(ErrorCode::InvalidParameter,
                                       fmt::format("--retention {}: give a span such as 30d, 12h, "
                                                   "90m or 2w, or keep",
                                                   args->retention)));
                    return;
                }
                fields["retention"] = seconds;
            }
        }
        addIfGiven(fields, "retention_from", args->from);
        addIfGiven(fields, "expire", args->expire);
        addIfGiven(fields, "allocation", args->allocation);
        if (!args->low.empty())
            fields["low_mark"] = markValue(args->low);
        if (!args->high.empty())
            fields["high_mark"] = markValue(args->high);
        context.change("pool.set_policy", std::move(fields),
                       "set the policy of pool " + args->pool);
    });

    group
        .add_subcommand("sweep",
                        "Run the lifecycle sweep now: expired sides, water marks "
                        "(administrators)")
        ->callback([&context] {
            context.call("lifecycle.run", json::object(), [&context](const json &result) {
                context.printer->rows(objectKind("retention"), result);
                if (!context.json)
                    context.printer->rows(objectKind("mark"), result);
            });
        });
}

void addMediaLifecycleCommands(CLI::App &group, Context &context) {
    auto media = std::make_shared<std::string>();
    auto state = std::make_shared<std::string>();
    auto *set = group.add_subcommand(
        "state", "Mark a medium full, damaged or retired (never allocated), or active again");
    set->add_option("PMID", *media, "The medium's barcode or UUID")->required();
    set->add_option("STATE", *state, "full, damaged, retired or active")
        ->required()
        ->check(CLI::IsMember({"full", "damaged", "retired", "active"}));
    set->callback([&context, media, state] {
        context.change("media.set_state", {{"media", *media}, {"state", *state}},
                       fmt::format("{} is {}", *media, *state));
    });
}

// media list --due / --expired: the sides with a retention, by when it ends.
void listRetention(Context &context, const std::string &pool, bool expired) {
    json fields = {{"which", expired ? "expired" : "due"}};
    addIfGiven(fields, "pool", pool);
    context.list("media.retention", std::move(fields), "retention");
}

}  // namespace rsm::cli
