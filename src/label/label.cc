#include "src/label/label.h"

#include <algorithm>
#include <cstring>

#include <fmt/format.h>

namespace rsm::label {

namespace {

using Bytes = std::span<const std::uint8_t>;

std::string text(Bytes b, std::size_t at, std::size_t n) {
    if (at >= b.size())
        return {};
    n = std::min(n, b.size() - at);
    std::string s(reinterpret_cast<const char *>(b.data() + at), n);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\0'))
        s.pop_back();
    return s;
}

// A NUL-terminated string starting at `at`, at most `max` bytes; nullopt when unterminated.
std::optional<std::string> cString(Bytes b, std::size_t at, std::size_t max = 128) {
    for (std::size_t i = at; i < b.size() && i < at + max; ++i)
        if (b[i] == 0)
            return std::string(reinterpret_cast<const char *>(b.data() + at), i - at);
    return std::nullopt;
}

bool printable(const std::string &s) {
    return std::all_of(s.begin(), s.end(), [](unsigned char c) { return c >= 0x20 && c < 0x7F; });
}

std::optional<std::size_t> find(Bytes b, std::string_view needle, std::size_t limit) {
    const std::size_t end = std::min(b.size(), limit);
    if (needle.size() > end)
        return std::nullopt;
    for (std::size_t i = 0; i + needle.size() <= end; ++i)
        if (std::memcmp(b.data() + i, needle.data(), needle.size()) == 0)
            return i;
    return std::nullopt;
}

// EBCDIC (code page 037) for the characters a VOL1 label uses; '?' for the rest.
char fromEbcdic(std::uint8_t c) {
    if (c == 0x40)
        return ' ';
    if (c >= 0xC1 && c <= 0xC9)
        return static_cast<char>('A' + (c - 0xC1));
    if (c >= 0xD1 && c <= 0xD9)
        return static_cast<char>('J' + (c - 0xD1));
    if (c >= 0xE2 && c <= 0xE9)
        return static_cast<char>('S' + (c - 0xE2));
    if (c >= 0xF0 && c <= 0xF9)
        return static_cast<char>('0' + (c - 0xF0));
    return '?';
}

// ANSI X3.27 / IBM standard labels: an 80-byte VOL1 record. LTFS writes one with the
// implementation identifier "LTFS" on partition 0.
class Vol1 : public LabelLibrary {
public:
    std::string_view type() const override { return "VOL1"; }
    std::optional<Label> claim(Bytes b) const override {
        if (b.size() < 80)
            return std::nullopt;
        std::string record(reinterpret_cast<const char *>(b.data()), 80);
        bool ebcdic = false;
        if (record.compare(0, 4, "VOL1") != 0) {
            static const std::uint8_t vol1[] = {0xE5, 0xD6, 0xD3, 0xF1};
            if (std::memcmp(b.data(), vol1, 4) != 0)
                return std::nullopt;
            ebcdic = true;
            for (std::size_t i = 0; i < 80; ++i)
                record[i] = fromEbcdic(b[i]);
        }
        Bytes r(reinterpret_cast<const std::uint8_t *>(record.data()), 80);
        Label label;
        label.id = text(r, 4, 6);
        const std::string implementation = text(r, 24, 13);
        const std::string owner = text(r, 37, 14);
        label.type = implementation.rfind("LTFS", 0) == 0 ? "LTFS" : "VOL1";
        label.info = fmt::format("{} label{}{}", ebcdic ? "IBM (EBCDIC)" : "ANSI",
                                 implementation.empty() ? "" : ", implementation " + implementation,
                                 owner.empty() ? "" : ", owner " + owner);
        if (label.id.empty() || !printable(label.id))
            return std::nullopt;
        return label;
    }
};

// Bacula and Bareos volume labels: a VOL_LABEL record whose data starts with the program's
// id string, then VerNum (4 bytes), two times (16), two dates (16), then VolumeName,
// PrevVolumeName and PoolName as NUL-terminated strings.
class BaculaFamily : public LabelLibrary {
public:
    BaculaFamily(std::string_view type, std::string_view magic) : type_(type), magic_(magic) {}
    std::string_view type() const override { return type_; }
    std::optional<Label> claim(Bytes b) const override {
        auto at = find(b, magic_, 512);
        if (!at)
            return std::nullopt;
        std::size_t p = *at + magic_.size() + 1 + 4 + 32;
        auto volume = cString(b, p);
        if (!volume || volume->empty() || !printable(*volume))
            return std::nullopt;
        p += volume->size() + 1;
        auto previous = cString(b, p);
        std::string pool;
        if (previous) {
            p += previous->size() + 1;
            pool = cString(b, p).value_or("");
        }
        Label label{std::string(type_), *volume, {}};
        if (!pool.empty() && printable(pool))
            label.info = "pool " + pool;
        return label;
    }

private:
    std::string_view type_;
    std::string_view magic_;
};

// Amanda: a 32 KiB header block "AMANDA: TAPESTART DATE <datestamp> TAPE <label>".
class Amanda : public LabelLibrary {
public:
    std::string_view type() const override { return "Amanda"; }
    std::optional<Label> claim(Bytes b) const override {
        static constexpr std::string_view head = "AMANDA: TAPESTART DATE ";
        if (b.size() < head.size() || std::memcmp(b.data(), head.data(), head.size()) != 0)
            return std::nullopt;
        std::string line = text(b, 0, std::min<std::size_t>(b.size(), 512));
        line = line.substr(0, line.find_first_of("\n\r"));
        auto tape = line.find(" TAPE ", head.size());
        if (tape == std::string::npos)
            return std::nullopt;
        std::string id = line.substr(tape + 6);
        id = id.substr(0, id.find(' '));
        if (id.empty() || !printable(id))
            return std::nullopt;
        std::string date = line.substr(head.size(), tape - head.size());
        return Label{"Amanda", id, "date " + date};
    }
};

// POSIX tar (ustar): the magic at offset 257 of the first 512-byte header.
class Tar : public LabelLibrary {
public:
    std::string_view type() const override { return "tar"; }
    std::optional<Label> claim(Bytes b) const override {
        if (b.size() < 512 || std::memcmp(b.data() + 257, "ustar", 5) != 0)
            return std::nullopt;
        std::string name = text(b, 0, 100);
        if (!printable(name))
            name.clear();
        return Label{"tar", name, "first member " + (name.empty() ? std::string("?") : name)};
    }
};

}  // namespace

const std::vector<const LabelLibrary *> &libraries() {
    static const Vol1 vol1;
    static const BaculaFamily bacula("Bacula", "Bacula 1.0 immortal\n");
    static const BaculaFamily bareos("Bareos", "Bareos 2.0 immortal\n");
    static const Amanda amanda;
    static const Tar tar;
    static const std::vector<const LabelLibrary *> all = {&vol1, &bacula, &bareos, &amanda, &tar};
    return all;
}

bool knownType(std::string_view type) {
    if (type == "LTFS")
        return true;  // claimed by the VOL1 library
    for (const LabelLibrary *l : libraries())
        if (l->type() == type)
            return true;
    return false;
}

Result<Label> recognize(std::span<const std::uint8_t> firstBlock) {
    if (firstBlock.empty())
        return Error(ErrorCode::BadFormat, "the side is blank: no label");
    for (const LabelLibrary *l : libraries())
        if (auto label = l->claim(firstBlock))
            return *label;
    return Error(ErrorCode::BadFormat, "no media label library recognizes the media label");
}

}  // namespace rsm::label
