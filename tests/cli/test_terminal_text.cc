// terminalText and jsonForTerminal (src/cli/terminal_text.h) byte by byte: what is escaped,
// what is kept, and that --json's rewriting leaves every string as it was.

#include <doctest/doctest.h>

#include <random>

#include <nlohmann/json.hpp>

#include "src/cli/terminal_text.h"

using rsm::cli::jsonForTerminal;
using rsm::cli::terminalText;
using rsm::cli::terminalWidth;

TEST_CASE("terminalText: controls, C1, bidirectional controls and bad UTF-8 are escaped") {
    CHECK(terminalText("") == "");
    CHECK(terminalText("daily-0001") == "daily-0001");
    CHECK(terminalText("\x1b[2J") == "\\x1b[2J");
    CHECK(terminalText("a\tb\nc\rd") == "a\\tb\\nc\\rd");
    CHECK(terminalText(std::string("\0\x07\x7f", 3)) == "\\x00\\x07\\x7f");
    CHECK(terminalText("\xc2\x80\xc2\x9b\xc2\x9f") == "\\u0080\\u009b\\u009f");
    CHECK(terminalText("\xe2\x80\xae\xe2\x81\xa6\xe2\x80\xa8\xd8\x9c") ==
          "\\u202e\\u2066\\u2028\\u061c");
    // Invalid UTF-8: a stray continuation byte, a cut sequence, an overlong form of ESC and of
    // '/', a surrogate, beyond U+10FFFF, bytes never in UTF-8.
    CHECK(terminalText("\x80") == "\\x80");
    CHECK(terminalText("ab\xc3") == "ab\\xc3");
    CHECK(terminalText("\xc0\x9b") == "\\xc0\\x9b");
    CHECK(terminalText("\xe0\x80\xaf") == "\\xe0\\x80\\xaf");
    CHECK(terminalText("\xed\xa0\x80") == "\\xed\\xa0\\x80");
    CHECK(terminalText("\xf4\x90\x80\x80") == "\\xf4\\x90\\x80\\x80");
    CHECK(terminalText("\xff\xfe") == "\\xff\\xfe");
    // Kept: printable UTF-8 from U+00A0 on, backslashes, a zero-width joiner in an emoji.
    CHECK(terminalText("\xc2\xa0pool \xc3\xa9t\xc3\xa9 \\x1b") ==
          "\xc2\xa0pool \xc3\xa9t\xc3\xa9 \\x1b");
    CHECK(terminalText("\xf0\x9f\x91\xa9\xe2\x80\x8d\xf0\x9f\x92\xbb") ==
          "\xf0\x9f\x91\xa9\xe2\x80\x8d\xf0\x9f\x92\xbb");
}

TEST_CASE("terminalWidth counts code points") {
    CHECK(terminalWidth("abc") == 3);
    CHECK(terminalWidth("\xc3\xa9t\xc3\xa9") == 3);
    CHECK(terminalWidth(terminalText("\x1b")) == 4);
}

TEST_CASE("jsonForTerminal: DEL, C1 and bidirectional controls as \\u escapes, the same value") {
    const nlohmann::json value = {{"name", "a\x7f\xc2\x9b\xe2\x80\xae\x1b\xc3\xa9"}};
    const std::string text = jsonForTerminal(value.dump());
    CHECK(text == R"({"name":"a\u007f\u009b\u202e\u001bé"})");
    CHECK(nlohmann::json::parse(text) == value);

    // Any string of code points survives: the rewritten text parses to the same value and
    // holds none of the characters a terminal acts on.
    std::mt19937 random(14);
    const char32_t interesting[] = {0x00,   0x07,   0x1b,   0x5c, 0x22,  0x7f,    0x80,
                                    0x9b,   0x9f,   0xa0,   0xe9, 0x61c, 0x200e,  0x2028,
                                    0x202e, 0x2066, 0x2069, 0x41, 0x7e,  0x10348, 0xfeff};
    for (int round = 0; round < 500; ++round) {
        std::u32string codes;
        const int length = static_cast<int>(random() % 12);
        for (int i = 0; i < length; ++i)
            codes += interesting[random() % std::size(interesting)];
        std::string utf8;
        for (char32_t c : codes) {
            if (c < 0x80) {
                utf8 += static_cast<char>(c);
            } else if (c < 0x800) {
                utf8 += static_cast<char>(0xC0 | (c >> 6));
                utf8 += static_cast<char>(0x80 | (c & 0x3F));
            } else if (c < 0x10000) {
                utf8 += static_cast<char>(0xE0 | (c >> 12));
                utf8 += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
                utf8 += static_cast<char>(0x80 | (c & 0x3F));
            } else {
                utf8 += static_cast<char>(0xF0 | (c >> 18));
                utf8 += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
                utf8 += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
                utf8 += static_cast<char>(0x80 | (c & 0x3F));
            }
        }
        const nlohmann::json value = {{"s", utf8}};
        const std::string text = jsonForTerminal(value.dump());
        CAPTURE(text);
        CHECK(nlohmann::json::parse(text) == value);
        CHECK(terminalText(text) == text);  // nothing left to escape
    }
}
