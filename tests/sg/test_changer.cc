#include <doctest/doctest.h>

#include "sg/cdb.h"
#include "sg/changer.h"
#include "sg/fake_transport.h"
#include "tests/sg/smc_reply.h"

using namespace rsm;
using namespace rsm::sg;
using rsm::test::FakeElement;

namespace {

ElementAddressAssignment smallMap() {
    ElementAddressAssignment m;
    m.transport = {1, 1};
    m.storage = {1000, 5};
    m.importExport = {10, 1};
    m.dataTransfer = {500, 2};
    return m;
}

std::uint16_t startOf(const Command &c) {
    return static_cast<std::uint16_t>(c.cdb[2] << 8 | c.cdb[3]);
}

std::uint16_t countOf(const Command &c) {
    return static_cast<std::uint16_t>(c.cdb[4] << 8 | c.cdb[5]);
}

auto resOf(ElementType type) {
    return [type](const Command &c) { return (c.cdb[1] & 0x0F) == static_cast<int>(type); };
}

struct Rig {
    FakeTransport *fake;
    Changer changer;

    explicit Rig(ChangerOptions options = {})
        : Rig(std::make_unique<FakeTransport>(), std::move(options)) {}
    Rig(std::unique_ptr<FakeTransport> f, ChangerOptions options)
        : fake(f.get()), changer(std::move(f), withoutSleep(std::move(options))) {}
    static ChangerOptions withoutSleep(ChangerOptions o) {
        o.sleep = [](std::chrono::milliseconds) {};
        return o;
    }
};

std::vector<FakeElement> slots(std::uint16_t first, int n) {
    std::vector<FakeElement> v;
    for (int i = 0; i < n; ++i) {
        FakeElement e;
        e.address = static_cast<std::uint16_t>(first + i);
        e.full = i % 2 == 0;
        if (e.full)
            e.tag = "TAPE" + std::to_string(i) + "L5";
        v.push_back(e);
    }
    return v;
}

}  // namespace

TEST_CASE("element map comes from mode page 1Dh and is cached") {
    Rig rig;
    rig.fake->expect(cdb::op::ModeSense6,
                     FakeTransport::dataReply(test::elementAddressPage6(smallMap())));
    auto map = rig.changer.elementMap();
    REQUIRE(map.ok());
    CHECK(map->storage.first == 1000);
    CHECK(map->storage.count == 5);
    CHECK(map->dataTransfer.first == 500);
    CHECK(rig.changer.elementMap().ok());  // no second MODE SENSE scripted: cached
    CHECK(rig.fake->unexpected().empty());
}

TEST_CASE("a library that refuses mode page 1Dh is discovered with READ ELEMENT STATUS") {
    Rig rig;
    rig.fake->expectSense(cdb::op::ModeSense6, 5, 0x24, 0x00)
        .expectSense(cdb::op::ModeSense10, 5, 0x20, 0x00);
    FakeElement picker;
    picker.address = 1;
    rig.fake->expect(cdb::op::ReadElementStatus, resOf(ElementType::Transport),
                     FakeTransport::dataReply(
                         test::elementStatusReply(ElementType::Transport, {picker}, false)));
    rig.fake->expect(cdb::op::ReadElementStatus, resOf(ElementType::Storage),
                     FakeTransport::dataReply(
                         test::elementStatusReply(ElementType::Storage, slots(1000, 5), false)));
    rig.fake->expect(
        cdb::op::ReadElementStatus, resOf(ElementType::ImportExport),
        FakeTransport::dataReply(test::elementStatusReply(ElementType::ImportExport, {}, false)));
    rig.fake->expect(cdb::op::ReadElementStatus, resOf(ElementType::DataTransfer),
                     FakeTransport::dataReply(test::elementStatusReply(ElementType::DataTransfer,
                                                                       slots(500, 2), false)));
    auto map = rig.changer.elementMap();
    REQUIRE(map.ok());
    CHECK(map->transport.first == 1);
    CHECK(map->transport.count == 1);
    CHECK(map->storage.first == 1000);
    CHECK(map->storage.count == 5);
    CHECK(map->importExport.count == 0);
    CHECK(map->dataTransfer.first == 500);
    CHECK(map->dataTransfer.count == 2);
    CHECK(rig.fake->pending() == 0);
}

namespace {

// A standard INQUIRY reply of peripheral device type `type`.
std::vector<std::uint8_t> inquiryOfType(std::uint8_t type) {
    std::vector<std::uint8_t> d(36, ' ');
    d[0] = type;
    d[1] = 0x80;
    d[2] = 5;
    d[3] = 2;
    d[4] = 31;
    return d;
}

}  // namespace

TEST_CASE("a command the device did not answer ends the element map: no fallback commands") {
    for (ErrorCode code : {ErrorCode::Timeout, ErrorCode::DeviceNotAvailable}) {
        CAPTURE(static_cast<int>(code));
        Rig rig;
        rig.fake->expectError(
            cdb::op::ModeSense6,
            Error(code, "MODE SENSE(6) on /dev/sg5: no answer within 3 s").unanswered());
        auto map = rig.changer.elementMap();
        REQUIRE(!map.ok());
        CHECK(map.error().code() == code);
        CHECK(map.error().isUnanswered());
        CHECK(map.error().message() == "MODE SENSE(6) on /dev/sg5: no answer within 3 s");
        // Neither MODE SENSE(10), nor READ ELEMENT STATUS discovery, nor INQUIRY.
        CHECK(rig.fake->commands().size() == 1);
    }
    SUBCASE("the same in MODE SENSE(10) after a refused MODE SENSE(6)") {
        Rig rig;
        rig.fake->expectSense(cdb::op::ModeSense6, 5, 0x24, 0x00)
            .expectError(cdb::op::ModeSense10,
                         Error(ErrorCode::Timeout, "no answer within 3 s").unanswered());
        auto map = rig.changer.elementMap();
        REQUIRE(!map.ok());
        CHECK(map.error().code() == ErrorCode::Timeout);
        CHECK(rig.fake->commands().size() == 2);
    }
}

TEST_CASE("a device that is no medium changer is refused, naming what it is") {
    SUBCASE("a tape drive that answers mode page 1Dh with zeros (tgtd's)") {
        Rig rig;
        rig.fake->expect(cdb::op::ModeSense6,
                         FakeTransport::dataReply(test::elementAddressPage6({})));
        rig.fake->expect(cdb::op::Inquiry, FakeTransport::dataReply(inquiryOfType(0x01)));
        auto map = rig.changer.elementMap();
        REQUIRE(!map.ok());
        CHECK(map.error().code() == ErrorCode::InvalidLibrary);
        CHECK(map.error().message().find("is not a medium changer: it is a tape drive") !=
              std::string::npos);
        CHECK(rig.fake->pending() == 0);
    }
    SUBCASE("a disk that refuses every way of reading the map") {
        Rig rig;
        rig.fake->expectSense(cdb::op::ModeSense6, 5, 0x24, 0x00)
            .expectSense(cdb::op::ModeSense10, 5, 0x24, 0x00)
            .expectSense(cdb::op::ReadElementStatus, 5, 0x20, 0x00)
            .expect(cdb::op::Inquiry, FakeTransport::dataReply(inquiryOfType(0x00)));
        auto map = rig.changer.elementMap();
        REQUIRE(!map.ok());
        CHECK(map.error().code() == ErrorCode::InvalidLibrary);
        CHECK(map.error().message().find("it is a disk") != std::string::npos);
    }
    SUBCASE("a changer with a map is never asked its type") {
        Rig rig;
        rig.fake->expect(cdb::op::ModeSense6,
                         FakeTransport::dataReply(test::elementAddressPage6(smallMap())));
        CHECK(rig.changer.elementMap().ok());
        CHECK(rig.fake->commands().size() == 1);
    }
    SUBCASE("a changer that refuses the map keeps its own error") {
        Rig rig;
        rig.fake->expectSense(cdb::op::ModeSense6, 5, 0x24, 0x00)
            .expectSense(cdb::op::ModeSense10, 5, 0x24, 0x00)
            .expectSense(cdb::op::ReadElementStatus, 4, 0x44, 0x00)
            .expect(cdb::op::Inquiry, FakeTransport::dataReply(inquiryOfType(0x08)));
        auto map = rig.changer.elementMap();
        REQUIRE(!map.ok());
        CHECK(map.error().code() != ErrorCode::InvalidLibrary);
        CHECK(map.error().message().find("discovery failed") != std::string::npos);
    }
}

TEST_CASE("status reads in chunks from where the last chunk ended, each element once") {
    ChangerOptions options;
    options.chunkElements = 2;
    Rig rig(options);
    ElementAddressAssignment map = smallMap();
    map.transport.count = 0;
    map.importExport.count = 0;
    map.dataTransfer.count = 0;
    rig.fake->expect(cdb::op::ModeSense6, FakeTransport::dataReply(test::elementAddressPage6(map)));
    // Like tgtd: NUMBER OF ELEMENTS is ignored, every element from the start address comes
    // back, cut by the allocation length. Whole descriptors past the chunk are kept, so the
    // second request starts after the last element received (1002), not at 1002.
    for (std::uint16_t start : {1000, 1003}) {
        auto rest = slots(1000, 5);
        rest.erase(rest.begin(), rest.begin() + (start - 1000));
        rig.fake->expect(
            cdb::op::ReadElementStatus, [start](const Command &c) { return startOf(c) == start; },
            FakeTransport::dataReply(test::elementStatusReply(ElementType::Storage, rest)));
    }
    auto all = rig.changer.status();
    INFO((all.ok() ? std::string() : all.error().toString()));
    REQUIRE(all.ok());
    REQUIRE(all->size() == 5);
    for (int i = 0; i < 5; ++i)
        CHECK((*all)[i].address == 1000 + i);
    CHECK((*all)[0].full);
    CHECK((*all)[0].primaryTag->trimmed() == "TAPE0L5");
    CHECK(!(*all)[1].full);
    CHECK(rig.fake->unexpected().empty());
    CHECK(rig.fake->pending() == 0);
}

TEST_CASE("by default all the elements of a type are asked for in one command") {
    Rig rig;
    rig.fake->expect(
        cdb::op::ReadElementStatus,
        [](const Command &c) {
            return startOf(c) == 1000 && countOf(c) == 3000 && c.allocationLength >= 16 + 3000 * 52;
        },
        FakeTransport::dataReply(
            test::elementStatusReply(ElementType::Storage, slots(1000, 3000))));
    auto got = rig.changer.status(ElementType::Storage, 1000, 3000);
    REQUIRE(got.ok());
    CHECK(got->size() == 3000);
    CHECK(rig.fake->commands().size() == 1);
    CHECK(rig.fake->unexpected().empty());
}

TEST_CASE("the transport's maximum transfer bounds the elements of one command") {
    Rig rig;
    // 16 bytes of headers and 52 per descriptor, room for one more than asked: 99 a time.
    rig.fake->setMaxTransferLength(16 + 100 * 52);
    for (std::uint16_t start : {1000, 1099, 1198}) {
        const std::uint16_t n = start == 1198 ? 52 : 99;
        rig.fake->expect(
            cdb::op::ReadElementStatus,
            [start, n](const Command &c) {
                return startOf(c) == start && countOf(c) == n &&
                       c.allocationLength <= 16 + 100 * 52;
            },
            FakeTransport::dataReply(
                test::elementStatusReply(ElementType::Storage, slots(start, n))));
    }
    auto got = rig.changer.status(ElementType::Storage, 1000, 250);
    INFO((got.ok() ? std::string() : got.error().toString()));
    REQUIRE(got.ok());
    CHECK(got->size() == 250);
    CHECK(rig.fake->pending() == 0);
    CHECK(rig.fake->unexpected().empty());
}

TEST_CASE("a device that refuses a long read is read 1024 elements at a time from then on") {
    SUBCASE("ILLEGAL REQUEST") {
        Rig rig;
        rig.fake->expect(
            cdb::op::ReadElementStatus, [](const Command &c) { return countOf(c) == 2000; },
            FakeTransport::senseReply(5, 0x24, 0x00));
        for (int pass = 0; pass < 2; ++pass)
            for (std::uint16_t start : {1000, 2024}) {
                const std::uint16_t n = start == 1000 ? 1024 : 976;
                rig.fake->expect(
                    cdb::op::ReadElementStatus,
                    [start, n](const Command &c) {
                        return startOf(c) == start && countOf(c) == n && (c.cdb[1] & 0x10);
                    },
                    FakeTransport::dataReply(
                        test::elementStatusReply(ElementType::Storage, slots(start, n))));
            }
        auto got = rig.changer.status(ElementType::Storage, 1000, 2000);
        INFO((got.ok() ? std::string() : got.error().toString()));
        REQUIRE(got.ok());
        CHECK(got->size() == 2000);
        CHECK((*got)[0].primaryTag.has_value());  // VOLTAG kept: the length was refused
        auto again = rig.changer.status(ElementType::Storage, 1000, 2000);
        REQUIRE(again.ok());
        CHECK(again->size() == 2000);
        CHECK(rig.fake->pending() == 0);
        CHECK(rig.fake->unexpected().empty());
    }
    SUBCASE("the OS refusing the transfer; a failure of the short read too is the error") {
        Rig rig;
        rig.fake->expectError(cdb::op::ReadElementStatus,
                              Error(ErrorCode::DeviceNotAvailable, "Invalid argument"));
        rig.fake->expectError(cdb::op::ReadElementStatus,
                              Error(ErrorCode::DeviceNotAvailable, "No such device"));
        auto got = rig.changer.status(ElementType::Storage, 1000, 2000);
        REQUIRE(!got.ok());
        CHECK(got.error().message().find("No such device") != std::string::npos);
        REQUIRE(rig.fake->commands().size() == 2);
        CHECK(countOf(rig.fake->commands()[0]) == 2000);
        CHECK(countOf(rig.fake->commands()[1]) == 1024);
    }
    SUBCASE("a timeout is no refusal") {
        Rig rig;
        rig.fake->expectError(cdb::op::ReadElementStatus,
                              Error(ErrorCode::Timeout, "timed out").unanswered());
        auto got = rig.changer.status(ElementType::Storage, 1000, 2000);
        REQUIRE(!got.ok());
        CHECK(got.error().code() == ErrorCode::Timeout);
        CHECK(rig.fake->commands().size() == 1);
    }
}

TEST_CASE("a reply cut short by the allocation length is asked again with more room") {
    ChangerOptions options;
    Rig rig(options);
    // The reply holds descriptors longer than the changer expects (DVCID it did not ask for),
    // so the first allocation is too small and the reply comes back truncated.
    auto reply = test::elementStatusReply(ElementType::Storage, slots(1000, 5), true, true);
    rig.fake->expect(cdb::op::ReadElementStatus, FakeTransport::dataReply(reply));
    rig.fake->expect(
        cdb::op::ReadElementStatus,
        [&](const Command &c) { return c.allocationLength >= reply.size(); },
        FakeTransport::dataReply(reply));
    auto elements = rig.changer.status(ElementType::Storage, 1000, 5);
    REQUIRE(elements.ok());
    CHECK(elements->size() == 5);
    CHECK(rig.fake->pending() == 0);
}

TEST_CASE("a library that refuses VOLTAG is read without it from then on") {
    Rig rig;
    rig.fake->expectSense(cdb::op::ReadElementStatus, 5, 0x24, 0x00);
    rig.fake->expect(
        cdb::op::ReadElementStatus, [](const Command &c) { return (c.cdb[1] & 0x10) == 0; },
        FakeTransport::dataReply(
            test::elementStatusReply(ElementType::Storage, slots(1000, 3), false)));
    rig.fake->expect(
        cdb::op::ReadElementStatus, [](const Command &c) { return (c.cdb[1] & 0x10) == 0; },
        FakeTransport::dataReply(
            test::elementStatusReply(ElementType::Storage, slots(1000, 3), false)));
    auto first = rig.changer.status(ElementType::Storage, 1000, 3);
    REQUIRE(first.ok());
    CHECK(first->size() == 3);
    CHECK(!(*first)[0].primaryTag.has_value());
    CHECK(rig.changer.status(ElementType::Storage, 1000, 3).ok());
    CHECK(rig.fake->unexpected().empty());
}

TEST_CASE("drives are asked for DVCID; a refusal drops DVCID but keeps VOLTAG") {
    Rig rig;
    rig.fake->expectSense(cdb::op::ReadElementStatus, 5, 0x24, 0x00);
    std::vector<FakeElement> drives = slots(500, 2);
    drives[0].source = 1003;
    rig.fake->expect(
        cdb::op::ReadElementStatus,
        [](const Command &c) { return (c.cdb[1] & 0x10) && !(c.cdb[6] & 1); },
        FakeTransport::dataReply(test::elementStatusReply(ElementType::DataTransfer, drives)));
    auto got = rig.changer.status(ElementType::DataTransfer, 500, 2);
    REQUIRE(got.ok());
    REQUIRE(got->size() == 2);
    CHECK((*got)[0].sourceAddress == std::optional<std::uint16_t>(1003));
    CHECK(!(*got)[1].sourceAddress.has_value());
    CHECK((rig.fake->commands().front().cdb[6] & 1) == 1);
}

TEST_CASE("drive identifiers are read with DVCID") {
    Rig rig;
    std::vector<FakeElement> drives = slots(500, 1);
    drives[0].identifier = "HP      Ultrium-5-SCSI  DRV001";
    rig.fake->expect(cdb::op::ReadElementStatus,
                     FakeTransport::dataReply(
                         test::elementStatusReply(ElementType::DataTransfer, drives, true, true)));
    auto got = rig.changer.status(ElementType::DataTransfer, 500, 1);
    REQUIRE(got.ok());
    REQUIRE(got->size() == 1);
    REQUIRE((*got)[0].identifier.has_value());
    CHECK((*got)[0].identifier->find("DRV001") != std::string::npos);
}

TEST_CASE("move errors say what happened in words, with the sense") {
    Rig rig;
    rig.fake->expect(cdb::op::ModeSense6,
                     FakeTransport::dataReply(test::elementAddressPage6(smallMap())));
    rig.fake->expectSense(cdb::op::MoveMedium, 5, 0x3B, 0x0E);
    rig.fake->expectSense(cdb::op::MoveMedium, 5, 0x3B, 0x0D);
    auto a = rig.changer.move(1015, 500);
    REQUIRE(!a.ok());
    CHECK(a.error().code() == ErrorCode::Empty);
    CHECK(a.error().message() == "source element 1015 is empty (sense 05/3B/0E)");
    auto b = rig.changer.move(1000, 501);
    REQUIRE(!b.ok());
    CHECK(b.error().code() == ErrorCode::NotEmpty);
    CHECK(b.error().message() == "destination element 501 is full (sense 05/3B/0D)");
    // The transport element of the map is used.
    CHECK(rig.fake->commands()[1].cdb[3] == 1);
}

TEST_CASE("exchange uses EXCHANGE MEDIUM when the library has it") {
    Rig rig;
    rig.fake->expect(cdb::op::ModeSense6,
                     FakeTransport::dataReply(test::elementAddressPage6(smallMap())));
    rig.fake->expect(
        cdb::op::ExchangeMedium,
        [](const Command &c) { return c.cdb[5] == 0xE8 && c.cdb[7] == 0xE9 && c.cdb[9] == 0xE8; },
        Reply{});
    CHECK(rig.changer.exchange(1000, 1001).ok());
    CHECK(rig.fake->pending() == 0);
}

TEST_CASE("exchange without EXCHANGE MEDIUM moves through a free slot") {
    Rig rig;
    rig.fake->expect(cdb::op::ModeSense6,
                     FakeTransport::dataReply(test::elementAddressPage6(smallMap())));
    rig.fake->expectSense(cdb::op::ExchangeMedium, 5, 0x20, 0x00);
    auto state = slots(1000, 5);  // 1000, 1002, 1004 full
    rig.fake->expect(cdb::op::ReadElementStatus, FakeTransport::dataReply(test::elementStatusReply(
                                                     ElementType::Storage, state)));
    auto move = [](int from, int to) {
        return [from, to](const Command &c) {
            return (c.cdb[4] << 8 | c.cdb[5]) == from && (c.cdb[6] << 8 | c.cdb[7]) == to;
        };
    };
    rig.fake->expect(cdb::op::MoveMedium, move(1002, 1001), Reply{})
        .expect(cdb::op::MoveMedium, move(1000, 1002), Reply{})
        .expect(cdb::op::MoveMedium, move(1001, 1000), Reply{});
    auto r = rig.changer.exchange(1000, 1002);
    CHECK(r.ok());
    CHECK(rig.fake->unexpected().empty());
    CHECK(rig.fake->pending() == 0);
}

TEST_CASE("a failed fallback exchange puts the first cartridge back") {
    Rig rig;
    rig.fake->expect(cdb::op::ModeSense6,
                     FakeTransport::dataReply(test::elementAddressPage6(smallMap())));
    rig.fake->expectSense(cdb::op::ExchangeMedium, 5, 0x20, 0x00);
    rig.fake->expect(cdb::op::ReadElementStatus, FakeTransport::dataReply(test::elementStatusReply(
                                                     ElementType::Storage, slots(1000, 5))));
    rig.fake
        ->expect(cdb::op::MoveMedium, Reply{})            // 1002 -> 1001
        .expectSense(cdb::op::MoveMedium, 4, 0x15, 0x01)  // 1000 -> 1002 fails
        .expect(
            cdb::op::MoveMedium,
            [](const Command &c) { return c.cdb[5] == 0xE9 && c.cdb[7] == 0xEA; },
            Reply{});  // 1001 -> 1002 back
    auto r = rig.changer.exchange(1000, 1002);
    REQUIRE(!r.ok());
    CHECK(r.error().code() == ErrorCode::UnableToLoadMedium);
    CHECK(rig.fake->pending() == 0);
    CHECK(rig.fake->unexpected().empty());
}

TEST_CASE("exchange with no free slot is ERROR_LIBRARY_FULL") {
    Rig rig;
    rig.fake->expect(cdb::op::ModeSense6,
                     FakeTransport::dataReply(test::elementAddressPage6(smallMap())));
    rig.fake->expectSense(cdb::op::ExchangeMedium, 5, 0x20, 0x00);
    auto full = slots(1000, 5);
    for (auto &e : full)
        e.full = true;
    rig.fake->expect(cdb::op::ReadElementStatus, FakeTransport::dataReply(test::elementStatusReply(
                                                     ElementType::Storage, full)));
    auto r = rig.changer.exchange(1000, 1002);
    REQUIRE(!r.ok());
    CHECK(r.error().code() == ErrorCode::LibraryFull);
}

TEST_CASE("inventory, position and prevent/allow send their commands") {
    Rig rig;
    rig.fake->expect(cdb::op::InitializeElementStatus, Reply{})
        .expect(cdb::op::InitializeElementStatusWithRange, Reply{})
        .expect(cdb::op::ModeSense6,
                FakeTransport::dataReply(test::elementAddressPage6(smallMap())))
        .expect(cdb::op::PositionToElement, Reply{})
        .expect(cdb::op::PreventAllow, Reply{});
    CHECK(rig.changer.initializeStatus().ok());
    CHECK(rig.changer.initializeStatus(1000, 5).ok());
    CHECK(rig.changer.position(1003).ok());
    CHECK(rig.changer.preventRemoval(true).ok());
    CHECK(rig.fake->pending() == 0);
    CHECK(rig.fake->commands()[0].timeout == ChangerTimeouts{}.initialize);
}

TEST_CASE("scan hands over the elements status() returns, in the same order") {
    for (bool scan : {false, true}) {
        CAPTURE(scan);
        Rig rig;
        ElementAddressAssignment map = smallMap();
        rig.fake->expect(cdb::op::ModeSense6,
                         FakeTransport::dataReply(test::elementAddressPage6(map)));
        std::vector<FakeElement> drives = slots(500, 2);
        drives[1].source = 1002;
        const std::pair<ElementType, std::vector<FakeElement>> pages[] = {
            {ElementType::Transport, slots(1, 1)},
            {ElementType::Storage, slots(1000, 5)},
            {ElementType::ImportExport, slots(10, 1)},
            {ElementType::DataTransfer, drives}};
        for (const auto &[type, elements] : pages)
            rig.fake->expect(cdb::op::ReadElementStatus, resOf(type),
                             FakeTransport::dataReply(test::elementStatusReply(type, elements)));
        std::vector<Element> got;
        if (scan) {
            REQUIRE(
                rig.changer.scan([&](const ElementDescriptor &d) { got.push_back(d.element()); })
                    .ok());
        } else {
            auto all = rig.changer.status();
            REQUIRE(all.ok());
            got = *all;
        }
        REQUIRE(got.size() == 9);
        CHECK(got[0].type == ElementType::Transport);
        CHECK(got[1].address == 1000);
        CHECK(got[1].primaryTag->trimmed() == "TAPE0L5");
        CHECK(got[6].type == ElementType::ImportExport);
        CHECK(got[8].address == 501);
        CHECK(got[8].sourceAddress == std::optional<std::uint16_t>(1002));
        CHECK(rig.fake->unexpected().empty());
    }
}
