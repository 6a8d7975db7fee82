#pragma once
// A plain text table for people: a header row and left-aligned columns two blanks apart.
// Every cell is printed through terminalText (terminal_text.h): control characters from rsmd
// or a robot are shown escaped, and columns are as wide as the escaped text.
// A table wider than its limit is narrowed: UUIDs are shown by their first 8 characters
// (rsmctl takes them back: request show/cancel), then the widest columns are cut, a cut
// cell ending in "…". No limit (--wide): every cell whole.

#include <ostream>
#include <string>
#include <vector>

namespace rsm::cli {

class Table {
public:
    explicit Table(std::vector<std::string> header) : header_(std::move(header)) {}
    void add(std::vector<std::string> row) { rows_.push_back(std::move(row)); }
    // maxWidth: the widest line printed, in terminal columns; 0: no limit.
    void print(std::ostream &out, std::size_t maxWidth = 0) const;

private:
    std::vector<std::string> header_;
    std::vector<std::vector<std::string>> rows_;
};

}  // namespace rsm::cli
