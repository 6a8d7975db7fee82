#include "src/cli/suggest.h"

#include <algorithm>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

namespace rsm::cli {

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
