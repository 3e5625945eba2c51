#include <set>

#include "snnipred/core/error.h"
#include "snnipred/model/load.h"
#include "snnipred/profile/generator.h"

namespace snnipred::profile {

std::vector<CampaignNetwork> campaign_networks(const Campaign& campaign) {
    std::vector<CampaignNetwork> out;
    std::set<std::string> names;
    const auto push = [&](std::string family, Network network) {
        SNNIPRED_CHECK(names.insert(network.name()).second, ConfigError,
                       "campaign '" + campaign.name + "' has two networks named '" + network.name() + "'");
        out.push_back(CampaignNetwork{out.size(), std::move(family), std::move(network)});
    };
    for (const std::string& family : generator_families())
        for (const auto& [name, count] : campaign.generator.families)
            if (name == family)
                for (int k = 0; k < count; ++k)
                    push(family, generate_network(family, k, campaign.generator, campaign.seed));
    for (const std::string& kind : sweep_kinds())
        for (const auto& [name, count] : campaign.sweeps)
            if (name == kind)
                for (int k = 0; k < count; ++k)
                    push("sweep-" + kind, generate_sweep(kind, k, campaign.generator.cost, campaign.seed));
    for (const std::string& spec : campaign.models) push("model", load_network(spec));
    return out;
}

}  // namespace snnipred::profile
