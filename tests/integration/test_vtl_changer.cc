// The driver layer against tgtd's virtual tape library over iSCSI: IscsiTransport with raw
// CDBs, then rsm::sg::Changer (element map, status, moves, errors, exchange, a dead target).

#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <set>
#include <stdexcept>
#include <string>

#include "sg/cdb.h"
#include "sg/changer.h"
#include "sg/inquiry.h"
#include "sg/iscsi_transport.h"
#include "sg/open.h"
#include "sg/sense.h"
#include "tests/integration/vtl_library.h"

// Shapes are written with designated initializers naming only what differs from the defaults;
// g++ 12 would warn about every member left to its default member initializer.
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

using namespace rsm;
using namespace rsm::sg;
using rsm::test::VirtualLibrary;
using Clock = std::chrono::steady_clock;

namespace {

std::unique_ptr<IscsiTransport> connectTo(const std::string &url, IscsiOptions options = {}) {
    auto transport = IscsiTransport::connect(url, options);
    REQUIRE_MESSAGE(transport.ok(), transport.error().toString());
    return std::move(*transport);
}

std::unique_ptr<Changer> openChanger(const VirtualLibrary &lib, ChangerOptions options = {}) {
    return std::make_unique<Changer>(connectTo(lib.changerUrl()), std::move(options));
}

Reply runRaw(Transport &transport, const Command &command) {
    auto reply = transport.execute(command);
    REQUIRE_MESSAGE(reply.ok(), reply.error().toString());
    return std::move(*reply);
}

std::map<std::uint16_t, Element> byAddress(Changer &changer) {
    auto all = changer.status();
    REQUIRE_MESSAGE(all.ok(), all.error().toString());
    std::map<std::uint16_t, Element> map;
    for (auto &e : *all) {
        INFO("element ", e.address, " is listed twice");
        CHECK(map.find(e.address) == map.end());
        map[e.address] = e;
    }
    return map;
}

std::string barcodeOf(const Element &e) {
    return e.primaryTag ? e.primaryTag->trimmed() : std::string();
}

// The element at `address` holds the cartridge `barcode` (moved there from `source`, if given).
void expectFull(const std::map<std::uint16_t, Element> &elements, std::uint16_t address,
                const std::string &barcode, std::optional<std::uint16_t> source = std::nullopt) {
    INFO("element ", address);
    auto it = elements.find(address);
    REQUIRE(it != elements.end());
    CHECK(it->second.full);
    CHECK(barcodeOf(it->second) == barcode);
    if (source) {
        REQUIRE(it->second.sourceAddress.has_value());
        CHECK(*it->second.sourceAddress == *source);
    }
}

void expectEmpty(const std::map<std::uint16_t, Element> &elements, std::uint16_t address) {
    INFO("element ", address);
    auto it = elements.find(address);
    REQUIRE(it != elements.end());
    CHECK(!it->second.full);
    CHECK(barcodeOf(it->second).empty());
}

void expectMoveFails(Changer &changer, std::uint16_t source, std::uint16_t destination,
                     ErrorCode code, std::initializer_list<SenseRecord> senses) {
    INFO("move ", source, " -> ", destination);
    auto moved = changer.move(source, destination);
    REQUIRE(!moved.ok());
    INFO(moved.error().toString());
    CHECK(moved.error().code() == code);
    REQUIRE(moved.error().sense().has_value());
    const SenseRecord got = *moved.error().sense();
    CHECK(std::find(senses.begin(), senses.end(), got) != senses.end());
}

double secondsSince(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

}  // namespace

TEST_CASE("vtl: INQUIRY of the changer and of a drive over iSCSI") {
    VirtualLibrary lib;
    MESSAGE("tgtd virtual library started in ", lib.startTime().count(), " ms");

    auto changer = connectTo(lib.changerUrl());
    CHECK(changer->describe() == lib.changerUrl());
    Reply reply = runRaw(*changer, cdb::inquiry(96));
    CHECK(reply.status == status::Good);
    CHECK(reply.sense.empty());
    auto inq = parseInquiry(reply.data);
    REQUIRE_MESSAGE(inq.ok(), inq.error().toString());
    CHECK(inq->peripheralType == peripheral::MediumChanger);
    CHECK(trimField(inq->vendor) == "STK");
    CHECK(trimField(inq->product) == "L700");
    CHECK(trimField(inq->revision) == "0104");
    auto serial = parseUnitSerialNumber(runRaw(*changer, cdb::inquiryVpd(0x80)).data);
    REQUIRE(serial.ok());
    CHECK(*serial == "SMC001");

    // Data-in is cut to the allocation length.
    Reply shortReply = runRaw(*changer, cdb::inquiry(5));
    CHECK(shortReply.status == status::Good);
    CHECK(shortReply.data.size() == 5);

    REQUIRE(lib.driveUrls().size() == 2);
    for (std::size_t i = 0; i < lib.driveUrls().size(); ++i) {
        INFO("drive ", lib.driveUrls()[i]);
        auto drive = connectTo(lib.driveUrls()[i]);
        auto d = parseInquiry(runRaw(*drive, cdb::inquiry(96)).data);
        REQUIRE(d.ok());
        CHECK(d->peripheralType == peripheral::Tape);
        CHECK(trimField(d->vendor) == "HP");
        CHECK(trimField(d->product) == "Ultrium-5-SCSI");
        auto sn = parseUnitSerialNumber(runRaw(*drive, cdb::inquiryVpd(0x80)).data);
        REQUIRE(sn.ok());
        CHECK(*sn == "DRV00" + std::to_string(i + 1));

        // An empty drive: CHECK CONDITION, NOT READY / MEDIUM NOT PRESENT, as raw sense bytes.
        Reply tur = runRaw(*drive, cdb::testUnitReady());
        CHECK(tur.status == status::CheckCondition);
        auto sense = parseSense(tur.sense);
        REQUIRE(sense.has_value());
        CHECK(sense->record() == SenseRecord{2, 0x3A, 0x00});
    }

    // The same through Changer and openTransport.
    auto opened = openTransport(lib.changerUrl());
    REQUIRE_MESSAGE(opened.ok(), opened.error().toString());
    Changer viaOpen(std::move(*opened));
    auto again = viaOpen.inquiry();
    REQUIRE(again.ok());
    CHECK(trimField(again->vendor) == "STK");
    auto sn = viaOpen.serialNumber();
    REQUIRE(sn.ok());
    CHECK(*sn == "SMC001");
}

TEST_CASE("vtl: connecting to a target or LUN that does not exist fails cleanly") {
    VirtualLibrary lib({.slots = 4, .drives = 1, .ieports = 0, .tapes = 0});
    IscsiOptions options;
    options.connectTimeout = std::chrono::seconds(5);
    const std::string base = "iscsi://127.0.0.1:" + std::to_string(lib.port()) + "/";
    auto noTarget = IscsiTransport::connect(base + "iqn.2024-01.org.rsm:nothing/1", options);
    REQUIRE(!noTarget.ok());
    CHECK(noTarget.error().code() == ErrorCode::DeviceNotAvailable);
    CHECK(noTarget.error().message().find("cannot connect to " + base) == 0);
    auto noLun = IscsiTransport::connect(base + lib.shape().iqn + "/200", options);
    REQUIRE(!noLun.ok());
    CHECK(noLun.error().code() == ErrorCode::DeviceNotAvailable);
}

TEST_CASE("vtl: the element map and status of libraries of several shapes") {
    const VirtualLibrary::Shape shapes[] = {
        {},
        {.slots = 5,
         .slotStart = 4096,
         .drives = 1,
         .driveStart = 256,
         .ieports = 0,
         .transportStart = 7,
         .tapes = 5},
        {.slots = 100,
         .slotStart = 2,
         .drives = 4,
         .driveStart = 200,
         .ieports = 2,
         .ieStart = 300,
         .transportStart = 1000,
         .tapes = 3,
         .tapeSlots = {101, 2, 50}},
        {.slots = 1,
         .slotStart = 65000,
         .drives = 6,
         .driveStart = 60000,
         .ieports = 1,
         .ieStart = 65534,
         .transportStart = 65535,
         .tapes = 1},
    };
    for (const auto &shape : shapes) {
        VirtualLibrary lib(shape);
        INFO("library ", lib.changerUrl(), " slots ", shape.slots, "@", shape.slotStart, " drives ",
             shape.drives, "@", shape.driveStart, " ieports ", shape.ieports, "@", shape.ieStart,
             " transport ", shape.transportStart);
        auto changer = openChanger(lib);
        auto map = changer->elementMap();
        REQUIRE_MESSAGE(map.ok(), map.error().toString());
        CHECK(map->transport.first == shape.transportStart);
        CHECK(map->transport.count == 1);
        CHECK(map->storage.first == shape.slotStart);
        CHECK(map->storage.count == shape.slots);
        CHECK(map->dataTransfer.first == shape.driveStart);
        CHECK(map->dataTransfer.count == shape.drives);
        CHECK(map->importExport.count == shape.ieports);
        if (shape.ieports > 0)
            CHECK(map->importExport.first == shape.ieStart);

        auto all = changer->status();
        REQUIRE_MESSAGE(all.ok(), all.error().toString());
        // Every element once, each group in address order: transports, slots, IE ports, drives.
        std::vector<std::pair<ElementType, std::uint16_t>> expected;
        expected.emplace_back(ElementType::Transport, shape.transportStart);
        for (int i = 0; i < shape.slots; ++i)
            expected.emplace_back(ElementType::Storage, shape.slotStart + i);
        for (int i = 0; i < shape.ieports; ++i)
            expected.emplace_back(ElementType::ImportExport, shape.ieStart + i);
        for (int i = 0; i < shape.drives; ++i)
            expected.emplace_back(ElementType::DataTransfer, shape.driveStart + i);
        REQUIRE(all->size() == expected.size());
        for (std::size_t i = 0; i < expected.size(); ++i) {
            INFO("element #", i);
            CHECK((*all)[i].type == expected[i].first);
            CHECK((*all)[i].address == expected[i].second);
        }
        std::map<std::uint16_t, std::string> tapes;
        for (std::size_t i = 0; i < lib.barcodes().size(); ++i)
            tapes[lib.tapeSlots()[i]] = lib.barcodes()[i];
        CHECK(tapes.size() == static_cast<std::size_t>(shape.tapes));
        for (const Element &e : *all) {
            if (e.type != ElementType::Storage) {
                CHECK(!e.full);
                continue;
            }
            auto it = tapes.find(e.address);
            INFO("slot ", e.address);
            CHECK(e.full == (it != tapes.end()));
            CHECK(barcodeOf(e) == (it != tapes.end() ? it->second : ""));
        }
    }
}

TEST_CASE("vtl: status of a small library: barcodes, unlabelled cartridges, drive identifiers") {
    VirtualLibrary lib({.slots = 12,
                        .slotStart = 1000,
                        .drives = 3,
                        .driveStart = 500,
                        .ieports = 2,
                        .ieStart = 10,
                        .barcodes = {"A00001L5", "B2", "CLN001L1", "Z9999999L6"},
                        .tapeSlots = {1011, 1000, 1005, 1006},
                        .noBarcodeSlots = {1003}});
    auto changer = openChanger(lib);
    auto elements = byAddress(*changer);
    CHECK(elements.size() == 1 + 12 + 3 + 2);
    expectFull(elements, 1011, "A00001L5");
    expectFull(elements, 1000, "B2");
    expectFull(elements, 1005, "CLN001L1");
    expectFull(elements, 1006, "Z9999999L6");
    for (std::uint16_t a : {1001, 1002, 1004, 1007, 1008, 1009, 1010})
        expectEmpty(elements, a);
    // A cartridge without a label: full, with a blank volume tag.
    REQUIRE(elements.count(1003) == 1);
    CHECK(elements[1003].full);
    CHECK(barcodeOf(elements[1003]).empty());
    // Configured slots carry no source address.
    CHECK(!elements[1011].sourceAddress.has_value());
    for (std::uint16_t a : {10, 11})
        expectEmpty(elements, a);
    for (int i = 0; i < 3; ++i) {
        const Element &drive = elements[lib.drive(i)];
        INFO("drive ", drive.address);
        CHECK(drive.type == ElementType::DataTransfer);
        CHECK(!drive.full);
        // DVCID: "vendor product serial" names the drive's own LUN. tgtd's quirk: the last
        // descriptor of a reply is 8 bytes short, so the last drive's serial is cut ("DR").
        REQUIRE(drive.identifier.has_value());
        const std::string full = "HP      Ultrium-5-SCSI  DRV00" + std::to_string(i + 1);
        INFO("identifier \"", *drive.identifier, "\"");
        if (i < 2)
            CHECK(*drive.identifier == full);
        else
            CHECK((drive.identifier->size() >= 24 && full.find(*drive.identifier) == 0));
    }

    // Per type and per range.
    auto slots = changer->status(ElementType::Storage, 1004, 3);
    REQUIRE(slots.ok());
    REQUIRE(slots->size() == 3);
    CHECK((*slots)[0].address == 1004);
    CHECK(!(*slots)[0].full);
    CHECK((*slots)[1].address == 1005);
    CHECK(barcodeOf((*slots)[1]) == "CLN001L1");
    CHECK((*slots)[2].address == 1006);
    auto drives = changer->status(ElementType::DataTransfer);
    REQUIRE(drives.ok());
    CHECK(drives->size() == 3);

    // INITIALIZE ELEMENT STATUS is accepted (and does nothing on tgtd).
    CHECK(changer->initializeStatus().ok());
}

TEST_CASE("vtl: status of a 10,000-slot library with a few hundred tapes") {
    VirtualLibrary::Shape shape;
    shape.slots = 10000;
    shape.slotStart = 1000;
    shape.drives = 4;
    shape.driveStart = 500;
    shape.ieports = 4;
    shape.ieStart = 10;
    shape.tapes = 300;
    for (int i = 0; i < shape.tapes; ++i)  // spread out: every 33rd slot, the last near the end
        shape.tapeSlots.push_back(static_cast<std::uint16_t>(1000 + 7 + i * 33));
    const auto began = Clock::now();
    VirtualLibrary lib(shape);
    MESSAGE("10,000-slot library with 300 tapes started in ", lib.startTime().count(), " ms");
    CHECK(secondsSince(began) < 60);

    auto changer = openChanger(lib);
    const auto statusBegan = Clock::now();
    auto all = changer->status();
    const double statusSeconds = secondsSince(statusBegan);
    REQUIRE_MESSAGE(all.ok(), all.error().toString());
    MESSAGE("status() of 10,013 elements took ", statusSeconds * 1000, " ms");
    CHECK(all->size() == 1 + 10000 + 4 + 4);

    std::map<std::uint16_t, std::string> tapes;
    for (std::size_t i = 0; i < lib.barcodes().size(); ++i)
        tapes[lib.tapeSlots()[i]] = lib.barcodes()[i];
    REQUIRE(tapes.size() == 300);
    std::set<std::uint16_t> seen;
    int slotsSeen = 0;
    int full = 0;
    int wrong = 0;  // counted rather than CHECKed one by one: 10,000 assertions say little
    for (const Element &e : *all) {
        CHECK(seen.insert(e.address).second);
        if (e.type != ElementType::Storage) {
            wrong += e.full ? 1 : 0;
            continue;
        }
        ++slotsSeen;
        auto it = tapes.find(e.address);
        const bool shouldBeFull = it != tapes.end();
        full += e.full ? 1 : 0;
        if (e.full != shouldBeFull || barcodeOf(e) != (shouldBeFull ? it->second : "")) {
            if (++wrong <= 10)
                FAIL_CHECK("slot ", e.address, ": full ", e.full, " barcode '", barcodeOf(e), "'");
        }
    }
    CHECK(slotsSeen == 10000);
    CHECK(full == 300);
    CHECK(wrong == 0);
    CHECK(*seen.begin() == 1);  // the transport
    CHECK(*seen.rbegin() == 10999);

    // A cartridge from far in the library to a drive and back.
    const std::uint16_t far = lib.tapeSlots().back();
    REQUIRE(changer->move(far, lib.drive(3)).ok());
    auto drive = changer->status(ElementType::DataTransfer, lib.drive(3), 1);
    REQUIRE(drive.ok());
    REQUIRE(drive->size() == 1);
    CHECK((*drive)[0].full);
    CHECK(barcodeOf((*drive)[0]) == lib.barcodes().back());
    CHECK((*drive)[0].sourceAddress == std::optional<std::uint16_t>(far));
    REQUIRE(changer->move(lib.drive(3), 10999).ok());
    auto last = changer->status(ElementType::Storage, 10990, 10);
    REQUIRE(last.ok());
    REQUIRE(last->size() == 10);
    CHECK(last->back().address == 10999);
    CHECK(last->back().full);
    CHECK(barcodeOf(last->back()) == lib.barcodes().back());
}

TEST_CASE("vtl: moves between slots, drives and IE ports, with status after each") {
    VirtualLibrary lib;  // 20 slots from 1000 (tapes SMC001L5.. in 1000..1009), drives 500-501
    auto changer = openChanger(lib);
    auto drive0 = connectTo(lib.driveUrls()[0]);

    // slot -> drive: the drive is full, its source is the slot, the tape is loaded.
    REQUIRE(changer->move(1000, 500).ok());
    auto e = byAddress(*changer);
    expectFull(e, 500, "SMC001L5", 1000);
    expectEmpty(e, 1000);
    Reply tur = runRaw(*drive0, cdb::testUnitReady());
    CHECK(tur.status == status::Good);

    // drive -> slot (another one than it came from)
    REQUIRE(changer->move(500, 1015).ok());
    e = byAddress(*changer);
    expectFull(e, 1015, "SMC001L5", 500);
    expectEmpty(e, 500);
    tur = runRaw(*drive0, cdb::testUnitReady());
    CHECK(tur.status == status::CheckCondition);

    // slot -> IE port -> slot
    REQUIRE(changer->move(1001, 10).ok());
    e = byAddress(*changer);
    expectFull(e, 10, "SMC002L5", 1001);
    expectEmpty(e, 1001);
    REQUIRE(changer->move(10, 1016).ok());
    e = byAddress(*changer);
    expectFull(e, 1016, "SMC002L5", 10);
    expectEmpty(e, 10);

    // slot -> slot
    REQUIRE(changer->move(1002, 1019).ok());
    e = byAddress(*changer);
    expectFull(e, 1019, "SMC003L5", 1002);
    expectEmpty(e, 1002);

    // drive -> drive is not something tgtd refuses either: load, then move across.
    REQUIRE(changer->move(1003, 501).ok());
    REQUIRE(changer->move(501, 500).ok());
    e = byAddress(*changer);
    expectFull(e, 500, "SMC004L5", 501);
    expectEmpty(e, 501);
    REQUIRE(changer->move(500, 1003).ok());

    // Everything else where it started.
    e = byAddress(*changer);
    for (int i = 3; i < 10; ++i)
        expectFull(e, static_cast<std::uint16_t>(1000 + i), lib.barcodes()[i]);
    CHECK(e.size() == 1 + 20 + 4 + 2);
}

TEST_CASE("vtl: failed moves carry tgtd's sense and the RSM code") {
    VirtualLibrary lib(
        {.noBarcodeSlots = {1012}, .noImage = {"SMC005L5"}, .unmappedDrives = {501}});
    auto changer = openChanger(lib);

    // Source empty: 05/3B/0E.
    expectMoveFails(*changer, 1019, 1018, ErrorCode::Empty, {{5, 0x3B, 0x0E}});
    // Destination full: 05/3B/0D.
    expectMoveFails(*changer, 1000, 1001, ErrorCode::NotEmpty, {{5, 0x3B, 0x0D}});
    // Addresses that do not exist: 05/24/00 (tgtd) or 05/21/01.
    expectMoveFails(*changer, 1000, 9999, ErrorCode::InvalidParameter,
                    {{5, 0x24, 0x00}, {5, 0x21, 0x01}});
    expectMoveFails(*changer, 4242, 1019, ErrorCode::InvalidParameter,
                    {{5, 0x24, 0x00}, {5, 0x21, 0x01}});
    // A cartridge whose image is missing: 04/15/01.
    expectMoveFails(*changer, 1004, 500, ErrorCode::UnableToLoadMedium, {{4, 0x15, 0x01}});
    // A cartridge without a label (so without an image): 04/15/01.
    expectMoveFails(*changer, 1012, 500, ErrorCode::UnableToLoadMedium, {{4, 0x15, 0x01}});
    // A drive element with no tape LUN behind it: 04/15/01.
    expectMoveFails(*changer, 1001, 501, ErrorCode::UnableToLoadMedium, {{4, 0x15, 0x01}});

    // The messages say what happened.
    auto empty = changer->move(1019, 1018);
    REQUIRE(!empty.ok());
    CHECK(empty.error().message().find("1019") != std::string::npos);
    CHECK(empty.error().message().find("05/3B/0E") != std::string::npos);

    // The failed loads left the sources full and the drives empty.
    auto e = byAddress(*changer);
    expectFull(e, 1004, "SMC005L5");
    expectFull(e, 1001, "SMC002L5");
    CHECK(e[1012].full);
    CHECK(!e[500].full);
    CHECK(!e[501].full);
    // A good load still works after all that.
    REQUIRE(changer->move(1002, 500).ok());
    e = byAddress(*changer);
    expectFull(e, 500, "SMC003L5", 1002);
}

TEST_CASE("vtl: exchange on tgtd falls back to moves through a free slot") {
    VirtualLibrary lib({.slots = 8, .tapes = 6});  // SMC001L5..SMC006L5 in 1000..1005
    auto changer = openChanger(lib);

    // tgtd has no EXCHANGE MEDIUM: the raw command is refused as an invalid opcode.
    auto raw = connectTo(lib.changerUrl());
    Reply refused = runRaw(*raw, cdb::exchangeMedium(1, 1000, 1001, 1000));
    CHECK(refused.status == status::CheckCondition);
    auto sense = parseSense(refused.sense);
    REQUIRE(sense.has_value());
    CHECK(sense->key == sense_key::IllegalRequest);
    CHECK(sense->asc == 0x20);

    // slot <-> slot
    auto swapped = changer->exchange(1000, 1001);
    REQUIRE_MESSAGE(swapped.ok(), swapped.error().toString());
    auto e = byAddress(*changer);
    expectFull(e, 1000, "SMC002L5");
    expectFull(e, 1001, "SMC001L5");
    expectEmpty(e, 1006);
    expectEmpty(e, 1007);

    // slot <-> drive
    REQUIRE(changer->move(1002, 500).ok());
    swapped = changer->exchange(1003, 500);
    REQUIRE_MESSAGE(swapped.ok(), swapped.error().toString());
    e = byAddress(*changer);
    expectFull(e, 500, "SMC004L5", 1003);
    expectFull(e, 1003, "SMC003L5");
    expectEmpty(e, 1002);

    // With a second destination: 1004 -> 1005, 1005 -> 1007.
    swapped = changer->exchange(1004, 1005, 1007);
    REQUIRE_MESSAGE(swapped.ok(), swapped.error().toString());
    e = byAddress(*changer);
    expectEmpty(e, 1004);
    expectFull(e, 1005, "SMC005L5", 1004);
    expectFull(e, 1007, "SMC006L5", 1005);
}

TEST_CASE("vtl: a killed tgtd gives an error within the timeout, without hanging") {
    VirtualLibrary lib;
    ChangerOptions options;
    const auto timeout = std::chrono::milliseconds(3000);
    options.timeouts.inquiry = options.timeouts.modeSense = options.timeouts.elementStatus =
        options.timeouts.move = timeout;
    options.retry.notReadyWait = timeout;
    auto changer = openChanger(lib, options);
    auto drive = connectTo(lib.driveUrls()[0]);
    REQUIRE(changer->status().ok());

    lib.kill();
    const double limit = std::chrono::duration<double>(timeout).count() + 3.0;

    auto began = Clock::now();
    auto status = changer->status();
    double took = secondsSince(began);
    REQUIRE(!status.ok());
    INFO(status.error().toString());
    CHECK(took < limit);
    CHECK((status.error().code() == ErrorCode::Timeout ||
           status.error().code() == ErrorCode::DeviceNotAvailable));
    CHECK(status.error().message().find(lib.changerUrl()) != std::string::npos);

    // The next command fails at once; so do the drive's and a move.
    began = Clock::now();
    auto moved = changer->move(1000, 500);
    REQUIRE(!moved.ok());
    CHECK(moved.error().code() == ErrorCode::DeviceNotAvailable);
    Command tur = cdb::testUnitReady();
    tur.timeout = timeout;
    auto driveReply = drive->execute(tur);
    REQUIRE(!driveReply.ok());
    CHECK((driveReply.error().code() == ErrorCode::Timeout ||
           driveReply.error().code() == ErrorCode::DeviceNotAvailable));
    CHECK(secondsSince(began) < limit);

    // A new connection is refused.
    IscsiOptions iscsi;
    iscsi.connectTimeout = std::chrono::seconds(3);
    began = Clock::now();
    auto again = IscsiTransport::connect(lib.changerUrl(), iscsi);
    REQUIRE(!again.ok());
    CHECK(again.error().code() == ErrorCode::DeviceNotAvailable);
    CHECK(secondsSince(began) < 3.0 + 3.0);
}

TEST_CASE("vtl: a tgtd that stops answering gives ERROR_TIMEOUT within the timeout") {
    VirtualLibrary lib({.slots = 4, .drives = 1, .ieports = 0, .tapes = 2});
    auto transport = connectTo(lib.changerUrl());
    REQUIRE(runRaw(*transport, cdb::testUnitReady()).status == status::Good);

    lib.freeze();
    Command tur = cdb::testUnitReady();
    tur.timeout = std::chrono::milliseconds(1500);
    auto began = Clock::now();
    auto reply = transport->execute(tur);
    double took = secondsSince(began);
    REQUIRE(!reply.ok());
    INFO(reply.error().toString());
    CHECK(reply.error().code() == ErrorCode::Timeout);
    CHECK(took >= 1.4);
    CHECK(took < 1.5 + 3.0);

    // Connecting to it: the TCP connection is accepted by the kernel, the login never answered.
    IscsiOptions iscsi;
    iscsi.connectTimeout = std::chrono::seconds(2);
    began = Clock::now();
    auto again = IscsiTransport::connect(lib.changerUrl(), iscsi);
    took = secondsSince(began);
    REQUIRE(!again.ok());
    INFO(again.error().toString());
    CHECK(again.error().code() == ErrorCode::DeviceNotAvailable);
    CHECK(took < 2.0 + 3.0);
    lib.thaw();

    // The transport that timed out stays closed: later commands fail at once.
    began = Clock::now();
    auto after = transport->execute(cdb::testUnitReady());
    REQUIRE(!after.ok());
    CHECK(after.error().code() == ErrorCode::DeviceNotAvailable);
    CHECK(secondsSince(began) < 0.5);
    // A new connection works again.
    auto fresh = connectTo(lib.changerUrl());
    CHECK(runRaw(*fresh, cdb::testUnitReady()).status == status::Good);
}

TEST_CASE("vtl: VirtualLibrary fails loudly when vtl-start refuses the shape") {
    // 11-character barcodes crash tgtd; vtl-start refuses them before starting anything.
    try {
        VirtualLibrary lib({.barcodes = {"ABCDEFGHIJK"}});
        FAIL("VirtualLibrary started with an 11-character barcode");
    } catch (const std::runtime_error &e) {
        CHECK(std::string(e.what()).find("10 characters") != std::string::npos);
    }
    try {
        VirtualLibrary lib({.slots = 10, .slotStart = 1000, .drives = 2, .driveStart = 1005});
        FAIL("VirtualLibrary started with overlapping ranges");
    } catch (const std::runtime_error &e) {
        CHECK(std::string(e.what()).find("overlaps") != std::string::npos);
    }
}
