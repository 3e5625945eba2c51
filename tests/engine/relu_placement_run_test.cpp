// ReLUs moved after the max pools they feed, in the engine: the rewritten network computes
// exactly what the original does, in the plaintext reference and in a secure run.
#include <gtest/gtest.h>

#include "secure_run.h"
#include "snnipred/engine/reference_executor.h"
#include "snnipred/engine/weights.h"
#include "snnipred/model/relu_placement.h"
#include "snnipred/model/zoo.h"

namespace snnipred::engine {
namespace {

using testing::run_secure_pair;
using testing::uniform_input;

// Max and ReLU commute on ring values: bit for bit, whatever the weights.
TEST(ReluPlacementRun, SqueezenetComputesTheSameValuesWithItsRelusAfterThePools) {
    const Network original = zoo_network("squeezenet1_1@32");
    const RewrittenNetwork moved = relus_after_max_pools(as_loaded(original));
    ASSERT_EQ(moved.relus_moved, 5u);
    const std::vector<LayerParameters> params = random_parameters(original, 3);
    const NetworkWeights original_weights = quantise_weights(original, params);
    const NetworkWeights moved_weights = quantise_weights(moved.network, rewrite_parameters(moved, params));
    for (const std::uint64_t seed : {4, 5}) {
        const std::vector<std::uint64_t> input = uniform_input(original, seed);
        EXPECT_EQ(run_reference(moved.network, moved_weights, input, RingConfig{}),
                  run_reference(original, original_weights, input, RingConfig{}));
    }
}

// A stem (conv, ReLU, 3×3 stride-2 pool) and a fire-like concat of two ReLUs before a pool,
// securely with Ferret (separable pools) against the original's reference.
TEST(ReluPlacementRun, SecureRunWithFerretEqualsTheOriginalsReference) {
    Network net("stem_and_fire", Shape{3, 16, 16});
    net.add(conv_layer("stem", "input", 8, 3, 1, 1));
    net.add(simple_layer(LayerType::kRelu, "stem_relu", {"stem"}));
    net.add(pool_layer(LayerType::kMaxPool, "stem_pool", "stem_relu", 3, 2));
    net.add(conv_layer("e1", "stem_pool", 4, 1));
    net.add(simple_layer(LayerType::kRelu, "e1_relu", {"e1"}));
    net.add(conv_layer("e3", "stem_pool", 4, 3, 1, 1));
    net.add(simple_layer(LayerType::kRelu, "e3_relu", {"e3"}));
    net.add(simple_layer(LayerType::kConcat, "cat", {"e1_relu", "e3_relu"}));
    net.add(pool_layer(LayerType::kMaxPool, "pool", "cat", 3, 2, 1));
    net.add(simple_layer(LayerType::kFlatten, "flat", {"pool"}));
    net.add(fc_layer("fc", "flat", 5));
    const RewrittenNetwork moved = relus_after_max_pools(as_loaded(net));
    ASSERT_EQ(moved.relus_moved, 3u);
    const std::vector<LayerParameters> params = random_parameters(net, 6);
    const NetworkWeights moved_weights = quantise_weights(moved.network, rewrite_parameters(moved, params));
    const std::vector<std::uint64_t> input = uniform_input(net, 7);
    const SecureOptions options = testing::cheetah_options();
    const testing::SecureRunResult run = run_secure_pair(moved.network, moved_weights, input, options, options);
    EXPECT_EQ(run.output, run_reference(net, quantise_weights(net, params), input, RingConfig{}));
}

}  // namespace
}  // namespace snnipred::engine
