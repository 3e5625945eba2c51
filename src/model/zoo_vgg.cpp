// VGG-16 (configuration D, no batch norm) as torchvision builds it. At 224x224 the
// features end at 7x7, so AdaptiveAvgPool2d((7, 7)) is the identity and is omitted, as
// are the classifier's Dropouts.

#include <array>
#include <string>

#include "zoo_networks.h"

namespace snnipred::detail {

Network build_vgg16() {
    constexpr std::int64_t kPool = 0;  // marks a max pool in the configuration
    constexpr std::array<std::int64_t, 18> kConfig{64,  64,  kPool, 128, 128, kPool, 256, 256, 256,
                                                   kPool, 512, 512, 512, kPool, 512, 512, 512, kPool};
    Network net("vgg16", Shape{3, 224, 224});
    std::string x = "input";
    int index = 0;  // torchvision numbers every module of `features`, ReLUs included
    for (const std::int64_t channels : kConfig) {
        if (channels == kPool) {
            x = append(net, pool_layer(LayerType::kMaxPool, "features." + std::to_string(index++), x, 2, 2));
            continue;
        }
        x = append(net, conv_layer("features." + std::to_string(index++), x, channels, 3, 1, 1, 1, true));
        x = relu(net, "features." + std::to_string(index++), x);
    }
    x = append(net, simple_layer(LayerType::kFlatten, "flatten", {x}));
    x = append(net, fc_layer("classifier.0", x, 4096));
    x = relu(net, "classifier.1", x);
    x = append(net, fc_layer("classifier.3", x, 4096));
    x = relu(net, "classifier.4", x);
    append(net, fc_layer("classifier.6", x, 1000));
    return net;
}

}  // namespace snnipred::detail
