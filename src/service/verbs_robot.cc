// The verbs of robot work on media: mount, dismount, eject; and on a library: inject, and the
// audit of its recorded moves against its element status.

#include "src/service/call.h"
#include "src/service/to_json.h"

namespace rsm::service {

using nlohmann::json;

namespace {

Result<json> mediaMount(Call &c) {
    engine::MountOptions options;
    RSM_GET(lmid, c.lmid("lmid"));
    RSM_GET(write, c.fields.flag("write", false));
    RSM_GET(nowait, c.fields.flag("nowait", false));
    RSM_GET(priority, c.fields.integer("priority", 0, -15, 15));
    RSM_GET(wait, c.fields.flag("wait", true));
    if (c.fields.has("drive")) {
        RSM_GET(drive, c.drive("drive"));
        options.drive = drive;
    }
    options.write = write;
    options.nowait = nowait;
    options.priority = static_cast<int>(priority);
    RSM_GET(request, c.engine().submitMount(c.session, lmid, options));
    RSM_GET(info, c.engine().getRequest(c.session, request));
    return replyWhenDone(c, info.row.libraryId, request, wait);
}

Result<json> mediaDismount(Call &c) {
    RSM_GET(deferred, c.fields.flag("deferred", false));
    RSM_GET(wait, c.fields.flag("wait", true));
    Uuid media;
    if (c.fields.has("lmid")) {
        RSM_GET(lmid, c.lmid("lmid"));
        RSM_GET(info, c.engine().getLmid(c.session, lmid));
        media = info.mediaId;
    } else {
        RSM_GET(id, c.media("media"));
        media = id;
    }
    RSM_GET(request, c.engine().submitDismount(c.session, media, deferred));
    RSM_GET(info, c.engine().getRequest(c.session, request));
    return replyWhenDone(c, info.row.libraryId, request, wait);
}

Result<json> mediaEject(Call &c) {
    RSM_GET(wait, c.fields.flag("wait", true));
    RSM_GET(media, c.media("media"));
    RSM_GET(request, c.engine().submitEject(c.session, media));
    RSM_GET(info, c.engine().getRequest(c.session, request));
    return replyWhenDone(c, info.row.libraryId, request, wait);
}

// Robot work on a whole library that needs CONTROL on it: audit, inject.
template <const char *Kind>
Result<json> libraryWork(Call &c) {
    return robotWork(c, Kind, json::object());
}

constexpr char kAudit[] = "audit";
constexpr char kInject[] = "inject";

}  // namespace

const std::vector<Verb> &robotVerbs() {
    static const std::vector<Verb> verbs = {
        {"media.mount", true, {"lmid", "drive", "write", "nowait", "priority", "wait"}, mediaMount},
        {"media.dismount", true, {"lmid", "media", "deferred", "wait"}, mediaDismount},
        {"media.eject", true, {"media", "wait"}, mediaEject},
        {"library.audit", true, {"library", "priority", "wait"}, libraryWork<kAudit>},
        {"library.inject", true, {"library", "priority", "wait"}, libraryWork<kInject>},
    };
    return verbs;
}

}  // namespace rsm::service
