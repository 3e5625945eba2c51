#pragma once
// Small text helpers shared by the dataset readers (internal to the predict module).

#include <filesystem>
#include <fstream>
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

/// A text file read line by line, counting lines for "file:line: reason" errors.
class LineReader {
public:
    /// Opens `path`; throws InvalidInput "<path>: cannot open".
    explicit LineReader(const std::filesystem::path& path);

    /// Moves to the next line and sets `line` to it without a trailing '\r'; false at the
    /// end of the file. `line` stays valid until the next call.
    bool next(std::string_view& line);

    const std::string& file() const { return file_; }
    /// 1-based number of the current line (0 before the first).
    std::size_t line_no() const { return line_no_; }

private:
    std::string file_;
    std::ifstream in_;
    std::string text_;
    std::size_t line_no_ = 0;
};

}  // namespace snnipred::predict::detail
