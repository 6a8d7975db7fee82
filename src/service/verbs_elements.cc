// The verbs answered from a library worker's element map, in memory, with no library request:
// mtx.status (mtx's status text, rendered once per map and sent as an attachment) and
// library.mtx's inquiry and elements. Each runs on the library's worker thread between two
// requests (Robots::withMap), after a TEST UNIT READY that says whether the map still holds.
#include <fmt/format.h>

#include "src/mtx/format.h"
#include "src/mtx/slot_map.h"
#include "src/protocol/codec.h"
#include "src/protocol/elements.h"
#include "src/service/call.h"

namespace rsm::service {

using nlohmann::json;

namespace {

// mtx's status of a map, as rsmd keeps it with the map: the counts of the first line, and the
// rest of the text.
struct MtxStatus {
    std::size_t drives = 0, slots = 0, importExport = 0;
    std::string body;
};

MtxStatus mtxStatus(const std::vector<sg::Element> &elements, bool volumeTags) {
    mtx::SlotMapBuilder builder;
    builder.reserve(elements.size());
    if (volumeTags) {
        for (const sg::Element &e : elements)
            builder.add(e);
    } else {
        std::vector<sg::Element> bare = elements;  // nobarcode: as if the library sent none
        for (sg::Element &e : bare) {
            e.primaryTag.reset();
            e.alternateTag.reset();
            builder.add(e);
        }
    }
    const mtx::SlotMap map = std::move(builder).build({});
    return MtxStatus{map.drives.size(), map.slots.size(),
                     static_cast<std::size_t>(map.importExport), mtx::statusBody(map)};
}

// The library a map verb looks at, when the connection's principal holds CONTROL on it (the
// right library.mtx needs): an administrator's is known to the workers without a database
// read.
Result<engine::LibraryRow> controlled(Call &c) {
    RSM_GET(name, c.fields.text("library"));
    const Principal &principal = c.connection->principal();
    if (c.engine().isAdministrator(principal))
        if (auto lib = c.services.robots.managed(name))
            return *lib;
    return c.engine().libraryFor(principal, name, rights::Control);
}

// Defers the reply to `answer`, run on the library's worker thread with its current map; the
// reply line it returns is pushed to the connection.
using Answer = std::function<std::string(const library::Robots::MapView &)>;
Result<json> fromMap(Call &c, const engine::LibraryRow &lib, Answer answer) {
    c.deferred = true;
    c.after = [robots = &c.services.robots, connection = c.connection, replyId = c.id, lib,
               answer = std::move(answer)] {
        connection->hold();  // owed a reply: not idle until it is pushed
        const bool queued = robots->withMap(lib.id, [=](Result<library::Robots::MapView> view) {
            connection->push(view ? answer(*view)
                                  : protocol::errorLine(
                                        replyId, view.error().withContext("library " + lib.name)));
            connection->release();
        });
        if (!queued) {
            connection->push(protocol::errorLine(
                replyId, Error(ErrorCode::InvalidLibrary,
                               fmt::format("library {} has no robot rsmd works (offline, or "
                                           "removed); rsmctl library list shows them",
                                           lib.name))));
            connection->release();
        }
    };
    return json::object();
}

// mtx.status: {"library", "drives", "slots", "import_export", "attachment"}, then the text.
Result<json> mtxStatusVerb(Call &c) {
    RSM_GET(volumeTags, c.fields.flag("volume_tags", true));
    RSM_GET(lib, controlled(c));
    return fromMap(c, lib, [replyId = c.id, volumeTags](const library::Robots::MapView &view) {
        auto status =
            view.link.rendering<MtxStatus>(volumeTags ? "mtx.status" : "mtx.status nobarcode",
                                           [volumeTags](const std::vector<sg::Element> &elements) {
                                               return mtxStatus(elements, volumeTags);
                                           });
        std::string line =
            protocol::resultLine(replyId, json{{"library", view.library.name},
                                               {"drives", status->drives},
                                               {"slots", status->slots},
                                               {"import_export", status->importExport},
                                               {"attachment", status->body.size()}});
        line.reserve(line.size() + 1 + status->body.size());
        line += '\n';
        line += status->body;
        return line;
    });
}

}  // namespace

Result<json> mtxFromMap(Call &c, engine::work::MtxOp op) {
    RSM_GET(lib, controlled(c));
    const json replyId = c.id;
    if (op == engine::work::MtxOp::Inquiry)
        return fromMap(c, lib, [replyId](const library::Robots::MapView &view) {
            auto data = view.link.current()->inquiry();
            if (!data)
                return protocol::errorLine(replyId, data.error());
            return protocol::resultLine(replyId, json{{"inquiry", protocol::inquiryToJson(*data)}});
        });
    return fromMap(c, lib, [replyId](const library::Robots::MapView &view) {
        // The result as the first reader of this map had it written, in this reply's line.
        auto result = view.link.rendering<std::string>(
            "library.mtx elements", [](const std::vector<sg::Element> &elements) {
                return protocol::dumpLine(json{{"elements", protocol::elementsToJson(elements)}});
            });
        return "{\"id\":" + replyId.dump() + ",\"result\":" + *result + "}";
    });
}

const std::vector<Verb> &elementVerbs() {
    static const std::vector<Verb> verbs = {
        {"mtx.status", false, {"library", "volume_tags"}, mtxStatusVerb},
    };
    return verbs;
}

}  // namespace rsm::service
