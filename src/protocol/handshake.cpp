#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "snnipred/core/error.h"
#include "snnipred/protocol/plan.h"

namespace snnipred::protocol {
namespace {

// At most `limit` characters of what a peer sent, control and non-ASCII bytes as '.', so an
// error message quoting it cannot garble a terminal.
std::string printable(std::string_view text, std::size_t limit) {
    std::string out;
    for (const char c : text.substr(0, limit)) out += (c >= 0x20 && c < 0x7f) ? c : '.';
    return out;
}

}  // namespace

std::string handshake_message(const Network& network, const PlanOptions& options, const std::string& digest) {
    const std::string summary = network.name() + " " + network.input().output.str() + " -> " +
                                network.output().output.str() + " (" + std::to_string(network.layers().size()) +
                                " layers, digest " + digest + ")";
    const std::vector<std::pair<std::string, std::string>> fields{
        {"network digest", summary},
        {"ring", std::to_string(options.ring.bits) + "/" + std::to_string(options.ring.scale)},
        {"he_n", std::to_string(options.he.n)},
        {"flooding", options.he.flooding ? "yes" : "no"},
        {"truncation", std::string(truncation_mode_name(options.truncation))},
        {"ot", std::string(ot_extension_name(options.ot))},
        {"conv_packing", std::string(conv_packing_name(options.he.conv_packing))}};
    std::string text(kHandshakeMagic);
    for (const auto& [key, value] : fields) text += "\n" + key + "=" + value;
    return text;
}

HandshakeFields parse_handshake(std::string_view text) {
    if (text.starts_with(kRefusalMagic) && text.size() > kRefusalMagic.size())
        throw NetworkError("the server refused the run: " + printable(text.substr(kRefusalMagic.size() + 1), 200));
    SNNIPRED_CHECK(text.starts_with(kHandshakeMagic) &&
                       (text.size() == kHandshakeMagic.size() || text[kHandshakeMagic.size()] == '\n'),
                   ConfigError,
                   "the peer did not send a snnipred handshake (" + std::to_string(text.size()) + " bytes: '" +
                       printable(text, 24) + "')");
    HandshakeFields fields;
    std::size_t start = kHandshakeMagic.size() + 1;
    while (start < text.size()) {
        const std::size_t end = std::min(text.find('\n', start), text.size());
        const std::string_view line = text.substr(start, end - start);
        const std::size_t eq = line.find('=');
        SNNIPRED_CHECK(eq != std::string::npos, ConfigError, "malformed handshake line '" + printable(line, 24) + "'");
        fields.emplace_back(line.substr(0, eq), line.substr(eq + 1));
        start = end + 1;
    }
    return fields;
}

}  // namespace snnipred::protocol
