// Folded batch norms in the engine: the folded network computes what the unfolded one does
// (up to fixed-point rounding), and its secure run equals its own plaintext reference.
#include <algorithm>
#include <cmath>
#include <cstdio>

#include <gtest/gtest.h>

#include "secure_run.h"
#include "snnipred/engine/reference_executor.h"
#include "snnipred/engine/weights.h"
#include "snnipred/model/batchnorm_folding.h"
#include "snnipred/model/zoo.h"

namespace snnipred::engine {
namespace {

using testing::run_secure_pair;
using testing::uniform_input;

struct Pair {
    Network original;
    RewrittenNetwork folded;
    NetworkWeights original_weights;
    NetworkWeights folded_weights;
    NetworkWeights fine_weights;  // the original's at 30 fractional bits: its real parameters
};

Pair folded_pair(const std::string& name, std::uint64_t seed) {
    Network original = zoo_network(name);
    RewrittenNetwork folded = fold_batchnorm(as_loaded(original));
    const std::vector<LayerParameters> params = random_parameters(original, seed);
    NetworkWeights original_weights = quantise_weights(original, params);
    NetworkWeights folded_weights = quantise_weights(folded.network, rewrite_parameters(folded, params));
    NetworkWeights fine_weights = quantise_weights(original, params, RingConfig{64, 30});
    return {std::move(original), std::move(folded), std::move(original_weights), std::move(folded_weights),
            std::move(fine_weights)};
}

double largest_difference(const std::vector<double>& a, const std::vector<double>& b) {
    double worst = 0;
    for (std::size_t i = 0; i < a.size(); ++i) worst = std::max(worst, std::abs(a[i] - b[i]));
    return worst;
}

// Both fixed-point runs against the unfolded network in double precision with its real
// parameters: folding (one truncation instead of two, scale x weight quantised once) adds
// no error beyond rounding.
TEST(BatchNormFoldingRun, FoldedNetworksComputeWhatTheUnfoldedOnesDo) {
    for (const std::string name : {"resnet18@32", "mobilenet_v2@32", "densenet121@32"}) {
        const Pair pair = folded_pair(name, 5);
        ASSERT_GT(pair.folded.folded_count(), 0u) << name;
        const std::vector<std::uint64_t> input = uniform_input(pair.original, 6);
        const std::vector<double> exact =
            run_float(pair.original, pair.fine_weights, decode_all(input, RingConfig{}));
        const std::vector<double> unfolded =
            decode_all(run_reference(pair.original, pair.original_weights, input, RingConfig{}), RingConfig{});
        const std::vector<double> folded =
            decode_all(run_reference(pair.folded.network, pair.folded_weights, input, RingConfig{}), RingConfig{});
        ASSERT_EQ(folded.size(), exact.size()) << name;
        const double unfolded_error = largest_difference(unfolded, exact);
        const double folded_error = largest_difference(folded, exact);
        std::printf("%s: largest error unfolded %.4f, folded %.4f\n", name.c_str(), unfolded_error, folded_error);
        EXPECT_GT(largest_difference(folded, unfolded), 0.0) << name << ": a different computation rounds differently";
        EXPECT_LT(folded_error, 2 * unfolded_error) << name;
    }
}

TEST(BatchNormFoldingRun, SecureRunOfAFoldedResnet18WithFerretEqualsItsReference) {
    const Pair pair = folded_pair("resnet18@32", 7);
    const std::vector<std::uint64_t> input = uniform_input(pair.original, 8);
    const SecureOptions options = testing::cheetah_options();
    const testing::SecureRunResult run =
        run_secure_pair(pair.folded.network, pair.folded_weights, input, options, options);
    EXPECT_EQ(run.output, run_reference(pair.folded.network, pair.folded_weights, input, RingConfig{}));
    for (const SpanRecord& span : run.client.records())
        EXPECT_NE(span.layer_type, "batchnorm") << span.layer;
}

}  // namespace
}  // namespace snnipred::engine
