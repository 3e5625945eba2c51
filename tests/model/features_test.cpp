#include "snnipred/model/features.h"

#include <gtest/gtest.h>

namespace snnipred {
namespace {

double raw(const Layer& layer, const std::string& name) {
    for (const auto& [key, value] : raw_features(layer))
        if (key == name) return value;
    ADD_FAILURE() << "no raw feature " << name;
    return -1;
}

TEST(Features, ConvMatchesTable2ByHand) {
    Network net("t", Shape{3, 32, 32});
    const Layer& conv = net.add(conv_layer("c", "input", 16, 3, 1, 1, 1, true));
    // S_in = 3*32*32, S_par = 3*3*3*16, N_op = 2*3*3*3*32*32*16, S_out = 32*32*16.
    const CompositeFeatures c = composite_features(conv);
    EXPECT_DOUBLE_EQ(c.s_in, 3072);
    EXPECT_DOUBLE_EQ(c.s_par, 432);
    EXPECT_DOUBLE_EQ(c.n_op, 884736);
    EXPECT_DOUBLE_EQ(c.s_out, 16384);
    EXPECT_EQ(parameter_count(conv), 432 + 16);
    EXPECT_EQ(mac_count(conv), 442368);
    EXPECT_DOUBLE_EQ(raw(conv, "H_O"), 32);
    EXPECT_DOUBLE_EQ(raw(conv, "P_H"), 2);
}

TEST(Features, DepthwiseConvCountsPerGroupWeights) {
    Network net("t", Shape{32, 8, 8});
    const Layer& dw = net.add(conv_layer("dw", "input", 32, 3, 1, 1, 32));
    EXPECT_EQ(parameter_count(dw), 32 * 9);
    EXPECT_EQ(mac_count(dw), 32 * 9 * 64);
    EXPECT_DOUBLE_EQ(raw(dw, "G"), 32);
}

TEST(Features, FcPoolReluBatchNorm) {
    Network net("t", Shape{4, 6, 6});
    const Layer& pool = net.add(pool_layer(LayerType::kMaxPool, "p", "input", 2, 2));
    EXPECT_DOUBLE_EQ(composite_features(pool).n_op, 4 * 9 * 4);  // H_F*W_F*H_O*W_O*C
    EXPECT_EQ(comparison_count(pool), 3 * 36);
    const Layer& bn = net.add(simple_layer(LayerType::kBatchNorm, "bn", {"p"}));
    EXPECT_DOUBLE_EQ(composite_features(bn).s_par, 8);
    EXPECT_EQ(parameter_count(bn), 8);
    const Layer& relu = net.add(simple_layer(LayerType::kRelu, "r", {"bn"}));
    EXPECT_EQ(relu_count(relu), 36);
    net.add(simple_layer(LayerType::kFlatten, "f", {"r"}));
    const Layer& fc = net.add(fc_layer("fc", "f", 5));
    const CompositeFeatures c = composite_features(fc);
    EXPECT_DOUBLE_EQ(c.s_par, 37 * 5);
    EXPECT_DOUBLE_EQ(c.n_op, 2 * 36 * 5 + 5);
    EXPECT_EQ(parameter_count(fc), 36 * 5 + 5);

    const NetworkTotals totals = network_totals(net);
    EXPECT_EQ(totals.params, 8 + 185);
    EXPECT_EQ(totals.macs, 180);
    EXPECT_EQ(totals.relus, 36);
    EXPECT_EQ(totals.layers, 5);
    EXPECT_EQ(totals.layers_by_type.at("maxpool"), 1);
}

TEST(Features, MakeRawFeaturesKeepsOrderAndRepeats) {
    const RawFeatures raw = make_raw_features({{"N", 3}, {"C_I", 2.5}, {"N", 4}});
    EXPECT_EQ(raw, (RawFeatures{{"N", 3}, {"C_I", 2.5}, {"N", 4}}));
    EXPECT_TRUE(make_raw_features({}).empty());
}

TEST(Features, DimensionsSumEveryInputAndGiveTheLayersFeatures) {
    Network net("t", Shape{4, 6, 6});
    net.add(conv_layer("c", "input", 8, 3, 1, 1, 2));
    const Layer& cat = net.add(simple_layer(LayerType::kConcat, "cat", {"c", "input"}));
    const LayerDimensions dims = layer_dimensions(cat);
    EXPECT_EQ(dims.input, (Shape{8, 6, 6}));
    EXPECT_EQ(dims.input_elements, 12 * 36);
    EXPECT_EQ(dims.output, (Shape{12, 6, 6}));
    EXPECT_EQ(layer_dimensions(net.input()).input.c, 0);
    for (const Layer& layer : net.layers()) {
        const CompositeFeatures a = composite_features(layer), b = composite_features(layer_dimensions(layer));
        EXPECT_EQ(a.s_in, b.s_in) << layer.name;
        EXPECT_EQ(a.s_par, b.s_par) << layer.name;
        EXPECT_EQ(a.n_op, b.n_op) << layer.name;
        EXPECT_EQ(a.s_out, b.s_out) << layer.name;
    }
    const LayerDimensions conv = layer_dimensions(net.layers()[1]);
    EXPECT_EQ(conv.groups, 2);
    EXPECT_EQ(conv.out_channels, 8);
    EXPECT_EQ(conv.window.pad_top, 1);
    EXPECT_DOUBLE_EQ(composite_features(conv).s_par, 2 * 9 * 8);
}

}  // namespace
}  // namespace snnipred
