#include "snnipred/model/onnx_weights.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "model/onnx_weights_model.h"
#include "snnipred/core/error.h"
#include "snnipred/model/onnx_import.h"
#include "support/expect_error.h"

namespace snnipred {
namespace {

using test_support::WeightsModel;

std::string temp_path(const std::string& name) { return ::testing::TempDir() + "onnx_weights_" + name + ".onnx"; }

const LayerParameters& params_of(const std::vector<LayerParameters>& params, const Network& net,
                                 const std::string& layer) {
    for (std::size_t i = 0; i < net.layers().size(); ++i)
        if (net.layers()[i].name == layer) return params[i];
    throw std::out_of_range("no layer " + layer);
}

TEST(OnnxWeights, ReadsConvBatchNormAndGemmInitializers) {
    const WeightsModel m = test_support::write_weights_model(temp_path("known"));
    const Network net = import_onnx_file(m.path);
    const auto params = onnx_parameters(m.path, net);
    ASSERT_TRUE(params.has_value());
    ASSERT_EQ(params->size(), net.layers().size());

    const LayerParameters& conv = params_of(*params, net, "conv");
    EXPECT_EQ(conv.weight, m.conv_weight);  // ONNX and IR share [C_O][C_I/G][K_H][K_W]
    EXPECT_EQ(conv.bias, m.conv_bias);

    const LayerParameters& bn = params_of(*params, net, "bn");
    ASSERT_EQ(bn.weight.size(), 3u);
    ASSERT_EQ(bn.bias.size(), 3u);
    for (std::size_t c = 0; c < 3; ++c) {
        const double scale = m.gamma[c] / std::sqrt(m.var[c] + WeightsModel::kEpsilon);
        EXPECT_DOUBLE_EQ(bn.weight[c], scale);
        EXPECT_DOUBLE_EQ(bn.bias[c], m.beta[c] - m.mean[c] * scale);
    }

    // Gemm with transB=0 stores [in][out]; the IR holds alpha * W as [out][in].
    const LayerParameters& fc = params_of(*params, net, "fc");
    ASSERT_EQ(fc.weight.size(), m.fc_weight.size());
    for (std::int64_t o = 0; o < WeightsModel::kOutputs; ++o)
        for (std::int64_t i = 0; i < WeightsModel::kFlat; ++i)
            EXPECT_EQ(fc.weight[o * WeightsModel::kFlat + i],
                      WeightsModel::kAlpha * m.fc_weight[i * WeightsModel::kOutputs + o]);
    ASSERT_EQ(fc.bias.size(), m.fc_bias.size());
    for (std::size_t o = 0; o < fc.bias.size(); ++o) EXPECT_EQ(fc.bias[o], WeightsModel::kBeta * m.fc_bias[o]);

    for (const char* name : {"x", "relu", "flatten"}) {
        EXPECT_TRUE(params_of(*params, net, name).weight.empty()) << name;
        EXPECT_TRUE(params_of(*params, net, name).bias.empty()) << name;
    }
}

TEST(OnnxWeights, ShapeOnlyModelHasNoParameters) {
    const WeightsModel m = test_support::write_weights_model(temp_path("shapes"), false);
    EXPECT_FALSE(onnx_parameters(m.path, import_onnx_file(m.path)).has_value());
}

TEST(OnnxWeights, InitializerOfTheWrongShapeIsNamed) {
    const WeightsModel m = test_support::write_weights_model(temp_path("mismatch"));
    // Same layer names, but a 1x1 convolution: the file's 3x3 kernel does not fit.
    Network net("mismatch", Shape{2, 4, 4}, "x");
    net.add(conv_layer("conv", "x", 3, 1, 1, 0, 1, true));
    test_support::expect_error_containing<InvalidInput>(
        [&] { onnx_parameters(m.path, net); },
        m.path + ": layer 'conv': initializer 'conv_w' has shape [3,2,3,3], the conv layer expects [3,2,1,1]");
}

TEST(OnnxWeights, LayerMissingFromTheFileIsNamed) {
    const WeightsModel m = test_support::write_weights_model(temp_path("missing"));
    Network net("missing", Shape{2, 4, 4}, "x");
    net.add(conv_layer("other", "x", 3, 3, 1, 1, 1, true));
    test_support::expect_error_containing<InvalidInput>([&] { onnx_parameters(m.path, net); },
                                                        "the file has no conv layer 'other'");
}

TEST(OnnxWeights, SqueezeNetHasParametersForEveryConv) {
    const std::string path = std::string(SNNIPRED_SHARED_DIR) + "/models/squeezenet1_1.onnx";
    const Network net = import_onnx_file(path);
    const auto params = onnx_parameters(path, net);
    ASSERT_TRUE(params.has_value());
    int convs = 0;
    for (std::size_t i = 0; i < net.layers().size(); ++i) {
        const Layer& layer = net.layers()[i];
        if (layer.type != LayerType::kConv) continue;
        ++convs;
        const Shape& in = layer.input_shapes.front();
        const auto expected = static_cast<std::size_t>(layer.out_channels * in.c / layer.groups *
                                                       layer.window.kernel_h * layer.window.kernel_w);
        EXPECT_EQ((*params)[i].weight.size(), expected) << layer.name;
        EXPECT_EQ((*params)[i].bias.size(), layer.bias ? static_cast<std::size_t>(layer.out_channels) : 0u)
            << layer.name;
    }
    EXPECT_EQ(convs, 26);  // SqueezeNet 1.1: conv1, 8 fire modules of 3, conv10
}

}  // namespace
}  // namespace snnipred
