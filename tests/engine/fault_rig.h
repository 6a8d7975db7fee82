#pragma once
// FaultRig: robot faults through Mover, DriveSession and the robot jobs, with the sense data
// tgtd cannot produce: an engine over the private PostgreSQL, a library registered and
// inventoried, and a FakeTransport scripted per device (the changer, each drive).

#include <doctest/doctest.h>

#include <map>

#include "sg/cdb.h"
#include "sg/fake_transport.h"
#include "src/library/drive_session.h"
#include "src/library/mover.h"
#include "tests/engine/engine_fixture.h"
#include "tests/sg/smc_reply.h"

namespace rsm::test {

using engine::ElementRow;
using engine::InventoryElement;
using engine::MediaRow;
using engine::NewLibrary;
using library::DriveSession;
using library::Mover;
using library::Place;
using sg::ElementType;
using sg::FakeTransport;
namespace op = sg::cdb::op;

// The library: picker 1, slots 1000..1003, drives 500 and 501, I/E port 10.
constexpr int kPicker = 1, kSlot = 1000, kSlots = 4, kDrive0 = 500, kDrive1 = 501, kPort = 10;
const std::string kChanger = "fake:changer";
const std::string kTape0 = "fake:drive0";
const std::string kTape1 = "fake:drive1";

// Gives a Mover or a DriveSession the test's FakeTransport of a device, each time it opens
// the device.
class Forward : public sg::Transport {
public:
    Forward(FakeTransport &to, std::string name) : to_(to), name_(std::move(name)) {}
    Result<sg::Reply> execute(const sg::Command &command) override { return to_.execute(command); }
    std::string describe() const override { return name_; }

private:
    FakeTransport &to_;
    std::string name_;
};

// What the robot holds: barcode by element address.
using Holds = std::map<int, std::string>;

inline auto ofType(ElementType type) {
    return [type](const sg::Command &c) { return (c.cdb[1] & 0x0F) == static_cast<int>(type); };
}

inline auto moving(int from, int to) {
    return [from, to](const sg::Command &c) {
        return (c.cdb[4] << 8 | c.cdb[5]) == from && (c.cdb[6] << 8 | c.cdb[7]) == to;
    };
}

struct FaultRig {
    // The robot starts with A00001L5 in slot 1000, A00002L5 in slot 1001, A00003L5 in drive 501.
    FaultRig() {
        NewLibrary l;
        l.name = "faulty";
        l.device = kChanger;
        l.changers = {kPicker};
        for (int i = 0; i < kSlots; ++i)
            l.slots.push_back(kSlot + i);
        l.drives = {{kDrive0, "SER0", kTape0}, {kDrive1, "SER1", kTape1}};
        l.ieports = {kPort};
        auto id = rig.engine->addLibrary(rig.root, l);
        REQUIRE_OK(id);
        library = *id;
        REQUIRE_OK(rig.engine->reconcileInventory(library, report(start)));

        options.openTransport =
            [this](const std::string &device) -> Result<std::unique_ptr<sg::Transport>> {
            auto fake = fakes.find(device);
            if (fake == fakes.end())
                return Error(ErrorCode::DeviceNotAvailable, "no fake for " + device);
            return std::unique_ptr<sg::Transport>(std::make_unique<Forward>(fake->second, device));
        };
        options.retry.unitAttentionRetries = 2;
        options.retry.notReadyWait = std::chrono::seconds(3);
        options.retry.pollInterval = std::chrono::seconds(1);
        options.sleep = [this](std::chrono::milliseconds d) { slept += d; };
        options.readyTimeout = std::chrono::seconds(3);
        options.log = [this](library::RobotLog, const std::string &line) { log += line + "\n"; };
    }

    ~FaultRig() {
        for (const auto &entry : fakes) {
            const auto &device = entry.first;  // clang 14 cannot capture structured bindings
            const auto &fake = entry.second;
            INFO(device);
            CHECK(fake.unexpected().empty());
            CHECK(fake.pending() == 0);  // every scripted reply was asked for
        }
    }

    FakeTransport &changer() { return fakes[kChanger]; }
    FakeTransport &tape(int drive) { return fakes[drive == kDrive0 ? kTape0 : kTape1]; }

    Mover mover() {
        auto row = rig.engine->libraryRow(library);
        REQUIRE_OK(row);
        return Mover(*rig.engine, *row, options);
    }

    // The drives of a job, each opened (through `fakes`) on first use.
    DriveSession drives() {
        auto row = rig.engine->libraryRow(library);
        REQUIRE_OK(row);
        return DriveSession(*rig.engine, *row, options);
    }

    // Every slot, drive and port as READ ELEMENT STATUS lists them.
    static std::vector<InventoryElement> report(const Holds &holds) {
        std::vector<InventoryElement> out;
        auto add = [&](ObjectKind kind, int address) {
            InventoryElement e{kind, address, holds.count(address) > 0, std::nullopt};
            if (e.full)
                e.barcode = holds.at(address);
            out.push_back(e);
        };
        for (int i = 0; i < kSlots; ++i)
            add(ObjectKind::Slot, kSlot + i);
        add(ObjectKind::Drive, kDrive0);
        add(ObjectKind::Drive, kDrive1);
        add(ObjectKind::IePort, kPort);
        return out;
    }

    // The changer's first command: the element address assignment (mode page 1Dh).
    void scriptMap() {
        sg::ElementAddressAssignment map;
        map.transport = {kPicker, 1};
        map.storage = {kSlot, kSlots};
        map.importExport = {kPort, 1};
        map.dataTransfer = {kDrive0, 2};
        changer().expect(op::ModeSense6, FakeTransport::dataReply(elementAddressPage6(map)));
    }

    // The element status the changer reports, one READ ELEMENT STATUS per element type.
    void scriptStatus(const Holds &holds) {
        auto elements = [&](int first, int count) {
            std::vector<FakeElement> out;
            for (int a = first; a < first + count; ++a) {
                FakeElement e;
                e.address = static_cast<std::uint16_t>(a);
                e.full = holds.count(a) > 0;
                if (e.full)
                    e.tag = holds.at(a);
                out.push_back(e);
            }
            return out;
        };
        const std::pair<ElementType, std::vector<FakeElement>> pages[] = {
            {ElementType::Transport, elements(kPicker, 1)},
            {ElementType::Storage, elements(kSlot, kSlots)},
            {ElementType::ImportExport, elements(kPort, 1)},
            {ElementType::DataTransfer, elements(kDrive0, 2)},
        };
        for (const auto &[type, page] : pages)
            changer().expect(op::ReadElementStatus, ofType(type),
                             FakeTransport::dataReply(elementStatusReply(type, page)));
    }

    // The health reading of a drive before its unload (issue 19), as a drive that supports none
    // of it (tgtd) answers: READ ATTRIBUTE and LOG SENSE 17h, 02h, 03h and 2Eh, each refused
    // with ILLEGAL REQUEST.
    void scriptNoHealth(int drive) {
        tape(drive).expectSense(op::ReadAttribute, 5, 0x24, 0x00);
        for (std::uint8_t page : {0x17, 0x02, 0x03, 0x2E})
            tape(drive).expect(op::LogSense, logPage(page), FakeTransport::senseReply(5, 0x24, 0));
    }

    static std::function<bool(const sg::Command &)> logPage(std::uint8_t page) {
        return [page](const sg::Command &c) { return (c.cdb[2] & 0x3F) == page; };
    }

    void scriptMove(int from, int to, sg::Reply reply) {
        changer().expect(op::MoveMedium, moving(from, to), std::move(reply));
    }

    MediaRow media(const std::string &barcode) {
        auto id = rig.engine->findMedia(rig.root, barcode);
        REQUIRE_OK(id);
        auto row = rig.engine->mediaRow(*id);
        REQUIRE_OK(row);
        return *row;
    }

    // "slot 1000 IDLE", "drive 500 MOUNTED", "shelf IDLE": where the database has a medium.
    std::string where(const std::string &barcode) {
        auto id = rig.engine->findMedia(rig.root, barcode);
        REQUIRE_OK(id);
        auto info = rig.engine->getMedia(rig.root, *id);
        REQUIRE_OK(info);
        std::string out(locationKindName(info->row.location));
        if (info->address)
            out += " " + std::to_string(*info->address);
        return out + " " + std::string(mediaStateName(info->row.state));
    }

    std::string driveState(int address) {
        auto view = rig.engine->robotView(library);
        REQUIRE_OK(view);
        for (const auto &d : view->drives)
            if (d.row.address == address)
                return std::string(driveStateName(d.row.state));
        FAIL("no drive at " << address);
        return {};
    }

    int pending() {
        auto n = rig.engine->pendingMoves(library);
        REQUIRE_OK(n);
        return *n;
    }

    Place place(ObjectKind kind, int address) {
        auto view = rig.engine->robotView(library);
        REQUIRE_OK(view);
        if (kind == ObjectKind::Drive) {
            for (const auto &d : view->drives)
                if (d.row.address == address)
                    return Place{kind, d.row.id, address};
        }
        for (const auto *elements : {&view->slots, &view->ieports})
            for (const ElementRow &e : *elements)
                if (e.address == address)
                    return Place{kind, e.id, address};
        FAIL("no element at " << address);
        return {};
    }

    engine::RobotView::Drive viewOf(int address) {
        auto view = rig.engine->robotView(library);
        REQUIRE_OK(view);
        for (const auto &d : view->drives)
            if (d.row.address == address)
                return d;
        FAIL("no drive at " << address);
        return {};
    }

    // Moves A00001L5 from slot 1000 into drive 500.
    Result<void> mountFirst() {
        return mover().move(media("A00001L5"), place(ObjectKind::Slot, kSlot),
                            place(ObjectKind::Drive, kDrive0), std::nullopt);
    }

    const Holds start = {{kSlot, "A00001L5"}, {kSlot + 1, "A00002L5"}, {kDrive1, "A00003L5"}};
    EngineRig rig;
    Uuid library;
    std::map<std::string, FakeTransport> fakes;  // by device
    library::RobotOptions options;
    std::chrono::milliseconds slept{0};
    std::string log;
};

}  // namespace rsm::test
