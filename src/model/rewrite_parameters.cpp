// rewrite_parameters (model/network_rewrites.h): the server's parameters of a rewritten
// network from those of the network as loaded.

#include <cmath>
#include <string>

#include "snnipred/core/error.h"
#include "snnipred/model/network_rewrites.h"
#include "snnipred/model/preactivation_folding.h"

namespace snnipred {
namespace {

std::string sizes_text(const LayerParameters& p) {
    return std::to_string(p.weight.size()) + " weights, " + std::to_string(p.bias.size()) + " biases";
}

void check_norm(const LayerParameters& norm, std::size_t channels, const Layer& layer, const std::string& what) {
    SNNIPRED_CHECK(channels > 0 && norm.weight.size() == channels && norm.bias.size() == channels, InvalidInput,
                   what + " layer '" + layer.name + "': its norm's parameters (" + std::to_string(norm.weight.size()) +
                       " scales, " + std::to_string(norm.bias.size()) + " shifts) do not fit " +
                       std::to_string(channels) + " channels");
}

// A norm of scale s and shift t folded into the layer before it: weights s[o] * w[o, ...],
// bias s[o] * b[o] + t[o] per output channel o.
void scale_outputs(LayerParameters& p, const LayerParameters& norm, const Layer& layer) {
    const std::size_t channels = static_cast<std::size_t>(layer.out_channels);
    check_norm(norm, channels, layer, "folding batch norms into");
    SNNIPRED_CHECK(p.weight.size() % channels == 0 && (p.bias.empty() || p.bias.size() == channels), InvalidInput,
                   "folding batch norms into layer '" + layer.name + "': its parameters (" + sizes_text(p) +
                       ") do not fit " + std::to_string(channels) + " output channels");
    const std::size_t per_channel = p.weight.size() / channels;
    if (p.bias.empty()) p.bias.assign(channels, 0.0);
    for (std::size_t o = 0; o < channels; ++o) {
        for (std::size_t k = 0; k < per_channel; ++k) p.weight[o * per_channel + k] *= norm.weight[o];
        p.bias[o] = norm.weight[o] * p.bias[o] + norm.bias[o];
    }
}

// The weight index of a conv or fc layer -> its input channel (conv) or input element (fc).
std::size_t input_index(const Layer& layer, std::size_t weight_index) {
    if (layer.type == LayerType::kFullyConnected)
        return weight_index % static_cast<std::size_t>(layer.input_shapes.front().elements());
    const Window& w = layer.window;
    const std::size_t kernel = static_cast<std::size_t>(w.kernel_h * w.kernel_w);
    const std::size_t per_group = static_cast<std::size_t>(layer.input_shapes.front().c / layer.groups);
    const std::size_t outputs_per_group = static_cast<std::size_t>(layer.out_channels / layer.groups);
    const std::size_t filter = weight_index / kernel;
    const std::size_t output = filter / per_group;
    return output / outputs_per_group * per_group + filter % per_group;
}

// A norm of scale s folded forward into the conv or fc reading its ReLU: weights times
// s[c] for every input that comes from the norm's channel c.
void scale_inputs(LayerParameters& p, const LayerParameters& norm, const Layer& layer) {
    const Shape& in = layer.input_shapes.front();
    const std::size_t inputs = static_cast<std::size_t>(layer.type == LayerType::kConv ? in.c : in.elements());
    const std::size_t channels = norm.weight.size();
    check_norm(norm, channels, layer, "folding batch norms forward into");
    SNNIPRED_CHECK(inputs % channels == 0, InvalidInput,
                   "folding batch norms forward into layer '" + layer.name + "': its " + std::to_string(inputs) +
                       " inputs do not split into the norm's " + std::to_string(channels) + " channels");
    const std::size_t per_channel = inputs / channels;
    for (std::size_t k = 0; k < p.weight.size(); ++k) p.weight[k] *= norm.weight[input_index(layer, k) / per_channel];
}

// The shifted ReLU left of a norm folded forward: sign(s[c]) and t[c] / s[c].
LayerParameters shifted_relu_parameters(const LayerParameters& norm, const Layer& layer) {
    const std::size_t channels = static_cast<std::size_t>(layer.output.c);
    check_norm(norm, channels, layer, "folding batch norms forward through");
    LayerParameters out;
    for (std::size_t c = 0; c < channels; ++c) {
        const double scale = norm.weight[c];
        SNNIPRED_CHECK(std::isfinite(scale) && std::abs(scale) >= kSmallestForwardScale, InvalidInput,
                       "folding batch norms forward through ReLU layer '" + layer.name + "': channel " +
                           std::to_string(c) + " has scale " + std::to_string(scale) + ", below " +
                           std::to_string(kSmallestForwardScale) +
                           " in magnitude (run without --fold-preactivation)");
        out.weight.push_back(scale > 0 ? 1.0 : -1.0);
        out.bias.push_back(norm.bias[c] / scale);
    }
    return out;
}

}  // namespace

std::vector<LayerParameters> rewrite_parameters(const RewrittenNetwork& rewritten,
                                                std::span<const LayerParameters> params) {
    SNNIPRED_CHECK(params.size() == rewritten.original_layers, InvalidInput,
                   "rewriting network '" + rewritten.network.name() + "': parameters for " +
                       std::to_string(params.size()) + " layers, the network has " +
                       std::to_string(rewritten.original_layers));
    std::vector<LayerParameters> out;
    out.reserve(rewritten.source.size());
    for (std::size_t i = 0; i < rewritten.source.size(); ++i) {
        const Layer& layer = rewritten.network.layers()[i];
        const std::optional<std::size_t> forward = rewritten.forward[i];
        if (layer.type == LayerType::kShiftedRelu && forward) {
            out.push_back(shifted_relu_parameters(params[*forward], layer));
            continue;
        }
        LayerParameters p = params[rewritten.source[i]];
        if (forward) scale_inputs(p, params[*forward], layer);
        if (rewritten.absorbed[i]) scale_outputs(p, params[*rewritten.absorbed[i]], layer);
        out.push_back(std::move(p));
    }
    return out;
}

}  // namespace snnipred
