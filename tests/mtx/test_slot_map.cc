// mtx's numbering of a library: drives from 0, slots from 1 over storage then I/E elements,
// and the two passes that give a loaded drive its source slot.

#include <doctest/doctest.h>

#include "src/mtx/slot_map.h"
#include "tests/mtx/elements.h"

using namespace rsm;
using namespace rsm::mtx;
namespace t = rsm::test::mtx;

TEST_CASE("mtx slot map: ordinals follow addresses, storage first, then I/E, whatever the order") {
    // Elements handed over out of order; I/E addresses below the storage ones.
    std::vector<sg::Element> all = {t::storage(1002, true), t::ieport(11, false),
                                    t::drive(501, false),   t::storage(1000, false),
                                    t::ieport(10, true),    t::drive(500, false),
                                    t::storage(1001, true), t::picker(7)};
    SlotMap map = buildSlotMap(all);
    REQUIRE(map.slots.size() == 5);
    CHECK(map.importExport == 2);
    CHECK(map.storageCount() == 3);
    CHECK(map.slots[0].address == 1000);
    CHECK(map.slots[2].address == 1002);
    CHECK(map.slots[3].address == 10);
    CHECK(map.slots[3].importExport);
    CHECK(map.slots[4].address == 11);
    CHECK(!map.slots[0].importExport);
    REQUIRE(map.drives.size() == 2);
    CHECK(map.drives[0].address == 500);
    CHECK(map.drives[1].address == 501);
    CHECK(map.transport == 7);
    CHECK(map.slotIndexOf(10) == 3);
    CHECK(!map.slotIndexOf(999));
}

TEST_CASE("mtx slot map: a drive's source is its reported slot when that slot is empty") {
    std::vector<sg::Element> all = {t::storage(1000, true),    t::storage(1001, false),
                                    t::storage(1002, false),   t::ieport(10, false),
                                    t::drive(500, true, 1002), t::drive(501, true, 10)};
    SlotMap map = buildSlotMap(all);
    CHECK(map.drives[0].source == 2);
    CHECK(map.drives[1].source == 3);  // an I/E slot can be a source
}

TEST_CASE("mtx slot map: without a usable source, drives get the empty storage slots in order") {
    // Drive 0 came from 1000, which is full again: pass two gives it the first empty storage
    // slot (1001). Drive 1 reports nothing: the next one (1003). Drive 2: none left but an
    // I/E slot, which pass two never uses: unknown. Drive 3 is empty: no source.
    std::vector<sg::Element> all = {
        t::storage(1000, true),  t::storage(1001, false), t::storage(1002, true),
        t::storage(1003, false), t::ieport(10, false),    t::drive(500, true, 1000),
        t::drive(501, true),     t::drive(502, true),     t::drive(503, false, 1002)};
    SlotMap map = buildSlotMap(all);
    CHECK(map.drives[0].source == 1);
    CHECK(map.drives[1].source == 3);
    CHECK(!map.drives[2].source);
    CHECK(!map.drives[3].source);
}

TEST_CASE("mtx slot map: pass two does not hand out a slot pass one gave another drive") {
    // mtx would give drive 1 slot 1001 too (drive 0's own source); here it gets the next
    // empty slot, and when there is none its source is unknown.
    std::vector<sg::Element> all = {t::storage(1000, true),  t::storage(1001, false),
                                    t::storage(1002, false), t::drive(500, true, 1001),
                                    t::drive(501, true),     t::drive(502, true)};
    SlotMap map = buildSlotMap(all);
    CHECK(map.drives[0].source == 1);
    CHECK(map.drives[1].source == 2);
    CHECK(!map.drives[2].source);
}

TEST_CASE("mtx slot map: slots and drives that are not installed are left out") {
    sg::Element missingSlot = t::storage(1001, false);
    missingSlot.asc = 0x83;
    missingSlot.ascq = 0x02;
    sg::Element missingDrive = t::drive(501, false);
    missingDrive.asc = 0x83;
    missingDrive.ascq = 0x04;
    SlotMap map = buildSlotMap({t::storage(1000, false), missingSlot, t::storage(1002, true),
                                t::drive(500, false), missingDrive});
    REQUIRE(map.slots.size() == 2);
    CHECK(map.slots[1].address == 1002);
    CHECK(map.drives.size() == 1);
}

TEST_CASE("mtx slot map: tags are kept as mtx prints them") {
    CHECK(printableTag(std::nullopt).empty());
    CHECK(printableTag(t::tag("ABC123L5")) == "ABC123L5" + std::string(24, ' '));
    CHECK(printableTag(t::tag("")) == std::string(32, ' '));
    CHECK(printableTag(t::tag("", '\0')).empty());
    // Bytes outside 32..127 end the tag (mtx turns them into NULs).
    CHECK(printableTag(t::tag("AB\x01"
                              "CD")) == "AB");
    CHECK(printableTag(t::tag("\x7F"
                              "X")) ==
          "\x7F"
          "X" +
              std::string(30, ' '));
    CHECK(printableTag(t::tag("\xC3\xA9t\xC3\xA9")).empty());
    CHECK(printableTag(t::tag("NUL", '\0')) == "NUL");

    sg::Element withAlternate = t::storage(1000, true, "PRIMARYL5");
    withAlternate.alternateTag = t::tag("ALT");
    SlotMap map = buildSlotMap({withAlternate, t::drive(500, false)});
    CHECK(map.tag(map.slots[0].tags) == "PRIMARYL5" + std::string(23, ' '));
    CHECK(map.alternateTag(map.slots[0].tags) == "ALT" + std::string(29, ' '));
    CHECK(map.tag(map.drives[0].tags).empty());
}

TEST_CASE("mtx slot map: a source known from the command line is used when none is reported") {
    auto build = [](const std::map<std::uint16_t, std::uint16_t> &known) {
        SlotMapBuilder builder;
        for (const sg::Element &e :
             {t::storage(1000, false), t::storage(1001, false), t::storage(1002, false),
              t::drive(500, true), t::drive(501, true, 1000)})
            builder.add(e);
        return std::move(builder).build(known);
    };
    // Drive 500 reports no source: pass two gives it the first empty slot nobody claims.
    SlotMap unknown = build({});
    CHECK(unknown.drives[0].source == 1);
    CHECK(unknown.drives[1].source == 0);
    // Loaded from 1002 earlier on the line; a reported source (drive 501) is kept.
    SlotMap known = build({{500, 1002}, {501, 1001}});
    CHECK(known.drives[0].source == 2);
    CHECK(known.drives[1].source == 0);
}
