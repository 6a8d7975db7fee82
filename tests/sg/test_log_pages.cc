// LOG SENSE pages for drive health (issue 19): the parameter walker, volume statistics (SSC-4
// page 17h) and the write and read error counters (SPC-4 pages 02h, 03h), from byte layouts of
// the standards; pages cut short, unknown parameters, wrong pages and overruns.

#include <doctest/doctest.h>

#include <cstdlib>

#include "sg/log_pages.h"

using namespace rsm;
using namespace rsm::sg;
using Bytes = std::vector<std::uint8_t>;

namespace {

// A log page: header (page code, subpage 0, page length) and the parameters as given.
Bytes page(std::uint8_t code, std::vector<Bytes> parameters) {
    Bytes out = {code, 0, 0, 0};
    for (const Bytes &p : parameters)
        out.insert(out.end(), p.begin(), p.end());
    const std::size_t length = out.size() - 4;
    out[2] = static_cast<std::uint8_t>(length >> 8);
    out[3] = static_cast<std::uint8_t>(length & 0xFF);
    return out;
}

// A parameter: code, control byte 60h (TSD, ETC clear; format binary) and the value as given.
Bytes parameter(std::uint16_t code, Bytes value) {
    Bytes out = {static_cast<std::uint8_t>(code >> 8), static_cast<std::uint8_t>(code & 0xFF), 0x60,
                 static_cast<std::uint8_t>(value.size())};
    out.insert(out.end(), value.begin(), value.end());
    return out;
}

}  // namespace

TEST_CASE("log pages: the walker gives each parameter's code, control byte and value") {
    // SPC-4 7.3.2: page code 17h, SPF 0, subpage 0, page length 000Ch; two parameters.
    const Bytes data = {0x17, 0x00, 0x00, 0x0C,                          // header
                        0x00, 0x01, 0x03, 0x04, 0x00, 0x00, 0x01, 0x2C,  // 0001h = 300
                        0x00, 0x40, 0x01, 0x00};                         // 0040h, empty
    auto parameters = logParameters(data, 0x17, "volume statistics");
    REQUIRE(parameters);
    REQUIRE(parameters->size() == 2);
    CHECK((*parameters)[0].code == 0x0001);
    CHECK((*parameters)[0].control == 0x03);
    CHECK(counterValue((*parameters)[0]) == 300);
    CHECK((*parameters)[1].code == 0x0040);
    CHECK((*parameters)[1].value.empty());
    CHECK_FALSE(counterValue((*parameters)[1]));
}

TEST_CASE("volume statistics: SSC-4 parameter codes fill their fields") {
    // An LTO drive's page 17h: counters of 4 and 8 bytes, the volume serial in ASCII, flags.
    const Bytes data = page(
        0x17, {parameter(0x0000, {0x01}),                    // page valid
               parameter(0x0001, {0x00, 0x00, 0x00, 0x2A}),  // thread count 42
               parameter(0x0002, {0x00, 0x00, 0x10, 0x00}),  // data sets written
               parameter(0x0003, {0x00, 0x00, 0x00, 0x05}),  // write retries
               parameter(0x0004, {0x00, 0x00, 0x00, 0x01}),  // unrecovered write
               parameter(0x0007, {0x00, 0x00, 0x08, 0x00}),  // data sets read
               parameter(0x0008, {0x00, 0x00, 0x00, 0x07}),  // read retries
               parameter(0x0009, {0x00, 0x00, 0x00, 0x00}),  // unrecovered read
               parameter(0x000E, {0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x86, 0xA0}),  // 100000 MB
               parameter(0x000F, {0x00, 0x00, 0x03, 0xE8}),                          // 1000 MB read
               parameter(0x0010, {0x00, 0x00, 0x00, 0x00, 0x00, 0x98, 0x96, 0x80}),  // 10^7 MB
               parameter(0x0011, {0x00, 0x0F, 0x42, 0x40}),                          // 10^6 MB read
               parameter(0x0012, {0x00, 0xC8}),              // compression, skipped
               parameter(0x0016, {0x00, 0x5B, 0x8D, 0x80}),  // 6000000 MB native
               parameter(0x0017, {0x00, 0x01, 0x86, 0xA0}),  // 100000 MB used
               parameter(0x0040, {'A', 'B', 'C', '1', '2', '3', 'L', '8', ' ', ' '}),
               parameter(0x0080, {0x00}),                      // not write protected
               parameter(0x0081, {0x01}),                      // WORM
               parameter(0x0101, {0x00, 0x00, 0x00, 0x09})});  // BOM passes, skipped
    auto v = parseVolumeStatistics(data);
    REQUIRE(v);
    CHECK(v->threadCount == 42);
    CHECK(v->datasetsWritten == 0x1000);
    CHECK(v->writeRetries == 5);
    CHECK(v->unrecoveredWriteErrors == 1);
    CHECK(v->datasetsRead == 0x800);
    CHECK(v->readRetries == 7);
    CHECK(v->unrecoveredReadErrors == 0);
    CHECK(v->lastMountWrittenMB == 100000);
    CHECK(v->lastMountReadMB == 1000);
    CHECK(v->lifetimeWrittenMB == 10000000);
    CHECK(v->lifetimeReadMB == 1000000);
    CHECK(v->nativeCapacityMB == 6000000);
    CHECK(v->usedNativeCapacityMB == 100000);
    CHECK(v->volumeSerial == "ABC123L8");
    CHECK(v->writeProtect == false);
    CHECK(v->worm == true);
}

TEST_CASE("volume statistics: a drive that reports little leaves the rest empty") {
    auto v = parseVolumeStatistics(page(0x17, {parameter(0x0001, {0x03})}));
    REQUIRE(v);
    CHECK(v->threadCount == 3);
    CHECK_FALSE(v->datasetsWritten);
    CHECK_FALSE(v->volumeSerial);
    CHECK_FALSE(v->worm);
    // A counter longer than 8 bytes does not fit: left empty, the page still read.
    auto wide = parseVolumeStatistics(
        page(0x17, {parameter(0x0002, Bytes(9, 0xFF)), parameter(0x0003, {0x02})}));
    REQUIRE(wide);
    CHECK_FALSE(wide->datasetsWritten);
    CHECK(wide->writeRetries == 2);
}

TEST_CASE("error counters: SPC-4 parameter codes 0000h-0006h of pages 02h and 03h") {
    const Bytes data = page(
        0x02,
        {parameter(0x0000, {0x00, 0x00, 0x00, 0x0A}), parameter(0x0001, {0x00, 0x00, 0x00, 0x02}),
         parameter(0x0002, {0x00, 0x00, 0x00, 0x0C}), parameter(0x0003, {0x00, 0x00, 0x00, 0x0C}),
         parameter(0x0004, {0x00, 0x00, 0x00, 0x03}),
         parameter(0x0005, {0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00}),  // 2^32 bytes
         parameter(0x0006, {0x00, 0x00, 0x00, 0x01}),
         parameter(0x8000, {0x12, 0x34})});  // vendor, skipped
    auto w = parseErrorCounters(data, kWriteErrorCounterPage);
    REQUIRE(w);
    CHECK(w->correctedWithoutDelay == 10);
    CHECK(w->correctedWithDelay == 2);
    CHECK(w->totalRetries == 12);
    CHECK(w->totalCorrected == 12);
    CHECK(w->correctionInvocations == 3);
    CHECK(w->bytesProcessed == 0x100000000ULL);
    CHECK(w->uncorrected == 1);

    auto r = parseErrorCounters(page(0x03, {parameter(0x0006, {0x00})}), kReadErrorCounterPage);
    REQUIRE(r);
    CHECK(r->uncorrected == 0);
    CHECK_FALSE(r->totalRetries);
    // Page 02h where 03h was asked for.
    CHECK(parseErrorCounters(data, kReadErrorCounterPage).error().message() ==
          "log page 02h returned for read error counter (03h)");
}

TEST_CASE("log pages: a page cut by the allocation length is read as far as it goes") {
    Bytes data = page(0x03, {parameter(0x0000, {0x05}), parameter(0x0006, {0x00, 0x09})});
    data.resize(data.size() - 3);  // the second parameter is cut
    auto r = parseErrorCounters(data, kReadErrorCounterPage);
    REQUIRE(r);
    CHECK(r->correctedWithoutDelay == 5);
    CHECK_FALSE(r->uncorrected);
}

TEST_CASE("log pages: malformed pages are ERROR_BAD_FORMAT") {
    CHECK(parseVolumeStatistics(Bytes{0x17, 0, 0}).error().code() == ErrorCode::BadFormat);
    CHECK(parseVolumeStatistics(page(0x2E, {})).error().message() ==
          "log page 2Eh returned for volume statistics (17h)");
    // Page length 6: the parameter says 9 bytes of value.
    const Bytes overrun = {0x17, 0, 0, 6, 0x00, 0x01, 0x60, 9, 1, 1};
    CHECK(parseVolumeStatistics(overrun).error().message() ==
          "volume statistics parameter 0001h overruns the page");
    CHECK(parseErrorCounters(Bytes{0x02, 0, 0, 5, 0, 6, 0x60, 2, 1}, kWriteErrorCounterPage)
              .error()
              .code() == ErrorCode::BadFormat);
}

TEST_CASE("log pages: noise never crashes the parsers") {
    std::srand(19);
    for (int seed = 0; seed < 2000; ++seed) {
        Bytes noise(64);
        for (auto &b : noise)
            b = static_cast<std::uint8_t>(std::rand());
        noise[0] = (seed % 2) ? 0x17 : 0x03;
        const auto cut = std::span(noise).first(static_cast<std::size_t>(seed % 64));
        (void)parseVolumeStatistics(cut);
        (void)parseErrorCounters(cut, kReadErrorCounterPage);
    }
}
