#include "src/mtx/local_accounts.h"

#include <charconv>
#include <fstream>
#include <string_view>

namespace rsm::mtx {

namespace {

// Calls `take(name, id)` for each well-formed line ("name:password:id:..."), until it says stop.
template <typename Take>
void eachEntry(const char *file, Take take) {
    std::ifstream in(file);
    std::string line;
    while (std::getline(in, line)) {
        const std::string_view l(line);
        const auto first = l.find(':');
        if (first == std::string_view::npos || first == 0)
            continue;
        const auto second = l.find(':', first + 1);
        if (second == std::string_view::npos)
            continue;
        const auto third = l.find(':', second + 1);
        const std::string_view number =
            l.substr(second + 1,
                     third == std::string_view::npos ? std::string_view::npos : third - second - 1);
        unsigned id = 0;
        const auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), id);
        if (ec != std::errc() || end != number.data() + number.size())
            continue;
        if (take(l.substr(0, first), id))
            return;
    }
}

}  // namespace

std::optional<std::string> localName(unsigned id, const char *file) {
    std::optional<std::string> found;
    eachEntry(file, [&](std::string_view name, unsigned entry) {
        if (entry != id)
            return false;
        found = std::string(name);
        return true;
    });
    return found;
}

std::optional<unsigned> localId(const std::string &name, const char *file) {
    std::optional<unsigned> found;
    eachEntry(file, [&](std::string_view entry, unsigned id) {
        if (entry != name)
            return false;
        found = id;
        return true;
    });
    return found;
}

}  // namespace rsm::mtx
