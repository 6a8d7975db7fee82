#include "src/mtx/slot_map.h"

#include <algorithm>

namespace rsm::mtx {

std::string_view printableTag(std::string_view id) {
    const auto end = std::find_if(id.begin(), id.end(), [](char c) {
        const auto byte = static_cast<unsigned char>(c);
        return byte < 32 || byte > 127;
    });
    return id.substr(0, std::min<std::size_t>(static_cast<std::size_t>(end - id.begin()), 32));
}

std::string_view printableTag(const std::optional<sg::VolumeTag> &tag) {
    return tag ? printableTag(std::string_view(tag->identifier)) : std::string_view();
}

std::optional<int> SlotMap::slotIndexOf(std::uint16_t address) const {
    for (std::size_t i = 0; i < slots.size(); ++i)
        if (slots[i].address == address)
            return static_cast<int>(i);
    return std::nullopt;
}

std::string_view SlotMap::tag(const TagRef &ref) const {
    return std::string_view(tagBytes).substr(ref.offset, ref.primary);
}

std::string_view SlotMap::alternateTag(const TagRef &ref) const {
    return std::string_view(tagBytes).substr(ref.offset + ref.primary, ref.alternate);
}

void SlotMapBuilder::add(Record record, std::string_view tag, std::string_view alternateTag) {
    record.tags.primary = static_cast<std::uint8_t>(tag.size());
    record.tags.alternate = static_cast<std::uint8_t>(alternateTag.size());
    if (!tag.empty() || !alternateTag.empty()) {
        record.tags.offset = static_cast<std::uint32_t>(tagBytes_.size());
        tagBytes_ += tag;
        tagBytes_ += alternateTag;
    }
    records_.push_back(record);
}

void SlotMapBuilder::add(const sg::Element &e) {
    add({e.type, e.address, e.full, e.asc, e.ascq, e.sourceAddress, {}}, printableTag(e.primaryTag),
        printableTag(e.alternateTag));
}

void SlotMapBuilder::reserve(std::size_t elements) {
    records_.reserve(elements);
    tagBytes_.reserve(elements * 32);  // tgtd and most libraries blank-pad every slot's tag
}

void SlotMapBuilder::add(const sg::ElementDescriptor &d) {
    add({d.type(), d.address(), d.full(), d.asc(), d.ascq(), d.sourceAddress(), {}},
        printableTag(d.primaryIdentifier()), printableTag(d.alternateIdentifier()));
}

SlotMap SlotMapBuilder::build(const std::map<std::uint16_t, std::uint16_t> &knownSources) && {
    // Each type in address order; of equal addresses the one received first comes first.
    std::stable_sort(records_.begin(), records_.end(), [](const Record &a, const Record &b) {
        return a.type != b.type ? a.type < b.type : a.address < b.address;
    });
    auto ofType = [this](sg::ElementType type) {
        auto first = std::find_if(records_.begin(), records_.end(),
                                  [type](const Record &r) { return r.type == type; });
        auto last =
            std::find_if(first, records_.end(), [type](const Record &r) { return r.type != type; });
        return std::pair(first, last);
    };

    SlotMap map;
    map.tagBytes = std::move(tagBytes_);
    map.slots.reserve(records_.size());
    for (auto [r, end] = ofType(sg::ElementType::Storage); r != end; ++r) {
        if (r->asc == 0x83 && r->ascq == 0x02)
            continue;  // a slot that is not installed (ATL, Exabyte)
        map.slots.push_back({r->address, r->full, false, r->tags});
    }
    for (auto [r, end] = ofType(sg::ElementType::ImportExport); r != end; ++r) {
        map.slots.push_back({r->address, r->full, true, r->tags});
        ++map.importExport;
    }
    std::vector<std::optional<std::uint16_t>> reported;
    for (auto [r, end] = ofType(sg::ElementType::DataTransfer); r != end; ++r) {
        if (r->asc == 0x83 && r->ascq == 0x04)
            continue;  // a drive that is not installed (Exabyte)
        map.drives.push_back({r->address, r->full, std::nullopt, r->tags});
        auto known = knownSources.find(r->address);
        reported.push_back(r->full && !r->source && known != knownSources.end() ? known->second
                                                                                : r->source);
    }
    if (auto [r, end] = ofType(sg::ElementType::Transport); r != end)
        map.transport = r->address;

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

SlotMap buildSlotMap(const std::vector<sg::Element> &elements) {
    SlotMapBuilder builder;
    for (const sg::Element &e : elements)
        builder.add(e);
    return std::move(builder).build();
}

}  // namespace rsm::mtx
