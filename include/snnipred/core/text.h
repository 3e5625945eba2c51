#pragma once
// Small text helpers shared by the parsers of names (presets, sets, modes).

#include <algorithm>
#include <cctype>
#include <string>
#include <string_view>

namespace snnipred {

/// ASCII lower case: names parse case-insensitively.
inline std::string to_lower(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
    return out;
}

}  // namespace snnipred
