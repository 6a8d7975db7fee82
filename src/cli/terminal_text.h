#pragma once
// Text for a terminal: what rsmctl prints for people comes from rsmd (operator messages, LMID
// and pool names, descriptions, error messages) or from a robot (barcodes, INQUIRY strings),
// and anyone who can set one of them could otherwise send escape sequences to the terminal of
// whoever lists them: clear the screen (ESC [ 2 J), set the clipboard (OSC 52), move the
// cursor to forge a line, with ESC or with the one-byte C1 CSI U+009B (issue 14, finding 13).
//
// terminalText() shows such characters instead of sending them:
//   tab, newline, carriage return          \t \n \r
//   other C0 controls (ESC, BEL, ...), DEL  \x1b \x07 ... \x7f
//   C1 controls U+0080-U+009F               \u0080 ... \u009b ... \u009f
//   bidirectional controls (U+061C, U+200E, U+200F, U+202A-U+202E, U+2066-U+2069) and the
//   line and paragraph separators U+2028, U+2029, which reorder or break what is shown
//                                           \u202e ...
//   a byte that is not part of valid UTF-8   \xff ...
// Everything else, backslashes included, is kept as it is.
//
// --json keeps every string exact: jsonForTerminal() rewrites a JSON text (nlohmann's dump
// already writes C0 controls as \u00XX) so that DEL and the characters above are \u escapes
// too; it parses to the same value.
// Thread-safety: pure functions.

#include <cstddef>
#include <string>
#include <string_view>

namespace rsm::cli {

std::string terminalText(std::string_view text);

// The width of terminalText's result in columns, counting one per code point (rsmctl's
// tables do not measure East Asian wide characters).
std::size_t terminalWidth(std::string_view shown);

// A JSON text (valid UTF-8, as nlohmann's dump writes it) with DEL, C1, bidirectional and
// separator characters written as \uXXXX escapes. The same JSON value.
std::string jsonForTerminal(std::string_view json);

}  // namespace rsm::cli
