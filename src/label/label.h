#pragma once
// Media label libraries: each one looks at the first block of a side and either claims it
// (label type, label id, description) or does not. rsm ships libraries for the labels Linux
// backup software writes: ANSI/IBM VOL1 (and LTFS's VOL1), Bacula, Bareos, Amanda and POSIX
// tar. recognize() offers the block to each; none claiming it is ERROR_BAD_FORMAT. A library
// reads only inside the block, whatever its length or content.
// Pure functions; thread-safe.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "rsm/error.h"

namespace rsm::label {

struct Label {
    std::string type;  // "VOL1", "LTFS", "Bacula", "Bareos", "Amanda", "tar"
    // The volume's name as the label gives it. Empty only for LTFS without a volume serial.
    std::string id;
    std::string info;  // what else the label says, for people
    // id and info are valid UTF-8 of at most 256 bytes, without control characters.
};

class LabelLibrary {
public:
    virtual ~LabelLibrary() = default;
    virtual std::string_view type() const = 0;
    // The label, when this library recognizes the block; nullopt otherwise.
    virtual std::optional<Label> claim(std::span<const std::uint8_t> block) const = 0;
};

// The libraries rsm has, in the order they are asked.
const std::vector<const LabelLibrary *> &libraries();

// True when an installed library produces labels of this type.
bool knownType(std::string_view type);

Result<Label> recognize(std::span<const std::uint8_t> firstBlock);

}  // namespace rsm::label
