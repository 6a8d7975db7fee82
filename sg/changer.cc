#include "sg/changer.h"

#include <algorithm>
#include <array>

#include <fmt/format.h>

#include "sg/cdb.h"
#include "sg/element_status.h"
#include "sg/sense.h"

namespace rsm::sg {

namespace {

constexpr std::array kTypes = {ElementType::Transport, ElementType::Storage,
                               ElementType::ImportExport, ElementType::DataTransfer};
// Room for a DVCID block: 4-byte header and an identifier ("vendor product serial").
constexpr std::uint32_t kIdentifierRoom = 4 + 60;
constexpr std::uint32_t kMaxAllocation = 0xFFFFFF;  // the CDB's 3-byte allocation length
constexpr std::uint32_t kHeaderRoom = 16;           // element status header and page header

bool refused(const Error &e) {
    return e.sense() && e.sense()->key == sense_key::IllegalRequest &&
           (e.sense()->asc == 0x24 || e.sense()->asc == 0x20 || e.sense()->asc == 0x26);
}

std::uint32_t descriptorRoom(bool volumeTags, bool deviceIds) {
    return elementDescriptorLength(volumeTags, false, false) + (deviceIds ? kIdentifierRoom : 0);
}

// Room for `count` descriptors and one more (a library may send one past the count; a reply
// cut short is grown or read on anyway), within `limit`.
std::uint32_t allocationFor(std::uint32_t count, std::uint32_t perElement, std::uint32_t limit) {
    const std::uint64_t wanted = kHeaderRoom + (std::uint64_t{count} + 1) * perElement;
    return static_cast<std::uint32_t>(std::min<std::uint64_t>(wanted, limit));
}

}  // namespace

Changer::Changer(std::unique_ptr<Transport> transport, ChangerOptions options)
    : transport_(std::move(transport)),
      options_(std::move(options)),
      runner_(*transport_, options_.retry, options_.sleep) {}

Result<Reply> Changer::run(Command command, std::chrono::milliseconds timeout) {
    command.timeout = timeout;
    return runner_.run(command);
}

Result<InquiryData> Changer::inquiry() {
    auto reply = run(cdb::inquiry(96), options_.timeouts.inquiry);
    if (!reply)
        return reply.error();
    return parseInquiry(reply->data);
}

Result<std::string> Changer::serialNumber() {
    auto reply = run(cdb::inquiryVpd(0x80), options_.timeouts.inquiry);
    if (!reply)
        return reply.error();
    return parseUnitSerialNumber(reply->data);
}

void Changer::forget() {
    map_.reset();
}

Result<ElementAddressAssignment> Changer::elementMap() {
    if (map_)
        return *map_;
    auto found = readElementMap();
    if (!found && isTransportFailure(found.error()))
        return found.error();
    // A changer has storage elements; a map without any (a tape drive answering mode page
    // 1Dh with zeros, as tgtd's do) or none at all may come from the wrong device.
    if (!found || (found->storage.count == 0 && found->dataTransfer.count == 0))
        RSM_TRY_VOID(checkIsChanger());
    if (!found)
        return found.error();
    map_ = *found;
    return *map_;
}

Result<void> Changer::checkIsChanger() {
    auto inquiry = this->inquiry();
    if (!inquiry)
        return success();  // the map's own error says more
    if (inquiry->peripheralType == peripheral::MediumChanger)
        return success();
    return Error(ErrorCode::InvalidLibrary,
                 fmt::format("{} is not a medium changer: it is {} (SCSI peripheral device type "
                             "{}); give the changer's device (rsmctl library discover lists "
                             "them)",
                             transport_->describe(), peripheralTypeName(inquiry->peripheralType),
                             inquiry->peripheralType));
}

Result<ElementAddressAssignment> Changer::readElementMap() {
    auto six = run(cdb::modeSense6(kElementAddressAssignmentPage), options_.timeouts.modeSense);
    if (six) {
        if (auto parsed = parseElementAddressAssignment(six->data, ModeHeader::Six))
            return *parsed;
    } else if (isTransportFailure(six.error())) {
        return six.error();
    }
    auto ten = run(cdb::modeSense10(kElementAddressAssignmentPage), options_.timeouts.modeSense);
    if (ten) {
        if (auto parsed = parseElementAddressAssignment(ten->data, ModeHeader::Ten))
            return *parsed;
    } else if (isTransportFailure(ten.error())) {
        return ten.error();
    }
    auto discovered = discoverElementMap();
    if (!discovered)
        return discovered.error().withContext(
            "element address assignment (mode page 1Dh "
            "refused, READ ELEMENT STATUS discovery failed)");
    return discovered;
}

Result<ElementAddressAssignment> Changer::discoverElementMap() {
    // Ask each type from address 0 for all elements; the header says how many there are, and
    // the first descriptor where they start (some libraries misreport the header's address).
    ElementAddressAssignment map;
    for (ElementType type : kTypes) {
        cdb::ReadElementStatusParams p;
        p.type = type;
        p.volumeTags = false;
        p.allocationLength = 8 + 8 + 4 * elementDescriptorLength(false, false, false);
        auto reply = run(cdb::readElementStatus(p), options_.timeouts.elementStatus);
        if (!reply)
            return reply.error();
        auto report = parseElementStatus(reply->data);
        if (!report)
            return report.error();
        ElementRange &range = map.range(type);
        range.count = report->elementsAvailable;
        range.first = report->elements.empty() ? report->firstAddressReported
                                               : report->elements.front().address;
    }
    return map;
}

Result<DeviceCapabilities> Changer::capabilities() {
    auto reply = run(cdb::modeSense6(kDeviceCapabilitiesPage), options_.timeouts.modeSense);
    if (!reply)
        return reply.error();
    return parseDeviceCapabilities(reply->data, ModeHeader::Six);
}

Result<std::vector<Element>> Changer::status() {
    auto map = elementMap();
    if (!map)
        return map.error();
    std::vector<Element> all;
    all.reserve(std::size_t{map->transport.count} + map->storage.count + map->importExport.count +
                map->dataTransfer.count);
    RSM_TRY_VOID(scan([&all](const ElementDescriptor &d) { all.push_back(d.element()); }));
    return all;
}

Result<void> Changer::scan(const std::function<void(const ElementDescriptor &)> &visit) {
    auto map = elementMap();
    if (!map)
        return map.error();
    for (ElementType type : kTypes) {
        const ElementRange range = map->range(type);
        RSM_TRY_VOID(visitRange(type, range.first, range.count, visit));
    }
    return success();
}

Result<std::vector<Element>> Changer::status(ElementType type) {
    auto map = elementMap();
    if (!map)
        return map.error();
    const ElementRange range = map->range(type);
    return status(type, range.first, range.count);
}

Result<std::vector<Element>> Changer::status(ElementType type, std::uint16_t first,
                                             std::uint16_t count) {
    std::vector<Element> out;
    out.reserve(count);
    RSM_TRY_VOID(visitRange(type, first, count,
                            [&out](const ElementDescriptor &d) { out.push_back(d.element()); }));
    return out;
}

Result<void> Changer::visitRange(ElementType type, std::uint16_t first, std::uint16_t count,
                                 const std::function<void(const ElementDescriptor &)> &visit) {
    const std::uint32_t end = std::uint32_t{first} + count;
    std::uint32_t next = first;
    std::optional<std::uint16_t> last;  // the last element handed over
    bool volumeTags = options_.volumeTags && !volumeTagsRefused_;
    bool deviceIds =
        options_.deviceIdentifiers && !deviceIdsRefused_ && type == ElementType::DataTransfer;
    while (next < end) {
        const auto n =
            static_cast<std::uint16_t>(chunkFor(end - next, descriptorRoom(volumeTags, deviceIds)));
        auto reply = readChunk(type, static_cast<std::uint16_t>(next), n, volumeTags, deviceIds);
        if (!reply)
            return reply.error();
        // The elements of this type in [next, end), each once, in the order received.
        bool any = false;
        auto scanned = scanElementStatus(*reply, [&](const ElementDescriptor &d) {
            if (d.type() != type || d.address() < next || d.address() >= end)
                return;
            if (last && d.address() <= *last)
                return;  // a repeat: never list an element twice
            last = d.address();
            any = true;
            visit(d);
        });
        if (!scanned)
            return scanned.error();  // readChunk() scanned it already: not expected
        if (!any)
            break;  // the library has no more elements of this type from here on
        next = std::uint32_t{*last} + 1;
    }
    return success();
}

std::uint32_t Changer::transferLimit() const {
    const auto max = transport_->maxTransferLength();
    return max ? std::min(*max, kMaxAllocation) : kMaxAllocation;
}

std::uint32_t Changer::chunkFor(std::uint32_t remaining, std::uint32_t perElement) const {
    std::uint32_t n = remaining;
    if (options_.chunkElements != 0)
        n = std::min<std::uint32_t>(n, options_.chunkElements);
    else if (longReadRefused_)
        n = std::min<std::uint32_t>(n, kFallbackChunk);
    // As many as one transfer carries, with the room allocationFor() adds.
    const std::uint32_t limit = transferLimit();
    const std::uint32_t fits = limit > kHeaderRoom ? (limit - kHeaderRoom) / perElement : 0;
    return std::clamp<std::uint32_t>(std::min(n, fits > 1 ? fits - 1 : 1), 1, remaining);
}

bool Changer::longReadRefusal(const Error &error, std::uint16_t count) const {
    if (options_.chunkElements != 0 || longReadRefused_ || count <= kFallbackChunk)
        return false;
    // ILLEGAL REQUEST from the device, or the OS refusing the transfer (EINVAL, ENOMEM); a
    // timeout is no refusal.
    if (error.sense())
        return error.sense()->key == sense_key::IllegalRequest;
    return !isTransportFailure(error);
}

Result<std::vector<std::uint8_t>> Changer::readChunk(ElementType type, std::uint16_t first,
                                                     std::uint16_t count, bool &volumeTags,
                                                     bool &deviceIds) {
    const std::uint32_t limit = transferLimit();
    for (;;) {
        std::uint32_t allocation =
            allocationFor(count, descriptorRoom(volumeTags, deviceIds), limit);
        for (;;) {
            cdb::ReadElementStatusParams p;
            p.type = type;
            p.startAddress = first;
            p.count = count;
            p.volumeTags = volumeTags;
            p.deviceIdentifiers = deviceIds;
            p.allocationLength = allocation;
            auto reply = run(cdb::readElementStatus(p), options_.timeouts.elementStatus);
            if (!reply) {
                if (longReadRefusal(reply.error(), count)) {
                    longReadRefused_ = true;  // fewer elements at a time from now on
                    count = kFallbackChunk;
                    break;
                }
                if (refused(reply.error()) && deviceIds) {
                    deviceIds = false;
                    deviceIdsRefused_ = true;
                    break;
                }
                if (refused(reply.error()) && volumeTags) {
                    volumeTags = false;
                    volumeTagsRefused_ = true;
                    break;
                }
                return reply.error();
            }
            std::size_t inRange = 0;
            auto report = scanElementStatus(reply->data, [&](const ElementDescriptor &d) {
                if (d.type() == type && d.address() >= first &&
                    std::uint32_t{d.address()} < std::uint32_t{first} + count)
                    ++inRange;
            });
            if (!report)
                return report.error().withContext(
                    fmt::format("READ ELEMENT STATUS of {} elements {}..{}", elementTypeName(type),
                                first, first + count - 1));
            // Cut short by our allocation length before the chunk was complete: grow it, as
            // far as one transfer goes (beyond that the caller reads on from what came).
            if (report->truncated && inRange < count && allocation < limit) {
                allocation = static_cast<std::uint32_t>(
                    std::min<std::uint64_t>(limit, std::uint64_t{allocation} * 2));
                continue;
            }
            return std::move(reply->data);
        }
    }
}

std::uint16_t Changer::transportAddress() {
    auto map = elementMap();
    if (map && map->transport.count > 0)
        return map->transport.first;
    return 0;  // SMC: 0 selects the library's default transport
}

Error Changer::moveError(const Error &error, std::uint16_t source,
                         std::uint16_t destination) const {
    if (!error.sense())
        return error;
    const SenseRecord &s = *error.sense();
    const std::string triple = senseTriple(s);
    const int code = (s.asc << 8) | s.ascq;
    std::string what;
    switch (code) {
        case 0x3B0E:
            what = fmt::format("source element {} is empty", source);
            break;
        case 0x3B0D:
            what = fmt::format("destination element {} is full", destination);
            break;
        case 0x2101:
        case 0x2400:
            what = fmt::format("element address {} or {} is not valid for this move", source,
                               destination);
            break;
        case 0x3A00:
            what = fmt::format("the drive must be unloaded before the move from {}", source);
            break;
        case 0x1501:
            what = fmt::format(
                "mechanical positioning error moving {} to {} (the drive refused "
                "the cartridge or is not reachable)",
                source, destination);
            break;
        case 0x5302:
            what = fmt::format(
                "medium removal from {} is prevented (a drive that has not unloaded the "
                "cartridge, or removal locked)",
                source);
            break;
        case 0x3003:
            what = "cleaning cartridge installed and ejected";
            break;
        default:
            return error;
    }
    return Error(error.code(), fmt::format("{} ({})", what, triple), s);
}

Result<void> Changer::move(std::uint16_t source, std::uint16_t destination, bool invert) {
    auto reply = run(cdb::moveMedium(transportAddress(), source, destination, invert),
                     options_.timeouts.move);
    if (!reply)
        return moveError(reply.error(), source, destination);
    return success();
}

Result<void> Changer::exchange(std::uint16_t source, std::uint16_t destination,
                               std::optional<std::uint16_t> second) {
    const std::uint16_t back = second.value_or(source);
    auto reply = run(cdb::exchangeMedium(transportAddress(), source, destination, back),
                     options_.timeouts.move);
    if (reply)
        return success();
    const Error &e = reply.error();
    if (!e.sense() || e.sense()->key != sense_key::IllegalRequest ||
        (e.sense()->asc != 0x20 && e.sense()->asc != 0x24))
        return moveError(e, source, destination);

    // The library has no EXCHANGE MEDIUM: do it with moves.
    if (back != source) {
        RSM_TRY_VOID(move(destination, back));
        return move(source, destination);
    }
    auto slots = status(ElementType::Storage);
    if (!slots)
        return slots.error();
    auto free = std::find_if(slots->begin(), slots->end(), [&](const Element &el) {
        return !el.full && el.address != source && el.address != destination;
    });
    if (free == slots->end())
        return Error(ErrorCode::LibraryFull,
                     fmt::format("cannot exchange {} and {}: the library has no EXCHANGE MEDIUM "
                                 "and no free slot to swap through",
                                 source, destination));
    const std::uint16_t spare = free->address;
    RSM_TRY_VOID(move(destination, spare));
    if (auto r = move(source, destination); !r) {
        (void)move(spare, destination);  // put the first cartridge back
        return r.error();
    }
    if (auto r = move(spare, source); !r)
        return r.error().withContext(
            fmt::format("exchange left the cartridge of {} in slot {}", destination, spare));
    return success();
}

Result<void> Changer::initializeStatus() {
    auto reply = run(cdb::initializeElementStatus(), options_.timeouts.initialize);
    if (!reply)
        return reply.error();
    return success();
}

Result<void> Changer::initializeStatus(std::uint16_t first, std::uint16_t count) {
    auto reply =
        run(cdb::initializeElementStatusWithRange(first, count), options_.timeouts.initialize);
    if (!reply)
        return reply.error();
    return success();
}

Result<void> Changer::position(std::uint16_t destination, bool invert) {
    auto reply = run(cdb::positionToElement(transportAddress(), destination, invert),
                     options_.timeouts.position);
    if (!reply)
        return reply.error();
    return success();
}

Result<bool> Changer::unchanged(std::chrono::milliseconds timeout) {
    Command command = cdb::testUnitReady();
    command.timeout = timeout;
    auto reply = transport_->execute(command);
    if (!reply)
        return reply.error();
    return reply->status == status::Good;
}

Result<void> Changer::preventRemoval(bool prevent) {
    auto reply = run(cdb::preventAllowMediumRemoval(prevent), options_.timeouts.preventAllow);
    if (!reply)
        return reply.error();
    return success();
}

}  // namespace rsm::sg
