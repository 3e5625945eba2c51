#include "snnipred/model/zoo.h"

#include <algorithm>
#include <array>

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
    const auto it = std::ranges::find(kBuilders, name, &Builder::name);
    if (it != kBuilders.end()) return it->build();
    std::string valid;
    for (const Builder& builder : kBuilders) valid += (valid.empty() ? "" : ", ") + std::string(builder.name);
    throw InvalidInput("unknown zoo network '" + std::string(name) + "' (valid: " + valid + ")");
}

}  // namespace snnipred
