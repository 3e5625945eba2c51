#include "snnipred/model/zoo.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <string>

#include "snnipred/core/error.h"
#include "zoo_networks.h"

namespace snnipred {
namespace {

struct Builder {
    std::string_view name;
    std::string_view description;
    Network (*build)();
};

// Sorted by name: zoo_entries() promises that order.
constexpr std::array<Builder, 12> kBuilders{{
    {"cheetah_densenet121", "DenseNet-121 as Cheetah ran it (EzPC/Athos TF model): SAME padding, 1x1 conv classifier",
     detail::build_cheetah_densenet121},
    {"cheetah_resnet50", "ResNet-50 v2 as Cheetah ran it (TF official, pre-activation), 224x224x3, 1001 classes",
     detail::build_cheetah_resnet50},
    {"cheetah_squeezenet", "SqueezeNet 1.1 as Cheetah ran it (EzPC/Athos), 227x227x3, VALID pooling",
     detail::build_cheetah_squeezenet},
    {"densenet121", "DenseNet-121 (torchvision), 224x224x3, growth 32, blocks 6/12/24/16",
     detail::build_densenet121},
    {"lenet5", "LeNet-5 for MNIST, 1x28x28, two 5x5 convs with max pooling and three FC layers",
     detail::build_lenet5},
    {"minionn", "MiniONN CIFAR-10 network, 3x32x32, seven convs with average pooling and one FC layer",
     detail::build_minionn},
    {"mobilenet_v2", "MobileNetV2 (torchvision), 224x224x3, width 1.0, ReLU6, depthwise convs",
     detail::build_mobilenet_v2},
    {"resnet18", "ResNet-18 (torchvision), 224x224x3, basic blocks 2/2/2/2", detail::build_resnet18},
    {"resnet50", "ResNet-50 (torchvision v1.5), 224x224x3, bottleneck blocks 3/4/6/3", detail::build_resnet50},
    {"squeezenet1_0", "SqueezeNet 1.0 (torchvision), 224x224x3, fire modules, ceil-mode max pooling",
     detail::build_squeezenet1_0},
    {"squeezenet1_1", "SqueezeNet 1.1 (torchvision), 224x224x3, fire modules, ceil-mode max pooling",
     detail::build_squeezenet1_1},
    {"vgg16", "VGG-16 (torchvision, no batch norm), 224x224x3", detail::build_vgg16},
}};

// The same layers on a square input of `size` (shapes re-inferred), named NAME@SIZE.
Network with_input_size(const Network& net, std::int64_t size) {
    const Shape old = net.input().output;
    Network resized(net.name() + "@" + std::to_string(size), Shape{old.c, size, size}, net.input().name);
    for (std::size_t i = 1; i < net.layers().size(); ++i) resized.add(net.layers()[i]);
    return resized;
}

std::int64_t parse_input_size(std::string_view name, std::string_view text) {
    std::int64_t size = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), size);
    SNNIPRED_CHECK(error == std::errc() && end == text.data() + text.size() && size > 0 && size <= 4096, InvalidInput,
                   "zoo network '" + std::string(name) + "': the input size after '@' must be an integer in 1..4096");
    return size;
}

}  // namespace

const std::vector<ZooEntry>& zoo_entries() {
    static const std::vector<ZooEntry> entries = [] {
        std::vector<ZooEntry> out;
        for (const Builder& builder : kBuilders)
            out.push_back({std::string(builder.name), std::string(builder.description)});
        return out;
    }();
    return entries;
}

Network zoo_network(std::string_view name) {
    if (const std::size_t at = name.find('@'); at != std::string_view::npos)
        return with_input_size(zoo_network(name.substr(0, at)), parse_input_size(name, name.substr(at + 1)));
    const auto it = std::ranges::find(kBuilders, name, &Builder::name);
    if (it != kBuilders.end()) return it->build();
    std::string valid;
    for (const Builder& builder : kBuilders) valid += (valid.empty() ? "" : ", ") + std::string(builder.name);
    throw InvalidInput("unknown zoo network '" + std::string(name) + "' (valid: " + valid + ")");
}

}  // namespace snnipred
