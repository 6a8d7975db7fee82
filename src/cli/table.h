#pragma once
// A plain text table for people: a header row and left-aligned columns two blanks apart.
// Every cell is printed through terminalText (terminal_text.h): control characters from rsmd
// or a robot are shown escaped, and columns are as wide as the escaped text.

#include <ostream>
#include <string>
#include <vector>

namespace rsm::cli {

class Table {
public:
    explicit Table(std::vector<std::string> header) : header_(std::move(header)) {}
    void add(std::vector<std::string> row) { rows_.push_back(std::move(row)); }
    void print(std::ostream &out) const;

private:
    std::vector<std::string> header_;
    std::vector<std::vector<std::string>> rows_;
};

}  // namespace rsm::cli
