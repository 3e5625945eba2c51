#pragma once
// A rough cost estimate of a network on the secure engine, from counts alone: used to cap
// generated networks so every run of a campaign finishes in bounded time. The counts
// follow the engine's protocols (engine/secure_executor.h); the weights of the formula are
// the campaign's (CostModel in campaign.h).

#include "snnipred/model/network.h"
#include "snnipred/profile/campaign.h"

namespace snnipred::profile {

struct NetworkCounts {
    double relu_elements = 0;        // ReLU inputs; a ReLU6 counts twice (two comparisons)
    double maxpool_comparisons = 0;  // per output: window size - 1 comparisons
    double truncated_elements = 0;   // outputs of conv, fc, bn, avgpool, globalavgpool
    double macs = 0;                 // HE multiply-accumulates of conv, fc, bn
};

NetworkCounts count_costs(const Network& network);

/// relu_s * (relu_elements + maxpool_comparisons) + trunc_s * truncated_elements + mac_s * macs.
double estimated_cost_s(const NetworkCounts& counts, const CostModel& model);

}  // namespace snnipred::profile
