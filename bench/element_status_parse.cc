// Benchmark of parseElementStatus on synthetic READ ELEMENT STATUS replies: one storage page of
// 10,000 or 64,000 slots with primary volume tags (SMC-3 52-byte descriptors, half the slots
// full with barcodes like "A00001L8" blank-padded to 32 bytes). Prints one line per size.
// Usage: bench-element-status [--quick]

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "sg/element_status.h"

namespace {

using Bytes = std::vector<std::uint8_t>;

void put16(Bytes &b, std::size_t at, std::uint32_t v) {
    b[at] = static_cast<std::uint8_t>(v >> 8);
    b[at + 1] = static_cast<std::uint8_t>(v);
}

void put24(Bytes &b, std::size_t at, std::uint32_t v) {
    b[at] = static_cast<std::uint8_t>(v >> 16);
    put16(b, at + 1, v & 0xFFFF);
}

Bytes buildReply(std::uint32_t elements) {
    const std::uint32_t length = rsm::sg::elementDescriptorLength(true, false, false);
    const std::uint32_t pageBytes = elements * length;
    const std::uint16_t firstAddress = 1000;
    Bytes b(16 + pageBytes, 0);
    put16(b, 0, firstAddress);
    put16(b, 2, elements);
    put24(b, 5, 8 + pageBytes);
    b[8] = 2;     // storage
    b[9] = 0x80;  // PVolTag
    put16(b, 10, length);
    put24(b, 13, pageBytes);
    char barcode[16];
    for (std::uint32_t i = 0; i < elements; ++i) {
        const std::size_t d = 16 + std::size_t{i} * length;
        put16(b, d, firstAddress + i);
        std::fill_n(b.begin() + static_cast<std::ptrdiff_t>(d + 12), 32, ' ');
        if (i % 2 == 0) {
            b[d + 2] = 0x01;  // FULL
            std::snprintf(barcode, sizeof barcode, "A%05uL8", i + 1);
            std::copy_n(barcode, 8, b.begin() + static_cast<std::ptrdiff_t>(d + 12));
        }
    }
    return b;
}

int run(std::uint32_t elements, int iterations) {
    const Bytes reply = buildReply(elements);
    std::vector<double> seconds;
    std::size_t parsed = 0;
    for (int i = 0; i < iterations; ++i) {
        const auto start = std::chrono::steady_clock::now();
        auto report = rsm::sg::parseElementStatus(reply);
        const auto stop = std::chrono::steady_clock::now();
        if (!report.ok() || report->elements.size() != elements) {
            std::fprintf(stderr, "parse failed at %u elements\n", elements);
            return 1;
        }
        parsed += report->elements.size();
        seconds.push_back(std::chrono::duration<double>(stop - start).count());
    }
    std::sort(seconds.begin(), seconds.end());
    const double median = seconds[seconds.size() / 2];
    std::printf(
        "elements=%u reply_bytes=%zu iterations=%d median_seconds=%.6f elements_per_second=%.0f"
        "\n",
        elements, reply.size(), iterations, median, elements / median);
    return parsed == std::size_t{elements} * iterations ? 0 : 1;
}

}  // namespace

int main(int argc, char **argv) {
    bool quick = false;
    for (int i = 1; i < argc; ++i) {
        if (std::string_view(argv[i]) == "--quick") {
            quick = true;
        } else {
            std::fprintf(stderr, "usage: %s [--quick]\n", argv[0]);
            return 2;
        }
    }
    int rc = run(10000, quick ? 3 : 200);
    rc |= run(64000, quick ? 3 : 50);
    return rc;
}
