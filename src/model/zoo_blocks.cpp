#include <utility>

#include "snnipred/core/error.h"
#include "zoo_networks.h"

namespace snnipred::detail {

std::string append(Network& net, Layer layer) { return net.add(std::move(layer)).name; }

std::string activation(Network& net, LayerType type, std::string name, std::string input) {
    // A Layer's clip range defaults to [0, 6], which is what kRelu6 needs here.
    return append(net, simple_layer(type, std::move(name), {std::move(input)}));
}

std::string conv_bn(Network& net, const std::string& conv_name, const std::string& bn_name, std::string input,
                    std::int64_t out_channels, std::int64_t kernel, std::int64_t stride, std::int64_t pad,
                    std::int64_t groups) {
    const std::string conv =
        append(net, conv_layer(conv_name, std::move(input), out_channels, kernel, stride, pad, groups, false));
    return append(net, simple_layer(LayerType::kBatchNorm, bn_name, {conv}));
}

std::string pooled_classifier(Network& net, std::string input, const std::string& pool_name,
                              const std::string& fc_name, std::int64_t classes) {
    const std::string pooled = append(net, simple_layer(LayerType::kGlobalAvgPool, pool_name, {std::move(input)}));
    const std::string flat = append(net, simple_layer(LayerType::kFlatten, "flatten", {pooled}));
    return append(net, fc_layer(fc_name, flat, classes));
}

std::int64_t channels_of(const Network& net, const std::string& name) {
    const Layer* layer = net.find(name);
    SNNIPRED_CHECK(layer != nullptr, InvalidInput, "zoo network '" + net.name() + "': no layer '" + name + "'");
    return layer->output.c;
}

}  // namespace snnipred::detail
