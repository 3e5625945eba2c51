// Batch norms folded forward through their ReLU, in the engine: the rewritten network
// computes what the original does (up to fixed-point rounding), with negative scales too,
// and its secure run equals its own plaintext reference bit for bit.
#include <algorithm>
#include <cmath>
#include <cstdio>

#include <gtest/gtest.h>

#include "secure_run.h"
#include "snnipred/engine/reference_executor.h"
#include "snnipred/engine/weights.h"
#include "snnipred/model/preactivation_folding.h"
#include "snnipred/model/zoo.h"

namespace snnipred::engine {
namespace {

using testing::run_secure_pair;
using testing::uniform_input;

// A concat read by a pre-activation norm, a grouped padded conv after it, and a norm on a
// residual sum whose ReLU reaches the classifier through a pool and a flatten.
Network preactivation_network() {
    Network net("preactivation", Shape{4, 8, 8});
    net.add(conv_layer("c1", "input", 6, 3, 1, 1));
    net.add(simple_layer(LayerType::kConcat, "cat", {"input", "c1"}));
    net.add(simple_layer(LayerType::kBatchNorm, "bn1", {"cat"}));
    net.add(simple_layer(LayerType::kRelu, "r1", {"bn1"}));
    net.add(conv_layer("c2", "r1", 4, 3, 1, 1, 2));
    net.add(conv_layer("c3", "input", 4, 3, 1, 1));
    net.add(simple_layer(LayerType::kAdd, "sum", {"c2", "c3"}));
    net.add(simple_layer(LayerType::kBatchNorm, "bn2", {"sum"}));
    net.add(simple_layer(LayerType::kRelu, "r2", {"bn2"}));
    net.add(pool_layer(LayerType::kAvgPool, "avg", "r2", 2, 2));
    net.add(simple_layer(LayerType::kFlatten, "flat", {"avg"}));
    net.add(fc_layer("fc", "flat", 5));
    return net;
}

// random_parameters draws scales in [0.75, 1.25]; every other channel's is made negative.
std::vector<LayerParameters> parameters_with_negative_scales(const Network& network, std::uint64_t seed) {
    std::vector<LayerParameters> params = random_parameters(network, seed);
    for (std::size_t i = 0; i < params.size(); ++i)
        if (network.layers()[i].type == LayerType::kBatchNorm)
            for (std::size_t c = 1; c < params[i].weight.size(); c += 2) params[i].weight[c] = -params[i].weight[c];
    return params;
}

double largest_difference(const std::vector<double>& a, const std::vector<double>& b) {
    double worst = 0;
    for (std::size_t i = 0; i < a.size(); ++i) worst = std::max(worst, std::abs(a[i] - b[i]));
    return worst;
}

struct Folded {
    RewrittenNetwork rewritten;
    NetworkWeights weights;
};

Folded fold_forward(const Network& original, const std::vector<LayerParameters>& params) {
    RewrittenNetwork rewritten = rewrite_network(original, {.fold_batchnorm = true, .fold_preactivation = true});
    NetworkWeights weights = quantise_weights(rewritten.network, rewrite_parameters(rewritten, params));
    return {std::move(rewritten), std::move(weights)};
}

// In double precision the rewrite is an identity; in fixed point it rounds about as the
// original does (whose norm had a truncation of its own): within twice its error, or 16
// units in the last place where both are a few.
TEST(PreactivationFoldingRun, FoldedNetworksComputeWhatTheOriginalsDo) {
    const std::vector<std::pair<Network, std::vector<LayerParameters>>> cases = [] {
        std::vector<std::pair<Network, std::vector<LayerParameters>>> out;
        const Network small = preactivation_network();
        out.emplace_back(small, parameters_with_negative_scales(small, 5));
        const Network densenet = zoo_network("densenet121@32");
        out.emplace_back(densenet, parameters_with_negative_scales(densenet, 5));
        return out;
    }();
    for (const auto& [original, params] : cases) {
        const Folded folded = fold_forward(original, params);
        ASSERT_GT(folded.rewritten.forward_count, 0u) << original.name();
        const std::vector<std::uint64_t> input = uniform_input(original, 6);
        const std::vector<double> real_input = decode_all(input, RingConfig{});
        const RingConfig fine{64, 30};
        const std::vector<double> exact = run_float(original, quantise_weights(original, params, fine), real_input);
        const Folded fine_folded{folded.rewritten, quantise_weights(folded.rewritten.network,
                                                                    rewrite_parameters(folded.rewritten, params), fine)};
        EXPECT_LT(largest_difference(run_float(fine_folded.rewritten.network, fine_folded.weights, real_input), exact),
                  1e-6)
            << original.name();
        const std::vector<double> unfolded = decode_all(
            run_reference(original, quantise_weights(original, params), input, RingConfig{}), RingConfig{});
        const std::vector<double> rewritten =
            decode_all(run_reference(folded.rewritten.network, folded.weights, input, RingConfig{}), RingConfig{});
        const double unfolded_error = largest_difference(unfolded, exact);
        const double folded_error = largest_difference(rewritten, exact);
        std::printf("%s: largest error as loaded %.4f, folded both ways %.4f\n", original.name().c_str(),
                    unfolded_error, folded_error);
        EXPECT_LT(folded_error, std::max(2 * unfolded_error, 16 * std::ldexp(1.0, -RingConfig{}.scale)))
            << original.name();
    }
}

// The client runs plain ReLUs; the server's shifts and sign flips make them shifted ones.
TEST(PreactivationFoldingRun, SecureRunsEqualTheReferenceWithEitherOtExtension) {
    const Network original = preactivation_network();
    const Folded folded = fold_forward(original, parameters_with_negative_scales(original, 7));
    ASSERT_EQ(folded.rewritten.forward_count, 2u);
    const std::vector<std::uint64_t> input = uniform_input(original, 8);
    const std::vector<std::uint64_t> expected =
        run_reference(folded.rewritten.network, folded.weights, input, RingConfig{});
    for (const protocol::OtExtension ot : {protocol::OtExtension::kFerret, protocol::OtExtension::kIknp}) {
        const SecureOptions options = testing::cheetah_options(ot);
        const testing::SecureRunResult run =
            run_secure_pair(folded.rewritten.network, folded.weights, input, options, options);
        EXPECT_EQ(run.output, expected);
        std::size_t shifted = 0;
        for (const SpanRecord& span : run.client.records()) {
            EXPECT_NE(span.layer_type, "batchnorm") << span.layer;
            shifted += span.layer_type == "shifted_relu";
        }
        EXPECT_EQ(shifted, 2u);
    }
}

TEST(PreactivationFoldingRun, SecureDensenetWithFerretEqualsItsReference) {
    const Network original = zoo_network("densenet121@32");
    const Folded folded = fold_forward(original, parameters_with_negative_scales(original, 9));
    const std::vector<std::uint64_t> input = uniform_input(original, 10);
    const SecureOptions options = testing::cheetah_options();
    const testing::SecureRunResult run =
        run_secure_pair(folded.rewritten.network, folded.weights, input, options, options);
    EXPECT_EQ(run.output, run_reference(folded.rewritten.network, folded.weights, input, RingConfig{}));
}

}  // namespace
}  // namespace snnipred::engine
