// The small networks of the private-inference literature: MiniONN's CIFAR-10 network
// (Liu et al., CCS 2017) and LeNet-5 for MNIST. All convs and FC layers have
// biases; names follow a PyTorch module that lists its layers in order.

#include <string>

#include "zoo_networks.h"

namespace snnipred::detail {
namespace {

// conv<i> (with bias) followed by relu<i>.
std::string conv_relu(Network& net, int i, std::string input, std::int64_t out_channels, std::int64_t kernel,
                      std::int64_t pad) {
    const std::string index = std::to_string(i);
    const std::string conv =
        append(net, conv_layer("conv" + index, std::move(input), out_channels, kernel, 1, pad, 1, true));
    return relu(net, "relu" + index, conv);
}

std::string pool(Network& net, LayerType type, int i, std::string input) {
    return append(net, pool_layer(type, "pool" + std::to_string(i), std::move(input), 2, 2));
}

}  // namespace

Network build_minionn() {
    Network net("minionn", Shape{3, 32, 32});
    std::string x = conv_relu(net, 1, "input", 64, 3, 1);
    x = conv_relu(net, 2, x, 64, 3, 1);
    x = pool(net, LayerType::kAvgPool, 1, x);
    x = conv_relu(net, 3, x, 64, 3, 1);
    x = conv_relu(net, 4, x, 64, 3, 1);
    x = pool(net, LayerType::kAvgPool, 2, x);
    x = conv_relu(net, 5, x, 64, 3, 1);
    x = conv_relu(net, 6, x, 64, 1, 0);
    x = conv_relu(net, 7, x, 16, 1, 0);
    x = append(net, simple_layer(LayerType::kFlatten, "flatten", {x}));
    append(net, fc_layer("fc", x, 10));
    return net;
}

Network build_lenet5() {
    Network net("lenet5", Shape{1, 28, 28});
    std::string x = conv_relu(net, 1, "input", 6, 5, 2);
    x = pool(net, LayerType::kMaxPool, 1, x);
    x = conv_relu(net, 2, x, 16, 5, 0);
    x = pool(net, LayerType::kMaxPool, 2, x);
    x = append(net, simple_layer(LayerType::kFlatten, "flatten", {x}));
    x = append(net, fc_layer("fc1", x, 120));
    x = relu(net, "relu3", x);
    x = append(net, fc_layer("fc2", x, 84));
    x = relu(net, "relu4", x);
    append(net, fc_layer("fc3", x, 10));
    return net;
}

}  // namespace snnipred::detail
