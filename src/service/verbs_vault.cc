// Verbs of vaults, the offsite places of the OFFLINE library (issue 20 part B;
// docs/vaulting.md): vault.create, list, show, delete; vault.send (ejects for a vault, the pick
// list), vault.arrived, vault.recall (the return list), vault.overdue, vault.report.

#include <algorithm>

#include "src/service/call.h"
#include "src/service/to_json.h"

namespace rsm::service {

using json = nlohmann::json;

namespace {

// An optional field holding a list of non-empty strings (barcodes, pools).
Result<std::vector<std::string>> names(Call &c, const char *field) {
    std::vector<std::string> out;
    if (!c.fields.has(field))
        return out;
    const json &list = c.fields.raw(field);
    if (!list.is_array())
        return Error(ErrorCode::InvalidParameter, std::string(field) + " is a list of names");
    for (const json &n : list) {
        if (!n.is_string() || n.get<std::string>().empty() ||
            n.get<std::string>().find('\0') != std::string::npos)
            return Error(ErrorCode::InvalidParameter,
                         std::string(field) + " holds a name that is not non-empty text");
        out.push_back(n.get<std::string>());
    }
    return out;
}

json toJson(const engine::VaultInfo &v) {
    return {{"id", v.row.id.toString()},         {"name", v.row.name},
            {"description", v.row.description},  {"created", timeOrNull(v.row.created)},
            {"in_transit_out", v.inTransitOut},  {"in_vault", v.inVault},
            {"in_transit_back", v.inTransitBack}};
}

json toJson(const engine::VaultEntry &e) {
    return {{"media_id", e.media.toString()},
            {"barcode", orNull(e.barcode)},
            {"pool", e.pool},
            {"lmids", e.lmids},
            {"library", e.library},
            {"vault", e.vault},
            {"state", engine::vaultStateName(e.place.state)},
            {"since", timeOrNull(e.place.since)},
            {"sent", timeOrNull(e.place.sent)},
            {"arrived", timeOrNull(e.place.arrived)},
            {"recalled", timeOrNull(e.place.recalled)},
            {"round", e.round > 0 ? json(e.round) : json()},
            {"request", e.request ? json(e.request->toString()) : json()},
            {"operator_request", e.operatorRequest ? json(e.operatorRequest->toString()) : json()}};
}

json entries(const std::vector<engine::VaultEntry> &list) {
    json out = json::array();
    for (const engine::VaultEntry &e : list)
        out.push_back(toJson(e));
    return json{{"cartridges", std::move(out)}};
}

Result<json> vaultCreate(Call &c) {
    RSM_GET(name, c.fields.text("name"));
    RSM_GET(description, c.fields.textOr("description", ""));
    RSM_GET(id, c.engine().createVault(c.session, name, description));
    // Its creator may hold MODIFY on the computer without USE (reading vaults): then the
    // reply is the vault as created, its creation time unknown (null).
    auto contents = c.engine().getVault(c.session, id.toString());
    if (!contents && contents.error().code() != ErrorCode::AccessDenied)
        return contents.error();
    return json{
        {"vault", toJson(contents ? contents->vault : engine::VaultInfo{{id, name, description}})}};
}

Result<json> vaultDelete(Call &c) {
    RSM_GET(vault, c.fields.text("vault"));
    RSM_TRY_VOID(c.engine().deleteVault(c.session, vault));
    return json::object();
}

Result<json> vaultList(Call &c) {
    RSM_GET(vaults, c.engine().listVaults(c.session));
    json out = json::array();
    for (const engine::VaultInfo &v : vaults)
        out.push_back(toJson(v));
    return json{{"vaults", std::move(out)}};
}

Result<json> vaultShow(Call &c) {
    RSM_GET(vault, c.fields.text("vault"));
    RSM_GET(contents, c.engine().getVault(c.session, vault));
    json out = entries(contents.media);
    out["vault"] = toJson(contents.vault);
    return out;
}

// The media are ejected by the libraries' workers, round after round as the operator empties
// the I/E ports; the reply is the pick list, at once.
Result<json> vaultSend(Call &c) {
    RSM_GET(vault, c.fields.text("vault"));
    RSM_GET(media, names(c, "media"));
    RSM_GET(picks, c.engine().vaultSend(c.session, media, vault));
    std::vector<Uuid> woken;
    for (const engine::VaultEntry &e : picks)
        if (e.request)
            if (auto r = c.engine().requestInfo(*e.request)) {
                if (std::find(woken.begin(), woken.end(), r->row.libraryId) == woken.end()) {
                    woken.push_back(r->row.libraryId);
                    c.services.robots.wake(r->row.libraryId);
                }
            }
    return entries(picks);
}

Result<json> vaultArrived(Call &c) {
    RSM_GET(vault, c.fields.text("vault"));
    RSM_GET(media, names(c, "media"));
    RSM_GET(list, c.engine().vaultArrived(c.session, vault, media));
    return entries(list);
}

Result<json> vaultRecall(Call &c) {
    RSM_GET(vault, c.fields.text("vault"));
    RSM_GET(media, names(c, "media"));
    RSM_GET(listOnly, c.fields.flag("list_only", false));
    RSM_GET(list, c.engine().vaultRecall(c.session, vault, media, listOnly));
    return entries(list);
}

Result<json> vaultOverdue(Call &c) {
    RSM_GET(days, c.fields.integer("days", 7, 0, 3650));
    RSM_GET(list, c.engine().vaultOverdue(c.session, static_cast<int>(days)));
    return entries(list);
}

Result<json> vaultReport(Call &c) {
    RSM_GET(days, c.fields.integer("days", 7, 1, 3650));
    RSM_GET(pools, c.engine().vaultReport(c.session, static_cast<int>(days)));
    json out = json::array();
    for (const engine::UncoveredPool &p : pools)
        out.push_back({{"pool", p.pool},
                       {"recent", p.recent},
                       {"last_written", timeOrNull(p.last)},
                       {"barcodes", p.barcodes}});
    return json{{"days", days}, {"uncovered_pools", std::move(out)}};
}

}  // namespace

const std::vector<Verb> &vaultVerbs() {
    static const std::vector<Verb> verbs = {
        {"vault.create", true, {"name", "description"}, vaultCreate},
        {"vault.delete", true, {"vault"}, vaultDelete},
        {"vault.list", true, {}, vaultList},
        {"vault.show", true, {"vault"}, vaultShow},
        {"vault.send", true, {"vault", "media"}, vaultSend},
        {"vault.arrived", true, {"vault", "media"}, vaultArrived},
        {"vault.recall", true, {"vault", "media", "list_only"}, vaultRecall},
        {"vault.overdue", true, {"days"}, vaultOverdue},
        {"vault.report", true, {"days"}, vaultReport},
    };
    return verbs;
}

}  // namespace rsm::service
