#include "tests/label/label_blocks.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <stdexcept>

namespace rsm::test::labels {

namespace {

void put(Block &b, std::size_t at, std::string_view text) {
    if (at + text.size() > b.size())
        throw std::logic_error("label block builder: a field past the end of the block");
    std::copy(text.begin(), text.end(), b.begin() + static_cast<std::ptrdiff_t>(at));
}

// A fixed-width text field: `text` cut to `width`, blank-padded.
void putPadded(Block &b, std::size_t at, std::string_view text, std::size_t width) {
    std::string field(text.substr(0, std::min(text.size(), width)));
    field.resize(width, ' ');
    put(b, at, field);
}

void appendBe32(Block &b, std::uint32_t v) {
    for (int shift = 24; shift >= 0; shift -= 8)
        b.push_back(static_cast<std::uint8_t>(v >> shift));
}

void appendBe64(Block &b, std::uint64_t v) {
    for (int shift = 56; shift >= 0; shift -= 8)
        b.push_back(static_cast<std::uint8_t>(v >> shift));
}

void appendCString(Block &b, std::string_view s) {
    b.insert(b.end(), s.begin(), s.end());
    b.push_back(0);
}

void setBe32(Block &b, std::size_t at, std::uint32_t v) {
    for (int i = 0; i < 4; ++i)
        b[at + static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(v >> (24 - 8 * i));
}

// CRC-32 (IEEE 802.3, reflected, as Bacula's bcrc32).
std::uint32_t crc32(const std::uint8_t *data, std::size_t n) {
    std::uint32_t crc = 0xFFFFFFFFu;
    for (std::size_t i = 0; i < n; ++i) {
        crc ^= data[i];
        for (int k = 0; k < 8; ++k)
            crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
    }
    return ~crc;
}

std::uint8_t toEbcdic(char c) {
    if (c == ' ')
        return 0x40;
    if (c >= 'A' && c <= 'I')
        return static_cast<std::uint8_t>(0xC1 + (c - 'A'));
    if (c >= 'J' && c <= 'R')
        return static_cast<std::uint8_t>(0xD1 + (c - 'J'));
    if (c >= 'S' && c <= 'Z')
        return static_cast<std::uint8_t>(0xE2 + (c - 'S'));
    if (c >= '0' && c <= '9')
        return static_cast<std::uint8_t>(0xF0 + (c - '0'));
    throw std::logic_error("label block builder: no EBCDIC for this character");
}

std::string octal(std::uint64_t value, int digits) {
    std::array<char, 32> text{};
    std::snprintf(text.data(), text.size(), "%0*llo", digits,
                  static_cast<unsigned long long>(value));
    return text.data();
}

constexpr std::size_t tarBlockSize = 512;
constexpr std::size_t tarRecordSize = 20 * tarBlockSize;

void padToTarBlock(Block &b) {
    b.resize((b.size() + tarBlockSize - 1) / tarBlockSize * tarBlockSize, 0);
}

}  // namespace

Block ansiVol1(std::string_view volser, std::string_view implementation, std::string_view owner) {
    Block b(80, ' ');
    put(b, 0, "VOL1");
    putPadded(b, 4, volser, 6);
    putPadded(b, 24, implementation, 13);
    putPadded(b, 37, owner, 14);
    b[79] = '4';
    return b;
}

Block ibmVol1(std::string_view volser, std::string_view owner) {
    std::string text(80, ' ');
    text.replace(0, 4, "VOL1");
    text.replace(4, 6,
                 std::string(volser.substr(0, 6)) +
                     std::string(6 - std::min<std::size_t>(6, volser.size()), ' '));
    text[10] = '0';
    std::string ownerField(owner.substr(0, std::min<std::size_t>(owner.size(), 10)));
    ownerField.resize(10, ' ');
    text.replace(41, 10, ownerField);
    Block b;
    for (char c : text)
        b.push_back(toEbcdic(c));
    return b;
}

Block ltfsVol1(std::string_view barcode) {
    // LTFS fills the record with blanks, then sets these fields (label_make_ansi_label).
    Block b(80, ' ');
    put(b, 0, "VOL1");
    put(b, 4, barcode.substr(0, std::min<std::size_t>(barcode.size(), 6)));
    b[10] = 'L';
    put(b, 24, "LTFS");
    b[79] = '4';
    return b;
}

BaculaVolume bareosVolume(std::string volumeName) {
    BaculaVolume v;
    v.id = "Bareos 2.0 immortal\n";
    v.verNum = 20;
    v.volumeName = std::move(volumeName);
    v.labelProg = "bareos-sd";
    v.progVersion = "Ver. 23.0.3 (15 March 2024)";
    v.progDate = "Build 2024-03-15 10:00:00";
    return v;
}

Block baculaBlock(const BaculaVolume &v) {
    const bool bb01 = v.blockId == "BB01";
    const bool bb03 = v.blockId == "BB03";
    const std::size_t headerLength = bb01 ? 16 : bb03 ? 32 : 24;

    // The label record's data (create_volume_label_record).
    Block data;
    appendCString(data, v.id);
    appendBe32(data, v.verNum);
    appendBe64(data, static_cast<std::uint64_t>(v.labelTime));      // label_btime
    appendBe64(data, static_cast<std::uint64_t>(v.labelTime + 1));  // write_btime
    appendBe64(data, 0);                                            // write_date (0.0)
    appendBe64(data, 0);                                            // write_time (0.0)
    for (const std::string *s :
         {&v.volumeName, &v.prevVolumeName, &v.poolName, &v.poolType, &v.mediaType, &v.hostName,
          &v.labelProg, &v.progVersion, &v.progDate})
        appendCString(data, *s);
    if (bb03) {
        appendCString(data, "");  // AlignedVolumeName
        appendBe64(data, 0);      // FirstData
        for (int i = 0; i < 7; ++i)
            appendBe32(data, 0);  // FileAlignment ... signature key id: none
    }

    Block b(headerLength, 0);
    if (bb01) {
        appendBe32(b, v.volSessionId);
        appendBe32(b, v.volSessionTime);
    }
    appendBe32(b, static_cast<std::uint32_t>(v.labelType));  // FileIndex
    appendBe32(b, 0);                                        // Stream
    appendBe32(b, static_cast<std::uint32_t>(data.size()));  // data_len
    b.insert(b.end(), data.begin(), data.end());

    const auto used = static_cast<std::uint32_t>(b.size());
    setBe32(b, 4, used);  // block_len
    setBe32(b, 8, 0);     // BlockNumber
    put(b, 12, v.blockId);
    if (!bb01) {
        setBe32(b, 16, v.volSessionId);
        setBe32(b, 20, v.volSessionTime);
    }
    if (bb03)
        setBe32(b, 0, 0);  // options: no checksum (the 64-bit checksum at 24 stays 0)
    else
        setBe32(b, 0, crc32(b.data() + 4, used - 4));
    // A tape write is rounded up to TAPE_BSIZE (1024) with zeros.
    b.resize((b.size() + 1023) / 1024 * 1024, 0);
    return b;
}

Block amandaBlock(std::string_view datestamp, std::string_view label) {
    Block b(32 * 1024, 0);
    std::string text = "AMANDA: TAPESTART DATE ";
    text.append(datestamp).append(" TAPE ").append(label).append("\n\f\n");
    put(b, 0, text);
    return b;
}

Block tarHeader(TarFormat format, std::string_view name, char type, std::uint64_t size) {
    Block h(tarBlockSize, 0);
    std::string_view prefix;
    if (format == TarFormat::Ustar && name.size() > 100) {
        // Split at a '/' so that the prefix holds at most 155 bytes and the name 100.
        const auto slash = name.rfind('/', 155);
        if (slash == std::string_view::npos || name.size() - slash - 1 > 100)
            throw std::logic_error("tar builder: name too long for ustar");
        prefix = name.substr(0, slash);
        name = name.substr(slash + 1);
    }
    put(h, 0, name.substr(0, std::min<std::size_t>(name.size(), 100)));
    put(h, 100, octal(type == '5' ? 0755 : 0644, 7));
    put(h, 108, octal(1000, 7));
    put(h, 116, octal(1000, 7));
    put(h, 124, octal(size, 11));
    put(h, 136, octal(1'700'000'000, 11));
    put(h, 148, "        ");
    h[156] = static_cast<std::uint8_t>(type);
    if (format == TarFormat::Gnu) {
        put(h, 257, std::string_view("ustar  \0", 8));
    } else {
        put(h, 257, std::string_view("ustar\0", 6));
        put(h, 263, "00");
        put(h, 329, octal(0, 7));
        put(h, 337, octal(0, 7));
        put(h, 345, prefix);
    }
    put(h, 265, "backup");
    put(h, 297, "backup");
    unsigned sum = 0;
    for (std::uint8_t c : h)
        sum += c;
    put(h, 148, octal(sum, 6));
    h[154] = 0;
    h[155] = ' ';
    return h;
}

Block tarBlock(TarFormat format, const std::vector<TarMember> &members,
               std::optional<std::string> volumeLabel) {
    Block b;
    auto append = [&b](const Block &part) { b.insert(b.end(), part.begin(), part.end()); };
    if (volumeLabel)
        append(tarHeader(format, *volumeLabel, 'V', 0));
    for (const TarMember &m : members) {
        if (format == TarFormat::Gnu && m.name.size() > 100) {
            // GNU: a "././@LongLink" member of type 'L' holds the name and its NUL.
            append(tarHeader(format, "././@LongLink", 'L', m.name.size() + 1));
            b.insert(b.end(), m.name.begin(), m.name.end());
            b.push_back(0);
            padToTarBlock(b);
        } else if (format == TarFormat::Pax && m.name.size() > 100) {
            // pax: an extended header "<len> path=<name>\n", <len> counting its own digits.
            const std::string body = " path=" + m.name + "\n";
            std::size_t length = body.size() + 1;
            while (std::to_string(length).size() + body.size() != length)
                ++length;
            const std::string record = std::to_string(length) + body;
            const auto slash = m.name.rfind('/');
            const std::string base = slash == std::string::npos ? m.name : m.name.substr(slash + 1);
            append(tarHeader(TarFormat::Pax, "./PaxHeaders/" + base, 'x', record.size()));
            b.insert(b.end(), record.begin(), record.end());
            padToTarBlock(b);
        }
        const std::string_view name =
            format == TarFormat::Ustar
                ? std::string_view(m.name)
                : std::string_view(m.name).substr(0, std::min<std::size_t>(m.name.size(), 100));
        append(tarHeader(format == TarFormat::Pax ? TarFormat::Ustar : format, name, m.type,
                         m.content.size()));
        b.insert(b.end(), m.content.begin(), m.content.end());
        padToTarBlock(b);
    }
    b.resize(b.size() + 2 * tarBlockSize, 0);  // end of archive
    b.resize((b.size() + tarRecordSize - 1) / tarRecordSize * tarRecordSize, 0);
    b.resize(tarRecordSize);  // the first record: the tape's first block
    return b;
}

}  // namespace rsm::test::labels
