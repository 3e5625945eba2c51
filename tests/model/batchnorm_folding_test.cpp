// Folding batch norms into the conv or fc before them: which norms fold, what the folded
// graph reads, and the folded parameters against a hand computation.
#include <gtest/gtest.h>

#include "snnipred/core/error.h"
#include "snnipred/model/batchnorm_folding.h"
#include "snnipred/model/zoo.h"
#include "support/layer_counts.h"

namespace snnipred {
namespace {

using test_support::layers_of_type;

TEST(BatchNormFolding, EveryNormOfResnet50FollowsAConvAndFolds) {
    const Network original = zoo_network("resnet50");
    const RewrittenNetwork folded = fold_batchnorm(as_loaded(original));
    EXPECT_EQ(folded.original_norms, 53u);
    EXPECT_EQ(folded.folded_count(), 53u);
    EXPECT_EQ(layers_of_type(folded.network, LayerType::kBatchNorm), 0u);
    EXPECT_EQ(folded.network.layers().size(), original.layers().size() - 53);
    EXPECT_EQ(folded.network.output().output, original.output().output);
    EXPECT_EQ(folded.describe_batchnorms(), "53 of 53 batch norms folded into the conv or fc before them");
    for (std::size_t i = 0; i < folded.source.size(); ++i) {
        const Layer& layer = folded.network.layers()[i];
        EXPECT_EQ(layer.name, original.layers()[folded.source[i]].name);
        if (folded.absorbed[i]) {
            EXPECT_EQ(layer.type, LayerType::kConv) << layer.name;
            EXPECT_TRUE(layer.bias) << layer.name;
            EXPECT_EQ(original.layers()[*folded.absorbed[i]].inputs.front(), layer.name);
        }
    }
}

// DenseNet's pre-activation norms read a concat or a pool, not a conv's output alone: only
// the norm inside each dense layer (after its 1x1 conv) and the stem's fold.
TEST(BatchNormFolding, NormsThatDoNotFollowAConvStay) {
    const Network original = zoo_network("densenet121");
    const RewrittenNetwork folded = fold_batchnorm(as_loaded(original));
    EXPECT_EQ(folded.original_norms, 121u);
    EXPECT_EQ(folded.folded_count(), 59u);  // 58 dense layers + the stem
    for (std::size_t i = 0; i < folded.network.layers().size(); ++i) {
        const Layer& layer = folded.network.layers()[i];
        if (layer.type != LayerType::kBatchNorm) continue;
        const LayerType producer =
            folded.network.layers()[folded.network.input_positions(i).front()].type;
        EXPECT_NE(producer, LayerType::kConv) << layer.name;
    }
}

TEST(BatchNormFolding, AConvReadElsewhereOrANormThatIsTheOutputStays) {
    Network net("n", Shape{2, 4, 4});
    net.add(conv_layer("shared", "input", 3, 1));
    net.add(simple_layer(LayerType::kBatchNorm, "bn_shared", {"shared"}));
    net.add(simple_layer(LayerType::kRelu, "side", {"shared"}));
    net.add(simple_layer(LayerType::kAdd, "sum", {"bn_shared", "side"}));
    net.add(conv_layer("last", "sum", 3, 1));
    net.add(simple_layer(LayerType::kBatchNorm, "bn_last", {"last"}));
    const RewrittenNetwork folded = fold_batchnorm(as_loaded(net));
    EXPECT_EQ(folded.folded_count(), 0u);
    EXPECT_EQ(folded.network, net);
}

TEST(BatchNormFolding, TheNormsReadersReadTheConv) {
    Network net("n", Shape{2, 4, 4});
    net.add(conv_layer("c", "input", 3, 1));
    net.add(simple_layer(LayerType::kBatchNorm, "bn", {"c"}));
    net.add(simple_layer(LayerType::kRelu, "r", {"bn"}));
    net.add(simple_layer(LayerType::kFlatten, "flat", {"r"}));
    net.add(fc_layer("f", "flat", 2, false));
    net.add(simple_layer(LayerType::kBatchNorm, "bn_f", {"f"}));
    net.add(simple_layer(LayerType::kRelu, "out", {"bn_f"}));
    const RewrittenNetwork folded = fold_batchnorm(as_loaded(net));
    ASSERT_EQ(folded.folded_count(), 2u);
    ASSERT_NE(folded.network.find("r"), nullptr);
    EXPECT_EQ(folded.network.find("r")->inputs, std::vector<std::string>{"c"});
    EXPECT_EQ(folded.network.find("out")->inputs, std::vector<std::string>{"f"});
    EXPECT_EQ(folded.network.find("bn"), nullptr);
    EXPECT_TRUE(folded.network.find("f")->bias);
}

TEST(BatchNormFolding, ParametersAreScaledPerOutputChannelAndShifted) {
    Network net("n", Shape{2, 1, 1});
    net.add(conv_layer("c", "input", 2, 1));  // no bias
    net.add(simple_layer(LayerType::kBatchNorm, "bn", {"c"}));
    net.add(fc_layer("f", "bn", 1, true));
    net.add(simple_layer(LayerType::kBatchNorm, "bn_f", {"f"}));
    net.add(simple_layer(LayerType::kRelu, "out", {"bn_f"}));
    const std::vector<LayerParameters> params{
        {}, {{1, 2, 3, 4}, {}}, {{2, -1}, {0.5, 0.25}}, {{1, 1}, {3}}, {{4}, {-1}}, {}};
    const RewrittenNetwork folded = fold_batchnorm(as_loaded(net));
    const std::vector<LayerParameters> out = rewrite_parameters(folded, params);
    ASSERT_EQ(out.size(), 4u);  // input, c, f, out
    EXPECT_EQ(out[1].weight, (std::vector<double>{2, 4, -3, -4}));
    EXPECT_EQ(out[1].bias, (std::vector<double>{0.5, 0.25}));
    EXPECT_EQ(out[2].weight, (std::vector<double>{4, 4}));
    EXPECT_EQ(out[2].bias, (std::vector<double>{4 * 3 - 1}));
    EXPECT_TRUE(out[3].weight.empty());
}

TEST(BatchNormFolding, ParametersThatDoNotFitAreRefused) {
    Network net("n", Shape{2, 1, 1});
    net.add(conv_layer("c", "input", 2, 1));
    net.add(simple_layer(LayerType::kBatchNorm, "bn", {"c"}));
    net.add(simple_layer(LayerType::kRelu, "out", {"bn"}));
    const RewrittenNetwork folded = fold_batchnorm(as_loaded(net));
    const std::vector<LayerParameters> short_list{{}, {{1, 2, 3, 4}, {}}};
    EXPECT_THROW(rewrite_parameters(folded, short_list), InvalidInput);
    const std::vector<LayerParameters> bad_norm{{}, {{1, 2, 3, 4}, {}}, {{2}, {0.5}}, {}};
    try {
        rewrite_parameters(folded, bad_norm);
        FAIL() << "a norm of one channel folded into a conv of two";
    } catch (const InvalidInput& error) {
        EXPECT_NE(std::string(error.what()).find("layer 'c'"), std::string::npos) << error.what();
    }
}

}  // namespace
}  // namespace snnipred
