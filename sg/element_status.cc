// READ ELEMENT STATUS parser (SMC-3 6.11). See element_status.h for the quirks handled.
//
// Layout: an 8-byte element status header, then element status pages (8-byte page header,
// then descriptors of the page's descriptor length). All offsets in error messages are byte
// offsets into the whole reply.
//
// Two ways a page's last descriptor arrives short, and what is done about it:
// - The page's byte count was received in full but is not a multiple of the descriptor
//   length: the short remainder is the last descriptor; it is kept with its missing bytes read
//   as zeros, provided it holds at least the 2-byte element address (a shorter remainder
//   cannot name an element and is a format error).
// - tgtd (1.0.85): its header and page byte counts are right, but it transfers only
//   8 + <report byte count> bytes, i.e. 8 bytes fewer than the reply it built (measured).
//   The mark of it is a reply whose total length equals the report byte count, exactly 8 bytes
//   short. That is taken as complete: the last descriptor is kept, zero-filled like above.
//   (A device following the standard can only look like this if the caller's allocation
//   length was exactly the report byte count; then 8 bytes of the last descriptor are lost.)
// Any other shortfall is a cut by the allocation length: `truncated` is set, whole
// descriptors are kept and a partial trailing one is dropped.

#include "sg/element_status.h"

#include <fmt/format.h>

#include <algorithm>
#include <string>

#include "sg/inquiry.h"

namespace rsm::sg {

namespace {

constexpr std::size_t kHeaderLength = 8;
constexpr std::size_t kPageHeaderLength = 8;
constexpr std::size_t kBaseDescriptorLength = 12;
constexpr std::size_t kVolumeTagLength = 36;
constexpr std::size_t kVolumeIdentifierLength = 32;
constexpr std::size_t kDeviceIdHeaderLength = 4;
// An upper estimate of a drive's device identifier (T10 vendor ID: vendor 8, product 16,
// serial number 10 = 34 bytes is the common one); only used to size allocations.
constexpr std::uint32_t kDeviceIdAllowance = 64;

std::uint16_t be16(const std::uint8_t *p) {
    return static_cast<std::uint16_t>(p[0] << 8 | p[1]);
}

std::uint32_t be24(const std::uint8_t *p) {
    return std::uint32_t{p[0]} << 16 | std::uint32_t{p[1]} << 8 | p[2];
}

Error badFormat(std::size_t offset, const std::string &what) {
    return Error(ErrorCode::BadFormat,
                 fmt::format("element status data at byte {}: {}", offset, what));
}

// The page header, checked against what the reply declared and what it holds.
struct Page {
    ElementType type = ElementType::Storage;
    bool primaryTag = false;
    bool alternateTag = false;
    std::size_t descriptorLength = 0;
    std::size_t start = 0;  // first descriptor byte
    std::size_t end = 0;    // one past the last declared byte
};

std::string hexString(std::span<const std::uint8_t> bytes) {
    std::string out;
    out.reserve(bytes.size() * 2);
    for (std::uint8_t b : bytes)
        out += fmt::format("{:02x}", b);
    return out;
}

VolumeTag readTag(const std::uint8_t *p) {
    VolumeTag tag;
    tag.identifier.assign(reinterpret_cast<const char *>(p), kVolumeIdentifierLength);
    tag.sequence = be16(p + 34);
    return tag;
}

// The device identifier block at `offset` of the descriptor, if the descriptor has one.
std::optional<std::string> readDeviceId(std::span<const std::uint8_t> d, std::size_t offset) {
    if (d.size() < offset + kDeviceIdHeaderLength)
        return std::nullopt;
    const std::uint8_t codeSet = d[offset] & 0x0F;
    const std::size_t length = d[offset + 3];
    const std::size_t present = std::min(length, d.size() - offset - kDeviceIdHeaderLength);
    if (length == 0)
        return std::nullopt;
    auto bytes = d.subspan(offset + kDeviceIdHeaderLength, present);
    if (codeSet == 1)  // binary (an NAA or EUI-64 name): kept readable as hex
        return hexString(bytes);
    return trimField(std::string_view(reinterpret_cast<const char *>(bytes.data()), bytes.size()));
}

Result<Page> readPageHeader(std::span<const std::uint8_t> data, std::size_t pos,
                            std::size_t declaredEnd) {
    const std::uint8_t *p = data.data() + pos;
    Page page;
    const std::uint8_t code = p[0] & 0x0F;
    if (code < 1 || code > 4)
        return badFormat(pos, fmt::format("element type code {} in a page header", code));
    page.type = static_cast<ElementType>(code);
    page.primaryTag = p[1] & 0x80;
    page.alternateTag = p[1] & 0x40;
    page.descriptorLength = be16(p + 2);
    page.start = pos + kPageHeaderLength;
    const std::size_t byteCount = be24(p + 5);
    page.end = page.start + byteCount;
    if (page.end > declaredEnd)
        return badFormat(pos, fmt::format("page declares {} bytes, the report has {} left",
                                          byteCount, declaredEnd - page.start));
    if (byteCount > 0 && page.descriptorLength < 2)
        return badFormat(pos, fmt::format("descriptor length {} cannot hold an element address",
                                          page.descriptorLength));
    const std::size_t needed =
        kBaseDescriptorLength + kVolumeTagLength * (page.primaryTag + page.alternateTag);
    if (byteCount > 0 && (page.primaryTag || page.alternateTag) && page.descriptorLength < needed)
        return badFormat(pos, fmt::format("descriptor length {} is too short for the volume "
                                          "tags the page announces ({} bytes needed)",
                                          page.descriptorLength, needed));
    return page;
}

struct ReplyExtent {
    std::size_t received = 0;     // bytes of the reply we may read
    std::size_t declaredEnd = 0;  // 8 + report byte count
    bool tgtdShort = false;
};

// Reads the descriptors of one page; returns false when the rest of the reply was cut off.
Result<bool> readPage(std::span<const std::uint8_t> data, const Page &page,
                      const ReplyExtent &reply,
                      const std::function<void(const ElementDescriptor &)> &visit) {
    const std::size_t len = page.descriptorLength;
    const std::size_t end = std::min(page.end, reply.received);
    const std::size_t missing = page.end - end;
    // tgtd's 8 missing bytes are made up only when they fall in the page's last descriptor.
    const bool complete = missing == 0 || (reply.tgtdShort && missing < len);
    auto descriptor = [&page](std::span<const std::uint8_t> d) {
        return ElementDescriptor(page.type, page.primaryTag, page.alternateTag, d);
    };
    std::size_t off = page.start;
    while (off < end) {
        const std::size_t remaining = end - off;
        if (remaining >= len) {
            visit(descriptor(data.subspan(off, len)));
            off += len;
            continue;
        }
        if (!complete)
            return false;  // a partial descriptor of a cut reply: dropped, the caller re-reads
        if (remaining < 2)
            return badFormat(off, fmt::format("{} byte(s) left over after the last whole "
                                              "descriptor; an element address needs 2",
                                              remaining));
        std::vector<std::uint8_t> padded(len, 0);
        std::copy_n(data.begin() + static_cast<std::ptrdiff_t>(off), remaining, padded.begin());
        visit(descriptor(padded));
        off = end;
    }
    return complete;
}

}  // namespace

std::uint32_t elementDescriptorLength(bool primaryTag, bool alternateTag, bool deviceId) {
    std::uint32_t length = kBaseDescriptorLength + kDeviceIdHeaderLength;
    length += kVolumeTagLength * (std::uint32_t{primaryTag} + std::uint32_t{alternateTag});
    if (deviceId)
        length += kDeviceIdAllowance;
    return length;
}

ElementDescriptor::ElementDescriptor(ElementType type, bool primaryTag, bool alternateTag,
                                     std::span<const std::uint8_t> bytes)
    : type_(type), primaryTag_(primaryTag), alternateTag_(alternateTag), bytes_(bytes) {
    // Fields past a (legal but odd) descriptor length below 12 bytes read as zeros.
    std::copy_n(bytes.begin(), std::min(bytes.size(), kBaseDescriptorLength), base_.begin());
}

std::uint16_t ElementDescriptor::address() const {
    return be16(base_.data());
}

std::optional<std::uint16_t> ElementDescriptor::sourceAddress() const {
    if (base_[9] & 0x80)
        return be16(base_.data() + 10);
    return std::nullopt;
}

// The page header's check guarantees room for the tags it announces.
std::string_view ElementDescriptor::primaryIdentifier() const {
    if (!primaryTag_)
        return {};
    return {reinterpret_cast<const char *>(bytes_.data() + kBaseDescriptorLength),
            kVolumeIdentifierLength};
}

std::string_view ElementDescriptor::alternateIdentifier() const {
    if (!alternateTag_)
        return {};
    const std::size_t offset = kBaseDescriptorLength + (primaryTag_ ? kVolumeTagLength : 0);
    return {reinterpret_cast<const char *>(bytes_.data() + offset), kVolumeIdentifierLength};
}

Element ElementDescriptor::element() const {
    Element e;
    e.type = type_;
    e.address = address();
    const std::uint8_t flags = base_[2];
    e.full = flags & 0x01;
    e.exception = flags & 0x04;
    const bool accessMeaningful =
        type_ == ElementType::ImportExport || type_ == ElementType::DataTransfer;
    e.accessible = accessMeaningful ? (flags & 0x08) != 0 : true;
    if (type_ == ElementType::ImportExport) {
        e.importExport = flags & 0x02;
        e.exportEnabled = flags & 0x10;
        e.importEnabled = flags & 0x20;
    }
    e.asc = base_[4];
    e.ascq = base_[5];
    if (type_ == ElementType::DataTransfer) {
        if (base_[6] & 0x10)
            e.scsiLun = static_cast<std::uint8_t>(base_[6] & 0x07);
        if (base_[6] & 0x20)
            e.scsiId = base_[7];
    }
    e.sourceAddress = sourceAddress();
    e.invert = base_[9] & 0x40;

    std::size_t offset = kBaseDescriptorLength;
    if (primaryTag_) {
        e.primaryTag = readTag(bytes_.data() + offset);
        offset += kVolumeTagLength;
    }
    if (alternateTag_) {
        e.alternateTag = readTag(bytes_.data() + offset);
        offset += kVolumeTagLength;
    }
    e.identifier = readDeviceId(bytes_, offset);
    return e;
}

Result<ElementStatusReport> parseElementStatus(std::span<const std::uint8_t> data) {
    std::vector<Element> elements;
    // Room for as many descriptors as the reply can hold, at the usual length (52 bytes, with a
    // primary volume tag); the vector grows past that for shorter ones.
    elements.reserve(data.size() / elementDescriptorLength(true, false, false) + 1);
    auto report = scanElementStatus(
        data, [&](const ElementDescriptor &d) { elements.push_back(d.element()); });
    if (report)
        report->elements = std::move(elements);
    return report;
}

Result<ElementStatusReport> scanElementStatus(
    std::span<const std::uint8_t> data,
    const std::function<void(const ElementDescriptor &)> &visit) {
    if (data.size() < kHeaderLength)
        return badFormat(
            0, fmt::format("{} byte(s) received, the header needs {}", data.size(), kHeaderLength));
    ElementStatusReport report;
    report.firstAddressReported = be16(data.data());
    report.elementsAvailable = be16(data.data() + 2);
    report.reportBytesAvailable = be24(data.data() + 5);

    ReplyExtent reply;
    reply.declaredEnd = kHeaderLength + report.reportBytesAvailable;
    reply.received = std::min(data.size(), reply.declaredEnd);  // bytes past it are padding
    // tgtd's mark: exactly one page header's worth (8 bytes) short of the declared report.
    reply.tgtdShort = data.size() + kPageHeaderLength == reply.declaredEnd;
    report.truncated = reply.received < reply.declaredEnd && !reply.tgtdShort;

    std::size_t pos = kHeaderLength;
    while (pos < reply.received) {
        if (reply.received - pos < kPageHeaderLength) {
            if (reply.received < reply.declaredEnd) {  // cut inside a page header
                report.truncated = true;
                break;
            }
            return badFormat(pos, fmt::format("{} byte(s) left, a page header needs {}",
                                              reply.received - pos, kPageHeaderLength));
        }
        auto page = readPageHeader(data, pos, reply.declaredEnd);
        if (!page)
            return page.error();
        auto whole = readPage(data, *page, reply, visit);
        if (!whole)
            return whole.error();
        if (!*whole) {
            report.truncated = true;
            break;
        }
        pos = page->end;
    }
    return report;
}

}  // namespace rsm::sg
