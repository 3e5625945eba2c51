// SqueezeNet 1.0 and 1.1 as torchvision builds them: a conv stem, fire modules
// (squeeze 1x1 -> expand 1x1 and 3x3, concatenated) between ceil-mode max pools, and a
// 1x1 conv classifier followed by global average pooling. Every conv has a bias.

#include <string>
#include <variant>
#include <vector>

#include "zoo_networks.h"

namespace snnipred::detail {
namespace {

struct Fire {
    std::int64_t squeeze;
    std::int64_t expand;  // channels of each of the 1x1 and 3x3 expand branches
};
struct MaxPool {};
using Stage = std::variant<Fire, MaxPool>;

std::string conv_relu(Network& net, const std::string& conv_name, const std::string& relu_name, std::string input,
                      std::int64_t out_channels, std::int64_t kernel, std::int64_t stride = 1, std::int64_t pad = 0) {
    const std::string conv =
        append(net, conv_layer(conv_name, std::move(input), out_channels, kernel, stride, pad, 1, true));
    return relu(net, relu_name, conv);
}

std::string fire(Network& net, const std::string& prefix, std::string input, const Fire& spec) {
    const std::string s = conv_relu(net, prefix + "squeeze", prefix + "squeeze_activation", std::move(input),
                                    spec.squeeze, 1);
    const std::string e1 = conv_relu(net, prefix + "expand1x1", prefix + "expand1x1_activation", s, spec.expand, 1);
    const std::string e3 =
        conv_relu(net, prefix + "expand3x3", prefix + "expand3x3_activation", s, spec.expand, 3, 1, 1);
    return append(net, simple_layer(LayerType::kConcat, prefix + "cat", {e1, e3}));
}

std::string max_pool(Network& net, std::string name, std::string input) {
    return append(net, pool_layer(LayerType::kMaxPool, std::move(name), std::move(input), 3, 2, 0, true));
}

// features.0 is the stem conv, features.1 its ReLU, features.2 a max pool; `stages`
// are features.3 onwards.
Network build_squeezenet(std::string name, std::int64_t stem_channels, std::int64_t stem_kernel,
                         const std::vector<Stage>& stages) {
    Network net(std::move(name), Shape{3, 224, 224});
    std::string x = conv_relu(net, "features.0", "features.1", "input", stem_channels, stem_kernel, 2);
    x = max_pool(net, "features.2", x);
    int index = 3;
    for (const Stage& stage : stages) {
        const std::string module = "features." + std::to_string(index++);
        if (const Fire* spec = std::get_if<Fire>(&stage))
            x = fire(net, module + ".", x, *spec);
        else
            x = max_pool(net, module, x);
    }
    // classifier.0 is Dropout, omitted at inference.
    x = conv_relu(net, "classifier.1", "classifier.2", x, 1000, 1);
    x = append(net, simple_layer(LayerType::kGlobalAvgPool, "classifier.3", {x}));
    append(net, simple_layer(LayerType::kFlatten, "flatten", {x}));
    return net;
}

}  // namespace

Network build_squeezenet1_0() {
    return build_squeezenet("squeezenet1_0", 96, 7,
                            {Fire{16, 64}, Fire{16, 64}, Fire{32, 128}, MaxPool{}, Fire{32, 128}, Fire{48, 192},
                             Fire{48, 192}, Fire{64, 256}, MaxPool{}, Fire{64, 256}});
}

Network build_squeezenet1_1() {
    return build_squeezenet("squeezenet1_1", 64, 3,
                            {Fire{16, 64}, Fire{16, 64}, MaxPool{}, Fire{32, 128}, Fire{32, 128}, MaxPool{},
                             Fire{48, 192}, Fire{48, 192}, Fire{64, 256}, Fire{64, 256}});
}

}  // namespace snnipred::detail
