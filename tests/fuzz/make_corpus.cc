// make-corpus: writes the seed corpora of the fuzz targets (tests/fuzz/corpus/<target>/) from
// the builders the unit tests use (tests/sg/smc_reply.h, tests/label/label_blocks.h), replies
// captured from tgtd 1.0.85 (the same captures as tests/sg/test_*.cc), and hand-made shapes of
// other libraries. Deterministic: the same files every run, named after what they hold.
// Inputs that once crashed a target or broke one of its invariants are written too
// (regress-*), so that every run of the target replays them first.
//
//   make-corpus DIR    (scripts/fuzz --make-corpus writes tests/fuzz/corpus)

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "sg/element_status.h"
#include "src/protocol/codec.h"
#include "src/protocol/elements.h"
#include "tests/fuzz/health_seeds.h"
#include "tests/label/label_blocks.h"
#include "tests/sg/smc_reply.h"
#include "tests/sg/tgtd_captures.h"

namespace {

using Bytes = std::vector<std::uint8_t>;
using rsm::sg::ElementType;
using rsm::test::FakeElement;
using rsm::test::fromHex;
using namespace rsm::test;  // tgtd_captures.h, smc_reply.h
namespace fs = std::filesystem;
namespace labels = rsm::test::labels;

fs::path root;
int written = 0;

void write(const std::string &target, const std::string &name, const Bytes &bytes) {
    const fs::path dir = root / target;
    fs::create_directories(dir);
    std::ofstream out(dir / name, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char *>(bytes.data()),
              static_cast<std::streamsize>(bytes.size()));
    if (!out)
        throw std::runtime_error("cannot write " + (dir / name).string());
    ++written;
}

void writeText(const std::string &target, const std::string &name, const std::string &text) {
    write(target, name, Bytes(text.begin(), text.end()));
}

Bytes cut(Bytes b, std::size_t n) {
    b.resize(n < b.size() ? b.size() - n : 0);
    return b;
}

// ---------------------------------------------------------------------------------------------
// READ ELEMENT STATUS

FakeElement fe(std::uint16_t address, bool full = false, std::string tag = {},
               std::uint16_t source = 0, std::string identifier = {}) {
    FakeElement e;
    e.address = address;
    e.full = full;
    e.tag = std::move(tag);
    e.source = source;
    e.identifier = std::move(identifier);
    return e;
}

std::vector<FakeElement> slots(std::uint16_t first, int count, int every, const char *prefix) {
    std::vector<FakeElement> out;
    for (int i = 0; i < count; ++i) {
        FakeElement e;
        e.address = static_cast<std::uint16_t>(first + i);
        e.full = every > 0 && i % every == 0;
        if (e.full)
            e.tag = fmt::format("{}{:03d}L{}", prefix, i, 5 + i % 4);
        out.push_back(e);
    }
    return out;
}

// One descriptor page of any layout (primary and alternate tags, a DVCID block of the given
// code set), for what smc_reply.h's builder does not make.
Bytes page(ElementType type, const std::vector<FakeElement> &elements, bool primary, bool alternate,
           int codeSet, std::size_t idLength) {
    const std::size_t length =
        12 + (primary ? 36 : 0) + (alternate ? 36 : 0) + (codeSet ? 4 + idLength : 0);
    Bytes b(8 + length * elements.size(), 0);
    b[0] = static_cast<std::uint8_t>(type);
    b[1] = static_cast<std::uint8_t>((primary ? 0x80 : 0) | (alternate ? 0x40 : 0));
    put16(b, 2, static_cast<std::uint32_t>(length));
    put24(b, 5, static_cast<std::uint32_t>(length * elements.size()));
    std::size_t at = 8;
    for (const FakeElement &e : elements) {
        put16(b, at, e.address);
        std::uint8_t flags = (e.full ? 0x01 : 0) | (e.asc ? 0x04 : 0) | 0x08;
        if (type == ElementType::ImportExport)
            flags |= 0x30 | (e.full ? 0x02 : 0);  // INENAB, EXENAB, IMPEXP
        b[at + 2] = flags;
        b[at + 4] = e.asc;
        b[at + 5] = e.ascq;
        if (type == ElementType::DataTransfer) {
            b[at + 6] = 0x30;  // ID VALID, LU VALID, LUN 0
            b[at + 7] = static_cast<std::uint8_t>(e.address & 0x0F);
        }
        if (e.source) {
            b[at + 9] = 0x80;
            put16(b, at + 10, e.source);
        }
        std::size_t p = at + 12;
        for (bool on : {primary, alternate}) {
            if (!on)
                continue;
            const std::string text = e.full ? e.tag : std::string();
            for (std::size_t i = 0; i < 32; ++i)
                b[p + i] =
                    i < text.size() ? static_cast<std::uint8_t>(text[i]) : (text.empty() ? 0 : ' ');
            p += 36;
        }
        if (codeSet) {
            b[p] = static_cast<std::uint8_t>(codeSet);
            b[p + 1] = codeSet == 1 ? 0x03 : 0x01;  // NAA, or T10 vendor ID
            b[p + 3] = static_cast<std::uint8_t>(idLength);
            for (std::size_t i = 0; i < idLength; ++i)
                b[p + 4 + i] = codeSet == 1 ? static_cast<std::uint8_t>(0x50 + i * 7)
                               : i < e.identifier.size()
                                   ? static_cast<std::uint8_t>(e.identifier[i])
                                   : ' ';
        }
        at += length;
    }
    return b;
}

// A whole reply of several pages behind one header.
Bytes report(const std::vector<Bytes> &pages, std::uint16_t first, std::uint16_t count) {
    Bytes b(8, 0);
    for (const Bytes &p : pages)
        b.insert(b.end(), p.begin(), p.end());
    put16(b, 0, first);
    put16(b, 2, count);
    put24(b, 5, static_cast<std::uint32_t>(b.size() - 8));
    return b;
}

std::vector<FakeElement> drives(std::uint16_t first, int count, const char *vendor) {
    std::vector<FakeElement> out;
    for (int i = 0; i < count; ++i) {
        FakeElement e;
        e.address = static_cast<std::uint16_t>(first + i);
        e.full = i == 0;
        e.tag = e.full ? "A00001L6" : "";
        e.source = e.full ? 0x401 : 0;
        e.identifier = fmt::format("{}ULT3580-TD6     10WT0{:05d}", vendor, i);
        out.push_back(e);
    }
    return out;
}

void elementStatus() {
    const std::string t = "element_status";
    using rsm::test::elementStatusReply;
    write(t, "tgtd-storage-8-short", fromHex(kTgtdStorage));
    write(t, "tgtd-drive-dvcid-8-short", fromHex(kTgtdDrive));
    // tgtd's shortfall on replies made by the unit tests' builder.
    const auto tgtdSlots = slots(1000, 20, 4, "SMC");
    write(t, "tgtd-20-slots", elementStatusReply(ElementType::Storage, tgtdSlots));
    write(t, "tgtd-20-slots-8-short", cut(elementStatusReply(ElementType::Storage, tgtdSlots), 8));
    write(t, "tgtd-ieports",
          elementStatusReply(ElementType::ImportExport, {fe(10, true, "IE0001L5"), fe(11)}));
    write(t, "tgtd-picker-no-tags", elementStatusReply(ElementType::Transport, {fe(1)}, false));
    const FakeElement d0 = fe(500, true, "SMC001L5", 1000, "IET     VIRTUAL-TAPE    be");
    const FakeElement d1 = fe(501, false, "", 0, "IET     VIRTUAL-TAPE    bf");
    write(t, "tgtd-drives-dvcid",
          elementStatusReply(ElementType::DataTransfer, {d0, d1}, true, true));
    write(t, "tgtd-drives-dvcid-8-short",
          cut(elementStatusReply(ElementType::DataTransfer, {d0, d1}, true, true), 8));
    write(t, "drives-dvcid-no-tags",
          elementStatusReply(ElementType::DataTransfer, {d0, d1}, false, true));
    // A 2-slot autoloader without a barcode reader: no tags at all.
    write(t, "autoloader-no-barcodes",
          elementStatusReply(ElementType::Storage, slots(1, 8, 2, "X"), false));
    // Cut by the allocation length: the header says more than arrived.
    write(t, "cut-by-allocation",
          cut(elementStatusReply(ElementType::Storage, slots(1000, 12, 3, "CUT")), 60));
    // Slots from 0x400, drives from 0x100, I/E from 0x300, one picker at 1: one reply of four
    // pages with primary and alternate tags and binary (NAA) drive identifiers.
    write(t, "four-pages-alternate-tags-naa",
          report({page(ElementType::Transport, {fe(1)}, true, true, 0, 0),
                  page(ElementType::Storage, slots(0x401, 16, 2, "A"), true, true, 0, 0),
                  page(ElementType::ImportExport, slots(0x300, 2, 2, "IE"), true, true, 0, 0),
                  page(ElementType::DataTransfer, drives(0x100, 2, "IBM     "), true, true, 1, 8)},
                 1, 21));
    // Drives with text identifiers (vendor, product, serial) and LUN/ID valid, no tags.
    write(
        t, "drives-t10-identifiers",
        report({page(ElementType::DataTransfer, drives(0x100, 4, "HP      "), false, false, 2, 34)},
               0x100, 4));
    // Slots from 1 with drives from 0x1F4 (500) reported before the slots; a cleaning tape.
    auto mixed = slots(1, 24, 5, "B");
    mixed[23].full = true;
    mixed[23].tag = "CLN001L1";
    write(t, "drives-first-then-24-slots-cleaner",
          report({page(ElementType::DataTransfer, drives(500, 2, "QUANTUM "), true, false, 2, 34),
                  page(ElementType::Storage, mixed, true, false, 0, 0)},
                 1, 26));
    // Exception states: a slot not installed (83h/02h), a drive not installed (83h/04h).
    FakeElement absent = fe(1003);
    absent.asc = 0x83;
    absent.ascq = 0x02;
    auto withAbsent = slots(1000, 6, 2, "S");
    withAbsent[3] = absent;
    write(t, "slot-not-installed", elementStatusReply(ElementType::Storage, withAbsent));
    FakeElement absentDrive = fe(502);
    absentDrive.asc = 0x83;
    absentDrive.ascq = 0x04;
    write(t, "drive-not-installed",
          elementStatusReply(ElementType::DataTransfer, {d0, d1, absentDrive}));
    // A page byte count that is not a multiple of the descriptor length (short last one).
    Bytes odd = elementStatusReply(ElementType::Storage, slots(1000, 3, 1, "O"));
    put24(odd, 5, static_cast<std::uint32_t>(odd.size() - 8 - 20));
    put24(odd, 13, static_cast<std::uint32_t>(odd.size() - 16 - 20));
    odd.resize(odd.size() - 20);
    write(t, "page-not-a-multiple", odd);
    // Header only, and a header with an empty page.
    write(t, "header-only", fromHex("0000 0000 00 000000"));
    write(t, "empty-page", fromHex("03e8 0000 00 000008 02 80 0034 00 000000"));
    // Bytes past the declared report (padding up to the allocation length).
    Bytes padded = elementStatusReply(ElementType::Storage, slots(1000, 4, 2, "P"));
    padded.resize(padded.size() + 64, 0);
    write(t, "padding-after-report", padded);
    // A larger library: 200 slots.
    write(t, "200-slots", elementStatusReply(ElementType::Storage, slots(1000, 200, 3, "L")));
}

// ---------------------------------------------------------------------------------------------
// MODE SENSE

Bytes page1F(std::uint8_t stor, std::uint8_t move, std::uint8_t exchange) {
    Bytes b(20, 0);
    b[0] = 0x1F;
    b[1] = 0x12;
    b[2] = stor;
    for (std::size_t i = 4; i < 8; ++i)
        b[i] = move;
    for (std::size_t i = 12; i < 16; ++i)
        b[i] = exchange;
    return b;
}

void modePages() {
    const std::string t = "mode_pages";
    // Captured from tgtd 1.0.85 (tests/sg/test_mode_pages.cc).
    write(t, "tgtd-six-1d", fromHex(kTgtdSix1D));
    write(t, "tgtd-six-1f", fromHex(kTgtdSix1F));
    write(t, "tgtd-six-block-descriptor-1d", fromHex(kTgtdSixBlock1D));
    write(t, "tgtd-ten-all-pages", fromHex(kTgtdTenAll));
    // The unit tests' builder.
    rsm::sg::ElementAddressAssignment map;
    map.transport = {1, 1};
    map.storage = {0x401, 40};
    map.importExport = {0x300, 4};
    map.dataTransfer = {0x100, 4};
    write(t, "six-1d-slots-0x401", rsm::test::elementAddressPage6(map));
    // Slots from 1, drives from 500, no I/E ports; both pages; MODE SENSE(10) with a block
    // descriptor; 1Fh before 1Dh; a changer that cannot exchange.
    write(t, "six-1d-1f",
          modeSense6({modePage1D(0, 1, 1, 24, 0, 0, 500, 2), page1F(0x0E, 0x0E, 0x0E)}));
    write(t, "ten-block-1f-1d",
          modeSense10({page1F(0x0F, 0x0F, 0x00), modePage1D(1, 1, 1000, 80, 10, 4, 500, 6)}, 8));
    // Subpage-format page before the wanted one.
    Bytes spf = {0x4A, 0x01, 0x00, 0x04, 0, 0, 0, 0};
    write(t, "ten-subpage-then-1d",
          modeSense10({spf, modePage1D(1, 2, 0x1000, 500, 0x10, 8, 0x100, 12)}));
    // Mode data length shorter than the reply (padding), and cut short of the page.
    Bytes padded = modeSense6({modePage1D(1, 1, 1000, 5, 10, 2, 500, 1)});
    padded.resize(padded.size() + 32, 0);
    write(t, "six-padding", padded);
    write(t, "six-1d-cut", cut(modeSense6({modePage1D(1, 1, 1000, 5, 10, 2, 500, 1)}), 6));
}

// ---------------------------------------------------------------------------------------------
// Sense

Bytes fixedSense(std::uint8_t code, std::uint8_t key, std::uint8_t asc, std::uint8_t ascq,
                 std::uint8_t byte2Bits = 0, std::optional<std::uint32_t> info = {}) {
    Bytes b(18, 0);
    b[0] = code;
    b[2] = static_cast<std::uint8_t>(key | byte2Bits);
    b[7] = 10;
    b[12] = asc;
    b[13] = ascq;
    if (info) {
        b[0] |= 0x80;
        b[3] = static_cast<std::uint8_t>(*info >> 24);
        b[4] = static_cast<std::uint8_t>(*info >> 16);
        b[5] = static_cast<std::uint8_t>(*info >> 8);
        b[6] = static_cast<std::uint8_t>(*info);
    }
    return b;
}

void sense() {
    const std::string t = "sense";
    // What tgtd and libraries send (vtl-tgtd.md): fixed format.
    write(t, "fixed-empty-source-05-3b-0e", fixedSense(0x70, 5, 0x3B, 0x0E));
    write(t, "fixed-full-destination-05-3b-0d", fixedSense(0x70, 5, 0x3B, 0x0D));
    write(t, "fixed-bad-address-05-24-00", fixedSense(0x70, 5, 0x24, 0x00));
    write(t, "fixed-removal-prevented-05-53-02", fixedSense(0x70, 5, 0x53, 0x02));
    write(t, "fixed-load-failed-04-15-01", fixedSense(0x70, 4, 0x15, 0x01));
    write(t, "fixed-no-medium-02-3a-00", fixedSense(0x70, 2, 0x3A, 0x00));
    write(t, "fixed-becoming-ready-02-04-01", fixedSense(0x70, 2, 0x04, 0x01));
    write(t, "fixed-door-open-02-04-83", fixedSense(0x70, 2, 0x04, 0x83));
    write(t, "fixed-inventory-changed-06-28-00", fixedSense(0x70, 6, 0x28, 0x00));
    write(t, "fixed-deferred-71-04-44", fixedSense(0x71, 4, 0x44, 0x00));
    // Stream commands (tape): filemark, ILI with INFORMATION, end of data, early warning.
    write(t, "fixed-filemark", fixedSense(0x70, 0, 0x00, 0x01, 0x80, 1));
    write(t, "fixed-ili-info", fixedSense(0x70, 0, 0x00, 0x00, 0x20, 0xFFFFFC00u));
    write(t, "fixed-blank-check-eod", fixedSense(0x70, 8, 0x00, 0x05, 0x00, 0x10000));
    write(t, "fixed-eom", fixedSense(0x70, 0, 0x00, 0x02, 0x40));
    write(t, "fixed-short-8-bytes", cut(fixedSense(0x70, 6, 0x29, 0x00), 10));
    // Descriptor format: information descriptor (type 0), stream commands (type 4).
    write(t, "descriptor-72-info",
          fromHex("72 03 11 00 00 00 00 0c 00 0a 80 00 00 00 00 00 12 34 56 78"));
    write(t, "descriptor-72-stream-fm-ili",
          fromHex("72 00 00 01 00 00 00 10 00 0a 80 00 00 00 00 00 00 00 00 02 04 02 00 a0"));
    write(t, "descriptor-73-deferred", fromHex("73 04 44 00 00 00 00 00"));
    write(t, "descriptor-72-unit-attention", fromHex("72 06 29 00 00 00 00 00"));
    write(t, "descriptor-72-sense-key-specific",
          fromHex("72 05 24 00 00 00 00 08 02 06 00 00 c0 00 02 00"));
}

// ---------------------------------------------------------------------------------------------
// INQUIRY and VPD 80h

Bytes inquiry(std::uint8_t byte0, std::uint8_t byte1, std::uint8_t byte6, const std::string &v,
              const std::string &p, const std::string &r) {
    Bytes b = {byte0, byte1, 0x05, 0x02, 31, 0, byte6, 0};
    b.insert(b.end(), v.begin(), v.end());
    b.insert(b.end(), p.begin(), p.end());
    b.insert(b.end(), r.begin(), r.end());
    return b;
}

Bytes vpd80(std::uint8_t type, const std::string &serial, int extra = 0) {
    const std::size_t length = serial.size() + static_cast<std::size_t>(extra);
    Bytes b = {type, 0x80, static_cast<std::uint8_t>(length >> 8),
               static_cast<std::uint8_t>(length)};
    b.insert(b.end(), serial.begin(), serial.end());
    return b;
}

void inquiries() {
    const std::string t = "inquiry";
    // Captured from tgtd 1.0.85 (tests/sg/test_inquiry.cc): the changer's INQUIRY and VPD 80h.
    write(t, "tgtd-changer", fromHex(kTgtdChangerInquiry));
    write(t, "tgtd-changer-vpd80", fromHex(kTgtdChangerSerial));
    // As tgtd is configured in the tests (vendor_id=STK, product_id=L700, ...).
    write(t, "changer-stk-l700", inquiry(0x08, 0x80, 0x00, "STK     ", "L700            ", "0104"));
    write(t, "drive-hp-ultrium5",
          inquiry(0x01, 0x80, 0x00, "HP      ", "Ultrium 5-SCSI  ", "Z21D"));
    write(t, "drive-ibm-td6-mchngr",
          inquiry(0x01, 0x80, 0x08, "IBM     ", "ULT3580-TD6     ", "J451"));
    write(t, "changer-ibm-3573", inquiry(0x08, 0x80, 0x00, "IBM     ", "3573-TL         ", "F.11"));
    write(t, "changer-quantum-short-36",
          inquiry(0x08, 0x80, 0x00, "QUANTUM ", "Scalar i3-i6    ", "250G"));
    write(t, "short-8", fromHex("08 80 05 02 03 00 00 00"));
    write(t, "short-20", inquiry(0x08, 0x80, 0x00, "ADIC    ", "Scal", ""));
    write(t, "qualifier-not-connected", inquiry(0x3F, 0x00, 0x00, "", "", ""));
    write(t, "vpd80-drive", vpd80(0x01, "1068012345"));
    write(t, "vpd80-leading-trailing-blanks", vpd80(0x08, std::string("   SMC001   \0\0", 14)));
    write(t, "vpd80-cut", vpd80(0x08, "MXA0123456", 6));
    write(t, "vpd80-empty", vpd80(0x08, ""));
    write(t, "vpd83-not-80", fromHex("08 83 00 08 01 03 00 04 50 01 02 03"));
}

// ---------------------------------------------------------------------------------------------
// VPD 83h (device identification)

Bytes designation(std::uint8_t byte0, std::uint8_t byte1, const Bytes &value) {
    Bytes b = {byte0, byte1, 0, static_cast<std::uint8_t>(value.size())};
    b.insert(b.end(), value.begin(), value.end());
    return b;
}

Bytes textBytes(const std::string &s) {
    return Bytes(s.begin(), s.end());
}

Bytes vpd83(const std::vector<Bytes> &descriptors) {
    Bytes b = {0x01, 0x83, 0, 0};
    for (const Bytes &d : descriptors)
        b.insert(b.end(), d.begin(), d.end());
    put16(b, 2, static_cast<std::uint32_t>(b.size() - 4));
    return b;
}

void vpdPages() {
    const std::string t = "vpd";
    // A tape LUN of tgtd 1.0.85 (tests/sg/test_vpd.cc): T10 vendor identification, NAA 3, NAA 6.
    const Bytes tgtd = fromHex(
        "01 83 00 48 02 01 00 24 49 45 54 20 20 20 20 20 30 30 30 31 30 30 30 31 00 00 00 00"
        "00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 01 03 00 08 30 00 00 01 00 00 00 01"
        "01 03 00 10 60 00 00 00 00 00 00 00 0e 00 00 00 00 01 00 01");
    write(t, "tgtd-tape-lun", tgtd);
    write(t, "tgtd-tape-lun-cut", cut(tgtd, 1));
    write(t, "lto-fc-seven-designators",
          vpd83({designation(0x02, 0x01, textBytes("IBM     ULT3580-TD5     1013000654")),
                 designation(0x01, 0x03, fromHex("50 05 07 63 0f 1a 2b 3c")),
                 designation(0x01, 0x02, fromHex("00 a0 b8 ff fe 12 34 56")),
                 designation(0x01, 0x94, fromHex("00 00 00 01")),
                 designation(0x01, 0x93, fromHex("50 05 07 63 0f 5a 2b 3c")),
                 designation(0x53, 0xA8,
                             textBytes(std::string("iqn.2004-10.com.ibm:lto5\0\0\0\0", 28))),
                 designation(0x02, 0x00, textBytes("  SN 1013000654  "))}));
    std::vector<Bytes> codeSets;
    for (std::uint8_t codeSet = 0; codeSet < 16; ++codeSet)
        codeSets.push_back(designation(codeSet, codeSet, textBytes(" AB\x01 ")));
    write(t, "every-code-set-and-type", vpd83(codeSets));
    write(t, "empty-page", fromHex("01 83 00 00"));
    write(t, "empty-designator", vpd83({designation(0x02, 0x01, {})}));
    write(t, "descriptor-header-cut",
          fromHex("01 83 00 0e 01 03 00 08 50 01 02 03 04 05 06 07 02 01"));
    write(t, "designator-past-page-length",
          fromHex("01 83 00 05 01 03 00 08 50 01 02 03 04 05 06 07"));
    write(t, "padding-after-page-length",
          fromHex("01 83 00 0c 01 03 00 08 50 01 02 03 04 05 06 07 02 01 00 04 4a 55 4e 4b"));
    write(t, "page-80-not-83", vpd80(0x01, "DRV001"));
}

// ---------------------------------------------------------------------------------------------
// TapeAlert

Bytes alertPage(const std::vector<std::pair<int, int>> &flags, std::size_t cutBy = 0) {
    Bytes b = {0x2E, 0, 0, 0};
    for (const auto &[code, value] : flags) {
        b.insert(b.end(), {static_cast<std::uint8_t>(code >> 8), static_cast<std::uint8_t>(code),
                           0x40, 1, static_cast<std::uint8_t>(value)});
    }
    put16(b, 2, static_cast<std::uint32_t>(b.size() - 4));
    return cut(b, cutBy);
}

void tapeAlerts() {
    const std::string t = "tape_alert";
    std::vector<std::pair<int, int>> all;
    for (int i = 1; i <= 64; ++i)
        all.push_back({i, 0});
    write(t, "all-64-clear", alertPage(all));
    all[19].second = 1;
    write(t, "clean-now", alertPage(all));
    all[20].second = 1;
    all[22].second = 1;
    write(t, "clean-periodic-invalid-cleaner", alertPage(all));
    write(t, "cut-by-allocation", alertPage(all, 17));
    write(t, "few-flags", alertPage({{3, 1}, {20, 1}, {0x100, 1}}));
    write(t, "zero-length-parameter", fromHex("2e 00 00 0c 00 14 40 00 00 15 40 01 01 00 16 00"));
    write(t, "other-page", fromHex("0d 00 00 06 00 00 40 02 00 1e"));
}

// ---------------------------------------------------------------------------------------------
// Labels

Bytes head(Bytes b, std::size_t n) {
    if (b.size() > n)
        b.resize(n);
    return b;
}

void labelBlocks() {
    const std::string t = "label";
    labels::BaculaVolume bacula;
    write(t, "bacula-bb02-pre-label", labels::baculaBlock(bacula));
    labels::BaculaVolume bb01 = bacula;
    bb01.blockId = "BB01";
    bb01.id = "Bacula 0.9 mortal\n";
    bb01.verNum = 10;
    write(t, "bacula-bb01-mortal", labels::baculaBlock(bb01));
    labels::BaculaVolume bb03 = bacula;
    bb03.blockId = "BB03";
    bb03.labelType = -2;  // VOL_LABEL
    bb03.volumeName = "Full-0042";
    bb03.prevVolumeName = "Full-0041";
    write(t, "bacula-bb03-vol-label", labels::baculaBlock(bb03));
    write(t, "bareos-2.0", labels::baculaBlock(labels::bareosVolume("Bareos-Vol7")));
    write(t, "amanda-32k", labels::amandaBlock("20240131120000", "DailySet1-03"));
    write(t, "amanda-head-1k", head(labels::amandaBlock("X", "vtape-01"), 1024));
    write(t, "ansi-vol1", labels::ansiVol1("ABC123", "RSM TEST", "operator"));
    write(t, "ibm-vol1-ebcdic", labels::ibmVol1("XYZ789", "OWNER1"));
    write(t, "ltfs-vol1", labels::ltfsVol1("LTF001L6"));
    write(t, "ltfs-vol1-no-barcode", labels::ltfsVol1(""));
    const std::vector<labels::TarMember> members = {{"etc/hosts", '0', "127.0.0.1 localhost\n"},
                                                    {"etc/", '5', ""}};
    write(
        t, "tar-gnu-volume-label",
        head(labels::tarBlock(labels::TarFormat::Gnu, members, "Weekly backup 2024-01-31"), 2048));
    write(t, "tar-ustar", head(labels::tarBlock(labels::TarFormat::Ustar, members), 2048));
    write(t, "tar-pax", head(labels::tarBlock(labels::TarFormat::Pax, members), 3072));
    write(t, "tar-gnu-full-record", labels::tarBlock(labels::TarFormat::Gnu, members));
    write(t, "tar-header-only",
          labels::tarHeader(labels::TarFormat::Ustar, "backup.img", '0', 1u << 30));
    write(t, "blank-zeros", Bytes(512, 0));
    writeText(t, "text-not-a-label", "this tape holds no label anyone wrote\n");
}

// ---------------------------------------------------------------------------------------------
// Protocol JSON (what a client decodes)

void protocolJson() {
    const std::string t = "protocol_json";
    for (const char *capture : {kTgtdStorage, kTgtdDrive}) {
        auto parsed = rsm::sg::parseElementStatus(fromHex(capture));
        nlohmann::json result;
        result["elements"] = rsm::protocol::elementsToJson(parsed->elements);
        rsm::sg::InquiryData inquiry;
        inquiry.peripheralType = 8;
        inquiry.removable = true;
        inquiry.version = 5;
        inquiry.vendor = "STK     ";
        inquiry.product = "L700            ";
        inquiry.revision = "0104";
        result["inquiry"] = rsm::protocol::inquiryToJson(inquiry);
        const std::string line = rsm::protocol::resultLine(3, result);
        writeText(t, capture == kTgtdStorage ? "mtx-status-storage" : "mtx-status-drive", line);
    }
    writeText(
        t, "error-with-sense",
        rsm::protocol::errorLine("req-7", rsm::Error(rsm::ErrorCode::Empty,
                                                     "ILLEGAL REQUEST: Medium source element empty",
                                                     rsm::SenseRecord{5, 0x3B, 0x0E})));
    writeText(t, "error-plain",
              rsm::protocol::errorLine(nullptr, rsm::Error(rsm::ErrorCode::InvalidParameter,
                                                           "a request is one JSON object")));
    writeText(t, "error-unknown-code",
              R"({"id":1,"error":{"code":99999,"name":"X","message":"m"}})");
    writeText(t, "error-odd-sense",
              R"({"id":1,"error":{"code":5023,"message":"m","sense":{"key":6,"asc":300}}})");
    writeText(t, "elements-empty", R"({"id":2,"result":{"elements":[]}})");
    writeText(t, "elements-hand-made",
              R"([{"type":4,"address":500,"full":true,"exception":false,"accessible":true,)"
              R"("import_export":false,"import_enabled":false,"export_enabled":false,"asc":0,)"
              R"("ascq":0,"source":1000,"invert":false,"tag":{"hex":"41303030","sequence":0},)"
              R"("alternate_tag":null,"identifier":"IBM ULT3580","lun":0,"id":5}])");
    writeText(t, "inquiry-hand-made",
              R"({"peripheral_qualifier":0,"peripheral_type":1,"removable":true,"version":6,)"
              R"("medium_changer":true,"vendor":"49424d","product":"","revision":"4a343531"})");
    writeText(t, "hello-reply",
              R"({"id":0,"result":{"protocol":1,"server":"rsmd 0.1.0","uid":0,"gids":[0]}})");
}

// ---------------------------------------------------------------------------------------------
// Request lines (the dispatcher): "@S" is the last session handle (see fuzz_request.cc)

void requests() {
    const std::string t = "request";
    const std::string hello = R"({"id":0,"verb":"hello","protocol":1,"client":"rsmctl 0.1.0"})";
    const std::string open = R"({"id":1,"verb":"session.open","application":"fuzz"})";
    const auto lines = [&](std::initializer_list<std::string> more) {
        std::string text = hello + "\n" + open + "\n";
        for (const std::string &l : more)
            text += l + "\n";
        return text;
    };
    writeText(t, "hello-only", hello + "\n");
    writeText(t, "no-hello",
              std::string(R"({"id":1,"verb":"library.list","session":"@S"})") + "\n");
    writeText(t, "not-json", "hello\n{\"id\":\n[1,2]\n\"x\"\n");
    writeText(t, "hello-bad-protocol",
              std::string(R"({"id":"a","verb":"hello","protocol":99})") + "\n" +
                  R"({"id":[1],"verb":"hello"})" + "\n");
    writeText(t, "session-open-close",
              lines({R"({"id":2,"verb":"session.close","session":"@S"})",
                     R"({"id":3,"verb":"library.list","session":"@S"})"}));
    writeText(t, "lists",
              lines({R"({"id":2,"verb":"library.list","session":"@S"})",
                     R"({"id":3,"verb":"drive.list","session":"@S"})",
                     R"({"id":4,"verb":"pool.list","session":"@S"})",
                     R"({"id":5,"verb":"media.list","session":"@S","pool":"x"})",
                     R"({"id":6,"verb":"lmid.list","session":"@S"})",
                     R"({"id":7,"verb":"mediatype.list","session":"@S"})",
                     R"({"id":8,"verb":"computer.show","session":"@S"})",
                     R"({"id":9,"verb":"request.list","session":"@S","all":true})"}));
    writeText(
        t, "creates",
        lines({R"({"id":2,"verb":"mediatype.create","session":"@S","name":"LTO-5","sides":1})",
               R"({"id":3,"verb":"pool.create","session":"@S","path":"backup/daily",)"
               R"("media_type":"LTO-5","allocate_from_free":true,"max_allocations":3})",
               R"({"id":4,"verb":"media.create","session":"@S","media_type":"LTO-5",)"
               R"("barcode":"A00001L5","label_type":"Bacula","label_id":"Vol-0001"})",
               R"({"id":5,"verb":"lmid.allocate","session":"@S","pool":"backup",)"
               R"("new":true,"name":"x"})"}));
    writeText(t, "robot",
              lines({R"({"id":2,"verb":"mount","session":"@S","lmid":"Vol-0001","wait":false})",
                     R"({"id":3,"verb":"dismount","session":"@S","lmid":"Vol-0001"})",
                     R"({"id":4,"verb":"library.inventory","session":"@S","library":"vtl",)"
                     R"("full":true,"priority":20})",
                     R"({"id":5,"verb":"library.mtx","session":"@S","library":"vtl","op":"load",)"
                     R"("source":1000,"destination":500,"wait":true})"}));
    writeText(
        t, "wrong-types",
        lines({R"({"id":2,"verb":"pool.create","session":"@S","path":7})",
               R"({"id":3,"verb":"request.list","session":"@S","all":"yes"})",
               R"({"id":4,"verb":"mediatype.create","session":"@S","name":"x","sides":-1})",
               R"({"id":5,"verb":"mediatype.create","session":"@S","name":"x",)"
               R"("sides":18446744073709551615})",
               R"({"id":6,"verb":"library.list","session":"@S","bogus":1})",
               R"({"id":7,"verb":"nonsense","session":"@S"})",
               R"({"id":8,"verb":"library.list","session":"00000000-0000-0000-0000-000000000000"})",
               R"({"id":9,"verb":"library.list","session":42})",
               R"({"id":10,"verb":"media.show","session":"@S","media":"not-a-uuid"})",
               R"({"id":11,"verb":"media.show","session":"@S","media":""})"}));
    writeText(t, "objects-attributes-acl",
              lines({R"({"id":2,"verb":"object.rename","session":"@S","object":"x","name":"y"})",
                     R"({"id":3,"verb":"attribute.set","session":"@S","object":"x","name":"k",)"
                     R"("value":"v"})",
                     R"({"id":4,"verb":"attribute.get","session":"@S","object":"x","name":"k"})",
                     R"({"id":5,"verb":"acl.list","session":"@S","object":"x"})",
                     R"({"id":6,"verb":"lmid.swap","session":"@S","lmid1":"a","lmid2":"b"})"}));
    writeText(t, "watch",
              lines({R"({"id":2,"verb":"watch","session":"@S","since":0})",
                     R"({"id":3,"verb":"library.list","session":"@S"})"}));
    writeText(t, "ids",
              lines({R"({"id":null,"verb":"pool.list","session":"@S"})",
                     R"({"id":1.5,"verb":"pool.list","session":"@S"})",
                     R"({"id":"x\u00e9","verb":"pool.list","session":"@S"})",
                     R"({"verb":"pool.list","session":"@S"})", R"({"id":{},"verb":"pool.list"})"}));
}

// ---------------------------------------------------------------------------------------------
// rsmd.conf

void configs(const fs::path &source) {
    const std::string t = "config";
    std::ifstream shipped(source / "src/daemon/rsmd.conf", std::ios::binary);
    const std::string text((std::istreambuf_iterator<char>(shipped)),
                           std::istreambuf_iterator<char>());
    if (text.empty())
        throw std::runtime_error("cannot read src/daemon/rsmd.conf");
    writeText(t, "shipped-rsmd.conf", text);
    writeText(t, "every-key",
              "[rsmd]\n"
              "database = \"host=/run/postgresql dbname=rsm user=rsm password='s3cr\\\\'et'\"\n"
              "socket = /run/rsm/rsmd.sock\nsocket_mode = 0660\nsocket_group = rsm\n"
              "admin_group = 0\nworkers = 16\ndb_connections = 4\n"
              "schema_dir = /usr/share/rsm/schema\nlog_level = debug\nidle_timeout = 60\n"
              "write_timeout = 30\ncommand_timeout = 120\nready_timeout = 900\n"
              "dismount_delay = 1\ncleaner_prefix = CLN\ncleaner_uses = 100\n"
              "max_connections = 1024\n");
    writeText(t, "libraries",
              "; two libraries\n[rsmd]\n\tdatabase = postgresql://rsm:pw@db.example/rsm\n\n"
              "[library vtl]\ndevice = iscsi://127.0.0.1:3260/iqn.2024-01.test.rsm:vtl/1\n"
              "description = \"the \\\"virtual\\\" library\"\n"
              "[library scalar-i3.main]\r\ndevice = /dev/sg4\r\n"
              "[library\tv6]\ndevice = iscsi://[::1]/iqn.2024-01.test.rsm:vtl/3\n");
    writeText(t, "errors",
              "[rsmd]\nworkers = 0\n[library]\n[library a]\n[library a]\n[bogus]\n"
              "key without equals\n= value\n\"unterminated\n[rsmd\n");
    writeText(t, "outside-section", "workers = 4\n");
    writeText(t, "library-without-device", "[library lonely]\ndescription = none\n");
}

// ---------------------------------------------------------------------------------------------
// mtx command lines: words separated by NUL (as argv), or by newlines

std::string argv(std::initializer_list<const char *> words) {
    std::string out;
    for (const char *w : words) {
        out += w;
        out += '\0';
    }
    return out;
}

void mtxLines() {
    const std::string t = "mtx_command_line";
    writeText(t, "status", argv({"status"}));
    writeText(t, "bacula-list", argv({"-f", "/dev/sg3", "status"}));
    writeText(t, "bacula-load", argv({"-f", "/dev/sg3", "load", "4", "0"}));
    writeText(t, "bacula-unload", argv({"-f", "/dev/sg3", "unload", "4", "0"}));
    writeText(t, "amanda-sequence",
              argv({"-f", "/dev/changer", "first", "0", "next", "0", "previous", "last", "1"}));
    writeText(t, "transfer-exchange",
              argv({"transfer", "1", "2", "exchange", "3", "4", "5", "exchange", "1", "4"}));
    writeText(t, "flags",
              argv({"nobarcode", "invert", "invert2", "eepos", "2", "noattach", "altres", "load",
                    "7", "1", "status"}));
    writeText(t, "inquiry-inventory-eject-position",
              argv({"inquiry", "inventory", "position", "3", "eject", "status"}));
    writeText(t, "version", argv({"--version", "status"}));
    writeText(t, "unknown-word", argv({"load", "1", "frobnicate", "status"}));
    writeText(t, "f-without-device", argv({"status", "-f"}));
    writeText(t, "cannot-open", argv({"-f", "/dev/nonexistent", "status"}));
    writeText(
        t, "numbers",
        argv({"load", "2147483648", "99999999999", "unload", "0", "7x", "transfer", "-1", "2"}));
    writeText(t, "newline-separated", "status\nload\n1\n0\nunload\n");
    // A fixed library shape (first byte 1..3, see fuzz_mtx_command_line.cc).
    writeText(t, "shape1-no-barcodes", "\x01" + argv({"status", "load", "1", "unload"}));
    writeText(
        t, "shape2-unknown-sources",
        "\x02" + argv({"status", "unload", "0", "unload", "2", "next", "3", "previous", "1"}));
    writeText(t, "shape3-full", "\x03" + argv({"status", "load", "2", "1", "unload", "0"}));
    // A library given byte by byte: a count, then [flags, address, source, tag] per element.
    Bytes custom = {0xFF, 6,    0x00, 0x01, 0x00, 0x00,  // transport 0x101
                    0x05, 0x00, 0x00, 0x11,              // slot 0x200, full
                    0x01, 0x01, 0x00, 0x00,              // slot 0x201
                    0x0D, 0x02, 0x05, 0x22,              // slot 0x202, full, source 0x205
                    0x0F, 0x00, 0x00, 0x33,   // drive 0x400, full, source 0x200 (a full slot)
                    0x13, 0x01, 0x00, 0x00};  // drive 0x401, not installed
    const std::string words = argv({"status", "unload", "0", "load", "2", "1", "first", "next"});
    custom.insert(custom.end(), words.begin(), words.end());
    write(t, "custom-library", custom);
}

// ---------------------------------------------------------------------------------------------
// Inputs that once crashed a target or broke an invariant (docs/reliability.md, "Findings")

void regressions() {
    // libsgutils2 read 4 bytes past these 16 (an information descriptor cut by the sense
    // length): SEGV under AddressSanitizer. rsm now reads the descriptors itself.
    write("sense", "regress-cut-information-descriptor",
          fromHex("72 70 00 02 00 02 00 04 00 0a 00 00 00 00 3a 02"));
    // A stream commands descriptor longer than what arrived, its byte 3 received: FM, EOM
    // and ILI, as libsgutils2 says (a first version of the fix dropped them).
    write("sense", "regress-stream-descriptor-longer-than-received",
          fromHex("72 00 00 a2 a2 a2 a2 29 00 00 00 00 04 29 00 f0 00 70 00 29 00 be 3a"));
    // Byte 0 F2h: not descriptor format to libsgutils2 (bit 7 set), so no information.
    write("sense", "regress-descriptor-format-bit-7",
          fromHex("f2 03 11 00 00 00 00 0c 00 0a 80 00 00 00 00 00 12 34 56 78"));
    // JSON whose sense key was 3.3e82: value<int>() converted it with undefined behaviour.
    writeText("protocol_json", "regress-huge-sense-key",
              R"({"error":{"code":4307,"message":"m","sense":{"asc":59,"ascq":14,"key":3.3e82}},)"
              R"("id":"req-7"})");
    writeText("protocol_json", "regress-string-sense-key",
              R"({"id":1,"error":{"code":4307,"message":"m","sense":{"key":"5","asc":[]}}})");
    // tgtd's drive page with a Latin-1 byte (E9h) in the DVCID identifier: the library worker's
    // dump() of the element JSON threw (type_error 316) and rsmd aborted.
    Bytes latin1 = fromHex(kTgtdDrive);
    latin1[latin1.size() - 3] = 0xE9;
    write("element_status", "regress-identifier-not-utf8", latin1);
    // A Bareos label whose pool name holds U+008B and U+009B (C1 controls; U+009B is CSI):
    // they reached the label's info untouched.
    labels::BaculaVolume c1 = labels::bareosVolume("Bareos-0Vol");
    c1.poolName = "De\xc2\x8bL1\xc2\x9b[2J";
    write("label", "regress-c1-control-in-pool-name", labels::baculaBlock(c1));
    // socket_mode = -660 was accepted as mode 037777777120.
    writeText("config", "regress-negative-socket-mode", "[rsmd]\nsocket_mode = -660\n");
}

}  // namespace

int main(int argc, char **argv) {
    if (argc != 2) {
        std::cerr << "usage: make-corpus DIR\n";
        return 2;
    }
    root = argv[1];
    try {
        elementStatus();
        modePages();
        sense();
        inquiries();
        vpdPages();
        tapeAlerts();
        rsm::test::healthSeeds([](const std::string &target, const std::string &name,
                                  const Bytes &bytes) { write(target, name, bytes); });
        labelBlocks();
        protocolJson();
        requests();
        configs(RSM_SOURCE_DIR);
        mtxLines();
        regressions();
    } catch (const std::exception &e) {
        std::cerr << "make-corpus: " << e.what() << "\n";
        return 1;
    }
    std::cout << "make-corpus: " << written << " files in " << root.string() << "\n";
    return 0;
}
