#include "snnipred/engine/weights.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "snnipred/crypto/he/noise_bound.h"
#include "snnipred/engine/fixed_point.h"
#include "snnipred/engine/reference_executor.h"
#include "snnipred/model/zoo.h"

namespace snnipred::engine {
namespace {

const RingConfig kRing{};

TEST(Weights, TensorSizesFollowTheLayouts) {
    Network net("sizes", Shape{8, 6, 6});
    net.add(conv_layer("grouped", "input", 4, 3, 1, 1, 2, true));
    net.add(simple_layer(LayerType::kBatchNorm, "bn", {"grouped"}));
    net.add(simple_layer(LayerType::kFlatten, "flat", {"bn"}));
    net.add(fc_layer("fc", "flat", 10, false));
    const std::vector<Layer>& l = net.layers();
    EXPECT_EQ(weight_count(l[1]), 4u * 4 * 3 * 3);  // [C_O][C_I/G][K_H][K_W]
    EXPECT_EQ(bias_count(l[1]), 4u);
    EXPECT_EQ(weight_count(l[2]), 4u);
    EXPECT_EQ(bias_count(l[2]), 4u);
    EXPECT_EQ(weight_count(l[3]), 0u);
    EXPECT_EQ(weight_count(l[4]), 10u * 144);
    EXPECT_EQ(bias_count(l[4]), 0u);
    const NetworkWeights w = random_weights(net, 3);
    EXPECT_NO_THROW(w.check(net));
    NetworkWeights short_weights = w;
    short_weights.layers.pop_back();
    EXPECT_THROW(short_weights.check(net), InvalidInput);
}

// The HE noise budget assumes |w| <= 2^28 in fixed point (2^16 real at scale 12): a server
// refuses a conv, fc or batch-norm weight beyond it, naming the layer; a shifted ReLU's
// parameters, which no ciphertext meets, and a wider reference ring are not bounded.
TEST(Weights, SecureRunsRefuseWeightsBeyondThePublicBound) {
    Network net("bounded", Shape{2, 4, 4});
    net.add(conv_layer("c", "input", 2, 3, 1, 1));
    net.add(simple_layer(LayerType::kBatchNorm, "bn", {"c"}));
    NetworkWeights w = random_weights(net, 1);
    const std::int64_t bound = std::int64_t{1} << crypto::he::kMaxWeightBits;
    w.layers[1].weight[5] = kRing.from_signed(-bound);
    w.layers[2].weight[1] = kRing.from_signed(bound);
    EXPECT_NO_THROW(check_weight_bound(net, w));
    w.layers[2].weight[1] = kRing.from_signed(bound + 1);
    try {
        check_weight_bound(net, w);
        FAIL() << "expected InvalidInput";
    } catch (const InvalidInput& error) {
        EXPECT_STREQ(error.what(),
                     "weight 1 of layer 'bn' is 65536.000244, beyond the public bound 2^16 that the HE noise budget "
                     "assumes (2^28 at scale 12, docs/SECURITY.md)");
    }
    EXPECT_NO_THROW(w.check(net));  // the reference executor's check does not bound them
}

TEST(Weights, OversizedWeightsAreRefusedBeforeDrawing) {
    Network net("wide", Shape{100000, 1, 1});
    net.add(fc_layer("fc", "input", 100000, false));  // 10^10 weights, 80 GB as ring values
    Network at_limit("at_limit", Shape{65536, 1, 1});
    at_limit.add(fc_layer("fc", "input", 32768, false));  // exactly 2^31 weights
    EXPECT_NO_THROW(check_tensor_sizes(at_limit));
    try {
        random_weights(net, 1);
        FAIL() << "expected InvalidInput";
    } catch (const InvalidInput& error) {
        EXPECT_STREQ(error.what(),
                     "network 'wide' layer 'fc': weights of 10000000000 elements exceeds the engine's limit of "
                     "2147483648 per tensor");
    }
}

TEST(Weights, BiasIsQuantisedAtTwiceTheScale) {
    const std::vector<double> weight{0.5, -0.3}, bias{0.1};
    const LayerWeights q = quantise_layer(weight, bias, kRing);
    EXPECT_EQ(q.weight[0], 2048u);
    EXPECT_EQ(kRing.to_signed(q.weight[1]), -1229);              // round(-0.3 * 2^12)
    EXPECT_EQ(q.bias[0], static_cast<std::uint64_t>(1677722));   // round(0.1 * 2^24)
    EXPECT_EQ(real_weight(q, kRing), (std::vector<double>{0.5, -1229.0 / 4096}));
    EXPECT_EQ(real_bias(q, kRing), (std::vector<double>{1677722.0 / (1 << 24)}));
    EXPECT_THROW(quantise_layer(std::vector<double>{1e9}, {}, kRing), InvalidInput);
}

TEST(Weights, DeterministicPerSeed) {
    const Network net = zoo_network("lenet5");
    EXPECT_EQ(random_weights(net, 5), random_weights(net, 5));
    EXPECT_NE(random_weights(net, 5), random_weights(net, 6));
    const NetworkWeights other_ring = random_weights(net, 5, RingConfig{37, 10});
    EXPECT_EQ(other_ring.ring.bits, 37);
    EXPECT_THROW(random_weights(net, 5, RingConfig{41, 40}), ConfigError);
}

TEST(Weights, ActivationsStayOrderOneThroughADeepNetwork) {
    Network net = zoo_network("mobilenet_v2");
    // Same layers on a 3x32x32 input: 50+ conv/bn/relu6 layers deep.
    Network small(net.name(), Shape{3, 32, 32}, net.input().name);
    for (std::size_t i = 1; i < net.layers().size(); ++i) {
        Layer layer = net.layers()[i];
        layer.input_shapes.clear();
        small.add(std::move(layer));
    }
    const NetworkWeights w = random_weights(small, 1);
    std::mt19937_64 rng(77);
    std::uniform_real_distribution<double> dist(-1.0, 1.0);
    std::vector<double> input(3 * 32 * 32);
    for (double& v : input) v = dist(rng);
    const auto all = run_reference_all(small, w, encode_all(input, kRing), kRing);
    for (std::size_t i = 1; i < all.size(); ++i) {
        double sum = 0.0;
        for (const std::uint64_t v : all[i]) sum += std::pow(decode(v, kRing), 2);
        const double rms = std::sqrt(sum / static_cast<double>(all[i].size()));
        EXPECT_GT(rms, 0.1) << small.layers()[i].name;  // hundreds of ulps
        EXPECT_LT(rms, 30.0) << small.layers()[i].name;
    }
}

}  // namespace
}  // namespace snnipred::engine
