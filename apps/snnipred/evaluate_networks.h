#pragma once
// The whole-network modes of `snnipred evaluate` (given --networks): `--split network`
// holds networks out and re-trains every method on the others; `--split none` scores a
// bundle's models as they are on every network of the samples.

#include <cstdint>
#include <string>

#include "dataset_options.h"

namespace snnipred::cli {

struct NetworkEvaluateOptions {
    std::string bundle;    // optional for network: its recipe and backend are re-used
    DatasetOptions data;   // layer records for the per-layer methods
    std::string networks;  // whole-network samples (JSON Lines)
    std::string split;     // "network" or "none"
    std::string methods;   // empty: the recipe's per-layer methods and the baselines
    std::string holdout;   // comma-separated network names
    int holdout_random = 0;
    std::uint64_t seed = 1;  // of the random held-out draw
    std::string backend;     // empty: the bundle's, else snnipred
    int trials = 0;          // MLP trials of re-fitted nn models; 0: the recipe's
    bool json = false;
    std::string out;
    std::string command;
};

/// Runs the evaluation and prints / writes its results. Throws ConfigError on options that
/// do not fit the mode (e.g. no --networks, --holdout without --split network) and
/// InvalidInput on bad data (e.g. an unknown held-out network, listing the known ones).
void run_network_evaluation(const NetworkEvaluateOptions& options);

}  // namespace snnipred::cli
