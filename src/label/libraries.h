#pragma once
// The label libraries rsm ships, one per format family (internal to src/label; label.cc lists
// them). Each claim() reads only inside the block it is given.
// Pure; thread-safe.

#include <string>
#include <string_view>
#include <vector>

#include "src/label/label.h"

namespace rsm::label::detail {

// ANSI X3.27 / ISO 1001 VOL1 (ASCII), IBM standard labels (EBCDIC), and LTFS's VOL1
// (implementation identifier "LTFS"), which it claims as type "LTFS".
class Vol1Library : public LabelLibrary {
public:
    std::string_view type() const override { return "VOL1"; }
    std::optional<Label> claim(std::span<const std::uint8_t> block) const override;
};

// A Bacula-format volume label: block header (BB01, BB02 or BB03), record header with
// FileIndex PRE_LABEL or VOL_LABEL, and the label record starting with one of `ids`.
class BaculaLibrary : public LabelLibrary {
public:
    BaculaLibrary(std::string_view type, std::vector<std::string_view> ids)
        : type_(type), ids_(std::move(ids)) {}
    std::string_view type() const override { return type_; }
    std::optional<Label> claim(std::span<const std::uint8_t> block) const override;

private:
    std::string_view type_;
    std::vector<std::string_view> ids_;
};

// Amanda: "AMANDA: TAPESTART DATE <datestamp> TAPE <label>\n\f\n" in a 32 KiB header block.
class AmandaLibrary : public LabelLibrary {
public:
    std::string_view type() const override { return "Amanda"; }
    std::optional<Label> claim(std::span<const std::uint8_t> block) const override;
};

// POSIX ustar, pax and GNU tar archives: the id is the first member's name (a GNU volume
// label when there is one).
class TarLibrary : public LabelLibrary {
public:
    std::string_view type() const override { return "tar"; }
    std::optional<Label> claim(std::span<const std::uint8_t> block) const override;
};

}  // namespace rsm::label::detail
