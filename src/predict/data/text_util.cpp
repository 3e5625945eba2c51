#include "text_util.h"

#include <cmath>
#include <charconv>

#include "snnipred/core/error.h"

namespace snnipred::predict::detail {
namespace {

bool is_blank(char c) { return c == ' ' || c == '\t'; }

std::string_view trim(std::string_view text) {
    while (!text.empty() && is_blank(text.front())) text.remove_prefix(1);
    while (!text.empty() && is_blank(text.back())) text.remove_suffix(1);
    return text;
}

}  // namespace

void fail_at(const std::string& file, std::size_t line, const std::string& reason) {
    throw InvalidInput(file + ":" + std::to_string(line) + ": " + reason);
}

double parse_number(std::string_view cell, const std::string& file, std::size_t line, std::string_view column) {
    double value = 0;
    const char* end = cell.data() + cell.size();
    const auto [ptr, ec] = std::from_chars(cell.data(), end, value);
    if (cell.empty() || ec != std::errc() || ptr != end || !std::isfinite(value))
        fail_at(file, line, "column '" + std::string(column) + "': '" + std::string(cell) + "' is not a number");
    return value;
}

std::vector<std::string_view> split_whitespace(std::string_view text) {
    std::vector<std::string_view> fields;
    std::size_t i = 0;
    while (i < text.size()) {
        while (i < text.size() && is_blank(text[i])) ++i;
        const std::size_t start = i;
        while (i < text.size() && !is_blank(text[i])) ++i;
        if (i > start) fields.push_back(text.substr(start, i - start));
    }
    return fields;
}

std::vector<std::string_view> split_fields(std::string_view text, char separator) {
    std::vector<std::string_view> fields;
    std::size_t start = 0;
    while (true) {
        const std::size_t end = text.find(separator, start);
        fields.push_back(trim(text.substr(start, end == std::string_view::npos ? end : end - start)));
        if (end == std::string_view::npos) break;
        start = end + 1;
    }
    return fields;
}

std::string_view chomp(std::string_view line) {
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    return line;
}

LineReader::LineReader(const std::filesystem::path& path) : file_(path.string()), in_(path) {
    SNNIPRED_CHECK(in_, InvalidInput, file_ + ": cannot open");
}

bool LineReader::next(std::string_view& line) {
    if (!std::getline(in_, text_)) return false;
    ++line_no_;
    line = chomp(text_);
    return true;
}

}  // namespace snnipred::predict::detail
