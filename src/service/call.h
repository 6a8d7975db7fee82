#pragma once
// One protocol request on its way through a verb: the services a verb may use, its fields,
// its checked session, and how it answers. Verbs are rows of a table (verbs.h).
// Thread-safety: a Call belongs to the worker thread running the request.

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "src/daemon/handler.h"
#include "src/engine/engine.h"
#include "src/library/robots.h"
#include "src/service/event_feed.h"
#include "src/service/fields.h"

// `auto &var = *expr`, returning the error from the enclosing verb when expr failed.
#define RSM_GET(var, expr)           \
    auto var##Result_ = (expr);      \
    if (!var##Result_)               \
        return var##Result_.error(); \
    auto &var = *var##Result_

namespace rsm::service {

struct Services {
    engine::Engine &engine;
    library::Robots &robots;
    EventFeed &events;
};

struct Call {
    Services &services;
    Fields fields;
    Uuid session;  // checked before the verb runs, when the verb needs one
    std::shared_ptr<daemon::ConnectionState> connection;
    nlohmann::json id;
    // A verb whose answer comes later (robot work it waits for) sets `deferred` and sends the
    // reply itself from `after`, which runs once nothing more is written for this request.
    bool deferred = false;
    std::function<void()> after;
    // A verb that wrote its whole reply line itself sets it here (the verb's result is then
    // not used), with the attachment the line announces, if any.
    std::optional<std::string> line;
    daemon::Attachment attachment;
    // Set by watch: the connection only receives events from now on.
    bool watching = false;

    engine::Engine &engine() { return services.engine; }

    // Object references (docs/protocol.md): UUID or name; the field is required.
    Result<Uuid> library(const char *field);
    Result<Uuid> drive(const char *field);
    Result<Uuid> pool(const char *field);
    Result<Uuid> media(const char *field);
    Result<Uuid> lmid(const char *field);
    Result<Uuid> mediaType(const char *field);
    Result<Uuid> object(const char *field);
};

using VerbFn = Result<nlohmann::json> (*)(Call &call);

struct Verb {
    const char *name;
    bool session;                      // needs a session handle
    std::vector<const char *> fields;  // allowed, besides id, verb and session
    VerbFn run;
};

// The verb tables, by topic.
const std::vector<Verb> &objectVerbs();     // media types, pools, media, LMIDs, objects, ACLs
const std::vector<Verb> &libraryVerbs();    // libraries, drives, requests, watch
const std::vector<Verb> &robotVerbs();      // mount, dismount, audit
const std::vector<Verb> &elementVerbs();    // mtx.status: from a library's element map
const std::vector<Verb> &healthVerbs();     // health readings kept, suspect flags
const std::vector<Verb> &lifecycleVerbs();  // pool policies, media states, retention, sweep
const std::vector<Verb> &vaultVerbs();      // vaults, sending, the return list (vaulting.md)

// A health reading as the protocol sends it (docs/json.md, "Reading"), with the names the
// report gives; and the health fields media show adds to a Media (suspect, suspect_reason,
// health: its latest Reading or null). src/service/verbs_health.cc.
nlohmann::json readingJson(engine::Engine &engine, const engine::HealthReport &report,
                           const engine::HealthReadingRow &reading);
Result<void> addHealth(Call &c, const Uuid &media, nlohmann::json &out);

// library.mtx's inquiry and elements: answered from the library's element map (its worker's
// connection to the robot), with no library request.
Result<nlohmann::json> mtxFromMap(Call &c, engine::work::MtxOp op);

// Queues `work` on the library of field "library", which
// needs CONTROL on it; fields "priority" and "wait" (the default: the reply comes when the
// worker has done it).
Result<nlohmann::json> robotWork(Call &c, const engine::RobotWork &work);

// The reply to a queued library request: its record at once without `wait`; with it, the
// record once the library's worker has finished it (or its error), to which `addResult`, when
// given, adds what the work gave beside the record (drive.health's reading), on the worker's
// thread.
using AddResult = std::function<void(nlohmann::json &result, const Uuid &request)>;
Result<nlohmann::json> replyWhenDone(Call &c, const Uuid &library, const Uuid &request, bool wait,
                                     AddResult addResult = {});

}  // namespace rsm::service
