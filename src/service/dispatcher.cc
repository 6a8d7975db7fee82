#include "src/service/dispatcher.h"

#include <map>
#include <mutex>
#include <set>

#include <fmt/format.h>

#include "src/protocol/codec.h"

namespace rsm::service {

using nlohmann::json;

struct Dispatcher::State {
    bool hello = false;
    bool watching = false;
    std::set<Uuid> sessions;
};

namespace {

const Verb *findVerb(const std::string &name) {
    static const std::map<std::string, const Verb *> table = [] {
        std::map<std::string, const Verb *> t;
        for (const auto *verbs : {&objectVerbs(), &libraryVerbs(), &robotVerbs(), &elementVerbs(),
                                  &healthVerbs(), &vaultVerbs(), &lifecycleVerbs()})
            for (const Verb &v : *verbs)
                t[v.name] = &v;
        return t;
    }();
    auto it = table.find(name);
    return it == table.end() ? nullptr : it->second;
}

Result<void> checkFields(const json &request, std::initializer_list<const char *> common,
                         const std::vector<const char *> &allowed, const std::string &verb) {
    for (const auto &[key, value] : request.items()) {
        bool known = false;
        for (const char *f : common)
            known = known || key == f;
        for (const char *f : allowed)
            known = known || key == f;
        if (!known)
            return Error(ErrorCode::InvalidParameter,
                         fmt::format("unknown field \"{}\" for verb {}", key, verb));
    }
    return success();
}

}  // namespace

Dispatcher::Dispatcher(Services services, DispatcherOptions options)
    : services_(services), options_(std::move(options)) {}

Dispatcher::State &Dispatcher::state(daemon::ConnectionState &connection) {
    if (!connection.protocol)
        connection.protocol = std::make_shared<State>();
    return *static_cast<State *>(connection.protocol.get());
}

std::optional<daemon::Reply> Dispatcher::handleAtOnce(
    const std::shared_ptr<daemon::ConnectionState> &connection, std::string_view line) {
    if (line.find("\"hello\"") == std::string_view::npos)  // most lines: no parse here
        return std::nullopt;
    protocol::ParsedLine parsed = protocol::parseLine(line);
    if (!parsed.value.is_object() || parsed.value.value("verb", json()) != "hello")
        return std::nullopt;
    return answer(connection, parsed);
}

daemon::Reply Dispatcher::handle(const std::shared_ptr<daemon::ConnectionState> &connection,
                                 std::string_view line) {
    protocol::ParsedLine parsed = protocol::parseLine(line);
    return answer(connection, parsed);
}

daemon::Reply Dispatcher::answer(const std::shared_ptr<daemon::ConnectionState> &connection,
                                 protocol::ParsedLine &parsed) {
    json &request = parsed.value;
    if (request.is_discarded() || !request.is_object())
        return {protocol::errorLine(nullptr, Error(ErrorCode::InvalidParameter,
                                                   "a request is one JSON object on one line")),
                false,
                {}};
    json id = request.contains("id") ? request["id"] : json(nullptr);
    if (!id.is_primitive())
        return {protocol::errorLine(nullptr, Error(ErrorCode::InvalidParameter,
                                                   "field \"id\" must be a string or a number")),
                false,
                {}};
    if (parsed.duplicateKey)
        return {protocol::errorLine(
                    id, Error(ErrorCode::InvalidParameter,
                              fmt::format("field \"{}\" appears twice in one object of the "
                                          "request; send each field once",
                                          *parsed.duplicateKey))),
                false,
                {}};
    try {
        return dispatch(connection, request, id);
    } catch (const std::bad_alloc &) {
        return {
            protocol::errorLine(id, Error(ErrorCode::NotEnoughMemory, "out of memory")), false, {}};
    } catch (const std::exception &e) {
        return {protocol::errorLine(id, Error(ErrorCode::InvalidParameter,
                                              std::string("bad request: ") + e.what())),
                false,
                {}};
    }
}

daemon::Reply Dispatcher::dispatch(const std::shared_ptr<daemon::ConnectionState> &connection,
                                   const json &request, const json &id) {
    // Tells the observer of the request once it is answered, whichever way it returns.
    struct Observed {
        const DispatcherOptions &options;
        std::string verb = "unknown";
        std::optional<ErrorCode> error;
        ~Observed() {
            if (options.observe)
                options.observe(verb, error);
        }
    } observed{options_, "unknown", std::nullopt};
    auto fail = [&](const Error &e) {
        observed.error = e.code();
        return daemon::Reply{protocol::errorLine(id, e), false, {}};
    };
    auto reply = [&](const Result<json> &r) {
        return r ? daemon::Reply{protocol::resultLine(id, *r), false, {}} : fail(r.error());
    };
    State &st = state(*connection);
    if (!request.contains("verb") || !request["verb"].is_string())
        return fail(Error(ErrorCode::InvalidParameter, "field \"verb\" is missing"));
    const std::string verb = request["verb"].get<std::string>();
    Fields fields(request);

    if (verb == "hello" || verb == "session.open")
        observed.verb = verb;
    if (verb == "hello") {
        if (auto bad = checkFields(request, {"id", "verb"}, {"protocol", "client"}, verb); !bad)
            return fail(bad.error());
        return reply(hello(*connection, fields));
    }
    if (!st.hello)
        return fail(Error(ErrorCode::InvalidOperation,
                          fmt::format("send hello first (protocol {})", protocol::kVersion)));
    if (st.watching)
        return fail(Error(ErrorCode::InvalidOperation, "this connection is watching events"));
    if (verb == "session.open") {
        if (auto bad = checkFields(request, {"id", "verb"}, {"application"}, verb); !bad)
            return fail(bad.error());
        return reply(openSession(*connection, fields));
    }

    const Verb *v = findVerb(verb);
    if (v || verb == "session.close")
        observed.verb = verb;
    if (!v && verb != "session.close")
        return fail(Error(ErrorCode::InvalidOperation, fmt::format("unknown verb \"{}\"", verb)));
    const std::vector<const char *> none;
    if (auto bad = checkFields(request, {"id", "verb", "session"}, v ? v->fields : none, verb);
        !bad)
        return fail(bad.error());

    Uuid session;
    if (!v || v->session) {
        if (!fields.has("session"))
            return fail(Error(ErrorCode::InvalidHandle, "the session handle is missing"));
        const json &s = request["session"];
        auto parsed = s.is_string() ? Uuid::parse(s.get<std::string>()) : std::nullopt;
        if (!parsed || !st.sessions.count(*parsed))
            return fail(Error(ErrorCode::InvalidHandle,
                              fmt::format("session {} is not open on this connection",
                                          s.is_string() ? s.get<std::string>() : s.dump())));
        session = *parsed;
    }
    if (!v)
        return reply(closeSession(*connection, session));

    Call call{services_, fields, session, connection, id, false, {}, {}, {}, false};
    Result<json> result = v->run(call);
    if (!result)
        return fail(result.error());
    if (call.watching)
        st.watching = true;
    if (call.deferred)
        return {std::string(), false, std::move(call.after)};
    if (call.line)
        return {std::move(*call.line), false, std::move(call.after), std::move(call.attachment)};
    return {protocol::resultLine(id, *result), false, std::move(call.after)};
}

Result<json> Dispatcher::hello(daemon::ConnectionState &connection, const Fields &fields) {
    auto version = fields.integer("protocol", protocol::kVersion, 0, INT32_MAX);
    if (!version)
        return version.error();
    if (*version != protocol::kVersion)
        return Error(ErrorCode::NotSupported,
                     fmt::format("protocol {} is not supported; this rsmd speaks protocol {}",
                                 *version, protocol::kVersion));
    auto client = fields.optionalText("client");
    if (!client)
        return client.error();
    state(connection).hello = true;
    const Principal &p = connection.principal();
    return json{{"protocol", protocol::kVersion},
                {"server", options_.serverName},
                {"uid", p.uid},
                {"gids", p.gids}};
}

Result<json> Dispatcher::openSession(daemon::ConnectionState &connection, const Fields &fields) {
    State &st = state(connection);
    if (st.sessions.size() >= options_.maxSessionsPerConnection)
        return Error(ErrorCode::Busy, fmt::format("a connection may hold {} sessions",
                                                  options_.maxSessionsPerConnection));
    auto application = fields.textOr("application", "");
    if (!application)
        return application.error();
    auto session = services_.engine.openSession(connection.principal(), *application);
    if (!session)
        return session.error();
    if (st.sessions.insert(*session).second)
        ++sessions_;
    return json{{"session", session->toString()}};
}

Result<json> Dispatcher::closeSession(daemon::ConnectionState &connection, const Uuid &session) {
    if (state(connection).sessions.erase(session))
        --sessions_;
    auto closed = services_.engine.closeSession(session);
    if (!closed)
        return closed.error();
    services_.robots.lookForEnded();  // its requests were cancelled: their waiters are told
    return json::object();
}

void Dispatcher::closed(const std::shared_ptr<daemon::ConnectionState> &connection) {
    services_.events.unsubscribe(connection->id());
    if (!connection->protocol)
        return;
    State &st = state(*connection);
    for (const Uuid &session : st.sessions)
        if (auto r = services_.engine.closeSession(session); !r && options_.warn)
            options_.warn(fmt::format("closing session {} of a closed connection: {}",
                                      session.toString(), r.error().toString()));
    if (!st.sessions.empty())
        services_.robots.lookForEnded();
    sessions_ -= static_cast<std::int64_t>(st.sessions.size());
    st.sessions.clear();
}

}  // namespace rsm::service
