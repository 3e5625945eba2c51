#include "snnipred/model/layer.h"

#include <array>
#include <utility>

#include "snnipred/core/error.h"

namespace snnipred {
namespace {

constexpr std::array<std::pair<LayerType, std::string_view>, 15> kTypeNames{{
    {LayerType::kInput, "input"},
    {LayerType::kConv, "conv"},
    {LayerType::kFullyConnected, "fc"},
    {LayerType::kMaxPool, "maxpool"},
    {LayerType::kAvgPool, "avgpool"},
    {LayerType::kGlobalAvgPool, "global_avgpool"},
    {LayerType::kRelu, "relu"},
    {LayerType::kRelu6, "relu6"},
    {LayerType::kShiftedRelu, "shifted_relu"},
    {LayerType::kBatchNorm, "batchnorm"},
    {LayerType::kAdd, "add"},
    {LayerType::kConcat, "concat"},
    {LayerType::kFlatten, "flatten"},
    {LayerType::kPad, "pad"},
    {LayerType::kIdentity, "identity"},
}};

Window square_window(std::int64_t kernel, std::int64_t stride, std::int64_t pad) {
    Window window;
    window.kernel_h = window.kernel_w = kernel;
    window.stride_h = window.stride_w = stride;
    window.pad_top = window.pad_bottom = window.pad_left = window.pad_right = pad;
    return window;
}

}  // namespace

std::string_view layer_type_name(LayerType type) {
    for (const auto& [value, name] : kTypeNames)
        if (value == type) return name;
    throw InvalidInput("unknown layer type value " + std::to_string(static_cast<int>(type)));
}

LayerType parse_layer_type(std::string_view name) {
    for (const auto& [value, type_name] : kTypeNames)
        if (type_name == name) return value;
    std::string known;
    for (const auto& entry : kTypeNames) known += (known.empty() ? "" : ", ") + std::string(entry.second);
    throw InvalidInput("unknown layer type '" + std::string(name) + "' (known: " + known + ")");
}

Layer conv_layer(std::string name, std::string input, std::int64_t out_channels, std::int64_t kernel,
                 std::int64_t stride, std::int64_t pad, std::int64_t groups, bool bias) {
    Layer layer = simple_layer(LayerType::kConv, std::move(name), {std::move(input)});
    layer.out_channels = out_channels;
    layer.groups = groups;
    layer.bias = bias;
    layer.window = square_window(kernel, stride, pad);
    return layer;
}

Layer fc_layer(std::string name, std::string input, std::int64_t outputs, bool bias) {
    Layer layer = simple_layer(LayerType::kFullyConnected, std::move(name), {std::move(input)});
    layer.out_channels = outputs;
    layer.bias = bias;
    return layer;
}

Layer pool_layer(LayerType type, std::string name, std::string input, std::int64_t kernel, std::int64_t stride,
                 std::int64_t pad, bool ceil_mode) {
    Layer layer = simple_layer(type, std::move(name), {std::move(input)});
    layer.window = square_window(kernel, stride, pad);
    layer.window.ceil_mode = ceil_mode;
    return layer;
}

Layer simple_layer(LayerType type, std::string name, std::vector<std::string> inputs) {
    Layer layer;
    layer.type = type;
    layer.name = std::move(name);
    layer.inputs = std::move(inputs);
    return layer;
}

}  // namespace snnipred
