#include "snnipred/model/network.h"

#include <gtest/gtest.h>

#include "snnipred/core/error.h"
#include "support/expect_error.h"

namespace snnipred {
namespace {

// Expects `action` to throw InvalidInput whose message contains `fragment`.
const auto expect_invalid = [](auto&& action, const std::string& fragment) {
    test_support::expect_error_containing<InvalidInput>(action, fragment);
};

TEST(Network, InfersConvAndPoolShapes) {
    Network net("t", Shape{3, 224, 224});
    EXPECT_EQ(net.add(conv_layer("conv1", "input", 64, 7, 2, 3)).output, (Shape{64, 112, 112}));
    EXPECT_EQ(net.add(pool_layer(LayerType::kMaxPool, "pool", "conv1", 3, 2, 1)).output, (Shape{64, 56, 56}));
    EXPECT_EQ(net.add(simple_layer(LayerType::kGlobalAvgPool, "gap", {"pool"})).output, (Shape{64, 1, 1}));
    EXPECT_EQ(net.add(simple_layer(LayerType::kFlatten, "flat", {"gap"})).output, (Shape{64, 1, 1}));
    EXPECT_EQ(net.add(fc_layer("fc", "flat", 10)).output, (Shape{10, 1, 1}));
    EXPECT_EQ(net.output().name, "fc");
}

TEST(Network, CeilModeFollowsPyTorch) {
    Network net("t", Shape{64, 111, 111});
    // torchvision SqueezeNet: 111 -> 55 with kernel 3, stride 2, ceil_mode.
    EXPECT_EQ(net.add(pool_layer(LayerType::kMaxPool, "p", "input", 3, 2, 0, true)).output.h, 55);
    Network odd("t", Shape{1, 6, 6});
    // Floor gives 2, ceil gives 3: the third window starts at 4, inside the input.
    EXPECT_EQ(odd.add(pool_layer(LayerType::kMaxPool, "p", "input", 3, 2, 0, true)).output.h, 3);
}

TEST(Network, SamePaddingIsResolvedToExplicitPads) {
    Network net("t", Shape{8, 15, 15});
    Layer conv = conv_layer("c", "input", 8, 4, 2);
    conv.window.padding = Padding::kSame;
    const Layer& added = net.add(conv);
    EXPECT_EQ(added.output, (Shape{8, 8, 8}));
    // total = (8-1)*2 + 4 - 15 = 3 -> 1 before, 2 after (SAME_UPPER).
    EXPECT_EQ(added.window.pad_top, 1);
    EXPECT_EQ(added.window.pad_bottom, 2);
    EXPECT_EQ(added.window.padding, Padding::kExplicit);
}

TEST(Network, DepthwiseConvAndConcatAndAdd) {
    Network net("t", Shape{32, 10, 10});
    net.add(conv_layer("dw", "input", 32, 3, 1, 1, 32));
    net.add(conv_layer("pw", "dw", 16, 1));
    net.add(conv_layer("pw2", "dw", 16, 1));
    EXPECT_EQ(net.add(simple_layer(LayerType::kAdd, "sum", {"pw", "pw2"})).output, (Shape{16, 10, 10}));
    EXPECT_EQ(net.add(simple_layer(LayerType::kConcat, "cat", {"sum", "pw", "input"})).output, (Shape{64, 10, 10}));
}

TEST(Network, InputPositionsFollowTheInputNames) {
    Network net("t", Shape{8, 4, 4});
    net.add(conv_layer("a", "input", 8, 1));
    net.add(conv_layer("b", "input", 8, 1));
    net.add(simple_layer(LayerType::kConcat, "cat", {"b", "input", "a"}));
    EXPECT_TRUE(net.input_positions(0).empty());
    for (std::size_t i = 0; i < net.layers().size(); ++i) {
        const std::vector<std::string>& names = net.layers()[i].inputs;
        ASSERT_EQ(net.input_positions(i).size(), names.size());
        for (std::size_t k = 0; k < names.size(); ++k)
            EXPECT_EQ(&net.layers()[net.input_positions(i)[k]], net.find(names[k]));
    }
    EXPECT_EQ(net.input_positions(3)[0], 2u);
}

TEST(Network, ErrorsNameTheLayerAndTheMismatch) {
    Network net("t", Shape{3, 8, 8});
    net.add(conv_layer("a", "input", 4, 3, 1, 1));
    net.add(conv_layer("b", "input", 4, 3, 2, 1));
    expect_invalid([&] { net.add(simple_layer(LayerType::kConcat, "cat", {"a", "b"})); }, "layer 'cat' (concat)");
    expect_invalid([&] { net.add(simple_layer(LayerType::kAdd, "sum", {"a", "b"})); }, "4x8x8 vs 4x4x4");
    expect_invalid([&] { net.add(simple_layer(LayerType::kRelu, "r", {"nope"})); }, "input 'nope'");
    expect_invalid([&] { net.add(simple_layer(LayerType::kRelu, "a", {"input"})); }, "duplicate layer name 'a'");
    expect_invalid([&] { net.add(conv_layer("g", "input", 4, 3, 1, 1, 2)); }, "not divisible by groups");
    expect_invalid([&] { net.add(conv_layer("k", "input", 4, 9)); }, "kernel 9 larger than padded input 8");
    expect_invalid([&] { net.add(conv_layer("z", "input", 0, 3)); }, "out_channels must be positive");
    expect_invalid([&] { net.add(fc_layer("fc", "a", 10)); }, "expects a flat input");
    expect_invalid([&] { net.add(simple_layer(LayerType::kAdd, "one", {"a"})); }, "expects 2 input(s), got 1");
    expect_invalid([] { Network("bad", Shape{3, 0, 8}); }, "non-positive dimension");
    expect_invalid([] { Network("bad", Shape{-3, 8, 8}); }, "non-positive dimension");
    // A failed add leaves the network unchanged.
    EXPECT_EQ(net.layers().size(), 3u);
    net.add(simple_layer(LayerType::kAdd, "sum", {"b", "b"}));
    EXPECT_EQ(net.input_positions(3)[1], 2u);
}

}  // namespace
}  // namespace snnipred
