// Verbs of the life of media (issue 20; docs/lifecycle.md): a pool's policy, a medium's state
// beyond RSM's, the sides with a retention (due or expired), and the lifecycle sweep run now.

#include <fmt/format.h>

#include "src/service/call.h"
#include "src/service/notable.h"
#include "src/service/to_json.h"

namespace rsm::service {

using json = nlohmann::json;

namespace {

// A mark: a count, or null to remove it.
Result<void> markField(Call &c, const char *field, std::optional<int> &mark, bool &none) {
    if (!c.fields.has(field))
        return success();
    if (c.fields.raw(field).is_null()) {
        none = true;
        return success();
    }
    auto n = c.fields.integer(field, 0, 0, 1'000'000);
    if (!n)
        return n.error();
    mark = static_cast<int>(*n);
    return success();
}

Result<json> poolSetPolicy(Call &c) {
    RSM_GET(id, c.pool("pool"));
    engine::PoolPolicyChange change;
    if (c.fields.has("retention")) {
        const json &r = c.fields.raw("retention");
        if (r.is_string() && r.get<std::string>() == "keep") {
            change.keep = true;
        } else {
            RSM_GET(seconds, c.fields.integer("retention", 0, 1, 100LL * 366 * 86400));
            change.retentionSeconds = seconds;
        }
    }
    if (c.fields.has("retention_from")) {
        RSM_GET(basis, c.fields.text("retention_from"));
        change.basis = engine::retentionBasisFromName(basis);
        if (!change.basis)
            return Error(
                ErrorCode::InvalidParameter,
                fmt::format("unknown retention_from \"{}\": give complete or last-write", basis));
    }
    if (c.fields.has("expire")) {
        RSM_GET(action, c.fields.text("expire"));
        change.action = engine::expireActionFromName(action);
        if (!change.action)
            return Error(ErrorCode::InvalidParameter,
                         fmt::format("unknown expire \"{}\": give deallocate or report", action));
    }
    if (c.fields.has("allocation")) {
        RSM_GET(allocation, c.fields.text("allocation"));
        engine::AllocationPolicy a{};
        engine::AllocationPeriod p{};
        if (!engine::allocationFromName(allocation, a, p))
            return Error(ErrorCode::InvalidParameter,
                         fmt::format("unknown allocation \"{}\": give continue, new, per-day, "
                                     "per-week or per-month",
                                     allocation));
        change.allocation = a;
        change.period = p;
    }
    RSM_TRY_VOID(markField(c, "low_mark", change.lowMark, change.noLowMark));
    RSM_TRY_VOID(markField(c, "high_mark", change.highMark, change.noHighMark));
    RSM_TRY_VOID(c.engine().setPoolPolicy(c.session, id, change));
    auto pool = c.engine().getPool(c.session, id);  // done: {} when the caller may not read it
    return pool ? json{{"pool", toJson(*pool)}} : json::object();
}

Result<json> mediaSetState(Call &c) {
    RSM_GET(id, c.media("media"));
    RSM_GET(state, c.fields.text("state"));
    auto life = engine::mediaLifeFromName(state);
    if (!life)
        return Error(
            ErrorCode::InvalidParameter,
            fmt::format("unknown state \"{}\": give full, damaged, retired or active", state));
    RSM_TRY_VOID(c.engine().setMediaLife(c.session, id, *life));
    auto media = c.engine().getMedia(c.session, id);
    return media ? json{{"media", toJson(*media)}} : json::object();
}

// The sides with a retention: "due" (ending later) or "expired" (ended), of a pool or all.
Result<json> mediaRetention(Call &c) {
    engine::RetentionFilter filter;
    if (c.fields.has("pool")) {
        RSM_GET(pool, c.pool("pool"));
        filter.pool = pool;
    }
    RSM_GET(which, c.fields.textOr("which", "due"));
    const auto now =
        std::chrono::duration_cast<std::chrono::seconds>(c.engine().now().time_since_epoch())
            .count();
    if (which == "due")
        filter.after = now;
    else if (which == "expired")
        filter.until = now;
    else if (which != "all")
        return Error(ErrorCode::InvalidParameter,
                     fmt::format("unknown which \"{}\": give due, expired or all", which));
    RSM_GET(sides, c.engine().retentionList(c.session, filter));
    json out = json::array();
    for (const engine::SweepSide &s : sides)
        out.push_back(toJson(s));
    return json{{"now", isoTimeOf(now)}, {"retention", std::move(out)}};
}

Result<json> lifecycleRun(Call &c) {
    RSM_GET(report, c.engine().applyLifecycle(c.session));
    json sides = json::array(), pools = json::array();
    for (const engine::SweepSide &s : report.sides)
        sides.push_back(toJson(s));
    for (const engine::SweepPool &p : report.pools)
        pools.push_back(toJson(p));
    return json{{"now", isoTimeOf(report.now)}, {"retention", sides}, {"marks", pools}};
}

}  // namespace

const std::vector<Verb> &lifecycleVerbs() {
    static const std::vector<Verb> verbs = {
        {"pool.set_policy",
         true,
         {"pool", "retention", "retention_from", "expire", "allocation", "low_mark", "high_mark"},
         poolSetPolicy},
        {"media.set_state", true, {"media", "state"}, mediaSetState},
        {"media.retention", true, {"pool", "which"}, mediaRetention},
        {"lifecycle.run", true, {}, lifecycleRun},
    };
    return verbs;
}

}  // namespace rsm::service
