// The verbs answered from a library worker's element map, in memory, with no library request:
// mtx.status (mtx's status text, rendered once per map and sent as an attachment),
// library.status (each element with the medium the database has there) and library.mtx's
// inquiry and elements. Each runs on the library's worker thread between two
// requests (Robots::withMap), after a TEST UNIT READY that says whether the map still holds.
#include <algorithm>
#include <map>
#include <memory>

#include <fmt/format.h>

#include "src/mtx/format.h"
#include "src/mtx/slot_map.h"
#include "src/protocol/codec.h"
#include "src/protocol/elements.h"
#include "src/service/call.h"
#include "src/service/to_json.h"

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

// The library a map verb looks at, when the connection's principal holds `need` on it: an
// administrator's is known to the workers without a database read.
Result<engine::LibraryRow> libraryWith(Call &c, std::uint32_t need) {
    RSM_GET(name, c.fields.text("library"));
    const Principal &principal = c.connection->principal();
    if (c.engine().isAdministrator(principal))
        if (auto lib = c.services.robots.managed(name))
            return *lib;
    return c.engine().libraryFor(principal, name, need);
}

// CONTROL: the right library.mtx needs.
Result<engine::LibraryRow> controlled(Call &c) {
    return libraryWith(c, rights::Control);
}

// Elements in the order people read a library: drives, slots, ports, pickers; by address.
int typeOrder(sg::ElementType type) {
    switch (type) {
        case sg::ElementType::DataTransfer:
            return 0;
        case sg::ElementType::Storage:
            return 1;
        case sg::ElementType::ImportExport:
            return 2;
        default:
            return 3;
    }
}

// One element of library.status: what the robot reports, and the medium the database has for
// its barcode.
json statusRow(const sg::Element &e,
               const std::map<std::string, const engine::LibraryContent *> &byBarcode) {
    json row = {
        {"element", std::string(sg::elementTypeName(e.type))},
        {"address", e.address},
        {"full", e.full},
        {"barcode", nullptr},
        {"source", e.sourceAddress ? json(*e.sourceAddress) : json()},
        {"exception", e.exception ? json(fmt::format("{:02X}/{:02X}", e.asc, e.ascq)) : json()},
        {"media_id", nullptr},
        {"pool", nullptr},
        {"lmid", json::array()},
        {"state", nullptr}};
    if (!e.full || !e.primaryTag || !e.primaryTag->present())
        return row;
    const std::string barcode = e.primaryTag->trimmed();
    row["barcode"] = barcode;
    auto it = byBarcode.find(barcode);
    if (it == byBarcode.end())
        return row;
    const engine::LibraryContent &c = *it->second;
    row["media_id"] = c.media.id.toString();
    row["pool"] = c.pool;
    row["lmid"] = c.lmids;
    row["state"] = protocolName(mediaStateName(c.media.state));
    return row;
}

Error noWorker(const engine::LibraryRow &lib) {
    return Error(ErrorCode::InvalidLibrary,
                 fmt::format("library {} has no robot rsmd works (offline, or removed); rsmctl "
                             "library list shows them",
                             lib.name));
}

// A reply line made from the map, and the attachment it announces (none: null).
struct Answered {
    std::string line;
    daemon::Attachment attachment = {};
};

// The reply `answer` makes of the library's current map: at once on this thread when the
// library's worker is between two pieces of work, else deferred to the worker's thread (after
// the request under way) and pushed to the connection from there.
using Answer = std::function<Answered(const library::Robots::MapView &)>;
Result<json> fromMap(Call &c, const engine::LibraryRow &lib, Answer answer) {
    const json replyId = c.id;
    auto reply = [&](Result<library::Robots::MapView> view) {
        if (!view) {
            c.line = protocol::errorLine(replyId, view.error().withContext("library " + lib.name));
            return;
        }
        Answered answered = answer(*view);
        c.line = std::move(answered.line);
        c.attachment = std::move(answered.attachment);
    };
    switch (c.services.robots.withMapHere(lib.id, reply)) {
        case library::Robots::Here::Done:
            return json::object();
        case library::Robots::Here::NoWorker:
            return noWorker(lib);
        case library::Robots::Here::Busy:
            break;
    }
    c.deferred = true;
    c.after = [robots = &c.services.robots, connection = c.connection, replyId = c.id, lib,
               answer = std::move(answer)] {
        connection->hold();  // owed a reply: not idle until it is pushed
        const bool queued = robots->withMap(lib.id, [=](Result<library::Robots::MapView> view) {
            if (!view) {
                connection->push(
                    protocol::errorLine(replyId, view.error().withContext("library " + lib.name)));
            } else if (Answered answered = answer(*view); answered.attachment) {
                connection->pushAttached(std::move(answered.line), std::move(answered.attachment));
            } else {
                connection->push(std::move(answered.line));
            }
            connection->release();
        });
        if (!queued) {
            connection->push(protocol::errorLine(replyId, noWorker(lib)));
            connection->release();
        }
    };
    return json::object();
}

// library.status: the library's elements as the worker's map has them, each full one with the
// medium the database knows by its barcode (pool, LMIDs, state).
Result<json> libraryStatus(Call &c) {
    RSM_GET(lib, libraryWith(c, rights::Use));
    RSM_GET(contents, c.engine().libraryContents(c.session, lib.id));
    auto shared = std::make_shared<const std::vector<engine::LibraryContent>>(std::move(contents));
    return fromMap(c, lib, [replyId = c.id, shared](const library::Robots::MapView &view) {
        std::map<std::string, const engine::LibraryContent *> byBarcode;
        for (const engine::LibraryContent &m : *shared)
            if (m.media.barcode)
                byBarcode.emplace(*m.media.barcode, &m);
        std::vector<const sg::Element *> order;
        order.reserve(view.elements.size());
        for (const sg::Element &e : view.elements)
            order.push_back(&e);
        std::stable_sort(order.begin(), order.end(), [](const auto *a, const auto *b) {
            return std::pair(typeOrder(a->type), a->address) <
                   std::pair(typeOrder(b->type), b->address);
        });
        json elements = json::array();
        for (const sg::Element *e : order)
            elements.push_back(statusRow(*e, byBarcode));
        return Answered{protocol::resultLine(
            replyId, json{{"library", view.library.name}, {"elements", elements}})};
    });
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
        // The text as the worker keeps it, shared with the connection until it is written.
        return Answered{std::move(line), daemon::Attachment(status, &status->body)};
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
                return Answered{protocol::errorLine(replyId, data.error())};
            return Answered{
                protocol::resultLine(replyId, json{{"inquiry", protocol::inquiryToJson(*data)}})};
        });
    return fromMap(c, lib, [replyId](const library::Robots::MapView &view) {
        // The result as the first reader of this map had it written, in this reply's line.
        auto result = view.link.rendering<std::string>(
            "library.mtx elements", [](const std::vector<sg::Element> &elements) {
                return protocol::dumpLine(json{{"elements", protocol::elementsToJson(elements)}});
            });
        return Answered{"{\"id\":" + replyId.dump() + ",\"result\":" + *result + "}"};
    });
}

const std::vector<Verb> &elementVerbs() {
    static const std::vector<Verb> verbs = {
        {"mtx.status", false, {"library", "volume_tags"}, mtxStatusVerb},
        {"library.status", true, {"library"}, libraryStatus},
    };
    return verbs;
}

}  // namespace rsm::service
