// The media label libraries against first blocks built as each program writes them
// (tests/label/label_blocks.*), and against garbage: short, empty and random blocks are
// ERROR_BAD_FORMAT, and no block of any length is read past its end (every block here lives in
// a heap buffer of exactly its size, so AddressSanitizer sees any over-read).

#include <doctest/doctest.h>

#include <random>
#include <string>
#include <vector>

#include "src/label/label.h"
#include "tests/label/label_blocks.h"

using namespace rsm;
using namespace rsm::test::labels;

namespace {

label::Label recognized(const Block &block) {
    auto label = label::recognize(block);
    REQUIRE_MESSAGE(label.ok(), label.error().toString());
    return *label;
}

void expectBadFormat(const Block &block) {
    auto label = label::recognize(block);
    if (label.ok())
        FAIL("claimed as ", label->type, " \"", label->id, "\"");
    CHECK(label.error().code() == ErrorCode::BadFormat);
}

Block bytes(std::string_view text) {
    return Block(text.begin(), text.end());
}

// Every prefix of `block` up to `limit` bytes, each in a buffer of exactly its length: either
// not claimed, or claimed as `type`.
void checkPrefixes(const Block &block, std::string_view type, std::size_t limit) {
    for (std::size_t n = 0; n <= std::min(limit, block.size()); ++n) {
        const Block prefix(block.begin(), block.begin() + static_cast<std::ptrdiff_t>(n));
        auto label = label::recognize(prefix);
        if (label.ok()) {
            INFO("prefix of ", n, " bytes");
            CHECK(label->type == type);
        }
    }
}

}  // namespace

TEST_CASE("label: ANSI VOL1") {
    auto l = recognized(ansiVol1("ABC123", "rsm-test", "operator"));
    CHECK(l.type == "VOL1");
    CHECK(l.id == "ABC123");
    CHECK(l.info == "ANSI label version 4, implementation rsm-test, owner operator");
    CHECK(recognized(ansiVol1("A1")).id == "A1");
    CHECK(recognized(ansiVol1("A1")).info == "ANSI label version 4");
    expectBadFormat(ansiVol1(""));  // no volume identifier
    Block control = ansiVol1("AB");
    control[6] = 0x07;
    expectBadFormat(control);
}

TEST_CASE("label: IBM standard label in EBCDIC") {
    auto l = recognized(ibmVol1("XY0001", "PAYROLL"));
    CHECK(l.type == "VOL1");
    CHECK(l.id == "XY0001");
    CHECK(l.info == "IBM standard label (EBCDIC), owner PAYROLL");
}

TEST_CASE("label: LTFS's VOL1") {
    auto l = recognized(ltfsVol1("SMC001L5"));
    CHECK(l.type == "LTFS");
    CHECK(l.id == "SMC001");
    CHECK(l.info == "LTFS volume label");
    CHECK(label::knownType("LTFS"));

    auto blank = recognized(ltfsVol1(""));  // no barcode: a blank volume identifier
    CHECK(blank.type == "LTFS");
    CHECK(blank.id.empty());
    CHECK(blank.info == "LTFS volume label, no volume serial");
}

TEST_CASE("label: Bacula volume labels") {
    SUBCASE("BB02, PRE_LABEL, as `label` writes it") {
        const Block b = baculaBlock({});
        CHECK(b.size() == 1024);
        CHECK(std::string(b.begin() + 12, b.begin() + 16) == "BB02");
        auto l = recognized(b);
        CHECK(l.type == "Bacula");
        CHECK(l.id == "Vol-0001");
        CHECK(l.info ==
              "labelled, never written (PRE_LABEL), version 11, pool Default, media type LTO-5");
    }
    SUBCASE("VOL_LABEL, another pool") {
        BaculaVolume v;
        v.labelType = -2;
        v.volumeName = "Full-0042";
        v.poolName = "Full";
        v.volSessionId = 3;
        v.volSessionTime = 1'700'000'000;
        auto l = recognized(baculaBlock(v));
        CHECK(l.id == "Full-0042");
        CHECK(l.info == "in use (VOL_LABEL), version 11, pool Full, media type LTO-5");
    }
    SUBCASE("control characters in the pool name become '?', C1 ones too") {
        BaculaVolume v;
        v.poolName = "P\xc2\x9b[2J\xc2\x8bx\xc2\xa0y";  // U+009B (CSI), U+008B; U+00A0 stays
        auto l = recognized(baculaBlock(v));
        CHECK(l.id == "Vol-0001");
        CHECK(l.info ==
              "labelled, never written (PRE_LABEL), version 11, pool P?[2J?x\xc2\xa0y, media type "
              "LTO-5");
    }
    SUBCASE("BB03 blocks of the newest Bacula") {
        BaculaVolume v;
        v.blockId = "BB03";
        v.volumeName = "Tape-7";
        auto l = recognized(baculaBlock(v));
        CHECK(l.type == "Bacula");
        CHECK(l.id == "Tape-7");
    }
    SUBCASE("BB01 blocks of Bacula 1.26 and before") {
        BaculaVolume v;
        v.blockId = "BB01";
        v.id = "Bacula 0.9 mortal\n";
        v.verNum = 10;
        v.volumeName = "Old-1";
        auto l = recognized(baculaBlock(v));
        CHECK(l.type == "Bacula");
        CHECK(l.id == "Old-1");
    }
    SUBCASE("a read cut short of the padding still holds the label") {
        Block b = baculaBlock({});
        b.resize(300);
        CHECK(recognized(b).id == "Vol-0001");
    }
    SUBCASE("a record that is not a volume label is not claimed") {
        BaculaVolume v;
        v.labelType = -3;  // SOS_LABEL: a job session, not the volume's label
        expectBadFormat(baculaBlock(v));
        v.labelType = 1;  // file data
        expectBadFormat(baculaBlock(v));
    }
    SUBCASE("structure checked: block id, lengths, id string, volume name") {
        Block badId = baculaBlock({});
        badId[15] = '9';
        expectBadFormat(badId);
        Block shortBlock = baculaBlock({});
        shortBlock[4] = shortBlock[5] = shortBlock[6] = 0;
        shortBlock[7] = 40;  // block_len ends inside the record
        expectBadFormat(shortBlock);
        Block longRecord = baculaBlock({});
        longRecord[32] = 0x10;  // data_len past the block
        expectBadFormat(longRecord);
        BaculaVolume otherId;
        otherId.id = "Bacula 1.0 Metadata\n";  // an aligned-volume label: not a tape label
        expectBadFormat(baculaBlock(otherId));
        BaculaVolume noName;
        noName.volumeName = "";
        expectBadFormat(baculaBlock(noName));
    }
    SUBCASE("the id string alone does not make a Bacula label") {
        Block b(1024, 0);
        const std::string id = "Bacula 1.0 immortal\n";
        std::copy(id.begin(), id.end(), b.begin() + 40);
        expectBadFormat(b);
    }
}

TEST_CASE("label: Bareos volume labels") {
    auto l = recognized(baculaBlock(bareosVolume("Full-0001")));
    CHECK(l.type == "Bareos");
    CHECK(l.id == "Full-0001");
    CHECK(l.info ==
          "labelled, never written (PRE_LABEL), version 20, pool Default, media type LTO-5");
    // Each library claims its own id string only.
    CHECK(recognized(baculaBlock({})).type == "Bacula");
    CHECK(label::knownType("Bareos"));
    CHECK(label::knownType("Bacula"));
}

TEST_CASE("label: Amanda tape headers") {
    const Block b = amandaBlock("20240315123456", "DailySet1-007");
    CHECK(b.size() == 32768);
    auto l = recognized(b);
    CHECK(l.type == "Amanda");
    CHECK(l.id == "DailySet1-007");
    CHECK(l.info == "written 20240315123456");
    auto fresh = recognized(amandaBlock("X", "DailySet1-008"));
    CHECK(fresh.id == "DailySet1-008");
    CHECK(fresh.info == "labelled, never written");

    expectBadFormat(amandaBlock("20240315", ""));
    expectBadFormat(bytes("AMANDA: TAPESTART DATE X TAPES foo\n"));
    expectBadFormat(bytes("AMANDA: TAPESTART DATE  TAPE foo\n"));
    // A dump file's header is not a tape label.
    expectBadFormat(bytes("AMANDA: FILE 20240315 host /home lev 0 comp .gz program /bin/tar\n"));
}

TEST_CASE("label: tar archives") {
    SUBCASE("GNU format: the first member's name") {
        const Block b = tarBlock(TarFormat::Gnu, {{"etc/", '5', ""}, {"etc/hosts", '0', "x"}});
        CHECK(b.size() == 10240);
        auto l = recognized(b);
        CHECK(l.type == "tar");
        CHECK(l.id == "etc/");
        CHECK(l.info == "GNU tar archive, first member a directory");
    }
    SUBCASE("POSIX ustar: prefix and name together") {
        const std::string dir(120, 'd');
        const std::string name = dir + "/file.txt";
        auto l = recognized(tarBlock(TarFormat::Ustar, {{name, '0', "hello"}}));
        CHECK(l.id == name);
        CHECK(l.info == "POSIX tar (ustar) archive, first member a file");
    }
    SUBCASE("GNU long name (././@LongLink)") {
        const std::string name = std::string(150, 'a') + "/" + std::string(50, 'b');
        auto l = recognized(tarBlock(TarFormat::Gnu, {{name, '0', "data"}}));
        CHECK(l.id == name);
    }
    SUBCASE("pax extended header with path") {
        const std::string name = std::string(180, 'p') + "/end";
        auto l = recognized(tarBlock(TarFormat::Pax, {{name, '0', "data"}}));
        CHECK(l.id == name);
        CHECK(l.info == "POSIX tar (pax) archive, first member a file");
    }
    SUBCASE("a name longer than rsm keeps is cut to 256 bytes") {
        const std::string name = std::string(300, 'n');
        auto l = recognized(tarBlock(TarFormat::Gnu, {{name, '0', ""}}));
        CHECK(l.id == std::string(256, 'n'));
    }
    SUBCASE("GNU volume label (tar -V)") {
        auto l = recognized(tarBlock(TarFormat::Gnu, {{"a", '0', "x"}}, "Weekly 12"));
        CHECK(l.id == "Weekly 12");
        CHECK(l.info == "GNU tar volume label");
    }
    SUBCASE("UTF-8 names kept, other bytes made readable") {
        CHECK(recognized(tarBlock(TarFormat::Gnu, {{"donn\xC3\xA9"
                                                    "es",
                                                    '5', ""}}))
                  .id ==
              "donn\xC3\xA9"
              "es");
        CHECK(recognized(tarBlock(TarFormat::Gnu, {{"caf\xE9\x01", '0', ""}})).id == "caf??");
    }
    SUBCASE("the checksum is checked") {
        Block b = tarBlock(TarFormat::Gnu, {{"file", '0', ""}});
        b[0] = 'F';
        expectBadFormat(b);
        Block c = tarBlock(TarFormat::Ustar, {{"file", '0', ""}});
        c[148] = 'x';
        expectBadFormat(c);
    }
    SUBCASE("old tar without the ustar magic, and an empty archive") {
        Block b = tarBlock(TarFormat::Gnu, {{"file", '0', ""}});
        std::fill(b.begin() + 257, b.begin() + 265, 0);
        expectBadFormat(b);
        expectBadFormat(Block(10240, 0));
    }
    SUBCASE("a tar member named like a label is still tar") {
        auto l = recognized(tarBlock(TarFormat::Gnu, {{"VOL1ABC123", '0', ""}}));
        CHECK(l.type == "tar");
        auto bacula =
            recognized(tarBlock(TarFormat::Gnu, {{"label", '0', "Bacula 1.0 immortal\n"}}));
        CHECK(bacula.type == "tar");
    }
}

TEST_CASE("label: empty, short and garbage blocks are BAD_FORMAT") {
    auto empty = label::recognize({});
    REQUIRE(!empty.ok());
    CHECK(empty.error().code() == ErrorCode::BadFormat);
    CHECK(empty.error().message() == "the side is blank: no label");

    expectBadFormat(bytes("VOL1"));
    expectBadFormat(bytes("VOL1ABC123"));
    expectBadFormat(Block(80, 0));
    expectBadFormat(Block(65536, 0xFF));
    expectBadFormat(bytes("AMANDA: TAPESTART DATE "));
    expectBadFormat(bytes("some text that is no label at all\n"));

    std::mt19937 random(20240315);
    std::uniform_int_distribution<int> byte(0, 255);
    for (std::size_t n = 0; n <= 200; ++n) {
        for (int round = 0; round < 20; ++round) {
            Block b(n);
            for (auto &c : b)
                c = static_cast<std::uint8_t>(byte(random));
            CAPTURE(n);
            expectBadFormat(b);
        }
    }
}

TEST_CASE("label: no read past the end of any prefix of a label, or of garbage behind a magic") {
    checkPrefixes(ansiVol1("ABC123", "x", "y"), "VOL1", 80);
    checkPrefixes(ibmVol1("XY0001"), "VOL1", 80);
    checkPrefixes(ltfsVol1("SMC001L5"), "LTFS", 80);
    checkPrefixes(baculaBlock({}), "Bacula", 1024);
    BaculaVolume bb01;
    bb01.blockId = "BB01";
    checkPrefixes(baculaBlock(bb01), "Bacula", 400);
    BaculaVolume bb03;
    bb03.blockId = "BB03";
    checkPrefixes(baculaBlock(bb03), "Bacula", 400);
    checkPrefixes(baculaBlock(bareosVolume("B-1")), "Bareos", 400);
    checkPrefixes(amandaBlock("X", "Daily-1"), "Amanda", 200);
    checkPrefixes(tarBlock(TarFormat::Gnu, {{std::string(300, 'g'), '0', "x"}}), "tar", 2048);
    checkPrefixes(tarBlock(TarFormat::Pax, {{std::string(300, 'p'), '0', "x"}}), "tar", 2048);
    checkPrefixes(tarBlock(TarFormat::Ustar, {{"f", '0', "x"}}), "tar", 1024);

    // Random bytes behind each format's fixed part: whatever is claimed, nothing is over-read.
    std::mt19937 random(7);
    std::uniform_int_distribution<int> byte(0, 255);
    const Block ltfs = ltfsVol1("");
    const Block bacula = baculaBlock({});
    const std::vector<Block> heads = {
        bytes("VOL1"),
        Block(ltfs.begin(), ltfs.begin() + 40),
        Block(bacula.begin(), bacula.begin() + 36),
        Block(bacula.begin(), bacula.begin() + 57),
        bytes("AMANDA: TAPESTART DATE "),
        tarHeader(TarFormat::Gnu, "././@LongLink", 'L', 700),
        tarHeader(TarFormat::Ustar, "./PaxHeaders/x", 'x', 300),
        tarHeader(TarFormat::Gnu, "g", 'g', 20),
    };
    for (const Block &head : heads) {
        for (std::size_t extra = 0; extra <= 1200; extra += 7) {
            Block b = head;
            for (std::size_t i = 0; i < extra; ++i)
                b.push_back(static_cast<std::uint8_t>(byte(random)));
            const Block exact(b.begin(), b.end());
            (void)label::recognize(exact);
        }
    }
}
