#include "src/cli/context.h"

#include <algorithm>
#include <cmath>

namespace rsm::cli {

using Json = nlohmann::json;

namespace {

Timeout fromSeconds(double seconds) {
    return Timeout(static_cast<Timeout::rep>(std::llround(std::max(seconds, 0.0) * 1000.0)));
}

}  // namespace

Result<Client *> Context::daemon() {
    if (!client) {
        Client::Options options;
        options.socketPath = socket;
        options.timeout = fromSeconds(timeoutSeconds);
        auto connected = Client::connect(options);
        if (!connected)
            return connected.error();
        client = std::move(*connected);
    }
    return client.get();
}

Timeout Context::robotTimeout() const {
    const Timeout given = fromSeconds(timeoutSeconds);
    if (given.count() == 0)
        return given;
    return std::max<Timeout>(given, std::chrono::hours(1));
}

void Context::call(const std::string &verb, Json fields,
                   const std::function<void(const Json &)> &show, std::optional<Timeout> timeout) {
    auto daemon = this->daemon();
    if (!daemon) {
        if (replied)
            replied();
        return fail(daemon.error());
    }
    auto result = (*daemon)->call(verb, std::move(fields), timeout);
    if (replied)
        replied();
    if (!result)
        return fail(result.error());
    show(*result);
}

void Context::list(const std::string &verb, Json fields, const char *kind) {
    call(verb, std::move(fields),
         [&](const Json &result) { printer->rows(objectKind(kind), result); });
}

void Context::show(const std::string &verb, Json fields, const char *kind) {
    call(verb, std::move(fields),
         [&](const Json &result) { printer->object(objectKind(kind), result); });
}

void Context::change(const std::string &verb, Json fields, const std::string &what,
                     std::optional<Timeout> timeout) {
    call(
        verb, std::move(fields), [&](const Json &result) { printer->done(what, result); }, timeout);
}

void Context::finish() {
    if (!client)
        return;
    // The command's outcome is printed already, and rsmd closes a connection's sessions when
    // the connection closes: a failure to close it here changes nothing worth reporting.
    static_cast<void>(client->closeSession());
    client.reset();
}

void addIfGiven(Json &fields, const char *name, const std::string &value) {
    if (!value.empty())
        fields[name] = value;
}

}  // namespace rsm::cli
