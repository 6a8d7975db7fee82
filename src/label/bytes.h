#pragma once
// Reading a first block: big-endian numbers, fixed-width and NUL-terminated text fields, and
// turning what a tape says into text fit for people and the database. Every read is bounds
// checked: a field that does not lie inside the block is nullopt, never a read past its end.
// Pure functions; thread-safe.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace rsm::label::detail {

using Bytes = std::span<const std::uint8_t>;

// The longest label id or description rsm keeps (the database's limit), in bytes.
constexpr std::size_t maxTextBytes = 256;

bool startsWith(Bytes b, std::string_view prefix);
std::optional<std::uint32_t> be32(Bytes b, std::size_t at);
// The n bytes at `at`, up to the first NUL (all n when there is none).
std::optional<std::string> field(Bytes b, std::size_t at, std::size_t n);
// A NUL-terminated string starting at `at` that ends before `end`; nullopt when unterminated.
std::optional<std::string> cString(Bytes b, std::size_t at, std::size_t end);
std::string trimRight(std::string s);  // trailing blanks and NULs
// Printable ASCII only (0x20..0x7E).
bool printableAscii(std::string_view s);
// Valid UTF-8 kept; control characters and bytes that are not UTF-8 become '?'; cut at a
// character boundary to at most maxTextBytes bytes.
std::string cleanText(std::string_view s);

}  // namespace rsm::label::detail
