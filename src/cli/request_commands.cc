// rsmctl request: the queue of library requests (the robot work rsmd does one at a time per
// library) and operator requests (what rsm asks of the people at the library: bring a
// cartridge, add media, a cleaner, service a device, or a message).

#include <algorithm>
#include <cctype>
#include <chrono>
#include <iostream>
#include <regex>
#include <thread>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "rsm/uuid.h"
#include "src/cli/context.h"

namespace rsm::cli {

namespace {

using nlohmann::json;

struct RequestArgs {
    std::string library, request, kind, message, before;
    int limit = 0;
    bool all = false, operatorRequests = false;
};

bool answered(const json &result) {
    const std::string state = memberText(member(result, "operator_request"), "state");
    return state == "complete" || state == "refused";
}

// A request's id as the user gave it: the whole UUID, or its beginning as a table shows it
// ("3f2a9c1e"), looked up among the library requests (the newest 1,000 with the finished ones)
// and the operator requests.
Result<std::string> requestId(Client &daemon, const std::string &given) {
    static const std::regex prefix("[0-9a-fA-F][0-9a-fA-F-]{3,34}");
    if (Uuid::parse(given) || !std::regex_match(given, prefix))
        return given;  // rsmd judges it
    std::vector<std::string> found;
    auto collect = [&](const char *verb, json fields, const char *many) -> Result<void> {
        auto result = daemon.call(verb, std::move(fields));
        if (!result)
            return result.error();
        const json &list = member(*result, many);
        if (list.is_array())
            for (const json &request : list) {
                const std::string id = memberText(request, "id");
                if (id.size() >= given.size() &&
                    std::equal(given.begin(), given.end(), id.begin(),
                               [](char a, char b) { return std::tolower(a) == std::tolower(b); }))
                    found.push_back(id);
            }
        return {};
    };
    RSM_TRY_VOID(collect("request.list", {{"all", true}, {"limit", 1000}}, "requests"));
    RSM_TRY_VOID(collect("operator.list", {{"all", true}}, "operator_requests"));
    if (found.size() == 1)
        return found.front();
    if (found.empty())
        return Error(ErrorCode::ObjectNotFound,
                     fmt::format("no library request or operator request whose id begins with "
                                 "{}: rsmctl request list --all (--operator) lists them",
                                 given));
    return Error(ErrorCode::InvalidParameter,
                 fmt::format("{} requests have an id that begins with {}: give more of it",
                             found.size(), given));
}

// rsmd, with `request` made whole (requestId); nullptr when either failed (it is printed).
Client *daemonWithRequest(Context &context, std::string &request) {
    auto daemon = context.daemon();
    if (!daemon) {
        context.fail(daemon.error());
        return nullptr;
    }
    auto id = requestId(**daemon, request);
    if (!id) {
        context.fail(id.error());
        return nullptr;
    }
    request = *id;
    return *daemon;
}

}  // namespace

void addRequestCommands(CLI::App &group, Context &context) {
    auto args = std::make_shared<RequestArgs>();

    auto *list = group.add_subcommand("list", "List the library requests not yet finished");
    list->add_option("--library", args->library, "Only this library's requests");
    list->add_flag("--all", args->all, "Finished requests too");
    list->add_option("--limit", args->limit, "At most this many, newest first (default 100)")
        ->check(CLI::Range(1, 1000));
    list->add_option("--before", args->before, "Those older than this request (the next page)");
    list->add_flag("--operator", args->operatorRequests,
                   "Operator requests instead (unanswered ones; all with --all)");
    list->callback([&context, args] {
        if (args->operatorRequests)
            return context.list("operator.list", {{"all", args->all}}, "operator_request");
        json fields = {{"all", args->all}};
        addIfGiven(fields, "library", args->library);
        addIfGiven(fields, "before", args->before);
        if (args->limit)
            fields["limit"] = args->limit;
        context.call("request.list", std::move(fields), [&](const json &result) {
            context.printer->rows(objectKind("request"), result);
            // The table shows one page; say how to get the next one.
            if (!context.json && member(result, "next").is_string())
                std::cerr << fmt::format(
                    "rsmctl: more requests: rsmctl request list{}{} "
                    "--before {}\n",
                    args->all ? " --all" : "",
                    args->library.empty() ? "" : " --library " + args->library,
                    memberText(result, "next"));
        });
    });

    auto *show = group.add_subcommand("show", "Show a library request or an operator request");
    show->add_option("ID", args->request, "The request's UUID, or its first 8 characters")
        ->required();
    show->callback([&context, args] {
        Client *daemon = daemonWithRequest(context, args->request);
        if (!daemon)
            return;
        const char *kind = "request";
        auto shown = daemon->call("request.show", {{"request", args->request}});
        if (!shown && shown.error().code() == ErrorCode::ObjectNotFound) {
            kind = "operator_request";
            shown = daemon->call("operator.show", {{"request", args->request}});
            if (!shown && shown.error().code() == ErrorCode::ObjectNotFound)
                shown = Error(ErrorCode::ObjectNotFound,
                              fmt::format("no library request or operator request {}: rsmctl "
                                          "request list (--operator) lists them",
                                          args->request));
        }
        if (!shown)
            return context.fail(shown.error());
        context.printer->object(objectKind(kind), *shown);
    });

    auto *cancel = group.add_subcommand(
        "cancel", "Cancel a queued library request, or refuse an operator request");
    cancel->add_option("ID", args->request, "The request's UUID, or its first 8 characters")
        ->required();
    cancel->callback([&context, args] {
        Client *daemon = daemonWithRequest(context, args->request);
        if (!daemon)
            return;
        auto done = daemon->call("request.cancel", {{"request", args->request}});
        if (!done && done.error().code() == ErrorCode::ObjectNotFound)
            done = daemon->call("operator.cancel", {{"request", args->request}});
        if (!done)
            return context.fail(done.error());
        context.printer->done("cancelled request " + args->request, *done);
    });

    auto *satisfy = group.add_subcommand("satisfy", "Mark an operator request as done");
    satisfy
        ->add_option("ID", args->request, "The operator request's UUID, or its first 8 characters")
        ->required();
    satisfy->callback([&context, args] {
        if (daemonWithRequest(context, args->request))
            context.change("operator.satisfy", {{"request", args->request}},
                           "satisfied request " + args->request);
    });

    auto *submit = group.add_subcommand("submit", "Ask the operator for something");
    submit->add_option("KIND", args->kind, "NEWMEDIA, CLEANER, DEVICESERVICE, MOVEMEDIA or MESSAGE")
        ->required();
    submit->add_option("MESSAGE", args->message, "What to do, for people")->required();
    submit->add_option("--library", args->library, "The library it is about");
    submit->callback([&context, args] {
        json fields = {{"kind", args->kind}, {"message", args->message}};
        addIfGiven(fields, "library", args->library);
        context.call("operator.submit", std::move(fields), [&context](const json &result) {
            context.printer->done("submitted operator request " +
                                      memberText(member(result, "operator_request"), "id"),
                                  result);
        });
    });

    auto *wait = group.add_subcommand("wait", "Wait until an operator request is answered");
    wait->add_option("ID", args->request, "The operator request's UUID, or its first 8 characters")
        ->required();
    wait->callback([&context, args] {
        Client *daemon = daemonWithRequest(context, args->request);
        if (!daemon)
            return;
        const auto deadline = std::chrono::steady_clock::now() + context.robotTimeout();
        for (;;) {
            auto shown = daemon->call("operator.show", {{"request", args->request}});
            if (!shown)
                return context.fail(shown.error());
            if (answered(*shown)) {
                const std::string state = memberText(member(*shown, "operator_request"), "state");
                if (state == "refused")
                    return context.fail(
                        Error(ErrorCode::RequestRefused,
                              fmt::format("operator request {} was refused", args->request)));
                return context.printer->done("satisfied: " + args->request, *shown);
            }
            if (context.robotTimeout().count() != 0 && std::chrono::steady_clock::now() > deadline)
                return context.fail(
                    Error(ErrorCode::Timeout,
                          fmt::format("operator request {} is still unanswered", args->request)));
            std::this_thread::sleep_for(std::chrono::milliseconds(500));
        }
    });
}

}  // namespace rsm::cli
