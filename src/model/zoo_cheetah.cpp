// The three networks of the paper's Table 4 as Cheetah ran them: the EzPC/Athos
// TensorFlow models that OpenCheetah's networks/main_{sqnet,resnet50,densenet121}.cpp
// were compiled from. They differ from the torchvision zoo entries in input size, padding,
// pre-activation and classifier; docs/cheetah-networks.md lists every difference and how
// it was checked against the published per-layer timings. Layers are in TensorFlow's
// order (ReLU before MaxPool); Athos's own reordering is the lowering's business.

#include <array>
#include <string>
#include <vector>

#include "zoo_networks.h"

namespace snnipred::detail {
namespace {

// TensorFlow SAME padding of a 3x3 / stride-2 max pool on an even input: the extra row
// and column go to the bottom and right.
Layer same_maxpool(std::string name, std::string input) {
    Layer pool = pool_layer(LayerType::kMaxPool, std::move(name), std::move(input), 3, 2);
    pool.window.pad_bottom = pool.window.pad_right = 1;
    return pool;
}

Layer pad_layer(std::string name, std::string input, std::int64_t pad) {
    Layer layer = simple_layer(LayerType::kPad, std::move(name), {std::move(input)});
    layer.window.pad_top = layer.window.pad_bottom = layer.window.pad_left = layer.window.pad_right = pad;
    return layer;
}

std::string bn_relu(Network& net, const std::string& prefix, std::string input) {
    const std::string bn = append(net, simple_layer(LayerType::kBatchNorm, prefix + "bn", {std::move(input)}));
    return relu(net, prefix + "relu", bn);
}

// ---- SqueezeNet v1.1 (Athos SqueezeNetImgNet): 227x227 input, VALID convs and pools.

std::string conv_relu(Network& net, const std::string& name, std::string input, std::int64_t out_channels,
                      std::int64_t kernel, std::int64_t stride = 1, std::int64_t pad = 0) {
    const std::string conv =
        append(net, conv_layer(name + "_conv", std::move(input), out_channels, kernel, stride, pad, 1, true));
    return relu(net, name + "_actv", conv);
}

std::string fire(Network& net, const std::string& name, std::string input, std::int64_t squeeze,
                 std::int64_t expand) {
    const std::string s = conv_relu(net, name + "/squeeze1x1", std::move(input), squeeze, 1);
    const std::string left = conv_relu(net, name + "/expand1x1", s, expand, 1);
    const std::string right = conv_relu(net, name + "/expand3x3", s, expand, 3, 1, 1);
    return append(net, simple_layer(LayerType::kConcat, name + "/concat", {left, right}));
}

// ---- ResNet-50 v2 (TensorFlow official model, pre-activation bottlenecks).

// Pre-activation bottleneck: BN-ReLU of the block input feeds both the projection
// shortcut (first block of a stage) and the 1x1 reduction; the strided 3x3 uses TF's
// fixed padding (an explicit pad, then a VALID conv); no BN after the last 1x1.
std::string preact_bottleneck(Network& net, const std::string& prefix, const std::string& input,
                              std::int64_t width, std::int64_t stride, bool project) {
    const std::string pre = bn_relu(net, prefix + "pre_", input);
    const std::string shortcut =
        project ? append(net, conv_layer(prefix + "shortcut", pre, 4 * width, 1, stride)) : input;
    std::string x = append(net, conv_layer(prefix + "conv1", pre, width, 1));
    x = bn_relu(net, prefix + "conv1_", x);
    if (stride == 1) {
        x = append(net, conv_layer(prefix + "conv2", x, width, 3, 1, 1));
    } else {
        x = append(net, pad_layer(prefix + "conv2_pad", x, 1));
        x = append(net, conv_layer(prefix + "conv2", x, width, 3, stride));
    }
    x = bn_relu(net, prefix + "conv2_", x);
    x = append(net, conv_layer(prefix + "conv3", x, 4 * width, 1));
    return append(net, simple_layer(LayerType::kAdd, prefix + "add", {x, shortcut}));
}

// ---- DenseNet-121 (Athos DenseNet, slim layout): torchvision's topology with TF SAME
// padding and a 1x1 conv classifier after the global pool.

constexpr std::int64_t kGrowth = 32;

std::string dense_block(Network& net, const std::string& prefix, std::string input, int layers) {
    std::string features = std::move(input);
    for (int i = 1; i <= layers; ++i) {
        const std::string p = prefix + "conv_block" + std::to_string(i) + "/";
        std::string x = bn_relu(net, p + "x1_", features);
        x = append(net, conv_layer(p + "x1", x, 4 * kGrowth, 1));
        x = bn_relu(net, p + "x2_", x);
        x = append(net, conv_layer(p + "x2", x, kGrowth, 3, 1, 1));
        features = append(net, simple_layer(LayerType::kConcat, p + "concat", {features, x}));
    }
    return features;
}

std::string dense_transition(Network& net, const std::string& prefix, std::string input) {
    const std::int64_t half = channels_of(net, input) / 2;
    std::string x = bn_relu(net, prefix, std::move(input));
    x = append(net, conv_layer(prefix + "conv", x, half, 1));
    return append(net, pool_layer(LayerType::kAvgPool, prefix + "pool", x, 2, 2));
}

}  // namespace

Network build_cheetah_squeezenet() {
    Network net("cheetah_squeezenet", Shape{3, 227, 227});
    std::string x = conv_relu(net, "conv1", "input", 64, 3, 2);
    x = append(net, pool_layer(LayerType::kMaxPool, "pool1", x, 3, 2));
    x = fire(net, "fire2", x, 16, 64);
    x = fire(net, "fire3", x, 16, 64);
    x = append(net, pool_layer(LayerType::kMaxPool, "pool3", x, 3, 2));
    x = fire(net, "fire4", x, 32, 128);
    x = fire(net, "fire5", x, 32, 128);
    x = append(net, pool_layer(LayerType::kMaxPool, "pool5", x, 3, 2));
    x = fire(net, "fire6", x, 48, 192);
    x = fire(net, "fire7", x, 48, 192);
    x = fire(net, "fire8", x, 64, 256);
    x = fire(net, "fire9", x, 64, 256);
    x = conv_relu(net, "conv10", x, 1000, 1);
    x = append(net, simple_layer(LayerType::kGlobalAvgPool, "classifier_pool", {x}));
    append(net, simple_layer(LayerType::kFlatten, "flatten", {x}));
    return net;
}

Network build_cheetah_resnet50() {
    constexpr std::array<int, 4> kBlocks{3, 4, 6, 3};
    Network net("cheetah_resnet50", Shape{3, 224, 224});
    std::string x = append(net, pad_layer("conv0_pad", "input", 3));
    x = append(net, conv_layer("conv0", x, 64, 7, 2));
    x = append(net, same_maxpool("pool0", x));
    for (std::size_t stage = 0; stage < kBlocks.size(); ++stage) {
        const std::int64_t width = std::int64_t{64} << stage;
        for (int i = 0; i < kBlocks[stage]; ++i) {
            const std::int64_t stride = stage > 0 && i == 0 ? 2 : 1;
            const std::string prefix = "block" + std::to_string(stage + 1) + "." + std::to_string(i) + "/";
            x = preact_bottleneck(net, prefix, x, width, stride, i == 0);
        }
    }
    x = bn_relu(net, "final_", x);
    x = append(net, simple_layer(LayerType::kGlobalAvgPool, "avgpool", {x}));
    x = append(net, simple_layer(LayerType::kFlatten, "flatten", {x}));
    append(net, fc_layer("dense", x, 1001));  // TF official models keep a background class
    return net;
}

Network build_cheetah_densenet121() {
    constexpr std::array<int, 4> kBlockLayers{6, 12, 24, 16};
    Network net("cheetah_densenet121", Shape{3, 224, 224});
    Layer conv0 = conv_layer("conv1", "input", 2 * kGrowth, 7, 2);
    conv0.window.pad_top = conv0.window.pad_left = 3;  // as OpenCheetah passes SAME pads
    conv0.window.pad_bottom = conv0.window.pad_right = 2;
    std::string x = append(net, std::move(conv0));
    x = bn_relu(net, "conv1_", x);
    x = append(net, same_maxpool("pool1", x));
    for (std::size_t b = 0; b < kBlockLayers.size(); ++b) {
        const std::string index = std::to_string(b + 1);
        x = dense_block(net, "dense_block" + index + "/", x, kBlockLayers[b]);
        if (b + 1 < kBlockLayers.size()) x = dense_transition(net, "transition_block" + index + "/", x);
    }
    x = bn_relu(net, "final_", x);
    x = append(net, simple_layer(LayerType::kGlobalAvgPool, "global_pool", {x}));
    x = append(net, conv_layer("logits", x, 1000, 1, 1, 0, 1, true));
    append(net, simple_layer(LayerType::kFlatten, "flatten", {x}));
    return net;
}

}  // namespace snnipred::detail
