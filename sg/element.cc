#include "sg/element.h"

namespace rsm::sg {

std::string_view elementTypeName(ElementType type) {
    switch (type) {
        case ElementType::All:
            return "all";
        case ElementType::Transport:
            return "transport";
        case ElementType::Storage:
            return "slot";
        case ElementType::ImportExport:
            return "ieport";
        case ElementType::DataTransfer:
            return "drive";
    }
    return "unknown";
}

std::string VolumeTag::trimmed() const {
    std::size_t end = identifier.size();
    while (end > 0 && (identifier[end - 1] == ' ' || identifier[end - 1] == '\0'))
        --end;
    return identifier.substr(0, end);
}

const ElementRange &ElementAddressAssignment::range(ElementType type) const {
    switch (type) {
        case ElementType::Transport:
            return transport;
        case ElementType::ImportExport:
            return importExport;
        case ElementType::DataTransfer:
            return dataTransfer;
        case ElementType::Storage:
        case ElementType::All:
            break;
    }
    // All has no range of its own; Storage is the most useful answer and keeps this total.
    return storage;
}

ElementRange &ElementAddressAssignment::range(ElementType type) {
    const auto &self = *this;
    return const_cast<ElementRange &>(self.range(type));
}

std::optional<ElementType> ElementAddressAssignment::typeOf(std::uint16_t address) const {
    // Checked in SMC order; overlapping ranges (a device bug) resolve to the first type.
    for (ElementType type : {ElementType::Transport, ElementType::Storage,
                             ElementType::ImportExport, ElementType::DataTransfer}) {
        const ElementRange &r = range(type);
        if (r.count != 0 && r.contains(address))
            return type;
    }
    return std::nullopt;
}

}  // namespace rsm::sg
