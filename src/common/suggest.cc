#include "rsm/suggest.h"

#include <algorithm>
#include <cctype>

namespace rsm {

namespace {

std::string folded(std::string_view s) {
    std::string out(s);
    for (char &c : out)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

}  // namespace

std::size_t editDistance(std::string_view a, std::string_view b) {
    // Optimal string alignment: Levenshtein with adjacent transpositions ("lsit" is "list").
    std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
    for (std::size_t i = 0; i <= a.size(); ++i)
        d[i][0] = i;
    for (std::size_t j = 0; j <= b.size(); ++j)
        d[0][j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i)
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
        }
    return d[a.size()][b.size()];
}

std::optional<std::string> closest(std::string_view word,
                                   const std::vector<std::string> &candidates) {
    const std::size_t limit = std::clamp<std::size_t>(word.size() / 3, 1, 3);
    std::optional<std::string> best;
    std::size_t bestDistance = limit + 1;
    for (const std::string &c : candidates) {
        const std::size_t d = c.rfind(word, 0) == 0 && !word.empty() ? 0 : editDistance(word, c);
        if (d < bestDistance) {
            best = c;
            bestDistance = d;
        }
    }
    return best;
}

std::optional<std::string> nearName(std::string_view name, const std::vector<std::string> &names) {
    // Names longer than this are not compared (the distance costs their product).
    constexpr std::size_t kLongest = 256;
    constexpr std::size_t kMostEdits = 2;
    if (name.empty() || name.size() > kLongest)
        return std::nullopt;
    const std::string wanted = folded(name);
    std::optional<std::string> best;
    std::size_t bestDistance = kMostEdits + 1;
    bool tie = false;
    for (const std::string &candidate : names) {
        if (candidate == name)
            return std::nullopt;  // it exists: nothing to suggest
        if (candidate.empty() || candidate.size() > kLongest)
            continue;
        const std::size_t lengths = candidate.size() > wanted.size()
                                        ? candidate.size() - wanted.size()
                                        : wanted.size() - candidate.size();
        if (lengths > kMostEdits)
            continue;
        const std::size_t d = editDistance(wanted, folded(candidate));
        if (d < bestDistance) {
            best = candidate;
            bestDistance = d;
            tie = false;
        } else if (d == bestDistance && best && *best != candidate) {
            tie = true;
        }
    }
    if (tie)
        return std::nullopt;
    return best;
}

}  // namespace rsm
