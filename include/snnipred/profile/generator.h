#pragma once
// Seeded random networks for profiling, after the paper's network generation (Fig. 5):
// input 224x224x3 unless the campaign lists other sizes, conv kernels 1/3/5/7, filters
// powers of two 16..1024, stride 1..2, SAME/VALID padding, a ReLU after every conv.
//
//   conv           blocks of conv -> relu
//   conv_maxpool   the same, a max pool after some blocks (at least one)
//   conv_avgpool   the same with average pools
//   fc             conv blocks, then flatten (when the engine's fc fan-in allows) or global
//                  average pool, then fc [-> relu -> fc]
//   bn             blocks of conv -> batchnorm -> relu
//   residual       a stem conv, then blocks conv -> relu -> conv -> add(block input) -> relu
//   concat         a stem conv, then blocks concat(conv a, conv b) -> relu
//
// Per-layer sweeps are tiny networks (input -> one layer [-> relu]) whose dimensions are
// drawn log-uniformly over each kind's feature space: conv, fc, maxpool, avgpool, relu, bn.
//
// Every network is redrawn (deterministically from the seed, family and index) until its
// estimated cost (cost.h) is under the campaign's cap. Networks are named
// gen-<family>-<index> and sweep-<kind>-<index> (index zero-padded to four digits).

#include <cstdint>
#include <string>
#include <vector>

#include "snnipred/model/network.h"
#include "snnipred/profile/campaign.h"

namespace snnipred::profile {

/// The index-th network of `family`. Throws ConfigError on an unknown family, or when no
/// draw fits under the cost cap.
Network generate_network(const std::string& family, int index, const GeneratorSpec& spec, std::uint64_t seed);

/// The index-th sweep network of `kind`. Throws ConfigError on an unknown kind, or when no
/// draw fits under the cost cap.
Network generate_sweep(const std::string& kind, int index, const CostModel& cost, std::uint64_t seed);

/// One network of a campaign, with its position in the campaign's list.
struct CampaignNetwork {
    std::size_t index = 0;
    std::string family;  // a generator family, "sweep-<kind>", or "model"
    Network network;
};

/// All networks of a campaign in a fixed order: families in generator_families() order,
/// then sweeps in sweep_kinds() order, then the explicit models (loaded with
/// load_network). Throws ConfigError as the generators do and when two networks share a
/// name; InvalidInput when a model cannot be loaded.
std::vector<CampaignNetwork> campaign_networks(const Campaign& campaign);

}  // namespace snnipred::profile
