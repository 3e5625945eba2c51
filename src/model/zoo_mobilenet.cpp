// MobileNetV2 (width 1.0) as torchvision builds it: a stride-2 stem, seventeen inverted
// residual blocks (expand 1x1 -> depthwise 3x3 -> linear 1x1, each conv followed by BN,
// the first two by ReLU6), a 1x1 conv to 1280 channels and the classifier.

#include <array>
#include <string>

#include "zoo_networks.h"

namespace snnipred::detail {
namespace {

struct StageSpec {
    std::int64_t expansion;
    std::int64_t channels;
    int blocks;
    std::int64_t stride;
};

// torchvision's Conv2dNormActivation: children .0 conv, .1 BN, .2 ReLU6.
std::string conv_bn_relu6(Network& net, const std::string& prefix, std::string input, std::int64_t out_channels,
                          std::int64_t kernel, std::int64_t stride = 1, std::int64_t groups = 1) {
    const std::string bn =
        conv_bn(net, prefix + "0", prefix + "1", std::move(input), out_channels, kernel, stride, kernel / 2, groups);
    return activation(net, LayerType::kRelu6, prefix + "2", bn);
}

std::string inverted_residual(Network& net, const std::string& prefix, const std::string& input,
                              std::int64_t expansion, std::int64_t out_channels, std::int64_t stride) {
    const std::int64_t in_channels = channels_of(net, input);
    const std::int64_t hidden = in_channels * expansion;
    // Children of .conv are numbered in order; the expansion conv exists only when t != 1.
    int child = 0;
    const auto next = [&] { return prefix + "conv." + std::to_string(child++); };
    std::string x = input;
    if (expansion != 1) x = conv_bn_relu6(net, next() + ".", x, hidden, 1);
    x = conv_bn_relu6(net, next() + ".", x, hidden, 3, stride, hidden);
    const std::string project = next();
    x = conv_bn(net, project, next(), x, out_channels, 1);
    if (stride != 1 || in_channels != out_channels) return x;
    return append(net, simple_layer(LayerType::kAdd, prefix + "add", {input, x}));
}

}  // namespace

Network build_mobilenet_v2() {
    constexpr std::array<StageSpec, 7> kStages{{
        {1, 16, 1, 1}, {6, 24, 2, 2}, {6, 32, 3, 2}, {6, 64, 4, 2}, {6, 96, 3, 1}, {6, 160, 3, 2}, {6, 320, 1, 1},
    }};
    Network net("mobilenet_v2", Shape{3, 224, 224});
    std::string x = conv_bn_relu6(net, "features.0.", "input", 32, 3, 2);
    int index = 1;
    for (const StageSpec& stage : kStages) {
        for (int i = 0; i < stage.blocks; ++i, ++index) {
            const std::int64_t stride = i == 0 ? stage.stride : 1;
            x = inverted_residual(net, "features." + std::to_string(index) + ".", x, stage.expansion, stage.channels,
                                  stride);
        }
    }
    x = conv_bn_relu6(net, "features." + std::to_string(index) + ".", x, 1280, 1);
    pooled_classifier(net, x, "avgpool", "classifier.1");
    return net;
}

}  // namespace snnipred::detail
