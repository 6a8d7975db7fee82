// libFuzzer target: the mtx-mode command line (`rsm-mtx …`, `rsmctl mtx …`:
// src/mtx/command_line.h), parsed and then run (src/mtx/run.h) against a library simulated in
// memory, so that mtx's slot numbering (slot_map.h), the moves' checks (moves.cc) and the
// output (format.h) see every command line too.
//
// Input: the words of the command line, separated by NUL or newline bytes. An input whose
// first byte is 0xFF starts with the library instead: a count byte n (at most 64), then n
// 4-byte element records [flags, address, source, tag] (see Library::fromBytes); any other
// input runs against one of four fixed libraries, chosen by a first byte below 0x04 (which is
// then not a word): 10 slots / 2 drives / 1 I/E port with barcodes; 3 slots and a drive
// without barcodes; 40 slots / 4 drives / 4 ports with drives loaded from unknown slots; a
// full library (every slot and drive full).
//
// Invariants: parse: no more steps than words; only the last step may be Usage or Version; a
// Device step's device is one of the words, other steps have none. run: exit status 0 or 1;
// never a move, exchange or position naming an address the library did not report; cartridges
// are neither created nor lost (the simulated library refuses a move from an empty or to a
// full element, as real ones do); a printable command line prints only printable text.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "src/mtx/backend.h"
#include "src/mtx/command_line.h"
#include "src/mtx/run.h"
#include "tests/fuzz/fuzz_check.h"

namespace {

using namespace rsm;
using sg::Element;
using sg::ElementType;

struct Library {
    std::vector<Element> elements;
    bool volumeTags = true;
    bool badAddress = false;  // a command named an address not in `elements`

    static Library shape(int which);
    static Library fromBytes(const std::uint8_t *&data, std::size_t &size);

    Element *find(std::uint16_t address) {
        for (Element &e : elements)
            if (e.address == address)
                return &e;
        badAddress = true;
        return nullptr;
    }
    std::size_t cartridges() const {
        std::size_t n = 0;
        for (const Element &e : elements)
            n += e.full;
        return n;
    }
};

std::optional<sg::VolumeTag> tag(const std::string &text) {
    sg::VolumeTag t;
    t.identifier = text;
    t.identifier.resize(32, text.empty() ? '\0' : ' ');
    return t;
}

Element element(ElementType type, std::uint16_t address, bool full, std::string label = {},
                std::optional<std::uint16_t> source = std::nullopt) {
    Element e;
    e.type = type;
    e.address = address;
    e.full = full;
    e.sourceAddress = source;
    e.primaryTag = tag(full ? label : std::string());
    return e;
}

Library Library::shape(int which) {
    Library l;
    auto &v = l.elements;
    v.push_back(element(ElementType::Transport, 1, false));
    const auto addSlots = [&](int count, auto full) {
        for (int i = 0; i < count; ++i) {
            const auto address = static_cast<std::uint16_t>(1000 + i);
            v.push_back(
                element(ElementType::Storage, address, full(i), fmt::format("S{:05d}L5", address)));
        }
    };
    switch (which) {
        case 0:  // a small autoloader: barcodes, one drive loaded from slot 1002
            addSlots(10, [](int i) { return i % 3 == 0; });
            v.push_back(element(ElementType::ImportExport, 10, false));
            v.push_back(element(ElementType::DataTransfer, 500, true, "S01002L5", 1002));
            v.push_back(element(ElementType::DataTransfer, 501, false));
            break;
        case 1:  // no barcode reader
            addSlots(3, [](int i) { return i != 1; });
            v.push_back(element(ElementType::DataTransfer, 500, false));
            l.volumeTags = false;
            for (Element &e : v)
                e.primaryTag.reset();
            break;
        case 2:  // drives full, their sources not reported (tgtd after a restart)
            addSlots(40, [](int i) { return i % 2 == 1; });
            for (int i = 0; i < 4; ++i)
                v.push_back(element(ElementType::ImportExport, static_cast<std::uint16_t>(10 + i),
                                    i == 0, "IE0001L5"));
            for (int i = 0; i < 4; ++i)
                v.push_back(element(ElementType::DataTransfer, static_cast<std::uint16_t>(500 + i),
                                    i < 3, fmt::format("D{:05d}L5", i)));
            v.push_back(element(ElementType::Storage, 1040, true, "CLN001L1"));
            break;
        default:  // full: every slot and drive holds a cartridge
            addSlots(6, [](int) { return true; });
            v.push_back(element(ElementType::DataTransfer, 500, true, "D00000L5", 1003));
            v.push_back(element(ElementType::DataTransfer, 501, true, "D00001L5"));
            break;
    }
    return l;
}

// [flags, address, source, tag] per element. flags: bits 0-1 type - 1; bit 2 full; bit 3
// source valid; bit 4 "not installed" (ASC 83h: ASCQ 02h on slots, 04h on drives); bit 5 no
// volume tag; bit 6 address without its type's base (so types can collide); bit 7 source in
// the drives' range. Addresses: 0x100 * type + address byte; sources 0x200 + source byte.
Library Library::fromBytes(const std::uint8_t *&data, std::size_t &size) {
    Library l;
    if (size < 2)
        return shape(0);
    std::size_t n = std::min<std::size_t>(data[1], 64);
    data += 2;
    size -= 2;
    for (; n > 0 && size >= 4; --n, data += 4, size -= 4) {
        const std::uint8_t flags = data[0];
        const auto type = static_cast<ElementType>((flags & 3) + 1);
        const auto base = static_cast<std::uint16_t>(flags & 0x40 ? 0 : 0x100 * ((flags & 3) + 1));
        Element e = element(type, static_cast<std::uint16_t>(base + data[1]), flags & 0x04,
                            fmt::format("V{:03d}L5", data[3]));
        if (flags & 0x08)
            e.sourceAddress = static_cast<std::uint16_t>((flags & 0x80 ? 0x400 : 0x200) + data[2]);
        if (flags & 0x10) {
            e.exception = true;
            e.asc = 0x83;
            e.ascq = type == ElementType::DataTransfer ? 0x04 : 0x02;
        }
        if (flags & 0x20)
            e.primaryTag.reset();
        l.elements.push_back(std::move(e));
    }
    return l;
}

class MemoryBackend : public mtx::MtxBackend {
public:
    explicit MemoryBackend(Library &library) : library_(library) {}

    Result<sg::InquiryData> inquiry() override {
        sg::InquiryData d;
        d.peripheralType = 8;
        d.removable = true;
        d.vendor = "RSM     ";
        d.product = "FUZZ LIBRARY    ";
        d.revision = "0001";
        return d;
    }
    Result<void> elements(bool volumeTags, mtx::SlotMapBuilder &map) override {
        for (Element e : library_.elements) {
            if (!volumeTags || !library_.volumeTags)
                e.primaryTag.reset();
            map.add(e);
        }
        return success();
    }
    Result<void> move(std::uint16_t source, std::uint16_t destination,
                      const mtx::MoveFlags &) override {
        Element *from = library_.find(source);
        Element *to = library_.find(destination);
        if (!from || !to)
            return refused(0x21, 0x01);
        if (!from->full)
            return refused(0x3B, 0x0E);
        if (to->full)
            return refused(0x3B, 0x0D);
        to->full = true;
        from->full = false;
        to->primaryTag = from->primaryTag;
        from->primaryTag = library_.volumeTags ? tag({}) : std::nullopt;
        to->sourceAddress = source;
        return success();
    }
    Result<void> exchange(std::uint16_t source, std::uint16_t destination, std::uint16_t second,
                          const mtx::MoveFlags &flags) override {
        if (!library_.find(source) || !library_.find(destination) || !library_.find(second))
            return refused(0x21, 0x01);
        if (second == source) {  // a swap, as a library without a spare element does it
            if (!library_.find(source)->full || !library_.find(destination)->full)
                return refused(0x3B, 0x0E);
            std::swap(library_.find(source)->primaryTag, library_.find(destination)->primaryTag);
            return success();
        }
        if (auto r = move(destination, second, flags); !r)
            return r;
        return move(source, destination, flags);
    }
    Result<void> position(std::uint16_t destination) override {
        if (!library_.find(destination))
            return refused(0x21, 0x01);
        return success();
    }
    Result<void> initializeElementStatus() override { return success(); }
    Result<void> eject() override { return refused(0x20, 0x00); }

private:
    static Error refused(std::uint8_t asc, std::uint8_t ascq) {
        return Error(ErrorCode::InvalidParameter, "refused by the simulated library",
                     SenseRecord{5, asc, ascq});
    }
    Library &library_;
};

bool printable(const std::string &text) {
    for (unsigned char c : text)
        if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7F)
            return false;
    return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
    Library library;
    if (size > 0 && data[0] == 0xFF) {
        library = Library::fromBytes(data, size);
    } else if (size > 0 && data[0] < 0x04 && data[0] != 0) {
        library = Library::shape(data[0]);
        ++data;
        --size;
    } else {
        library = Library::shape(0);
    }
    std::vector<std::string> words;
    std::string word;
    for (std::size_t i = 0; i < size && words.size() < 256; ++i) {
        if (data[i] == '\0' || data[i] == '\n') {
            words.push_back(std::move(word));
            word.clear();
        } else {
            word += static_cast<char>(data[i]);
        }
    }
    if (!word.empty())
        words.push_back(std::move(word));

    const std::vector<mtx::Step> steps = mtx::parseCommandLine(words);
    FUZZ_CHECK(steps.size() <= words.size());
    for (std::size_t i = 0; i < steps.size(); ++i) {
        const mtx::Verb verb = steps[i].verb;
        if (verb == mtx::Verb::Usage || verb == mtx::Verb::Version)
            FUZZ_CHECK(i + 1 == steps.size());
        for (const auto &arg : {steps[i].arg1, steps[i].arg2, steps[i].arg3})
            FUZZ_CHECK(!arg || *arg >= 0);
        if (verb != mtx::Verb::Device)
            FUZZ_CHECK(steps[i].device.empty());
        else
            FUZZ_CHECK(std::find(words.begin(), words.end(), steps[i].device) != words.end());
    }

    const std::size_t cartridges = library.cartridges();
    const mtx::BackendOpener open =
        [&library](const std::string &device) -> Result<std::unique_ptr<mtx::MtxBackend>> {
        if (device == "/dev/nonexistent")
            return Error(ErrorCode::DeviceNotAvailable, "cannot open SCSI device");
        return std::unique_ptr<mtx::MtxBackend>(new MemoryBackend(library));
    };
    std::ostringstream out, err;
    const int status = mtx::run(steps, open, "/dev/changer", out, err);
    FUZZ_CHECK(status == 0 || status == 1);
    FUZZ_CHECK(!library.badAddress);
    FUZZ_CHECK(library.cartridges() == cartridges);
    // Words are echoed in messages (device names): only a printable line must print clean.
    if (std::all_of(words.begin(), words.end(), printable)) {
        FUZZ_CHECK(printable(out.str()));
        FUZZ_CHECK(printable(err.str()));
    }
    return 0;
}
