#pragma once
// Internals of the model zoo: one builder per architecture family (zoo_<family>.cpp)
// and the few building blocks they share (zoo_blocks.cpp). zoo.cpp maps names to
// builders.

#include <cstdint>
#include <string>
#include <utility>

#include "snnipred/model/network.h"

namespace snnipred::detail {

Network build_squeezenet1_0();
Network build_squeezenet1_1();
Network build_resnet18();
Network build_resnet50();
Network build_densenet121();
Network build_vgg16();
Network build_mobilenet_v2();
Network build_minionn();
Network build_lenet5();
// The Table 4 networks as Cheetah ran them (zoo_cheetah.cpp).
Network build_cheetah_squeezenet();
Network build_cheetah_resnet50();
Network build_cheetah_densenet121();

/// Appends `layer` to `net` and returns its name, so builders can thread the running
/// output name through a sequence of layers.
std::string append(Network& net, Layer layer);

/// An activation layer (kRelu, or kRelu6 clipping to [0, 6]) reading `input`.
std::string activation(Network& net, LayerType type, std::string name, std::string input);
inline std::string relu(Network& net, std::string name, std::string input) {
    return activation(net, LayerType::kRelu, std::move(name), std::move(input));
}

/// Bias-free convolution followed by BatchNorm, named `conv_name` and `bn_name`;
/// returns the BatchNorm's name.
std::string conv_bn(Network& net, const std::string& conv_name, const std::string& bn_name, std::string input,
                    std::int64_t out_channels, std::int64_t kernel, std::int64_t stride = 1, std::int64_t pad = 0,
                    std::int64_t groups = 1);

/// Global average pool, flatten and the final fully connected layer (with bias), the
/// head shared by ResNet, DenseNet and MobileNetV2; returns the logits layer's name.
std::string pooled_classifier(Network& net, std::string input, const std::string& pool_name,
                              const std::string& fc_name, std::int64_t classes = 1000);

/// Channels of the output of the layer named `name`, which must exist in `net`.
std::int64_t channels_of(const Network& net, const std::string& name);

}  // namespace snnipred::detail
