// Amanda: the first file of a tape is one header block (32 KiB) holding the text
//   "AMANDA: TAPESTART DATE <datestamp> TAPE <label>\n\f\n"
// then NULs. The datestamp is "X" on a tape labelled (amlabel) but not yet used.

#include <string>

#include "src/label/bytes.h"
#include "src/label/libraries.h"

namespace rsm::label::detail {

namespace {

constexpr std::string_view head = "AMANDA: TAPESTART DATE ";
constexpr std::size_t maxLine = 1024;  // the header line is far shorter

// The next word of `line` from `at` (up to a blank), advancing `at` past it and one blank.
std::string word(const std::string &line, std::size_t &at) {
    const std::size_t end = std::min(line.find(' ', at), line.size());
    std::string w = line.substr(at, end - at);
    at = end < line.size() ? end + 1 : end;
    return w;
}

}  // namespace

std::optional<Label> AmandaLibrary::claim(Bytes b) const {
    if (!startsWith(b, head))
        return std::nullopt;
    const std::size_t n = std::min(b.size(), maxLine);
    std::string line(reinterpret_cast<const char *>(b.data()), n);
    line = line.substr(0, line.find_first_of(std::string_view("\n\r\f\0", 4)));
    std::size_t at = head.size();
    const std::string date = word(line, at);
    if (date.empty() || !printableAscii(date) || word(line, at) != "TAPE")
        return std::nullopt;
    const std::string id = word(line, at);
    if (id.empty() || !printableAscii(id))
        return std::nullopt;
    return Label{
        "Amanda", cleanText(id),
        cleanText(date == "X" ? std::string("labelled, never written") : "written " + date)};
}

}  // namespace rsm::label::detail
