#pragma once
// Rewriting one JSON section of a serialized bundle (the manifest, the analytical models),
// for tests of bundles written by older versions or corrupted in a well-framed way.

#include <cstdint>
#include <cstdio>
#include <functional>
#include <stdexcept>
#include <string>

#include <nlohmann/json.hpp>

namespace snnipred::test_support {

/// `bytes` (serialize_bundle's output) with the JSON body of section `name` passed through
/// `edit`, the section's header (length, checksum) recomputed.
inline std::string with_edited_section(const std::string& bytes, const std::string& name,
                                       const std::function<void(nlohmann::json&)>& edit) {
    std::size_t header = bytes.find('\n') + 1;  // after the magic line
    while (header < bytes.size()) {
        const std::size_t header_end = bytes.find('\n', header);
        const std::string line = bytes.substr(header, header_end - header);
        const std::size_t space = line.find(' ');
        const std::size_t length = std::stoull(line.substr(space + 1));
        if (line.substr(0, space) == name) {
            nlohmann::json body = nlohmann::json::parse(bytes.substr(header_end + 1, length));
            edit(body);
            const std::string text = body.dump(2);
            std::uint64_t hash = 0xcbf29ce484222325ULL;  // FNV-1a, the bundle's section checksum
            for (unsigned char c : text) hash = (hash ^ c) * 0x100000001b3ULL;
            char hex[17];
            std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(hash));
            return bytes.substr(0, header) + name + " " + std::to_string(text.size()) + " " + hex + "\n" + text +
                   bytes.substr(header_end + 1 + length);
        }
        header = header_end + 1 + length + 1;
    }
    throw std::invalid_argument("bundle has no section '" + name + "'");
}

}  // namespace snnipred::test_support
