#pragma once
// Small text helpers shared by the dataset readers (internal to the predict module).

#include <string>
#include <string_view>
#include <vector>

namespace snnipred::predict::detail {

/// Throws InvalidInput "file:line: reason".
[[noreturn]] void fail_at(const std::string& file, std::size_t line, const std::string& reason);

/// Parses a whole cell as a finite double; throws InvalidInput "file:line: reason".
double parse_number(std::string_view cell, const std::string& file, std::size_t line, std::string_view column);

/// Splits on runs of blanks (spaces, tabs); no empty fields.
std::vector<std::string_view> split_whitespace(std::string_view text);
/// Splits on `separator`, keeping empty fields; trims blanks around each field.
std::vector<std::string_view> split_fields(std::string_view text, char separator);
/// Drops a trailing '\r' (CRLF files).
std::string_view chomp(std::string_view line);

}  // namespace snnipred::predict::detail
