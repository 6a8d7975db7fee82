#include "src/cli/table.h"

#include <algorithm>
#include <numeric>

#include "rsm/uuid.h"
#include "src/cli/terminal_text.h"

namespace rsm::cli {

namespace {

using Rows = std::vector<std::vector<std::string>>;

// Columns narrower than this are never cut: states, numbers, yes/no.
constexpr std::size_t kNarrowest = 10;

bool isUuid(const std::string &text) {
    return Uuid::parse(text).has_value();
}

std::vector<std::size_t> columnWidths(const Rows &lines, std::size_t columns) {
    std::vector<std::size_t> widths(columns, 0);
    for (const auto &row : lines)
        for (std::size_t i = 0; i < row.size() && i < widths.size(); ++i)
            widths[i] = std::max(widths[i], terminalWidth(row[i]));
    return widths;
}

std::size_t lineWidth(const std::vector<std::size_t> &widths) {
    if (widths.empty())
        return 0;
    return std::accumulate(widths.begin(), widths.end(), std::size_t{0}) + 2 * (widths.size() - 1);
}

// `cell` in at most `width` columns: cut, with "…" as its last column. Escaped text is ASCII
// but for the multi-byte characters terminalText lets through, which are cut whole.
std::string cut(const std::string &cell, std::size_t width) {
    if (terminalWidth(cell) <= width)
        return cell;
    std::string out;
    for (std::size_t i = 0; i < cell.size();) {
        std::size_t length = 1;
        while (i + length < cell.size() &&
               (static_cast<unsigned char>(cell[i + length]) & 0xC0) == 0x80)
            ++length;
        const std::string next = out + cell.substr(i, length);
        if (terminalWidth(next) + 1 > width)
            break;
        out = next;
        i += length;
    }
    return out + "…";
}

// Narrows the rows to fit maxWidth: UUIDs first, then the widest columns, never below
// kNarrowest or their header's width.
std::vector<std::size_t> narrow(Rows &lines, std::vector<std::size_t> widths,
                                std::size_t maxWidth) {
    if (lineWidth(widths) <= maxWidth)
        return widths;
    for (std::size_t r = 1; r < lines.size(); ++r)
        for (std::string &cell : lines[r])
            if (isUuid(cell))
                cell = cell.substr(0, 8);
    widths = columnWidths(lines, widths.size());
    std::vector<std::size_t> floors;
    for (const std::string &header : lines.front())
        floors.push_back(std::max(kNarrowest, terminalWidth(header)));
    // Prose (messages, descriptions, errors) is cut before names, devices and numbers.
    const auto prose = [&lines](std::size_t i) {
        static const std::vector<std::string> headers = {"MESSAGE", "DESCRIPTION", "ERROR",
                                                         "DETAIL", "NOTE"};
        return std::find(headers.begin(), headers.end(), lines.front()[i]) != headers.end();
    };
    bool proseOnly = true;
    while (lineWidth(widths) > maxWidth) {
        // The column with the most room to give.
        std::size_t pick = widths.size(), room = 0;
        for (std::size_t i = 0; i < widths.size(); ++i)
            if ((!proseOnly || prose(i)) && widths[i] > floors[i] && widths[i] - floors[i] > room)
                pick = i, room = widths[i] - floors[i];
        if (pick == widths.size()) {
            if (!proseOnly)
                break;
            proseOnly = false;
            continue;
        }
        std::size_t next = floors[pick];  // the next widest column: cuts stay even
        for (std::size_t i = 0; i < widths.size(); ++i)
            if (i != pick && widths[i] < widths[pick] && (!proseOnly || prose(i)))
                next = std::max(next, widths[i]);
        const std::size_t excess = lineWidth(widths) - maxWidth;
        std::size_t target = widths[pick] > excess ? widths[pick] - excess : 0;
        target = std::max(target, next);
        widths[pick] = target < widths[pick] ? target : widths[pick] - 1;
    }
    for (auto &row : lines)
        for (std::size_t i = 0; i < row.size() && i < widths.size(); ++i)
            row[i] = cut(row[i], widths[i]);
    return widths;
}

}  // namespace

void Table::print(std::ostream &out, std::size_t maxWidth) const {
    auto shown = [](const std::vector<std::string> &row) {
        std::vector<std::string> cells;
        for (const std::string &cell : row)
            cells.push_back(terminalText(cell));
        return cells;
    };
    Rows lines{shown(header_)};
    for (const auto &row : rows_)
        lines.push_back(shown(row));
    std::vector<std::size_t> widths = columnWidths(lines, header_.size());
    if (maxWidth != 0)
        widths = narrow(lines, widths, maxWidth);
    auto line = [&](const std::vector<std::string> &row) {
        std::string text;
        for (std::size_t i = 0; i < widths.size(); ++i) {
            const std::string cell = i < row.size() ? row[i] : std::string();
            text += cell;
            if (i + 1 < widths.size())
                text += std::string(widths[i] - std::min(widths[i], terminalWidth(cell)) + 2, ' ');
        }
        while (!text.empty() && text.back() == ' ')
            text.pop_back();
        out << text << '\n';
    };
    for (const auto &row : lines)
        line(row);
}

}  // namespace rsm::cli
