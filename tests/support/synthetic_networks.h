#pragma once
// Test helper: small random networks (chains of conv / relu / maxpool / bn / fc of random
// shapes) and whole-network times that follow a known per-step cost formula plus noise,
// so whole-network predictors can be checked for learning on held-out networks.

#include <cmath>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "snnipred/model/network.h"
#include "snnipred/predict/lowering.h"
#include "snnipred/predict/network_dataset.h"

namespace snnipred::test_support {

/// A chain of `blocks` conv(+bn)+relu(+maxpool) blocks, then flatten, fc+relu, fc. `scale`
/// multiplies the ranges of image size and channel counts (bigger layers than usual).
inline Network random_network(std::mt19937_64& rng, const std::string& name, int blocks, std::int64_t scale = 1) {
    auto pick = [&rng](std::int64_t low, std::int64_t high) {
        return low + static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(high - low + 1));
    };
    std::int64_t size = pick(12, 40) * scale;
    Network net(name, Shape{pick(1, 4), size, size});
    std::string last = "input";
    for (int b = 0; b < blocks; ++b) {
        const std::string id = std::to_string(b);
        const std::int64_t kernel = rng() % 2 == 0 ? 1 : 3;
        last = net.add(conv_layer("conv" + id, last, pick(4, 48) * scale, kernel, 1, kernel / 2)).name;
        if (rng() % 3 == 0) last = net.add(simple_layer(LayerType::kBatchNorm, "bn" + id, {last})).name;
        last = net.add(simple_layer(LayerType::kRelu, "relu" + id, {last})).name;
        if (size >= 8 && rng() % 3 == 0) {
            last = net.add(pool_layer(LayerType::kMaxPool, "pool" + id, last, 2, 2)).name;
            size /= 2;
        }
    }
    last = net.add(simple_layer(LayerType::kFlatten, "flatten", {last})).name;
    last = net.add(fc_layer("fc1", last, pick(16, 128))).name;
    last = net.add(simple_layer(LayerType::kRelu, "fc1_relu", {last})).name;
    net.add(fc_layer("fc2", last, 10));
    return net;
}

/// The known cost of one step, ms: a per-kind cost per operation and per output element
/// plus a fixed per-step latency.
inline double step_cost_ms(const predict::ProtocolStep& step) {
    const CompositeFeatures c = predict::record_composite_features(step.record);
    switch (step.record.kind) {
        case predict::LayerKind::kConv: return 2e-5 * c.n_op + 1e-3 * c.s_out + 0.8;
        case predict::LayerKind::kFc: return 4e-5 * c.n_op + 0.5;
        case predict::LayerKind::kRelu: return 2e-3 * c.s_out + 0.3;
        case predict::LayerKind::kTrunc: return 8e-4 * c.s_out + 0.2;
        case predict::LayerKind::kMaxPool: return 1.5e-3 * c.n_op + 0.3;
        default: return 5e-4 * c.s_out + 0.2;
    }
}

/// One LAN sample per network of `min_blocks..max_blocks` blocks: times summed from step_cost_ms over the cheetah
/// lowering (the server 5% slower), times lognormal noise of `noise` relative spread.
inline std::vector<predict::NetworkSample> synthetic_samples(std::uint64_t seed, int count, int min_blocks,
                                                             int max_blocks, double noise = 0.02,
                                                             std::int64_t scale = 1) {
    std::mt19937_64 rng(seed);
    std::normal_distribution<double> jitter(0.0, noise);
    std::vector<predict::NetworkSample> samples;
    for (int i = 0; i < count; ++i) {
        const int blocks = min_blocks + static_cast<int>(rng() % static_cast<std::uint64_t>(max_blocks - min_blocks + 1));
        Network net = random_network(rng, "gen-" + std::to_string(seed) + "-" + std::to_string(i), blocks, scale);
        double total = 0;
        for (const predict::ProtocolStep& step : predict::lower_network(net)) total += step_cost_ms(step);
        const double client = total * std::exp(jitter(rng));
        const double server = 1.05 * total * std::exp(jitter(rng));
        samples.push_back(predict::NetworkSample{net.name(), "LAN", "", std::move(net), client, server});
    }
    return samples;
}

/// Mean absolute percentage error of `predicted` against `actual`.
inline double mape(const std::vector<double>& predicted, const std::vector<double>& actual) {
    double sum = 0;
    for (std::size_t i = 0; i < actual.size(); ++i) sum += std::abs(predicted[i] - actual[i]) / actual[i];
    return 100.0 * sum / static_cast<double>(actual.size());
}

}  // namespace snnipred::test_support
