#include "src/cli/table.h"

#include <algorithm>

#include "src/cli/terminal_text.h"

namespace rsm::cli {

void Table::print(std::ostream &out) const {
    auto shown = [](const std::vector<std::string> &row) {
        std::vector<std::string> cells;
        for (const std::string &cell : row)
            cells.push_back(terminalText(cell));
        return cells;
    };
    std::vector<std::vector<std::string>> lines{shown(header_)};
    for (const auto &row : rows_)
        lines.push_back(shown(row));
    std::vector<std::size_t> widths(header_.size(), 0);
    for (const auto &row : lines)
        for (std::size_t i = 0; i < row.size() && i < widths.size(); ++i)
            widths[i] = std::max(widths[i], terminalWidth(row[i]));
    auto line = [&](const std::vector<std::string> &row) {
        std::string text;
        for (std::size_t i = 0; i < widths.size(); ++i) {
            const std::string cell = i < row.size() ? row[i] : std::string();
            text += cell;
            if (i + 1 < widths.size())
                text += std::string(widths[i] - terminalWidth(cell) + 2, ' ');
        }
        while (!text.empty() && text.back() == ' ')
            text.pop_back();
        out << text << '\n';
    };
    for (const auto &row : lines)
        line(row);
}

}  // namespace rsm::cli
