// The verbs of robot work on media: mount, dismount, eject; on a library: inject, and the
// audit of its recorded moves against its element status; cleaning; a drive's health read on
// demand; and operator requests.

#include <fmt/format.h>

#include "src/service/call.h"
#include "src/service/health_json.h"
#include "src/service/to_json.h"

namespace rsm::service {

using nlohmann::json;

namespace {

Result<json> mediaMount(Call &c) {
    engine::MountOptions options;
    RSM_GET(lmid, c.fields.text("lmid"));  // looked up in the mount's transaction
    RSM_GET(write, c.fields.flag("write", false));
    RSM_GET(nowait, c.fields.flag("nowait", false));
    RSM_GET(errorIfOffline, c.fields.flag("error_if_offline", false));
    RSM_GET(priority, c.fields.integer("priority", 0, -15, 15));
    RSM_GET(wait, c.fields.flag("wait", true));
    if (c.fields.has("drive")) {
        RSM_GET(drive, c.drive("drive"));
        options.drive = drive;
    }
    options.write = write;
    options.nowait = nowait;
    options.errorIfOffline = errorIfOffline;
    options.priority = static_cast<int>(priority);
    RSM_GET(request, c.engine().submitMount(c.session, lmid, options));
    return replyWhenDone(c, request.library, request.id, wait);
}

// Neither an LMID nor a cartridge is so named: the look-ups' errors say so, with a near name
// when either had one ("; did you mean daily-0001?").
Error noSuchMedium(Call &c, const char *field, const Error &asLmid, const Error &asMedia) {
    const auto ref = c.fields.text(field);
    std::string hint;
    for (const Error *e : {&asLmid, &asMedia}) {
        const std::string &message = e->message();
        const auto at = message.find("; did you mean ");
        const auto end = at == std::string::npos ? at : message.find('?', at);
        if (hint.empty() && end != std::string::npos)
            hint = message.substr(at, end + 1 - at);
    }
    return Error(ErrorCode::InvalidMedia,
                 fmt::format("no LMID or cartridge {}{}: rsmctl lmid list and rsmctl media list "
                             "list them",
                             ref ? *ref : std::string(), hint));
}

// The medium of field `field`: a barcode or id, else an LMID's name or id (`eject daily-7`).
Result<Uuid> mediaOrLmid(Call &c, const char *field) {
    auto media = c.media(field);
    if (media || media.error().code() != ErrorCode::InvalidMedia)
        return media;
    auto lmid = c.lmid(field);
    if (!lmid)
        return noSuchMedium(c, field, lmid.error(), media.error());
    RSM_GET(info, c.engine().getLmid(c.session, *lmid));
    return info.mediaId;
}

Result<json> mediaDismount(Call &c) {
    RSM_GET(deferred, c.fields.flag("deferred", false));
    RSM_GET(wait, c.fields.flag("wait", true));
    if (c.fields.has("lmid")) {
        RSM_GET(lmid, c.fields.text("lmid"));  // looked up in the dismount's transaction
        auto request = c.engine().submitDismountOf(c.session, lmid, deferred);
        if (!request && request.error().code() == ErrorCode::InvalidMedia) {
            // No LMID of that name: a cartridge's barcode (`dismount SMC001L5`).
            if (auto media = c.media("lmid"))
                request = c.engine().submitDismount(c.session, *media, deferred);
            else
                return noSuchMedium(c, "lmid", request.error(), media.error());
        }
        if (!request)
            return request.error();
        return replyWhenDone(c, request->library, request->id, wait);
    }
    RSM_GET(media, c.media("media"));
    RSM_GET(request, c.engine().submitDismount(c.session, media, deferred));
    return replyWhenDone(c, request.library, request.id, wait);
}

Result<json> mediaEject(Call &c) {
    RSM_GET(wait, c.fields.flag("wait", true));
    RSM_GET(queue, c.fields.flag("queue", false));
    RSM_GET(media, mediaOrLmid(c, "media"));
    RSM_GET(request, c.engine().submitEject(c.session, media, queue));
    return replyWhenDone(c, request.library, request.id, wait);
}

// Cleaning: a drive cleaned (CleanNtmsDrive), a library's cleaner slot reserved or released,
// a medium made a cleaner cartridge with so many uses.
Result<json> driveClean(Call &c) {
    RSM_GET(wait, c.fields.flag("wait", true));
    RSM_GET(drive, c.drive("drive"));
    RSM_GET(request, c.engine().submitClean(c.session, drive));
    return replyWhenDone(c, request.library, request.id, wait);
}

// The drive's health read on demand (issue 19): a health request on its library; the reply,
// when the worker has read it, has the request and the reading ({"request", "health"}).
Result<json> driveHealth(Call &c) {
    RSM_GET(drive, c.drive("drive"));
    RSM_GET(request, c.engine().submitHealth(c.session, drive));
    return replyWhenDone(c, request.library, request.id, true,
                         [robots = &c.services.robots](json &result, const Uuid &id) {
                             auto reading = robots->takeReading(id);
                             result["health"] = reading ? toJson(*reading) : json();
                         });
}

Result<json> libraryCleanerSlot(Call &c) {
    RSM_GET(library, c.library("library"));
    // No address (or null) releases the slot.
    RSM_GET(a, c.fields.optionalInteger("address", 0, 65535));
    std::optional<int> address;
    if (a)
        address = static_cast<int>(*a);
    RSM_TRY_VOID(c.engine().setCleanerSlot(c.session, library, address));
    // The library as it now is (when the caller may read it), and its cleaner slot.
    json out = {{"cleaner_slot", address ? json(*address) : json()}};
    if (auto info = c.engine().getLibrary(c.session, library))
        out["library"] = toJson(*info);
    return out;
}

Result<json> mediaCleaner(Call &c) {
    RSM_GET(media, c.media("media"));
    RSM_GET(uses, c.fields.integer("uses", 50, 0, 10000));
    // The medium as it now is: it went to the UNRECOGNIZED pool, which CONTROL on its library
    // or former pool does not let the caller read.
    RSM_GET(info, c.engine().setCleaner(c.session, media, static_cast<int>(uses)));
    return json{{"media", toJson(info)}};
}

// Robot work on a whole library that needs CONTROL on it: audit, inject.
template <class Work>
Result<json> libraryWork(Call &c) {
    return robotWork(c, Work{});
}

Result<json> operatorList(Call &c) {
    RSM_GET(all, c.fields.flag("all", false));
    RSM_GET(requests, c.engine().listOperatorRequests(c.session, all));
    json out = json::array();
    for (const auto &r : requests)
        out.push_back(toJson(r));
    return json{{"operator_requests", out}};
}

Result<json> operatorShow(Call &c) {
    RSM_GET(id, c.fields.uuid("request"));
    RSM_GET(request, c.engine().getOperatorRequest(c.session, id));
    return json{{"operator_request", toJson(request)}};
}

Result<json> operatorSubmit(Call &c) {
    RSM_GET(kindName, c.fields.text("kind"));
    RSM_GET(message, c.fields.text("message"));
    const auto kind = operatorRequestKindFromName(kindName);
    if (!kind)
        return Error(ErrorCode::InvalidParameter,
                     "kind must be one of NEWMEDIA, CLEANER, DEVICESERVICE, MOVEMEDIA, MESSAGE");
    std::optional<Uuid> library;
    if (c.fields.has("library")) {
        RSM_GET(id, c.library("library"));
        library = id;
    }
    RSM_GET(id, c.engine().submitOperatorRequest(c.session, *kind, message, library));
    RSM_GET(request, c.engine().getOperatorRequest(c.session, id));
    return json{{"operator_request", toJson(request)}};
}

template <bool Satisfied>
Result<json> operatorAnswer(Call &c) {
    RSM_GET(id, c.fields.uuid("request"));
    // The answer's own reply: CONTROL to answer does not include USE to read the others.
    RSM_GET(request, c.engine().answerOperatorRequest(c.session, id, Satisfied));
    return json{{"operator_request", toJson(request)}};
}

}  // namespace

const std::vector<Verb> &robotVerbs() {
    static const std::vector<Verb> verbs = {
        {"media.mount",
         true,
         {"lmid", "drive", "write", "nowait", "error_if_offline", "priority", "wait"},
         mediaMount},
        {"media.dismount", true, {"lmid", "media", "deferred", "wait"}, mediaDismount},
        {"media.eject", true, {"media", "queue", "wait"}, mediaEject},
        {"media.cleaner", true, {"media", "uses"}, mediaCleaner},
        {"drive.clean", true, {"drive", "wait"}, driveClean},
        {"drive.health", true, {"drive"}, driveHealth},
        {"library.cleaner_slot", true, {"library", "address"}, libraryCleanerSlot},
        {"library.audit", true, {"library", "priority", "wait"}, libraryWork<engine::work::Audit>},
        {"library.inject",
         true,
         {"library", "priority", "wait"},
         libraryWork<engine::work::Inject>},
        {"operator.list", true, {"all"}, operatorList},
        {"operator.show", true, {"request"}, operatorShow},
        {"operator.submit", true, {"kind", "message", "library"}, operatorSubmit},
        {"operator.satisfy", true, {"request"}, operatorAnswer<true>},
        {"operator.cancel", true, {"request"}, operatorAnswer<false>},
    };
    return verbs;
}

}  // namespace rsm::service
