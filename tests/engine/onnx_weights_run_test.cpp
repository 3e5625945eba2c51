// A model's ONNX initializers through quantise_weights, the reference executor and one
// secure run: the engine computes with the trained parameters, not just their shapes.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "model/onnx_weights_model.h"
#include "secure_run.h"
#include "snnipred/engine/fixed_point.h"
#include "snnipred/engine/reference_executor.h"
#include "snnipred/engine/weights.h"
#include "snnipred/model/onnx_import.h"
#include "snnipred/model/onnx_weights.h"

namespace snnipred::engine {
namespace {

using test_support::WeightsModel;

const RingConfig kRing{};

struct Loaded {
    WeightsModel model;
    Network network;
    std::vector<LayerParameters> params;
};

Loaded load(const std::string& name) {
    WeightsModel model =
        test_support::write_weights_model(::testing::TempDir() + "onnx_weights_run_" + name + ".onnx");
    Network network = import_onnx_file(model.path);
    std::vector<LayerParameters> params = onnx_parameters(model.path, network).value();
    return {std::move(model), std::move(network), std::move(params)};
}

// The model's forward pass in double precision, straight from the stored initializers.
std::vector<double> float_forward(const WeightsModel& m, const std::vector<double>& x) {
    constexpr std::int64_t C = WeightsModel::kChannels, S = WeightsModel::kSide, F = WeightsModel::kFilters;
    std::vector<double> flat(static_cast<std::size_t>(F * S * S));
    for (std::int64_t f = 0; f < F; ++f) {
        const double scale = m.gamma[f] / std::sqrt(m.var[f] + WeightsModel::kEpsilon);
        for (std::int64_t y = 0; y < S; ++y)
            for (std::int64_t x0 = 0; x0 < S; ++x0) {
                double sum = m.conv_bias[f];
                for (std::int64_t c = 0; c < C; ++c)
                    for (std::int64_t ky = 0; ky < 3; ++ky)
                        for (std::int64_t kx = 0; kx < 3; ++kx) {
                            const std::int64_t iy = y + ky - 1, ix = x0 + kx - 1;
                            if (iy < 0 || iy >= S || ix < 0 || ix >= S) continue;
                            sum += m.conv_weight[((f * C + c) * 3 + ky) * 3 + kx] * x[(c * S + iy) * S + ix];
                        }
                const double normed = scale * (sum - m.mean[f]) + m.beta[f];
                flat[(f * S + y) * S + x0] = std::max(normed, 0.0);
            }
    }
    std::vector<double> out(WeightsModel::kOutputs);
    for (std::int64_t o = 0; o < WeightsModel::kOutputs; ++o) {
        double sum = 0.0;
        for (std::int64_t i = 0; i < WeightsModel::kFlat; ++i)
            sum += m.fc_weight[i * WeightsModel::kOutputs + o] * flat[i];
        out[o] = WeightsModel::kAlpha * sum + WeightsModel::kBeta * m.fc_bias[o];
    }
    return out;
}

TEST(OnnxWeightsRun, QuantisedWeightsAreTheEncodedParameters) {
    const Loaded l = load("quantise");
    const NetworkWeights weights = quantise_weights(l.network, l.params, kRing);
    ASSERT_EQ(weights.layers.size(), l.params.size());
    for (std::size_t i = 0; i < l.params.size(); ++i) {
        ASSERT_EQ(weights.layers[i].weight.size(), l.params[i].weight.size());
        ASSERT_EQ(weights.layers[i].bias.size(), l.params[i].bias.size());
        for (std::size_t j = 0; j < l.params[i].weight.size(); ++j)
            EXPECT_EQ(weights.layers[i].weight[j], encode(l.params[i].weight[j], kRing, kRing.scale));
        for (std::size_t j = 0; j < l.params[i].bias.size(); ++j)
            EXPECT_EQ(weights.layers[i].bias[j], encode(l.params[i].bias[j], kRing, 2 * kRing.scale));
    }
}

TEST(OnnxWeightsRun, ParametersMustFitTheNetwork) {
    const Loaded l = load("misfit");
    std::vector<LayerParameters> params = l.params;
    params[1].weight.pop_back();
    EXPECT_THROW(quantise_weights(l.network, params, kRing), InvalidInput);
}

TEST(OnnxWeightsRun, ReferenceMatchesAFloatForwardPass) {
    const Loaded l = load("reference");
    const NetworkWeights weights = quantise_weights(l.network, l.params, kRing);
    const std::vector<std::uint64_t> input = testing::uniform_input(l.network, 3);
    const std::vector<double> expected = float_forward(l.model, decode_all(input, kRing));
    const std::vector<double> actual = decode_all(run_reference(l.network, weights, input, kRing), kRing);
    ASSERT_EQ(actual.size(), expected.size());
    double largest = 0.0;
    for (std::size_t o = 0; o < expected.size(); ++o) {
        // A few ulps (2^-12) per layer, summed over at most 48 products.
        EXPECT_NEAR(actual[o], expected[o], 0.01) << "output " << o;
        largest = std::max(largest, std::abs(expected[o]));
    }
    EXPECT_GT(largest, 0.1);  // the check is not vacuous
}

TEST(OnnxWeightsRun, SecureRunMatchesTheReferenceExactly) {
    const Loaded l = load("secure");
    const NetworkWeights weights = quantise_weights(l.network, l.params, kRing);
    const std::vector<std::uint64_t> input = testing::uniform_input(l.network, 5);
    SecureOptions options;
    options.he = HomConfig::cheetah_n4096();
    options.truncation = TruncationMode::kFaithful;
    options.seed = 11;
    const testing::SecureRunResult run = testing::run_secure_pair(l.network, weights, input, options, options);
    EXPECT_EQ(run.output, run_reference(l.network, weights, input, kRing));
}

}  // namespace
}  // namespace snnipred::engine
