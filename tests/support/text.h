#pragma once
// Small text helpers the tests share. Thread-safety: pure functions.

#include <string>

namespace rsm::test {

// Whether `part` occurs in `text`.
inline bool contains(const std::string &text, const std::string &part) {
    return text.find(part) != std::string::npos;
}

}  // namespace rsm::test
