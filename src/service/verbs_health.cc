// Verbs of the health readings kept in the store (issue 19; docs/health.md): a medium's
// readings (media.health), the figures media show adds, a drive with its flag and latest
// reading (drive.show), and clearing a suspect flag. Reading
// a drive now is robot work (drive.health, src/service/verbs_robot.cc).

#include <cmath>

#include "src/service/call.h"
#include "src/service/health_json.h"
#include "src/service/to_json.h"

namespace rsm::service {

using json = nlohmann::json;

namespace {

json rateJson(const std::optional<double> &rate) {
    if (!rate)
        return nullptr;
    return std::round(*rate * 10.0) / 10.0;
}

json optionalText(const std::map<Uuid, std::string> &names, const std::optional<Uuid> &id) {
    if (!id)
        return nullptr;
    auto it = names.find(*id);
    return it != names.end() ? json(it->second) : json(nullptr);
}

Result<json> mediaHealthVerb(Call &c) {
    RSM_GET(id, c.media("media"));
    RSM_GET(limit, c.fields.integer("limit", 100, 1, 1000));
    RSM_GET(report, c.engine().mediaHealth(c.session, id, static_cast<int>(limit)));
    json readings = json::array();
    for (const engine::HealthReadingRow &r : report.readings)
        readings.push_back(readingJson(c.engine(), report, r));
    return json{{"media_id", id.toString()},
                {"suspect", report.suspect.has_value()},
                {"suspect_reason", report.suspect ? json(*report.suspect) : json(nullptr)},
                {"readings", std::move(readings)}};
}

// A drive with its suspect flag and latest health reading (rsmctl drive show).
Result<json> driveShow(Call &c) {
    RSM_GET(id, c.drive("drive"));
    RSM_GET(drives, c.engine().listDrives(c.session, std::nullopt));
    for (const auto &d : drives) {
        if (d.row.id != id)
            continue;
        RSM_GET(report, c.engine().driveHealthReadings(c.session, id, 1));
        json drive = toJson(d);
        drive["suspect"] = report.suspect.has_value();
        drive["suspect_reason"] = report.suspect ? json(*report.suspect) : json(nullptr);
        drive["health"] = report.readings.empty()
                              ? json(nullptr)
                              : readingJson(c.engine(), report, report.readings.front());
        return json{{"drive", std::move(drive)}};
    }
    return Error(ErrorCode::InvalidDrive,
                 "that drive is not one you may use; rsmctl drive list lists them");
}

Result<json> clearSuspect(Call &c, ObjectKind kind, Result<Uuid> id) {
    if (!id)
        return id.error();
    RSM_TRY_VOID(c.engine().clearSuspect(c.session, kind, *id));
    return json::object();
}

Result<json> mediaClearSuspect(Call &c) {
    return clearSuspect(c, ObjectKind::PhysicalMedia, c.media("media"));
}

Result<json> driveClearSuspect(Call &c) {
    return clearSuspect(c, ObjectKind::Drive, c.drive("drive"));
}

}  // namespace

json readingJson(engine::Engine &engine, const engine::HealthReport &report,
                 const engine::HealthReadingRow &r) {
    const engine::HealthRates rates = engine::healthRates(r.health, engine.healthThresholds());
    return {{"id", r.id},
            {"taken", r.taken},
            {"trigger", r.trigger == engine::HealthTrigger::Dismount ? "dismount" : "demand"},
            {"drive", optionalText(report.drives, r.driveId)},
            {"drive_id", r.driveId.toString()},
            {"barcode", optionalText(report.barcodes, r.mediaId)},
            {"media_id", r.mediaId ? json(r.mediaId->toString()) : json(nullptr)},
            {"request_id", r.requestId ? json(r.requestId->toString()) : json(nullptr)},
            {"errors_per_gb", rateJson(rates.mountErrorsPerGigabyte)},
            {"lifetime_errors_per_gb", rateJson(rates.lifetimeErrorsPerGigabyte)},
            {"load_count", rates.loadCount ? json(*rates.loadCount) : json(nullptr)},
            {"health", toJson(r.health)}};
}

Result<void> addHealth(Call &c, const Uuid &media, json &out) {
    RSM_GET(report, c.engine().mediaHealth(c.session, media, 1));
    out["suspect"] = report.suspect.has_value();
    out["suspect_reason"] = report.suspect ? json(*report.suspect) : json(nullptr);
    out["health"] = report.readings.empty()
                        ? json(nullptr)
                        : readingJson(c.engine(), report, report.readings.front());
    return success();
}

const std::vector<Verb> &healthVerbs() {
    static const std::vector<Verb> verbs = {
        {"media.health", true, {"media", "limit"}, mediaHealthVerb},
        {"media.clear_suspect", true, {"media"}, mediaClearSuspect},
        {"drive.clear_suspect", true, {"drive"}, driveClearSuspect},
        {"drive.show", true, {"drive"}, driveShow},
    };
    return verbs;
}

}  // namespace rsm::service
