// Batch norms folded forward through their ReLU: which fold, what the rewritten graph
// reads, and the parameters each side of the ReLU takes.
#include <gtest/gtest.h>

#include "snnipred/core/error.h"
#include "snnipred/model/preactivation_folding.h"
#include "snnipred/model/zoo.h"
#include "support/layer_counts.h"

namespace snnipred {
namespace {

using test_support::layers_of_type;

TEST(PreactivationFolding, DensenetLosesEveryNormWithFoldingBothWays) {
    const Network original = zoo_network("densenet121");
    const RewrittenNetwork both = rewrite_network(original, {.fold_batchnorm = true, .fold_preactivation = true});
    // Each of the 58 dense layers has a pre-activation norm (norm1, on the concat) and one after
    // its 1×1 conv; the 3 transitions and the final norm5 are pre-activation too.
    EXPECT_EQ(both.folded_count(), 59u);
    EXPECT_EQ(both.forward_count, 62u);
    EXPECT_EQ(layers_of_type(both.network, LayerType::kBatchNorm), 0u);
    EXPECT_EQ(layers_of_type(both.network, LayerType::kShiftedRelu), 62u);
    EXPECT_EQ(both.describe_batchnorms(),
              "59 of 121 batch norms folded into the conv or fc before them, 62 through their ReLU into the conv or "
              "fc after it");
    EXPECT_EQ(both.network.output().output, original.output().output);
    std::size_t linear_targets = 0;
    for (std::size_t i = 0; i < both.source.size(); ++i) {
        const Layer& layer = both.network.layers()[i];
        EXPECT_EQ(layer.name, original.layers()[both.source[i]].name);
        if (!both.forward[i]) continue;
        const Layer& norm = original.layers()[*both.forward[i]];
        ASSERT_EQ(norm.type, LayerType::kBatchNorm) << layer.name;
        if (layer.type == LayerType::kShiftedRelu) {
            EXPECT_EQ(layer.inputs, norm.inputs) << layer.name;  // the ReLU reads what the norm read
        } else {
            ASSERT_TRUE(layer.type == LayerType::kConv || layer.type == LayerType::kFullyConnected) << layer.name;
            ++linear_targets;
        }
    }
    EXPECT_EQ(linear_targets, 62u);  // 58 + 3 convs, and the classifier through the pool and flatten
}

TEST(PreactivationFolding, OnlyANormWhoseReluReachesOneLinearLayerFolds) {
    Network net("n", Shape{4, 8, 8});
    net.add(simple_layer(LayerType::kBatchNorm, "to_pool", {"input"}));
    net.add(simple_layer(LayerType::kRelu, "r1", {"to_pool"}));
    net.add(pool_layer(LayerType::kMaxPool, "max", "r1", 2, 2));  // max needs the sign: stays
    net.add(simple_layer(LayerType::kBatchNorm, "read_twice", {"max"}));
    net.add(simple_layer(LayerType::kRelu, "r2", {"read_twice"}));
    net.add(simple_layer(LayerType::kAdd, "sum", {"read_twice", "r2"}));
    net.add(simple_layer(LayerType::kBatchNorm, "to_relu6", {"sum"}));
    net.add(simple_layer(LayerType::kRelu6, "r3", {"to_relu6"}));
    net.add(simple_layer(LayerType::kBatchNorm, "folds", {"r3"}));
    net.add(simple_layer(LayerType::kRelu, "r4", {"folds"}));
    net.add(pool_layer(LayerType::kAvgPool, "avg", "r4", 2, 2));
    net.add(simple_layer(LayerType::kFlatten, "flat", {"avg"}));
    net.add(fc_layer("fc", "flat", 3));
    const RewrittenNetwork folded = fold_preactivation_norms(as_loaded(net));
    EXPECT_EQ(folded.forward_count, 1u);
    EXPECT_EQ(folded.describe_batchnorms(), "1 of 4 batch norms folded through their ReLU into the conv or fc after it");
    EXPECT_EQ(folded.network.find("folds"), nullptr);
    EXPECT_EQ(folded.network.find("r4")->type, LayerType::kShiftedRelu);
    EXPECT_EQ(folded.network.find("r4")->inputs, std::vector<std::string>{"r3"});
    for (const char* kept : {"r1", "r2"}) EXPECT_EQ(folded.network.find(kept)->type, LayerType::kRelu);
    EXPECT_EQ(layers_of_type(folded.network, LayerType::kBatchNorm), 3u);
}

// relu(a x + b) = a g(x + b/a): the ReLU takes sign(a) and b/a, the fc a per input channel.
TEST(PreactivationFolding, TheReluTakesSignsAndShiftsTheLinearLayerTheScales) {
    Network net("n", Shape{2, 2, 2});
    net.add(simple_layer(LayerType::kBatchNorm, "bn", {"input"}));
    net.add(simple_layer(LayerType::kRelu, "relu", {"bn"}));
    net.add(simple_layer(LayerType::kFlatten, "flat", {"relu"}));
    net.add(fc_layer("fc", "flat", 1));
    const RewrittenNetwork folded = fold_preactivation_norms(as_loaded(net));
    ASSERT_EQ(folded.network.layers().size(), 4u);
    std::vector<LayerParameters> params(5);
    params[1] = {{2.0, -0.5}, {1.0, 3.0}};
    params[4] = {{1, 2, 3, 4, 5, 6, 7, 8}, {0.25}};
    const std::vector<LayerParameters> rewritten = rewrite_parameters(folded, params);
    EXPECT_EQ(rewritten[1], (LayerParameters{{1.0, -1.0}, {0.5, -6.0}}));
    // Inputs 0..3 come from channel 0 (scale 2), 4..7 from channel 1 (scale -0.5).
    EXPECT_EQ(rewritten[3], (LayerParameters{{2, 4, 6, 8, -2.5, -3, -3.5, -4}, {0.25}}));

    params[1].weight[1] = 1e-3;
    try {
        rewrite_parameters(folded, params);
        FAIL() << "a scale of 1e-3 was folded forward";
    } catch (const InvalidInput& error) {
        const std::string message = error.what();
        EXPECT_NE(message.find("ReLU layer 'relu': channel 1 has scale 0.001"), std::string::npos) << message;
        EXPECT_NE(message.find("--fold-preactivation"), std::string::npos) << message;
    }
}

// A grouped conv's weight [o][c][kh][kw] reads input channel (o / (O/G)) * C/G + c.
TEST(PreactivationFolding, AGroupedConvScalesEachInputChannelOfItsGroup) {
    Network net("n", Shape{4, 3, 3});
    net.add(simple_layer(LayerType::kBatchNorm, "bn", {"input"}));
    net.add(simple_layer(LayerType::kRelu, "relu", {"bn"}));
    net.add(conv_layer("conv", "relu", 2, 1, 1, 0, 2));
    const RewrittenNetwork folded = fold_preactivation_norms(as_loaded(net));
    std::vector<LayerParameters> params(4);
    params[1] = {{1.0, 2.0, 3.0, 4.0}, {0, 0, 0, 0}};
    params[3] = {{1, 1, 1, 1}, {}};  // [2][2][1][1]
    EXPECT_EQ(rewrite_parameters(folded, params)[2].weight, (std::vector<double>{1, 2, 3, 4}));
}

}  // namespace
}  // namespace snnipred
