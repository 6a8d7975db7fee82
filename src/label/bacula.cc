// Bacula and Bareos volume labels. The first block of a volume, big-endian throughout:
//   block header  BB01: CheckSum, block_len, BlockNumber, "BB01"                    (16 bytes)
//                 BB02: CheckSum, block_len, BlockNumber, "BB02",
//                       VolSessionId, VolSessionTime                               (24 bytes)
//                 BB03: options, block_len, BlockNumber, "BB03",
//                       VolSessionId, VolSessionTime, 64-bit checksum              (32 bytes)
//   record header BB01: VolSessionId, VolSessionTime, FileIndex, Stream, data_len (20 bytes)
//                 BB02/BB03: FileIndex, Stream, data_len                           (12 bytes)
//   record data   Id ("Bacula 1.0 immortal\n" or "Bareos 2.0 immortal\n", NUL-terminated),
//                 VerNum (4), label time and write time (8 + 8), two unused doubles (8 + 8),
//                 then NUL-terminated VolumeName, PrevVolumeName, PoolName, PoolType,
//                 MediaType, HostName, LabelProg, ProgVersion, ProgDate (Bacula 15 adds more).
// FileIndex is PRE_LABEL (-1) for a labelled volume never written, VOL_LABEL (-2) once used.
// block_len counts the bytes used; the block on tape is padded (to 1 KiB by default).

#include <algorithm>

#include <fmt/format.h>

#include "src/label/bytes.h"
#include "src/label/libraries.h"

namespace rsm::label::detail {

namespace {

constexpr std::int32_t preLabel = -1;
constexpr std::int32_t volLabel = -2;
constexpr std::size_t timesLength =
    32;  // VerNum >= 11: two btimes, two doubles; older: four doubles

struct Layout {
    std::size_t blockHeader;
    std::size_t recordHeader;
    std::size_t recordSkip;  // VolSessionId and VolSessionTime in BB01's record header
};

std::optional<Layout> layoutOf(Bytes b) {
    auto id = field(b, 12, 4);
    if (!id)
        return std::nullopt;
    if (*id == "BB01")
        return Layout{16, 20, 8};
    if (*id == "BB02")
        return Layout{24, 12, 0};
    if (*id == "BB03")
        return Layout{32, 12, 0};
    return std::nullopt;
}

}  // namespace

std::optional<Label> BaculaLibrary::claim(Bytes b) const {
    const auto layout = layoutOf(b);
    const auto blockLength = be32(b, 4);
    if (!layout || !blockLength)
        return std::nullopt;
    // The block as the program filled it; a read cut short by the caller's maxLength still
    // holds the label record when it holds its bytes.
    const std::size_t used = std::min<std::size_t>(*blockLength, b.size());
    const std::size_t record = layout->blockHeader + layout->recordSkip;
    const auto fileIndex = be32(b, record);
    const auto dataLength = be32(b, record + 8);
    if (!fileIndex || !dataLength)
        return std::nullopt;
    const auto labelType = static_cast<std::int32_t>(*fileIndex);
    if (labelType != preLabel && labelType != volLabel)
        return std::nullopt;
    const std::size_t data = layout->blockHeader + layout->recordHeader;
    if (data > used || *dataLength > used - data)
        return std::nullopt;
    const std::size_t end = data + *dataLength;

    std::size_t p = data;
    auto next = [&]() -> std::optional<std::string> {
        auto s = cString(b, p, end);
        if (s)
            p += s->size() + 1;
        return s;
    };
    const auto id = next();
    if (!id || std::find(ids_.begin(), ids_.end(), *id) == ids_.end())
        return std::nullopt;
    const auto version = be32(b, p);
    if (!version)
        return std::nullopt;
    p += 4 + timesLength;
    const auto volume = next();
    if (!volume || volume->empty() || !printableAscii(*volume))
        return std::nullopt;
    const auto previous = next();
    const auto pool = previous ? next() : std::nullopt;
    const auto poolType = pool ? next() : std::nullopt;
    const auto mediaType = poolType ? next() : std::nullopt;

    std::string info =
        labelType == preLabel ? "labelled, never written (PRE_LABEL)" : "in use (VOL_LABEL)";
    info += fmt::format(", version {}", *version);
    if (pool && !pool->empty())
        info += ", pool " + *pool;
    if (mediaType && !mediaType->empty())
        info += ", media type " + *mediaType;
    return Label{std::string(type_), cleanText(*volume), cleanText(info)};
}

}  // namespace rsm::label::detail
