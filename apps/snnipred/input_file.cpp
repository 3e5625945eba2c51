#include "input_file.h"

#include <cmath>
#include <cstdlib>
#include <fstream>

#include "snnipred/core/error.h"

namespace snnipred::cli {
namespace {

bool is_separator(char c) { return c == ' ' || c == '\t' || c == '\r' || c == ','; }

// The token as text for an error message (long garbage cut short, control bytes shown as '.').
std::string shown(const std::string& token) {
    std::string out;
    for (const char c : token.substr(0, 32)) out += (c >= 0x20 && c < 0x7f) ? c : '.';
    return token.size() > 32 ? out + "..." : out;
}

}  // namespace

std::vector<double> read_input_file(const std::string& path, std::size_t expected, const std::string& what) {
    std::ifstream file(path, std::ios::binary);
    SNNIPRED_CHECK(file.good(), InvalidInput, "cannot read input file '" + path + "'");
    std::vector<double> values;
    std::string line;
    for (std::size_t number = 1; std::getline(file, line); ++number) {
        if (const std::size_t hash = line.find('#'); hash != std::string::npos) line.resize(hash);
        std::size_t pos = 0;
        while (pos < line.size()) {
            if (is_separator(line[pos])) {
                ++pos;
                continue;
            }
            std::size_t end = pos;
            while (end < line.size() && !is_separator(line[end])) ++end;
            const std::string token = line.substr(pos, end - pos);
            char* parsed_end = nullptr;
            const double value = std::strtod(token.c_str(), &parsed_end);
            SNNIPRED_CHECK(parsed_end == token.c_str() + token.size() && std::isfinite(value), InvalidInput,
                           path + ":" + std::to_string(number) + ": '" + shown(token) + "' is not a finite number");
            values.push_back(value);
            pos = end;
        }
    }
    SNNIPRED_CHECK(values.size() == expected, InvalidInput,
                   path + ": holds " + std::to_string(values.size()) + " values, " + what + " needs " +
                       std::to_string(expected));
    return values;
}

}  // namespace snnipred::cli
