#include "snnipred/engine/reference_executor.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>

#include "snnipred/engine/fixed_point.h"
#include "snnipred/model/zoo.h"

namespace snnipred::engine {
namespace {

const RingConfig kRing{};

std::vector<std::uint64_t> raw(std::initializer_list<std::int64_t> values) {
    std::vector<std::uint64_t> out;
    for (const std::int64_t v : values) out.push_back(kRing.from_signed(v));
    return out;
}

std::vector<std::int64_t> signed_values(const std::vector<std::uint64_t>& values) {
    std::vector<std::int64_t> out;
    for (const std::uint64_t v : values) out.push_back(kRing.to_signed(v));
    return out;
}

// Weights for `network` with every parameter-free entry empty and layer `i` given.
NetworkWeights weights_for(const Network& network, std::size_t i, LayerWeights layer) {
    NetworkWeights w{kRing, std::vector<LayerWeights>(network.layers().size())};
    w.layers[i] = std::move(layer);
    return w;
}

TEST(ReferenceExecutor, HandComputedConvTruncatesByFloor) {
    Network net("tiny", Shape{1, 3, 3});
    net.add(conv_layer("conv", "input", 1, 2, 1, 0, 1, true));
    // Raw scale-12 weights; bias at scale 24: 0.125 = 2^21.
    const NetworkWeights w = weights_for(net, 1, {raw({4096, 2048, -1024, 1229}), raw({1 << 21})});
    const std::vector<std::uint64_t> x = raw({4096, 8192, -2867, 16384, 20480, 0, -4096, 1, 2});
    const std::vector<std::uint64_t> y = run_reference(net, w, x, kRing);
    // Each output: floor((sum w*x + bias) / 4096), worked out by hand.
    // (0,0): 4096*4096 + 2048*8192 - 1024*16384 + 1229*20480 + 2^21 = 44,044,288 -> 10753
    // (0,1): 4096*8192 + 2048*-2867 - 1024*20480 + 1229*0 + 2^21 = 8,808,448 -> 2150 (.5)
    // (1,0): 4096*16384 + 2048*20480 - 1024*-4096 + 1229*1 + 2^21 = 115,344,589 -> 28160 (.3)
    // (1,1): 4096*20480 + 2048*0 - 1024*1 + 1229*2 + 2^21 = 85,984,666 -> 20992 (.35)
    EXPECT_EQ(signed_values(y), (std::vector<std::int64_t>{10753, 2150, 28160, 20992}));
    const std::vector<double> f = run_float(net, w, decode_all(x, kRing));
    EXPECT_NEAR(f[2], 115344589.0 / (1 << 24), 1e-12);
}

TEST(ReferenceExecutor, HandComputedFullyConnectedWithNegatives) {
    Network net("fc", Shape{2, 1, 1});
    net.add(fc_layer("fc", "input", 2, false));
    const NetworkWeights w = weights_for(net, 1, {raw({1229, 0, -1229, 4096}), {}});
    // -0.7 * 0.3 -> -3523543 / 4096 = -860.2 -> -861 (floor, not -860).
    // 0.7 * 0.3 * -1 + 1 * x1: -(-3523543) ... second row: -1229*-2867 + 4096*-1 = 3519447 -> 859.
    const std::vector<std::uint64_t> y = run_reference(net, w, raw({-2867, -1}), kRing);
    EXPECT_EQ(signed_values(y), (std::vector<std::int64_t>{-861, 859}));
}

TEST(ReferenceExecutor, MaxPoolIgnoresPaddingAvgPoolCountsIt) {
    Network net("pools", Shape{1, 2, 2});
    net.add(pool_layer(LayerType::kMaxPool, "max", "input", 2, 2, 1));
    net.add(pool_layer(LayerType::kAvgPool, "avg", "input", 2, 2, 1));
    net.add(simple_layer(LayerType::kConcat, "cat", {"max", "avg"}));
    const NetworkWeights w{kRing, std::vector<LayerWeights>(net.layers().size())};
    const std::vector<std::uint64_t> x = raw({-4096, -8192, -12288, -16384});
    const auto all = run_reference_all(net, w, x, kRing);
    // Each 2x2 window (pad 1) covers one input cell: max = that cell, never the zero pad.
    EXPECT_EQ(signed_values(all[1]), (std::vector<std::int64_t>{-4096, -8192, -12288, -16384}));
    // Average divides by 4 (padding counted): floor(v * 1024 / 4096).
    EXPECT_EQ(signed_values(all[2]), (std::vector<std::int64_t>{-1024, -2048, -3072, -4096}));
    EXPECT_EQ(all[3].size(), 8u);
    EXPECT_EQ(all[3], run_reference(net, w, x, kRing));
}

TEST(ReferenceExecutor, CeilModeAvgPoolDividesByTheCoveredPart) {
    // 3x3 input, 2x2 windows, stride 2, ceil_mode: the last row/column of windows hangs
    // over the input with no padding there; PyTorch divides by the covered cells only.
    Network net("ceil", Shape{1, 3, 3});
    net.add(pool_layer(LayerType::kAvgPool, "avg", "input", 2, 2, 0, true));
    const NetworkWeights w{kRing, std::vector<LayerWeights>(2)};
    const std::vector<std::uint64_t> y = run_reference(net, w, std::vector<std::uint64_t>(9, 4096), kRing);
    EXPECT_EQ(signed_values(y), (std::vector<std::int64_t>{4096, 4096, 4096, 4096}));
}

TEST(ReferenceExecutor, AveragesUseTheFixedPointReciprocal) {
    Network net("avg", Shape{1, 3, 3});
    net.add(simple_layer(LayerType::kGlobalAvgPool, "gap", {"input"}));
    const NetworkWeights w{kRing, std::vector<LayerWeights>(2)};
    // 1/9 encodes as 455/4096: nine ones average to floor(9 * 4096 * 455 / 4096) = 4095.
    const std::vector<std::uint64_t> ones(9, 4096);
    EXPECT_EQ(signed_values(run_reference(net, w, ones, kRing)), (std::vector<std::int64_t>{4095}));
    EXPECT_EQ(run_float(net, w, std::vector<double>(9, 1.0)), (std::vector<double>{1.0}));
}

TEST(ReferenceExecutor, ElementwiseLayers) {
    Network net("misc", Shape{2, 1, 2});
    net.add(simple_layer(LayerType::kRelu, "relu", {"input"}));
    net.add(simple_layer(LayerType::kRelu6, "relu6", {"input"}));
    net.add(simple_layer(LayerType::kAdd, "add", {"relu", "relu6"}));
    net.add(simple_layer(LayerType::kBatchNorm, "bn", {"add"}));
    Layer pad = simple_layer(LayerType::kPad, "pad", {"bn"});
    pad.window.pad_left = 1;
    net.add(pad);
    net.add(simple_layer(LayerType::kFlatten, "flat", {"pad"}));
    net.add(simple_layer(LayerType::kIdentity, "out", {"flat"}));
    // bn: channel 0 scale 0.5 shift 1 (at 2*scale), channel 1 scale -1 shift 0.
    const NetworkWeights w = weights_for(net, 4, {raw({2048, -4096}), raw({1 << 24, 0})});
    const std::vector<std::uint64_t> x = encode_all(std::vector<double>{-2.0, 3.0, 7.5, 0.25}, kRing);
    const auto all = run_reference_all(net, w, x, kRing);
    EXPECT_EQ(decode_all(all[1], kRing), (std::vector<double>{0.0, 3.0, 7.5, 0.25}));
    EXPECT_EQ(decode_all(all[2], kRing), (std::vector<double>{0.0, 3.0, 6.0, 0.25}));
    EXPECT_EQ(decode_all(all[3], kRing), (std::vector<double>{0.0, 6.0, 13.5, 0.5}));
    EXPECT_EQ(decode_all(all[4], kRing), (std::vector<double>{1.0, 4.0, -13.5, -0.5}));
    EXPECT_EQ(decode_all(all[7], kRing), (std::vector<double>{0.0, 1.0, 4.0, 0.0, -13.5, -0.5}));
    // The per-layer entry point is what the network run uses.
    for (std::size_t i = 1; i < all.size(); ++i) {
        const Layer& layer = net.layers()[i];
        std::vector<const std::vector<std::uint64_t>*> inputs;
        for (const std::string& name : layer.inputs)
            inputs.push_back(&all[static_cast<std::size_t>(net.find(name) - net.layers().data())]);
        EXPECT_EQ(reference_layer(layer, w.layers[i], inputs, kRing), all[i]) << layer.name;
    }
}

TEST(ReferenceExecutor, RejectsMismatches) {
    const Network net = zoo_network("lenet5");
    const NetworkWeights w = random_weights(net, 1);
    const std::vector<std::uint64_t> x(784, 0);
    EXPECT_THROW(run_reference(net, w, std::vector<std::uint64_t>(10, 0), kRing), InvalidInput);
    EXPECT_THROW(run_reference(net, w, x, RingConfig{44, 13}), ConfigError);
    NetworkWeights broken = w;
    broken.layers[1].weight.pop_back();
    EXPECT_THROW(run_reference(net, broken, x, kRing), InvalidInput);
    EXPECT_THROW(run_float(zoo_network("minionn"), w, std::vector<double>(3072)), InvalidInput);
}

// A copy of `network` with a different input shape (same layers, shapes re-inferred).
Network with_input(const Network& network, Shape input) {
    Network out(network.name(), input, network.input().name);
    for (std::size_t i = 1; i < network.layers().size(); ++i) {
        Layer layer = network.layers()[i];
        layer.input_shapes.clear();
        layer.output = {};
        out.add(std::move(layer));
    }
    return out;
}

struct Accuracy {
    double max_abs_error = 0, max_abs_output = 0;
    bool argmax_agrees = false;
};

Accuracy compare(const Network& net, std::uint64_t seed) {
    const NetworkWeights w = random_weights(net, seed);
    std::mt19937_64 rng(seed + 1000);
    std::uniform_real_distribution<double> dist(-1.0, 1.0);
    std::vector<double> input(static_cast<std::size_t>(net.input().output.elements()));
    for (double& v : input) v = dist(rng);
    const std::vector<std::uint64_t> encoded = encode_all(input, kRing);
    const std::vector<double> fixed = decode_all(run_reference(net, w, encoded, kRing), kRing);
    const std::vector<double> real = run_float(net, w, decode_all(encoded, kRing));
    Accuracy acc;
    for (std::size_t i = 0; i < real.size(); ++i) {
        acc.max_abs_error = std::max(acc.max_abs_error, std::abs(fixed[i] - real[i]));
        acc.max_abs_output = std::max(acc.max_abs_output, std::abs(real[i]));
    }
    acc.argmax_agrees = std::max_element(fixed.begin(), fixed.end()) - fixed.begin() ==
                        std::max_element(real.begin(), real.end()) - real.begin();
    return acc;
}

struct ZooCase {
    const char* name;
    double tolerance;  // on max |fixed - float| over the logits; measured maxima in comments
};

class ZooAccuracy : public ::testing::TestWithParam<ZooCase> {};

// Logits are O(1) (max |float| 1.6..3.6 over these seeds), so the tolerances are ~0.1-0.5%
// of the output range; the measured errors come from the floor bias of one truncation per
// linear layer (-0.5 ulp on average) compounding with depth.
TEST_P(ZooAccuracy, FixedPointTracksFloat) {
    Network net = zoo_network(GetParam().name);
    if (net.input().output.h > 32) net = with_input(net, Shape{3, 32, 32});
    for (const std::uint64_t seed : {1u, 2u, 3u}) {
        const Accuracy acc = compare(net, seed);
        RecordProperty("max_abs_error_seed" + std::to_string(seed), std::to_string(acc.max_abs_error));
        EXPECT_LT(acc.max_abs_error, GetParam().tolerance) << "seed " << seed;
        EXPECT_GT(acc.max_abs_output, 0.5) << "seed " << seed;
        EXPECT_TRUE(acc.argmax_agrees) << "seed " << seed;
    }
}

INSTANTIATE_TEST_SUITE_P(Zoo, ZooAccuracy,
                         ::testing::Values(ZooCase{"minionn", 0.005},    // measured <= 0.0022
                                           ZooCase{"lenet5", 0.002},     // measured <= 0.00089
                                           ZooCase{"resnet18", 0.02}),  // 3x32x32, measured <= 0.0085
                         [](const auto& info) { return std::string(info.param.name); });

TEST(ReferenceExecutor, DeterministicPerSeed) {
    const Network net = zoo_network("minionn");
    const NetworkWeights a = random_weights(net, 9), b = random_weights(net, 9), c = random_weights(net, 10);
    EXPECT_EQ(a, b);
    EXPECT_NE(a.layers[1].weight, c.layers[1].weight);
    const std::vector<std::uint64_t> x = share(std::vector<std::uint64_t>(3072, 0), 4, kRing).client;
    std::vector<std::uint64_t> small(x.size());
    for (std::size_t i = 0; i < x.size(); ++i) small[i] = kRing.from_signed(kRing.to_signed(x[i]) >> 28);
    EXPECT_EQ(run_reference(net, a, small, kRing), run_reference(net, b, small, kRing));
}

}  // namespace
}  // namespace snnipred::engine
