#pragma once
// Test helper: synthetic SNNI data whose truth is known. Small random networks are built
// with the model IR, lowered to protocol steps, and every step costs a fixed linear
// formula of its composite features (per kind and party) times seeded noise. Layer
// records carry the step costs; a network's sample is the sum of its steps' costs.

#include <cstdint>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "snnipred/model/network.h"
#include "snnipred/predict/dataset.h"
#include "snnipred/predict/lowering.h"
#include "snnipred/predict/network_dataset.h"

namespace snnipred::test_support {

/// The true cost of a step in ms: 0.05 + 1e-4 S_in + 2e-6 N_op (+ 1e-4 S_par), the server
/// 10 % slower, WAN twice as slow as LAN.
inline double true_step_ms(const predict::LayerRecord& step, snnipred::Party party, const std::string& setting) {
    const CompositeFeatures f = predict::record_composite_features(step);
    const double base = 0.05 + 1e-4 * f.s_in + 2e-6 * f.n_op + 1e-4 * f.s_par;
    return base * (party == snnipred::Party::kServer ? 1.1 : 1.0) * (setting == "WAN" ? 2.0 : 1.0);
}

/// A random conv net: 1 to 3 conv (+ReLU, sometimes BN or max pool) blocks and an FC head.
inline Network random_network(const std::string& name, std::mt19937_64& rng) {
    const auto pick = [&](std::int64_t lo, std::int64_t hi) {
        return lo + static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(hi - lo + 1));
    };
    const std::int64_t side = 8 * pick(1, 4);
    Network net(name, Shape{3, side, side});
    std::string last = "input";
    const std::int64_t blocks = pick(1, 3);
    for (std::int64_t b = 0; b < blocks; ++b) {
        const std::string id = std::to_string(b);
        const std::int64_t kernel = pick(0, 1) == 0 ? 1 : 3;
        last = net.add(conv_layer("conv" + id, last, 8 * pick(1, 4), kernel, 1, kernel / 2)).name;
        if (pick(0, 2) == 0) last = net.add(simple_layer(LayerType::kBatchNorm, "bn" + id, {last})).name;
        last = net.add(simple_layer(LayerType::kRelu, "relu" + id, {last})).name;
        if (pick(0, 1) == 0 && net.output().output.h >= 4)
            last = net.add(pool_layer(LayerType::kMaxPool, "pool" + id, last, 2, 2)).name;
    }
    last = net.add(simple_layer(LayerType::kFlatten, "flatten", {last})).name;
    net.add(fc_layer("fc", last, 10));
    return net;
}

struct SyntheticData {
    predict::Dataset records;
    std::vector<predict::NetworkSample> samples;
};

/// `networks` random networks named net-000.. in each of `settings`, `repeats` samples per
/// network and setting. Record and sample times carry multiplicative noise of +-`noise`.
inline SyntheticData synthetic_data(
    int networks, const std::vector<std::string>& settings, int repeats, double noise, std::uint64_t seed,
    const predict::LoweringOptions& lowering = predict::lowering_for_backend("snnipred")) {
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> jitter(1 - noise, 1 + noise);
    SyntheticData data;
    for (int i = 0; i < networks; ++i) {
        char name[16];
        std::snprintf(name, sizeof name, "net-%03d", i);
        const Network net = random_network(name, rng);
        const std::vector<predict::ProtocolStep> steps = predict::lower_network(net, lowering);
        for (const std::string& setting : settings) {
            for (int r = 0; r < repeats; ++r) {
                double client = 0, server = 0;
                for (const predict::ProtocolStep& step : steps) {
                    for (snnipred::Party party : {snnipred::Party::kClient, snnipred::Party::kServer}) {
                        predict::LayerRecord record = predict::step_record(step, party, setting);
                        const double truth = true_step_ms(step.record, party, setting);
                        record.time_ms = truth * jitter(rng);
                        record.source.network = name;
                        record.source.run = std::to_string(r);
                        data.records.records.push_back(std::move(record));
                        (party == snnipred::Party::kClient ? client : server) += truth;
                    }
                }
                data.samples.push_back({name, setting, std::to_string(r), net, client * jitter(rng),
                                        server * jitter(rng)});
            }
        }
    }
    return data;
}

}  // namespace snnipred::test_support
