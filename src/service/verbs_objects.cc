// The verbs of the media model: media types, pools, physical media, LMIDs, names, attributes
// and access control. Each one checks its fields, resolves references and calls the engine.

#include <fmt/format.h>

#include "src/service/call.h"
#include "src/service/to_json.h"

namespace rsm::service {

using nlohmann::json;

namespace {

json empty() {
    return json::object();
}

template <typename T>
json list(const std::vector<T> &rows) {
    json out = json::array();
    for (const T &row : rows)
        out.push_back(toJson(row));
    return out;
}

Result<json> computerShow(Call &c) {
    RSM_GET(id, c.engine().computer(c.session));
    return json{{"computer", {{"id", id.toString()}}}};
}

Result<json> mediaTypeList(Call &c) {
    RSM_GET(types, c.engine().listMediaTypes(c.session));
    return json{{"media_types", list(types)}};
}

Result<json> mediaTypeCreate(Call &c) {
    RSM_GET(name, c.fields.text("name"));
    RSM_GET(sides, c.fields.integer("sides", 1, 1, 2));
    RSM_GET(description, c.fields.textOr("description", ""));
    RSM_GET(worm, c.fields.flag("worm", false));
    RSM_GET(id, c.engine().createMediaType(c.session, name, static_cast<int>(sides), description,
                                           worm));
    // "id" as the first protocol had it, beside the object.
    return json{{"id", id.toString()},
                {"media_type", toJson(engine::MediaTypeRow{id, name, description,
                                                           static_cast<int>(sides), worm})}};
}

Result<json> poolList(Call &c) {
    RSM_GET(pools, c.engine().listPools(c.session));
    return json{{"pools", list(pools)}};
}

Result<json> poolShow(Call &c) {
    RSM_GET(id, c.pool("pool"));
    RSM_GET(pool, c.engine().getPool(c.session, id));
    return json{{"pool", toJson(pool)}};
}

Result<json> poolCreate(Call &c) {
    RSM_GET(path, c.fields.text("path"));
    engine::PoolOptions options;
    RSM_GET(type, c.fields.textOr("media_type", ""));
    RSM_GET(description, c.fields.textOr("description", ""));
    RSM_GET(fromFree, c.fields.flag("allocate_from_free", true));
    RSM_GET(toFree, c.fields.flag("deallocate_to_free", true));
    RSM_GET(maxAllocations, c.fields.optionalInteger("max_allocations", 1, 1'000'000));
    options.mediaType = type;
    options.description = description;
    options.allocateFromFree = fromFree;
    options.deallocateToFree = toFree;
    if (maxAllocations)
        options.maxAllocations = static_cast<int>(*maxAllocations);
    RSM_GET(id, c.engine().createPool(c.session, path, options));
    RSM_GET(pool, c.engine().getPool(c.session, id));
    return json{{"pool", toJson(pool)}};
}

Result<json> poolDelete(Call &c) {
    RSM_GET(id, c.pool("pool"));
    RSM_TRY_VOID(c.engine().deletePool(c.session, id));
    return empty();
}

// media.list's "state": a side state (a medium with a side in it) or a medium state.
Result<void> stateFilter(const std::string &state, engine::MediaFilter &filter) {
    if (auto side = sideStateFromName(state))
        filter.sideState = *side;
    else if (auto media = mediaStateFromName(state))
        filter.mediaState = *media;
    else if (auto life = engine::mediaLifeFromName(state))
        filter.life = *life;
    else if (state == "worm")
        filter.worm = true;
    else
        return Error(ErrorCode::InvalidParameter,
                     fmt::format("unknown state \"{}\": give a side state (available, allocated, "
                                 "complete, reserved, decommissioned, import, foreign, unknown, "
                                 "unprepared, incompatible) or a medium state (idle, inuse, "
                                 "mounted, loaded, unloaded, operror, opreq) or a lifecycle state "
                                 "(active, full, damaged, retired, worm)",
                                 state));
    return success();
}

// media.list's "location": where the medium is, or online (in a library) / offline.
Result<void> locationFilter(const std::string &location, engine::MediaFilter &filter) {
    if (location == "online" || location == "offline")
        filter.online = location == "online";
    else if (auto kind = locationKindFromName(location))
        filter.location = *kind;
    else
        return Error(ErrorCode::InvalidParameter,
                     fmt::format("unknown location \"{}\": give online, offline, shelf, slot, "
                                 "drive, ieport or transport",
                                 location));
    return success();
}

Result<json> mediaList(Call &c) {
    engine::MediaFilter filter;
    if (c.fields.has("pool")) {
        RSM_GET(id, c.pool("pool"));
        filter.pool = id;
    }
    if (c.fields.has("library")) {
        RSM_GET(id, c.library("library"));
        filter.library = id;
    }
    if (c.fields.has("state")) {
        RSM_GET(state, c.fields.text("state"));
        RSM_TRY_VOID(stateFilter(state, filter));
    }
    if (c.fields.has("location")) {
        RSM_GET(location, c.fields.text("location"));
        RSM_TRY_VOID(locationFilter(location, filter));
    }
    RSM_GET(media, c.engine().listMedia(c.session, filter));
    return json{{"media", list(media)}};
}

Result<json> mediaShow(Call &c) {
    RSM_GET(id, c.media("media"));
    RSM_GET(media, c.engine().getMedia(c.session, id));
    json out = toJson(media);
    RSM_TRY_VOID(addHealth(c, id, out));
    return json{{"media", std::move(out)}};
}

Result<json> mediaHistory(Call &c) {
    RSM_GET(id, c.media("media"));
    RSM_GET(limit, c.fields.integer("limit", 1000, 1, 10000));
    RSM_GET(history, c.engine().mediaHistory(c.session, id, static_cast<int>(limit)));
    return historyReply(history);
}

Result<json> mediaCreate(Call &c) {
    engine::NewMedia spec;
    RSM_TRY_VOID(c.fields.present({"media_type"}));
    RSM_GET(type, c.fields.text("media_type"));
    RSM_GET(barcode, c.fields.optionalText("barcode"));
    RSM_GET(name, c.fields.textOr("name", ""));
    RSM_GET(description, c.fields.textOr("description", ""));
    RSM_GET(labelType, c.fields.optionalText("label_type"));
    RSM_GET(labelId, c.fields.optionalText("label_id"));
    spec.labelType = labelType;
    spec.labelId = labelId;
    spec.mediaType = type;
    spec.barcode = barcode;
    spec.name = name;
    spec.description = description;
    if (c.fields.has("pool")) {
        RSM_GET(pool, c.pool("pool"));
        spec.pool = pool;
    }
    RSM_GET(id, c.engine().createOfflineMedia(c.session, spec));
    auto media = c.engine().getMedia(c.session, id);
    if (!media)  // made, but the caller may not read its pool (MODIFY without USE)
        return json{{"media", {{"id", id.toString()}, {"barcode", spec.barcode.value_or("")}}}};
    return json{{"media", toJson(*media)}};
}

// A medium as it is after a change, for the reply; {} when the caller may no longer read it
// (it went to a pool they have no USE on).
Result<json> mediaNow(Call &c, const Uuid &media) {
    auto info = c.engine().getMedia(c.session, media);
    if (!info)
        return empty();
    return json{{"media", toJson(*info)}};
}

Result<json> mediaDelete(Call &c) {
    RSM_GET(id, c.media("media"));
    RSM_TRY_VOID(c.engine().deleteMedia(c.session, id));
    return empty();
}

Result<json> mediaMoveToPool(Call &c) {
    RSM_TRY_VOID(c.fields.present({"media", "pool"}));
    RSM_GET(media, c.media("media"));
    RSM_GET(pool, c.pool("pool"));
    RSM_TRY_VOID(c.engine().moveToPool(c.session, media, pool));
    return mediaNow(c, media);
}

Result<json> mediaDecommission(Call &c) {
    Uuid side;
    std::optional<Uuid> media;  // known when the client named the medium
    if (c.fields.has("side_id")) {
        if (c.fields.has("media") || c.fields.has("side"))
            return Error(ErrorCode::InvalidParameter,
                         "give either side_id, or media and side, not both");
        RSM_GET(id, c.fields.uuid("side_id"));
        side = id;
    } else {
        RSM_GET(number, c.fields.integer("side", 0, 0, 1));
        RSM_GET(mediaId, c.media("media"));
        RSM_GET(found, c.engine().findSide(c.session, mediaId, static_cast<int>(number)));
        side = found;
        media = mediaId;
    }
    RSM_TRY_VOID(c.engine().decommission(c.session, side));
    return media ? mediaNow(c, *media) : empty();
}

Result<json> lmidList(Call &c) {
    RSM_GET(lmids, c.engine().listLmids(c.session));
    return json{{"lmids", list(lmids)}};
}

Result<json> lmidShow(Call &c) {
    RSM_GET(id, c.lmid("lmid"));
    RSM_GET(lmid, c.engine().getLmid(c.session, id));
    return json{{"lmid", toJson(lmid)}};
}

Result<json> lmidAllocate(Call &c) {
    engine::AllocateOptions options;
    RSM_GET(isNew, c.fields.flag("new", false));
    RSM_GET(name, c.fields.optionalText("name"));
    RSM_GET(pool, c.fields.text("pool"));  // looked up in the allocation's transaction
    options.newSide = isNew;
    if (c.fields.has("next")) {
        RSM_GET(next, c.lmid("next"));
        options.next = next;
    }
    options.name = name.value_or("");
    if (c.fields.has("media")) {
        RSM_GET(media, c.media("media"));
        options.media = media;
    }
    RSM_GET(lmid, c.engine().allocateLmid(c.session, pool, options));
    return json{{"lmid", toJson(lmid)}};
}

Result<json> lmidComplete(Call &c) {
    RSM_GET(id, c.lmid("lmid"));
    RSM_TRY_VOID(c.engine().setComplete(c.session, id));
    auto lmid = c.engine().getLmid(c.session, id);  // done: {} if it cannot be read
    return lmid ? json{{"lmid", toJson(*lmid)}} : empty();
}

Result<json> lmidDeallocate(Call &c) {
    RSM_GET(lmid, c.fields.text("lmid"));
    RSM_TRY_VOID(c.engine().deallocate(c.session, lmid));  // looked up in its transaction
    return empty();
}

Result<json> lmidSwap(Call &c) {
    RSM_TRY_VOID(c.fields.present({"lmid1", "lmid2"}));
    RSM_GET(first, c.fields.text("lmid1"));
    RSM_GET(second, c.fields.text("lmid2"));
    RSM_GET(reply, c.fields.flag("return_lmids", false));
    // Names looked up in its transaction. The two LMIDs as they now are only when asked for
    // (rsmctl --json does): read after the swap, they cost it throughput that a program
    // swapping in a loop has no use for (docs/protocol.md).
    RSM_GET(swapped, c.engine().swap(c.session, first, second));
    if (!reply)
        return empty();
    json lmids = json::array();
    for (const Uuid &id : swapped) {
        auto lmid = c.engine().getLmid(c.session, id);
        if (!lmid)  // done: an LMID the caller may not read is left out
            return empty();
        lmids.push_back(toJson(*lmid));
    }
    return json{{"lmids", std::move(lmids)}};
}

Result<json> objectRename(Call &c) {
    RSM_GET(id, c.object("object"));
    RSM_GET(name, c.fields.textOr("name", ""));
    RSM_TRY_VOID(c.engine().setName(c.session, id, name));
    return empty();
}

Result<json> objectDescribe(Call &c) {
    RSM_GET(id, c.object("object"));
    RSM_GET(description, c.fields.textOr("description", ""));
    RSM_TRY_VOID(c.engine().setDescription(c.session, id, description));
    return empty();
}

Result<json> attributeGet(Call &c) {
    RSM_GET(name, c.fields.text("name"));
    RSM_GET(id, c.object("object"));
    RSM_GET(value, c.engine().getAttribute(c.session, id, name));
    return json{{"value", value}};
}

Result<json> attributeSet(Call &c) {
    RSM_GET(name, c.fields.text("name"));
    RSM_GET(value, c.fields.textOr("value", ""));
    RSM_GET(id, c.object("object"));
    RSM_TRY_VOID(c.engine().setAttribute(c.session, id, name, value));
    return empty();
}

Result<json> aclList(Call &c) {
    RSM_GET(id, c.object("object"));
    RSM_GET(acl, c.engine().listAcl(c.session, id));
    return json{{"acl", list(acl)}};
}

// The principal fields of acl.grant and acl.revoke.
Result<std::pair<engine::PrincipalKind, std::uint32_t>> principal(Call &c) {
    RSM_GET(kind, c.fields.text("principal"));
    if (kind != "user" && kind != "group")
        return Error(ErrorCode::InvalidParameter, "field \"principal\" must be user or group");
    if (!c.fields.has("principal_id"))
        return Error(ErrorCode::InvalidParameter, "field \"principal_id\" is missing");
    RSM_GET(id, c.fields.integer("principal_id", 0, 0, 0xFFFFFFFELL));
    return std::pair{kind == "user" ? engine::PrincipalKind::User : engine::PrincipalKind::Group,
                     static_cast<std::uint32_t>(id)};
}

// The object's ACL as it is after a change: what acl.list gives; {} when the caller may
// change it but not read it (the change is made: never an error for it).
Result<json> aclNow(Call &c, const Uuid &object) {
    auto acl = c.engine().listAcl(c.session, object);
    if (!acl)
        return empty();
    return json{{"acl", list(*acl)}};
}

Result<json> aclGrant(Call &c) {
    RSM_GET(who, principal(c));
    if (!c.fields.has("rights"))
        return Error(ErrorCode::InvalidParameter, "field \"rights\" is missing");
    RSM_GET(mask, rightsFromJson(c.fields.raw("rights")));
    RSM_GET(id, c.object("object"));
    RSM_TRY_VOID(c.engine().grant(c.session, id, who.first, who.second, mask));
    return aclNow(c, id);
}

Result<json> aclRevoke(Call &c) {
    RSM_GET(who, principal(c));
    RSM_GET(id, c.object("object"));
    RSM_TRY_VOID(c.engine().revoke(c.session, id, who.first, who.second));
    return aclNow(c, id);
}

}  // namespace

const std::vector<Verb> &objectVerbs() {
    static const std::vector<Verb> verbs = {
        {"computer.show", true, {}, computerShow},
        {"mediatype.list", true, {}, mediaTypeList},
        {"mediatype.create", true, {"name", "sides", "description", "worm"}, mediaTypeCreate},
        {"pool.list", true, {}, poolList},
        {"pool.show", true, {"pool"}, poolShow},
        {"pool.create",
         true,
         {"path", "media_type", "description", "allocate_from_free", "deallocate_to_free",
          "max_allocations"},
         poolCreate},
        {"pool.delete", true, {"pool"}, poolDelete},
        {"media.list", true, {"pool", "library", "state", "location"}, mediaList},
        {"media.show", true, {"media"}, mediaShow},
        {"media.history", true, {"media", "limit"}, mediaHistory},
        {"media.create",
         true,
         {"media_type", "barcode", "pool", "name", "description", "label_type", "label_id"},
         mediaCreate},
        {"media.delete", true, {"media"}, mediaDelete},
        {"media.move_to_pool", true, {"media", "pool"}, mediaMoveToPool},
        {"media.decommission", true, {"media", "side", "side_id"}, mediaDecommission},
        {"lmid.list", true, {}, lmidList},
        {"lmid.show", true, {"lmid"}, lmidShow},
        {"lmid.allocate", true, {"pool", "new", "next", "name", "media"}, lmidAllocate},
        {"lmid.deallocate", true, {"lmid"}, lmidDeallocate},
        {"lmid.complete", true, {"lmid"}, lmidComplete},
        {"lmid.swap", true, {"lmid1", "lmid2", "return_lmids"}, lmidSwap},
        {"object.rename", true, {"object", "name"}, objectRename},
        {"object.describe", true, {"object", "description"}, objectDescribe},
        {"attribute.get", true, {"object", "name"}, attributeGet},
        {"attribute.set", true, {"object", "name", "value"}, attributeSet},
        {"acl.list", true, {"object"}, aclList},
        {"acl.grant", true, {"object", "principal", "principal_id", "rights"}, aclGrant},
        {"acl.revoke", true, {"object", "principal", "principal_id"}, aclRevoke},
    };
    return verbs;
}

}  // namespace rsm::service
