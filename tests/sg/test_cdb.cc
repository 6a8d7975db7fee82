#include <doctest/doctest.h>

#include "sg/cdb.h"

using namespace rsm::sg;
using Bytes = std::vector<std::uint8_t>;

TEST_CASE("READ ELEMENT STATUS CDB carries type, VOLTAG, range, DVCID and allocation") {
    cdb::ReadElementStatusParams p;
    p.type = ElementType::Storage;
    p.startAddress = 0x03E8;
    p.count = 0x0400;
    p.volumeTags = true;
    p.deviceIdentifiers = true;
    p.allocationLength = 0x012345;
    Command c = cdb::readElementStatus(p);
    CHECK(c.cdb == Bytes{0xB8, 0x12, 0x03, 0xE8, 0x04, 0x00, 0x01, 0x01, 0x23, 0x45, 0, 0});
    CHECK(c.direction == Direction::FromDevice);
    CHECK(c.allocationLength == 0x012345);

    p.volumeTags = false;
    p.deviceIdentifiers = false;
    p.type = ElementType::DataTransfer;
    p.allocationLength = 0x7FFFFFFF;  // clamped to 24 bits
    c = cdb::readElementStatus(p);
    CHECK(c.cdb[1] == 0x04);
    CHECK(c.cdb[6] == 0x00);
    CHECK(c.allocationLength == 0xFFFFFF);
    CHECK(c.cdb[7] == 0xFF);
}

TEST_CASE("MOVE, EXCHANGE and POSITION CDBs") {
    CHECK(cdb::moveMedium(1, 1000, 500).cdb ==
          Bytes{0xA5, 0, 0, 1, 0x03, 0xE8, 0x01, 0xF4, 0, 0, 0, 0});
    CHECK(cdb::moveMedium(1, 1000, 500, true).cdb[10] == 1);
    CHECK(cdb::exchangeMedium(1, 10, 20, 30, true, true).cdb ==
          Bytes{0xA6, 0, 0, 1, 0, 10, 0, 20, 0, 30, 0x03, 0});
    CHECK(cdb::positionToElement(1, 0x1234).cdb == Bytes{0x2B, 0, 0, 1, 0x12, 0x34, 0, 0, 0, 0});
    CHECK(cdb::moveMedium(1, 2, 3).direction == Direction::None);
}

TEST_CASE("INITIALIZE ELEMENT STATUS with and without range") {
    CHECK(cdb::initializeElementStatus().cdb == Bytes{0x07, 0, 0, 0, 0, 0});
    CHECK(cdb::initializeElementStatusWithRange(1000, 20).cdb ==
          Bytes{0x37, 0x01, 0x03, 0xE8, 0, 0, 0, 20, 0, 0});
    CHECK(cdb::initializeElementStatus().timeout >= std::chrono::minutes(30));
}

TEST_CASE("SPC CDBs") {
    CHECK(cdb::inquiry(96).cdb == Bytes{0x12, 0, 0, 0, 96, 0});
    CHECK(cdb::inquiryVpd(0x80).cdb == Bytes{0x12, 1, 0x80, 0, 252, 0});
    CHECK(cdb::testUnitReady().cdb == Bytes(6, 0));
    CHECK(cdb::modeSense6(0x1D).cdb == Bytes{0x1A, 0x08, 0x1D, 0, 252, 0});
    CHECK(cdb::modeSense10(0x1F, 0x0400).cdb == Bytes{0x5A, 0x08, 0x1F, 0, 0, 0, 0, 4, 0, 0});
    CHECK(cdb::preventAllowMediumRemoval(true).cdb == Bytes{0x1E, 0, 0, 0, 1, 0});
    CHECK(cdb::preventAllowMediumRemoval(false).cdb == Bytes{0x1E, 0, 0, 0, 0, 0});
    CHECK(cdb::startStopUnit(true, false).cdb == Bytes{0x1B, 0, 0, 0, 0x02, 0});
    CHECK(cdb::requestSense().cdb == Bytes{0x03, 0, 0, 0, 252, 0});
}

TEST_CASE("SSC CDBs") {
    CHECK(cdb::rewind().cdb == Bytes{0x01, 0, 0, 0, 0, 0});
    CHECK(cdb::rewind(true).cdb[1] == 1);
    Command r = cdb::read6Variable(0x040000);
    CHECK(r.cdb == Bytes{0x08, 0, 0x04, 0x00, 0x00, 0});
    CHECK(r.allocationLength == 0x040000);
    CHECK(cdb::loadUnload(true).cdb == Bytes{0x1B, 0, 0, 0, 1, 0});
    CHECK(cdb::loadUnload(false).cdb == Bytes{0x1B, 0, 0, 0, 0, 0});
}

TEST_CASE("WRITE(6) in variable-block mode carries the block as data-out") {
    const Bytes block = {'V', 'O', 'L', '1', 0x00, 0xFF};
    Command w = cdb::write6Variable(block);
    CHECK(w.cdb == Bytes{0x0A, 0, 0, 0, 6, 0});
    CHECK(w.direction == Direction::ToDevice);
    CHECK(w.dataOut == block);
    CHECK(w.allocationLength == 0);
    CHECK(w.name == "WRITE(6)");

    const Bytes big(0x012345, 0xA5);
    Command b = cdb::write6Variable(big);
    CHECK(b.cdb == Bytes{0x0A, 0, 0x01, 0x23, 0x45, 0});
    CHECK(b.dataOut.size() == 0x012345);

    const Bytes tooBig(0x1000001, 0x5A);
    Command t = cdb::write6Variable(tooBig);
    CHECK(t.cdb == Bytes{0x0A, 0, 0xFF, 0xFF, 0xFF, 0});
    CHECK(t.dataOut.size() == 0xFFFFFF);

    Command e = cdb::write6Variable({});
    CHECK(e.cdb == Bytes{0x0A, 0, 0, 0, 0, 0});
    CHECK(e.dataOut.empty());
}

TEST_CASE("WRITE FILEMARKS(6) CDB") {
    Command f = cdb::writeFilemarks6(1);
    CHECK(f.cdb == Bytes{0x10, 0, 0, 0, 1, 0});
    CHECK(f.direction == Direction::None);
    CHECK(f.name == "WRITE FILEMARKS(6)");
    CHECK(cdb::writeFilemarks6(0).cdb == Bytes{0x10, 0, 0, 0, 0, 0});
    CHECK(cdb::writeFilemarks6(2, true).cdb == Bytes{0x10, 1, 0, 0, 2, 0});
    CHECK(cdb::writeFilemarks6(0x0A0B0C).cdb == Bytes{0x10, 0, 0x0A, 0x0B, 0x0C, 0});
    CHECK(cdb::writeFilemarks6(0x2000000).cdb == Bytes{0x10, 0, 0xFF, 0xFF, 0xFF, 0});
}

TEST_CASE("READ ATTRIBUTE CDB: 16 bytes, ATTRIBUTE VALUES, first attribute, allocation length") {
    // SPC-4 6.17: 8Ch, service action 00h, volume 0, partition 0, first attribute identifier
    // in bytes 8-9, allocation length in bytes 10-13.
    const Command c = cdb::readAttribute(0x0220, 0x00012345);
    CHECK(c.cdb == Bytes{0x8C, 0x00, 0, 0, 0, 0, 0, 0, 0x02, 0x20, 0x00, 0x01, 0x23, 0x45, 0, 0});
    CHECK(c.direction == Direction::FromDevice);
    CHECK(c.allocationLength == 0x00012345);
    CHECK(cdb::readAttribute().cdb[13] == 0x00);
    CHECK(cdb::readAttribute().cdb[12] == 0x10);  // 4096 by default
}
