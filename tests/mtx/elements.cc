#include "tests/mtx/elements.h"

#include <fmt/format.h>

namespace rsm::test::mtx {

sg::VolumeTag tag(const std::string &text, char pad) {
    sg::VolumeTag t;
    t.identifier = text;
    t.identifier.resize(32, pad);
    return t;
}

namespace {

sg::Element element(sg::ElementType type, std::uint16_t address, bool full,
                    const std::optional<std::string> &barcode) {
    sg::Element e;
    e.type = type;
    e.address = address;
    e.full = full;
    if (barcode)
        e.primaryTag = tag(*barcode);
    return e;
}

}  // namespace

sg::Element storage(std::uint16_t address, bool full, std::optional<std::string> barcode) {
    return element(sg::ElementType::Storage, address, full, barcode);
}

sg::Element ieport(std::uint16_t address, bool full, std::optional<std::string> barcode) {
    return element(sg::ElementType::ImportExport, address, full, barcode);
}

sg::Element drive(std::uint16_t address, bool full, std::optional<std::uint16_t> source,
                  std::optional<std::string> barcode) {
    sg::Element e = element(sg::ElementType::DataTransfer, address, full, barcode);
    e.sourceAddress = source;
    return e;
}

sg::Element picker(std::uint16_t address) {
    return element(sg::ElementType::Transport, address, false, std::nullopt);
}

std::vector<sg::Element> library(int slots, int drives, int ieports, int tapes, bool barcodes) {
    std::vector<sg::Element> all{picker(1)};
    auto code = [&](int i, bool full) -> std::optional<std::string> {
        if (!barcodes)
            return std::nullopt;
        return full ? fmt::format("T{:05}L8", i + 1) : std::string();
    };
    for (int i = 0; i < slots; ++i)
        all.push_back(storage(static_cast<std::uint16_t>(1000 + i), i < tapes, code(i, i < tapes)));
    for (int i = 0; i < ieports; ++i)
        all.push_back(ieport(static_cast<std::uint16_t>(10 + i), false, code(i, false)));
    for (int i = 0; i < drives; ++i)
        all.push_back(
            drive(static_cast<std::uint16_t>(500 + i), false, std::nullopt, code(i, false)));
    return all;
}

}  // namespace rsm::test::mtx
