#include "src/mtx/slot_map.h"

#include <algorithm>

namespace rsm::mtx {

namespace {

std::vector<const sg::Element *> ofType(const std::vector<sg::Element> &elements,
                                        sg::ElementType type) {
    std::vector<const sg::Element *> out;
    for (const sg::Element &e : elements)
        if (e.type == type)
            out.push_back(&e);
    auto byAddress = [](const sg::Element *a, const sg::Element *b) {
        return a->address < b->address;
    };
    if (!std::is_sorted(out.begin(), out.end(), byAddress))  // they come sorted from sg::Changer
        std::stable_sort(out.begin(), out.end(), byAddress);
    return out;
}

TagRef tagsOf(const std::vector<sg::Element> &all, const sg::Element &e) {
    TagRef ref;
    ref.primary = static_cast<std::uint8_t>(printableTag(e.primaryTag).size());
    ref.alternate = static_cast<std::uint8_t>(printableTag(e.alternateTag).size());
    if (ref.primary != 0 || ref.alternate != 0)
        ref.element = static_cast<std::uint32_t>(&e - all.data());
    return ref;
}

SlotEntry slotOf(const std::vector<sg::Element> &all, const sg::Element &e, bool importExport) {
    SlotEntry s;
    s.address = e.address;
    s.full = e.full;
    s.importExport = importExport;
    s.tags = tagsOf(all, e);
    return s;
}

}  // namespace

std::string_view printableTag(const std::optional<sg::VolumeTag> &tag) {
    if (!tag)
        return {};
    const std::string_view id = tag->identifier;
    const auto end = std::find_if(id.begin(), id.end(), [](char c) {
        const auto byte = static_cast<unsigned char>(c);
        return byte < 32 || byte > 127;
    });
    return id.substr(0, std::min<std::size_t>(static_cast<std::size_t>(end - id.begin()), 32));
}

std::optional<int> SlotMap::slotIndexOf(std::uint16_t address) const {
    for (std::size_t i = 0; i < slots.size(); ++i)
        if (slots[i].address == address)
            return static_cast<int>(i);
    return std::nullopt;
}

std::string_view SlotMap::tag(const TagRef &ref) const {
    if (ref.primary == 0 || ref.element >= elements.size())
        return {};
    return std::string_view(elements[ref.element].primaryTag->identifier).substr(0, ref.primary);
}

std::string_view SlotMap::alternateTag(const TagRef &ref) const {
    if (ref.alternate == 0 || ref.element >= elements.size())
        return {};
    return std::string_view(elements[ref.element].alternateTag->identifier)
        .substr(0, ref.alternate);
}

SlotMap buildSlotMap(std::vector<sg::Element> all) {
    SlotMap map;
    map.elements = std::move(all);
    const std::vector<sg::Element> &elements = map.elements;
    map.slots.reserve(elements.size());
    for (const sg::Element *e : ofType(elements, sg::ElementType::Storage)) {
        if (e->asc == 0x83 && e->ascq == 0x02)
            continue;  // a slot that is not installed (ATL, Exabyte)
        map.slots.push_back(slotOf(elements, *e, false));
    }
    for (const sg::Element *e : ofType(elements, sg::ElementType::ImportExport)) {
        map.slots.push_back(slotOf(elements, *e, true));
        ++map.importExport;
    }
    std::vector<std::optional<std::uint16_t>> reported;
    for (const sg::Element *e : ofType(elements, sg::ElementType::DataTransfer)) {
        if (e->asc == 0x83 && e->ascq == 0x04)
            continue;  // a drive that is not installed (Exabyte)
        DriveEntry d;
        d.address = e->address;
        d.full = e->full;
        d.tags = tagsOf(elements, *e);
        map.drives.push_back(std::move(d));
        reported.push_back(e->sourceAddress);
    }
    auto transports = ofType(elements, sg::ElementType::Transport);
    if (!transports.empty())
        map.transport = transports.front()->address;

    // Pass one: the reported source, if that slot is empty.
    for (std::size_t i = 0; i < map.drives.size(); ++i) {
        DriveEntry &d = map.drives[i];
        if (!d.full || !reported[i])
            continue;
        // mtx keeps the last slot of that address; addresses are unique in practice.
        for (std::size_t j = map.slots.size(); j-- > 0;) {
            if (map.slots[j].address == *reported[i]) {
                if (!map.slots[j].full)
                    d.source = static_cast<int>(j);
                break;
            }
        }
    }
    // Pass two: the empty storage slots, in order, to the full drives still without one.
    // Unlike mtx, a slot pass one gave a drive is not given to a second one.
    std::vector<bool> claimed(map.slots.size(), false);
    for (const DriveEntry &d : map.drives)
        if (d.source)
            claimed[static_cast<std::size_t>(*d.source)] = true;
    std::size_t next = 0;
    for (DriveEntry &d : map.drives) {
        if (!d.full || d.source)
            continue;
        while (next < static_cast<std::size_t>(map.storageCount()) &&
               (map.slots[next].full || claimed[next]))
            ++next;
        if (next >= static_cast<std::size_t>(map.storageCount()))
            break;
        d.source = static_cast<int>(next++);
    }
    return map;
}

}  // namespace rsm::mtx
