// DenseNet-121 as torchvision builds it: each dense layer reads the concatenation of
// every earlier feature map in its block (BN-ReLU-conv1x1-BN-ReLU-conv3x3, growth 32,
// bottleneck 4 x growth); transitions halve channels and resolution.

#include <array>
#include <string>
#include <vector>

#include "zoo_networks.h"

namespace snnipred::detail {
namespace {

constexpr std::int64_t kGrowth = 32;
constexpr std::int64_t kBottleneck = 4 * kGrowth;

// BN -> ReLU -> conv (bias-free): the pre-activation unit DenseNet repeats.
std::string bn_relu_conv(Network& net, const std::string& prefix, const std::string& index, std::string input,
                         std::int64_t out_channels, std::int64_t kernel, std::int64_t pad) {
    std::string x = append(net, simple_layer(LayerType::kBatchNorm, prefix + "norm" + index, {std::move(input)}));
    x = relu(net, prefix + "relu" + index, x);
    return append(net, conv_layer(prefix + "conv" + index, x, out_channels, kernel, 1, pad));
}

// torch.cat of a single tensor is that tensor, so only real joins become concat layers.
std::string concat(Network& net, const std::string& name, const std::vector<std::string>& inputs) {
    if (inputs.size() == 1) return inputs.front();
    return append(net, simple_layer(LayerType::kConcat, name, inputs));
}

std::string dense_block(Network& net, const std::string& prefix, std::string input, int layers) {
    std::vector<std::string> features{std::move(input)};
    for (int i = 1; i <= layers; ++i) {
        const std::string layer_prefix = prefix + "denselayer" + std::to_string(i) + ".";
        std::string x = concat(net, layer_prefix + "cat", features);
        x = bn_relu_conv(net, layer_prefix, "1", x, kBottleneck, 1, 0);
        features.push_back(bn_relu_conv(net, layer_prefix, "2", x, kGrowth, 3, 1));
    }
    return concat(net, prefix + "cat", features);
}

std::string transition(Network& net, const std::string& prefix, std::string input) {
    const std::int64_t half = channels_of(net, input) / 2;
    std::string x = append(net, simple_layer(LayerType::kBatchNorm, prefix + "norm", {std::move(input)}));
    x = relu(net, prefix + "relu", x);
    x = append(net, conv_layer(prefix + "conv", x, half, 1));
    return append(net, pool_layer(LayerType::kAvgPool, prefix + "pool", x, 2, 2));
}

}  // namespace

Network build_densenet121() {
    constexpr std::array<int, 4> kBlockLayers{6, 12, 24, 16};
    Network net("densenet121", Shape{3, 224, 224});
    std::string x = conv_bn(net, "features.conv0", "features.norm0", "input", 2 * kGrowth, 7, 2, 3);
    x = relu(net, "features.relu0", x);
    x = append(net, pool_layer(LayerType::kMaxPool, "features.pool0", x, 3, 2, 1));
    for (std::size_t b = 0; b < kBlockLayers.size(); ++b) {
        const std::string index = std::to_string(b + 1);
        x = dense_block(net, "features.denseblock" + index + ".", x, kBlockLayers[b]);
        if (b + 1 < kBlockLayers.size()) x = transition(net, "features.transition" + index + ".", x);
    }
    x = append(net, simple_layer(LayerType::kBatchNorm, "features.norm5", {x}));
    x = relu(net, "relu", x);  // F.relu in DenseNet.forward, not a module
    pooled_classifier(net, x, "avgpool", "classifier");
    return net;
}

}  // namespace snnipred::detail
