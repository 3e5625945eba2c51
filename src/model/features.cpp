#include "snnipred/model/features.h"

namespace snnipred {
namespace {

double d(std::int64_t value) { return static_cast<double>(value); }

std::int64_t window_area(const Window& window) { return window.kernel_h * window.kernel_w; }

std::int64_t conv_weights(const LayerDimensions& layer) {
    return layer.input.c / layer.groups * window_area(layer.window) * layer.out_channels;
}

std::int64_t conv_macs(const LayerDimensions& layer) {
    return conv_weights(layer) * layer.output.h * layer.output.w;
}

RawFeatures window_features(const Layer& layer, std::size_t spare) {
    const Shape& in = layer.input_shapes.front();
    const Window& w = layer.window;
    return make_raw_features({{"C", d(in.c)}, {"H_I", d(in.h)}, {"W_I", d(in.w)}, {"H_O", d(layer.output.h)},
                              {"W_O", d(layer.output.w)}, {"H_F", d(w.kernel_h)}, {"W_F", d(w.kernel_w)},
                              {"S_H", d(w.stride_h)}, {"S_W", d(w.stride_w)},
                              {"P_H", d(w.pad_top + w.pad_bottom)}, {"P_W", d(w.pad_left + w.pad_right)}},
                             spare);
}

}  // namespace

RawFeatures make_raw_features(std::initializer_list<std::pair<std::string_view, double>> values, std::size_t spare) {
    RawFeatures out;
    out.reserve(values.size() + spare);
    for (const auto& [name, value] : values) out.emplace_back(name, value);
    return out;
}

RawFeatures raw_features(const Layer& layer, std::size_t spare) {
    const Shape& out = layer.output;
    switch (layer.type) {
        case LayerType::kInput: return make_raw_features({{"C", d(out.c)}, {"H", d(out.h)}, {"W", d(out.w)}}, spare);
        case LayerType::kFullyConnected:
            return make_raw_features({{"N_I", d(layer.input_shapes.front().elements())}, {"N_O", d(out.c)}}, spare);
        case LayerType::kConv: {
            const Shape& in = layer.input_shapes.front();
            const Window& w = layer.window;
            return make_raw_features({{"C_I", d(in.c)}, {"H_I", d(in.h)}, {"W_I", d(in.w)}, {"C_O", d(out.c)},
                                      {"H_O", d(out.h)}, {"W_O", d(out.w)}, {"H_F", d(w.kernel_h)},
                                      {"W_F", d(w.kernel_w)}, {"S_H", d(w.stride_h)}, {"S_W", d(w.stride_w)},
                                      {"P_H", d(w.pad_top + w.pad_bottom)}, {"P_W", d(w.pad_left + w.pad_right)},
                                      {"G", d(layer.groups)}}, spare);
        }
        case LayerType::kMaxPool:
        case LayerType::kAvgPool: return window_features(layer, spare);
        case LayerType::kGlobalAvgPool: {
            const Shape& in = layer.input_shapes.front();
            return make_raw_features({{"C", d(in.c)}, {"H_I", d(in.h)}, {"W_I", d(in.w)}}, spare);
        }
        case LayerType::kBatchNorm: return make_raw_features({{"C", d(out.c)}, {"H", d(out.h)}, {"W", d(out.w)}}, spare);
        case LayerType::kConcat:
            return make_raw_features({{"N", d(out.elements())}, {"inputs", d(layer.inputs.size())}}, spare);
        default: return make_raw_features({{"N", d(out.elements())}}, spare);
    }
}

LayerDimensions layer_dimensions(const Layer& layer) {
    LayerDimensions dims;
    dims.type = layer.type;
    if (!layer.input_shapes.empty()) dims.input = layer.input_shapes.front();
    for (const Shape& shape : layer.input_shapes) dims.input_elements += shape.elements();
    dims.output = layer.output;
    dims.window = layer.window;
    dims.out_channels = layer.out_channels;
    dims.groups = layer.groups;
    return dims;
}

CompositeFeatures composite_features(const Layer& layer) { return composite_features(layer_dimensions(layer)); }

CompositeFeatures composite_features(const LayerDimensions& layer) {
    const double s_in = d(layer.input_elements);
    const double s_out = d(layer.output.elements());
    switch (layer.type) {
        case LayerType::kFullyConnected: {
            const double n_i = s_in, n_o = s_out;
            return {n_i, (n_i + 1) * n_o, 2 * n_i * n_o + n_o, n_o};
        }
        case LayerType::kConv: return {s_in, d(conv_weights(layer)), 2 * d(conv_macs(layer)), s_out};
        case LayerType::kMaxPool:
        case LayerType::kAvgPool: return {s_in, 0, d(window_area(layer.window)) * s_out, s_out};
        case LayerType::kGlobalAvgPool: return {s_in, 0, s_in, s_out};
        case LayerType::kRelu:
        case LayerType::kShiftedRelu: return {s_in, 0, s_in, s_out};
        case LayerType::kRelu6: return {s_in, 0, 2 * s_in, s_out};
        case LayerType::kBatchNorm: return {s_in, 2 * d(layer.output.c), 2 * s_in, s_out};
        case LayerType::kAdd: return {s_in, 0, s_out, s_out};
        case LayerType::kInput: return {0, 0, 0, s_out};
        default: return {s_in, 0, 0, s_out};  // data movement only: concat, flatten, pad, identity
    }
}

std::int64_t parameter_count(const Layer& layer) {
    switch (layer.type) {
        case LayerType::kConv: return conv_weights(layer_dimensions(layer)) + (layer.bias ? layer.out_channels : 0);
        case LayerType::kFullyConnected:
            return layer.input_shapes.front().elements() * layer.out_channels + (layer.bias ? layer.out_channels : 0);
        case LayerType::kBatchNorm:
        case LayerType::kShiftedRelu: return 2 * layer.output.c;
        default: return 0;
    }
}

std::int64_t mac_count(const Layer& layer) {
    switch (layer.type) {
        case LayerType::kConv: return conv_macs(layer_dimensions(layer));
        case LayerType::kFullyConnected: return layer.input_shapes.front().elements() * layer.out_channels;
        default: return 0;
    }
}

std::int64_t relu_count(const Layer& layer) {
    const bool activation =
        layer.type == LayerType::kRelu || layer.type == LayerType::kShiftedRelu || layer.type == LayerType::kRelu6;
    return activation ? layer.output.elements() : 0;
}

std::int64_t comparison_count(const Layer& layer) {
    switch (layer.type) {
        case LayerType::kRelu:
        case LayerType::kShiftedRelu: return layer.output.elements();
        case LayerType::kRelu6: return 2 * layer.output.elements();
        case LayerType::kMaxPool: return (window_area(layer.window) - 1) * layer.output.elements();
        default: return 0;
    }
}

NetworkTotals network_totals(const Network& network) {
    NetworkTotals totals;
    for (const Layer& layer : network.layers()) {
        if (layer.type == LayerType::kInput) continue;
        totals.params += parameter_count(layer);
        totals.macs += mac_count(layer);
        totals.relus += relu_count(layer);
        totals.comparisons += comparison_count(layer);
        ++totals.layers;
        ++totals.layers_by_type[std::string(layer_type_name(layer.type))];
    }
    return totals;
}

}  // namespace snnipred
