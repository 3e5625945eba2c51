// ResNet-18 and ResNet-50 as torchvision builds them: a 7x7 stem, four stages of
// residual blocks (the first block of stages 2-4 halves the resolution), a global
// average pool and one FC layer. ResNet-50 is v1.5: its bottleneck strides on the 3x3.

#include <array>
#include <string>

#include "zoo_networks.h"

namespace snnipred::detail {
namespace {

using BlockFn = std::string (*)(Network&, const std::string& prefix, const std::string& input, std::int64_t width,
                                std::int64_t stride);

// The identity branch: the block input itself, or conv1x1 + BN when the block changes
// the resolution or the channel count.
std::string shortcut(Network& net, const std::string& prefix, const std::string& input, std::int64_t out_channels,
                     std::int64_t stride) {
    if (stride == 1 && channels_of(net, input) == out_channels) return input;
    return conv_bn(net, prefix + "downsample.0", prefix + "downsample.1", input, out_channels, 1, stride);
}

std::string residual_join(Network& net, const std::string& prefix, const std::string& main,
                          const std::string& identity, const std::string& relu_name) {
    const std::string sum = append(net, simple_layer(LayerType::kAdd, prefix + "add", {main, identity}));
    return relu(net, prefix + relu_name, sum);
}

std::string basic_block(Network& net, const std::string& prefix, const std::string& input, std::int64_t width,
                        std::int64_t stride) {
    std::string x = conv_bn(net, prefix + "conv1", prefix + "bn1", input, width, 3, stride, 1);
    x = relu(net, prefix + "relu1", x);
    x = conv_bn(net, prefix + "conv2", prefix + "bn2", x, width, 3, 1, 1);
    return residual_join(net, prefix, x, shortcut(net, prefix, input, width, stride), "relu2");
}

std::string bottleneck(Network& net, const std::string& prefix, const std::string& input, std::int64_t width,
                       std::int64_t stride) {
    constexpr std::int64_t kExpansion = 4;
    std::string x = conv_bn(net, prefix + "conv1", prefix + "bn1", input, width, 1);
    x = relu(net, prefix + "relu1", x);
    x = conv_bn(net, prefix + "conv2", prefix + "bn2", x, width, 3, stride, 1);
    x = relu(net, prefix + "relu2", x);
    x = conv_bn(net, prefix + "conv3", prefix + "bn3", x, width * kExpansion, 1);
    return residual_join(net, prefix, x, shortcut(net, prefix, input, width * kExpansion, stride), "relu3");
}

Network build_resnet(std::string name, BlockFn block, const std::array<int, 4>& blocks_per_stage) {
    Network net(std::move(name), Shape{3, 224, 224});
    std::string x = conv_bn(net, "conv1", "bn1", "input", 64, 7, 2, 3);
    x = relu(net, "relu", x);
    x = append(net, pool_layer(LayerType::kMaxPool, "maxpool", x, 3, 2, 1));
    for (int stage = 0; stage < 4; ++stage) {
        const std::int64_t width = std::int64_t{64} << stage;
        for (int i = 0; i < blocks_per_stage[stage]; ++i) {
            const std::int64_t stride = stage > 0 && i == 0 ? 2 : 1;
            const std::string prefix = "layer" + std::to_string(stage + 1) + "." + std::to_string(i) + ".";
            x = block(net, prefix, x, width, stride);
        }
    }
    pooled_classifier(net, x, "avgpool", "fc");
    return net;
}

}  // namespace

Network build_resnet18() { return build_resnet("resnet18", basic_block, {2, 2, 2, 2}); }
Network build_resnet50() { return build_resnet("resnet50", bottleneck, {3, 4, 6, 3}); }

}  // namespace snnipred::detail
