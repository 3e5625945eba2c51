#include <string>
#include <utility>
#include <vector>

#include "snnipred/protocol/plan.h"

namespace snnipred::protocol {

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
        {"ot", std::string(ot_extension_name(options.ot))}};
    std::string text(kHandshakeMagic);
    for (const auto& [key, value] : fields) text += "\n" + key + "=" + value;
    return text;
}

}  // namespace snnipred::protocol
