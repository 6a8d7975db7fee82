// Vaults (Engine::createVault … vaultReport) against a real PostgreSQL, with a manual clock:
// a rotation of media through a vault, its dates, the return list, overdue transits, the
// report of pools with no copy offsite, and an inventory that takes a medium back home.

#include <doctest/doctest.h>

#include <chrono>

#include "rsm/clock.h"
#include "src/engine/ledger.h"
#include "tests/engine/engine_fixture.h"

using namespace rsm;
using namespace rsm::engine;
using namespace rsm::test;

namespace {

constexpr int kSlots = 6;

struct VaultRig {
    ManualClock clock{std::chrono::system_clock::now()};
    EngineRig rig{PgCluster::shared(), {}, &clock};
    Uuid library;

    VaultRig() {
        NewLibrary l;
        l.name = "robot";
        l.device = "/dev/sg9";
        for (int i = 0; i < kSlots; ++i)
            l.slots.push_back(1000 + i);
        l.ieports = {10, 11};
        auto id = rig.engine->addLibrary(rig.root, l);
        REQUIRE_OK(id);
        library = *id;
    }
    // The robot holds these barcodes in slots 1000.. (in order; "" leaves a slot empty).
    void holds(const std::vector<std::string> &barcodes) {
        std::vector<InventoryElement> seen;
        for (int i = 0; i < kSlots; ++i) {
            InventoryElement e{ObjectKind::Slot, 1000 + i, false, std::nullopt};
            if (i < static_cast<int>(barcodes.size()) && !barcodes[i].empty()) {
                e.full = true;
                e.barcode = barcodes[i];
            }
            seen.push_back(e);
        }
        seen.push_back(InventoryElement{ObjectKind::IePort, 10, false, std::nullopt});
        seen.push_back(InventoryElement{ObjectKind::IePort, 11, false, std::nullopt});
        REQUIRE_OK(rig.engine->reconcileInventory(library, seen));
    }
    std::string state(const std::string &barcode) {
        return rig.query("SELECT coalesce(vault_state, '-') FROM physical_media WHERE barcode = $1",
                         {barcode});
    }
    void advanceDays(int days) { clock.set(clock.now() + std::chrono::hours(24 * days)); }
};

}  // namespace

TEST_CASE("vaults: create, list, show, delete, and the rights they need") {
    VaultRig v;
    auto id = v.rig.engine->createVault(v.rig.root, "iron", "the mountain");
    REQUIRE_OK(id);
    REQUIRE_CODE(v.rig.engine->createVault(v.rig.root, "iron", ""), ErrorCode::AlreadyExists);
    REQUIRE_CODE(v.rig.engine->createVault(v.rig.root, "", ""), ErrorCode::InvalidParameter);
    REQUIRE_CODE(v.rig.engine->createVault(v.rig.session(1000), "other", ""),
                 ErrorCode::AccessDenied);
    auto list = v.rig.engine->listVaults(v.rig.root);
    REQUIRE_OK(list);
    REQUIRE(list->size() == 1);
    CHECK(list->front().row.name == "iron");
    CHECK(list->front().row.description == "the mountain");
    REQUIRE_CODE(v.rig.engine->getVault(v.rig.root, "nowhere"), ErrorCode::ObjectNotFound);
    CHECK(v.rig.count("SELECT count(*) FROM event_log WHERE object_kind = 'vault'") == 1);
    REQUIRE_CODE(v.rig.engine->deleteVault(v.rig.session(1000), "iron"), ErrorCode::AccessDenied);
    REQUIRE_OK(v.rig.engine->deleteVault(v.rig.root, "iron"));
    CHECK(v.rig.engine->listVaults(v.rig.root)->empty());
}

TEST_CASE("vaults: a rotation with its dates, the return list, overdue, and back home") {
    VaultRig v;
    auto &e = *v.rig.engine;
    const Uuid kept = v.rig.lmid("VLT001L5");  // allocated: retention keeps it out
    (void)kept;
    v.rig.offlineMedia("VLT002L5");
    v.rig.offlineMedia("VLT003L5");
    v.holds({"VLT001L5", "VLT002L5", "VLT003L5"});
    REQUIRE_OK(e.createVault(v.rig.root, "iron", ""));

    // A user without CONTROL on the library may not send.
    REQUIRE_CODE(e.vaultSend(v.rig.session(1000), {"backup"}, "iron"), ErrorCode::AccessDenied);
    REQUIRE_CODE(e.vaultSend(v.rig.root, {"NOSUCH"}, "iron"), ErrorCode::InvalidMedia);
    auto picks = e.vaultSend(v.rig.root, {"backup"}, "iron");
    REQUIRE_OK(picks);
    REQUIRE(picks->size() == 3);  // two I/E ports: rounds 1, 1, 2
    CHECK((*picks)[0].barcode == "VLT001L5");
    CHECK((*picks)[0].round == 1);
    CHECK((*picks)[1].round == 1);
    CHECK((*picks)[2].round == 2);
    CHECK((*picks)[0].pool == "backup");
    CHECK((*picks)[0].library == "robot");
    CHECK((*picks)[0].lmids.size() == 1);
    CHECK((*picks)[0].operatorRequest != (*picks)[2].operatorRequest);
    CHECK(v.rig.count("SELECT count(*) FROM library_request WHERE media_id IS NOT NULL") == 3);
    CHECK(v.rig.count("SELECT count(*) FROM operator_request WHERE message LIKE 'vault iron:%'") ==
          2);
    CHECK(v.state("VLT002L5") == "in-transit-out");
    REQUIRE_CODE(e.vaultSend(v.rig.root, {"VLT002L5"}, "iron"), ErrorCode::Busy);
    REQUIRE_CODE(e.deleteVault(v.rig.root, "iron"), ErrorCode::NotEmpty);

    // Not ejected yet: nothing arrives; naming one is INVALID_STATE.
    auto none = e.vaultArrived(v.rig.root, "iron", {});
    REQUIRE_OK(none);
    CHECK(none->empty());
    REQUIRE_CODE(e.vaultArrived(v.rig.root, "iron", {"VLT001L5"}), ErrorCode::InvalidState);

    // The operator took them out of the ports: an inventory puts them on the shelf.
    v.holds({});
    CHECK(v.state("VLT001L5") == "in-transit-out");
    v.advanceDays(3);
    auto overdue = e.vaultOverdue(v.rig.root, 2);
    REQUIRE_OK(overdue);
    CHECK(overdue->size() == 3);
    CHECK(e.vaultOverdue(v.rig.root, 4)->empty());

    auto arrived = e.vaultArrived(v.rig.root, "iron", {});
    REQUIRE_OK(arrived);
    CHECK(arrived->size() == 3);
    CHECK(v.state("VLT003L5") == "in-vault");
    CHECK(e.vaultOverdue(v.rig.root, 0)->empty());
    auto shown = e.getVault(v.rig.root, "iron");
    REQUIRE_OK(shown);
    CHECK(shown->vault.inVault == 3);
    REQUIRE(shown->media.size() == 3);
    CHECK(
        shown->media[0].place.arrived ==
        std::chrono::duration_cast<std::chrono::seconds>(v.clock.now().time_since_epoch()).count());
    CHECK(*shown->media[0].place.arrived - *shown->media[0].place.sent == 3 * 86400);

    // The return list: what retention lets come back (VLT001L5 still holds an LMID).
    v.advanceDays(10);
    auto list = e.vaultRecall(v.rig.root, "iron", {}, true);
    REQUIRE_OK(list);
    REQUIRE(list->size() == 2);
    CHECK((*list)[0].barcode == "VLT002L5");
    CHECK(v.state("VLT002L5") == "in-vault");  // --list marks nothing
    auto recalled = e.vaultRecall(v.rig.root, "iron", {}, false);
    REQUIRE_OK(recalled);
    CHECK(recalled->size() == 2);
    CHECK(v.state("VLT002L5") == "in-transit-back");
    CHECK(v.state("VLT001L5") == "in-vault");
    REQUIRE_CODE(e.vaultRecall(v.rig.root, "iron", {"VLT002L5"}, false), ErrorCode::InvalidMedia);
    REQUIRE_OK(e.vaultRecall(v.rig.root, "iron", {"VLT001L5"}, false));  // named: comes back
    v.advanceDays(2);
    CHECK(e.vaultOverdue(v.rig.root, 1)->size() == 3);

    // Injected (an inventory finds them in the library): out of the vault, in the log.
    v.holds({"", "VLT002L5"});
    CHECK(v.state("VLT002L5") == "-");
    CHECK(v.state("VLT003L5") == "in-transit-back");
    CHECK(v.rig.count("SELECT count(*) FROM event_log WHERE object_kind = 'physical_media'"
                      " AND data ->> 'barcode' = 'VLT002L5' AND data ->> 'vault_id' IS NULL"
                      " AND op = 'update'") >= 1);
    auto after = e.getVault(v.rig.root, "iron");
    REQUIRE_OK(after);
    CHECK(after->media.size() == 2);
}

TEST_CASE("vaults: a round's operator request completes once all its cartridges left") {
    VaultRig v;
    auto &e = *v.rig.engine;
    for (const char *b : {"RND001L5", "RND002L5", "RND003L5"})
        v.rig.offlineMedia(b);
    v.holds({"RND001L5", "RND002L5", "RND003L5"});
    REQUIRE_OK(e.createVault(v.rig.root, "iron", ""));
    auto picks = e.vaultSend(v.rig.root, {"backup"}, "iron");
    REQUIRE_OK(picks);
    REQUIRE(picks->size() == 3);  // two I/E ports: round 1 RND001L5, RND002L5; round 2 RND003L5
    REQUIRE((*picks)[0].operatorRequest);
    REQUIRE((*picks)[2].operatorRequest);
    const std::string first = (*picks)[0].operatorRequest->toString();
    const std::string second = (*picks)[2].operatorRequest->toString();
    auto state = [&](const std::string &request) {
        return v.rig.query("SELECT state FROM operator_request WHERE id = $1::uuid", {request});
    };
    const std::string open = "1", refused = "4", complete = "5";
    CHECK(state(first) == open);

    // An inventory that still finds them all: nothing left.
    v.holds({"RND001L5", "RND002L5", "RND003L5"});
    CHECK(state(first) == open);
    // One of round 1 left; the other is still in its slot.
    v.holds({"", "RND002L5", "RND003L5"});
    CHECK(state(first) == open);
    // The first came back before the round was done (out of the rotation: it no longer goes);
    // the second is still on its way out.
    v.holds({"RND001L5", "RND002L5", "RND003L5"});
    CHECK(state(first) == open);
    // The second left: round 1 is done; round 2's cartridge is still in the library.
    v.holds({"RND001L5", "", "RND003L5"});
    CHECK(state(first) == complete);
    CHECK(v.rig.query("SELECT message FROM operator_request WHERE id = $1::uuid", {first})
              .ends_with(" (done: the cartridges left the library)"));
    CHECK(state(second) == open);

    // Round 2's eject is cancelled: its send is undone, nothing of the round goes out, and its
    // request is withdrawn at once.
    REQUIRE((*picks)[2].request);
    REQUIRE_OK(e.cancelRequest(v.rig.root, *(*picks)[2].request));
    CHECK(state(second) == refused);
    CHECK(v.rig.query("SELECT message FROM operator_request WHERE id = $1::uuid", {second})
              .find("(withdrawn: its ejects failed or were cancelled") != std::string::npos);
    v.holds({});
    CHECK(state(second) == refused);
    CHECK(state(first) == complete);  // ended once
    CHECK(v.rig.count(
              "SELECT count(*) FROM operator_request WHERE message LIKE '%(done:%(done:%'") == 0);
}

TEST_CASE("vaults: the report of pools whose recent media have no copy offsite") {
    VaultRig v;
    auto &e = *v.rig.engine;
    v.rig.offlineMedia("REC001L5");
    REQUIRE_OK(e.createVault(v.rig.root, "iron", ""));
    CHECK(e.vaultReport(v.rig.root, 7)->empty());  // nothing written
    v.rig.sql(
        "UPDATE side SET last_written = now() FROM physical_media m"
        " WHERE m.id = side.media_id AND m.barcode = 'REC001L5'");
    auto report = e.vaultReport(v.rig.root, 7);
    REQUIRE_OK(report);
    REQUIRE(report->size() == 1);
    CHECK(report->front().pool == "backup");
    CHECK(report->front().recent == 1);
    CHECK(report->front().barcodes == std::vector<std::string>{"REC001L5"});
    // Eight days later it is no longer recent.
    v.advanceDays(8);
    CHECK(e.vaultReport(v.rig.root, 7)->empty());
    REQUIRE_CODE(e.vaultReport(v.rig.root, 0), ErrorCode::InvalidParameter);
}

TEST_CASE("vaults: a send whose eject fails or is cancelled is undone; the others go on") {
    VaultRig v;
    auto &e = *v.rig.engine;
    v.rig.offlineMedia("UND001L5");
    v.rig.offlineMedia("UND002L5");
    v.rig.offlineMedia("UND003L5");
    v.holds({"UND001L5", "UND002L5", "UND003L5"});
    REQUIRE_OK(e.createVault(v.rig.root, "iron", ""));
    auto picks = e.vaultSend(v.rig.root, {"backup"}, "iron");
    REQUIRE_OK(picks);
    REQUIRE(picks->size() == 3);
    REQUIRE((*picks)[0].request);
    const std::string first = *(*picks)[0].barcode, third = *(*picks)[2].barcode;

    // Cancelled before the robot took it: back out of the rotation, in the log.
    REQUIRE_OK(e.cancelRequest(v.rig.root, *(*picks)[0].request));
    CHECK(v.state(first) == "-");
    CHECK(
        v.rig.count("SELECT count(*) FROM event_log WHERE object_kind = 'physical_media'"
                    " AND data ->> 'barcode' = $1 AND op = 'update' AND data ->> 'vault_id' IS NULL"
                    " AND seq > (SELECT max(seq) FROM event_log WHERE data ->> 'barcode' = $1"
                    " AND data ->> 'vault_state' = 'in-transit-out')",
                    {first}) == 1);

    // Failed in the robot (the worker's outcome): undone too; the cartridge is still in its slot.
    Ledger ledger(*v.rig.t.store);
    auto taken = ledger.prepare(v.library);
    REQUIRE_OK(taken);
    REQUIRE(taken->has_value());
    const Uuid failedMedia = *(*taken)->request.mediaId;
    RequestOutcome outcome;
    outcome.status = Error(ErrorCode::DeviceNotAvailable, "the robot is jammed");
    REQUIRE_OK(ledger.finish((*taken)->request.id, outcome));
    CHECK(v.rig.count("SELECT count(*) FROM physical_media WHERE id = $1::uuid"
                      " AND vault_id IS NULL AND location = 1",
                      {failedMedia.toString()}) == 1);

    // The third still goes: in transit, its eject queued, its round open. Round 1 has nothing
    // left that goes out: its request is withdrawn.
    CHECK(v.state(third) == "in-transit-out");
    auto requestState = [&](const std::optional<Uuid> &id) {
        return v.rig.query("SELECT state FROM operator_request WHERE id = $1::uuid",
                           {id->toString()});
    };
    REQUIRE((*picks)[0].operatorRequest);
    REQUIRE((*picks)[2].operatorRequest);
    CHECK((*picks)[1].operatorRequest == (*picks)[0].operatorRequest);
    CHECK(requestState((*picks)[0].operatorRequest) == "4");  // REFUSED
    CHECK(requestState((*picks)[2].operatorRequest) == "1");  // SUBMITTED
    // A medium sent again after the undo gets a new eject.
    auto again = e.vaultSend(v.rig.root, {first}, "iron");
    REQUIRE_OK(again);
    CHECK(v.state(first) == "in-transit-out");
}
