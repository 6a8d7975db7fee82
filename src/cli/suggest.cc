#include "src/cli/suggest.h"

#include <algorithm>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

namespace rsm::cli {

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

std::optional<std::string> commandHint(const CLI::App &app, int argc, const char *const *argv) {
    // The options before a command word that take a value.
    const std::vector<std::string> valued = {"--socket", "--timeout"};
    const CLI::App *at = &app;
    std::string path;
    for (int i = 1; i < argc; ++i) {
        const std::string word = argv[i];
        if (word.rfind("-", 0) == 0) {
            if (std::find(valued.begin(), valued.end(), word) != valued.end())
                ++i;
            continue;
        }
        const auto subs = at->get_subcommands([](const CLI::App *) { return true; });
        if (subs.empty())
            return std::nullopt;  // a command's own arguments from here on
        std::vector<std::string> names;
        const CLI::App *next = nullptr;
        for (const CLI::App *s : subs) {
            names.push_back(s->get_name());
            if (s->get_name() == word)
                next = s;
        }
        if (!next) {
            const std::string where = path.empty() ? "" : " of rsmctl " + path;
            if (auto near = closest(word, names))
                return fmt::format("unknown command '{}'{}; did you mean '{}'?", word, where,
                                   *near);
            return fmt::format("unknown command '{}'{}; rsmctl {}--help lists them", word, where,
                               path.empty() ? "" : path + " ");
        }
        path += (path.empty() ? "" : " ") + word;
        at = next;
    }
    return std::nullopt;
}

}  // namespace rsm::cli
