#pragma once
// Rewriting one section of a serialized bundle (the manifest, the analytical models), for
// tests of bundles written by older versions or corrupted in a well-framed way.

#include <cstdint>
#include <cstdio>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace snnipred::test_support {

namespace detail {

// Calls visit(name, header offset, body offset, body length) for each section of `bytes`
// until it returns true or the end marker.
inline void walk_sections(const std::string& bytes,
                          const std::function<bool(const std::string&, std::size_t, std::size_t, std::size_t)>& visit) {
    std::size_t header = bytes.find('\n') + 1;  // after the magic line
    while (header < bytes.size()) {
        const std::size_t header_end = bytes.find('\n', header);
        const std::string line = bytes.substr(header, header_end - header);
        const std::size_t space = line.find(' ');
        if (line.substr(0, space) == "end") return;  // "end <section count>"
        const std::size_t length = std::stoull(line.substr(space + 1));
        if (visit(line.substr(0, space), header, header_end + 1, length)) return;
        header = header_end + 1 + length + 1;
    }
}

}  // namespace detail

/// The names of the sections of `bytes` (serialize_bundle's output), in order.
inline std::vector<std::string> section_names(const std::string& bytes) {
    std::vector<std::string> names;
    detail::walk_sections(bytes, [&](const std::string& name, std::size_t, std::size_t, std::size_t) {
        names.push_back(name);
        return false;
    });
    return names;
}

/// `bytes` with the body of section `name` replaced by rewrite(body), the section's header
/// (length, checksum) recomputed.
inline std::string with_rewritten_section(const std::string& bytes, const std::string& name,
                                          const std::function<std::string(const std::string&)>& rewrite) {
    std::string result;
    detail::walk_sections(bytes, [&](const std::string& section, std::size_t header, std::size_t body,
                                     std::size_t length) {
        if (section != name) return false;
        const std::string text = rewrite(bytes.substr(body, length));
        std::uint64_t hash = 0xcbf29ce484222325ULL;  // FNV-1a, the bundle's section checksum
        for (unsigned char c : text) hash = (hash ^ c) * 0x100000001b3ULL;
        char hex[17];
        std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(hash));
        result = bytes.substr(0, header) + name + " " + std::to_string(text.size()) + " " + hex + "\n" + text +
                 bytes.substr(body + length);
        return true;
    });
    if (result.empty()) throw std::invalid_argument("bundle has no section '" + name + "'");
    return result;
}

/// `bytes` with the JSON body of section `name` passed through `edit`.
inline std::string with_edited_section(const std::string& bytes, const std::string& name,
                                       const std::function<void(nlohmann::json&)>& edit) {
    return with_rewritten_section(bytes, name, [&](const std::string& body) {
        nlohmann::json json = nlohmann::json::parse(body);
        edit(json);
        return json.dump(2);
    });
}

}  // namespace snnipred::test_support
