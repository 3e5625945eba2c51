#include "snnipred/model/batchnorm_folding.h"

#include <string>
#include <unordered_map>

#include "snnipred/core/error.h"

namespace snnipred {
namespace {

bool is_linear(LayerType type) { return type == LayerType::kConv || type == LayerType::kFullyConnected; }

// Per layer, the batch norm folded into it (by position in `network`).
std::vector<std::optional<std::size_t>> foldable_norms(const Network& network) {
    const std::vector<Layer>& layers = network.layers();
    std::vector<std::size_t> readers(layers.size(), 0);
    for (std::size_t i = 0; i < layers.size(); ++i)
        for (const std::size_t input : network.input_positions(i)) ++readers[input];
    std::vector<std::optional<std::size_t>> norm_of(layers.size());
    // The output is what the client receives: folding it would make another layer the last.
    for (std::size_t i = 1; i + 1 < layers.size(); ++i) {
        if (layers[i].type != LayerType::kBatchNorm) continue;
        const std::size_t producer = network.input_positions(i).front();
        if (is_linear(layers[producer].type) && readers[producer] == 1) norm_of[producer] = i;
    }
    return norm_of;
}

}  // namespace

std::size_t FoldedNetwork::folded_count() const {
    std::size_t count = 0;
    for (const auto& norm : absorbed) count += norm.has_value();
    return count;
}

std::string FoldedNetwork::describe() const {
    return std::to_string(folded_count()) + " of " + std::to_string(original_norms) +
           " batch norms folded into the conv or fc before them";
}

FoldedNetwork fold_batchnorm(const Network& network) {
    const std::vector<Layer>& layers = network.layers();
    const std::vector<std::optional<std::size_t>> norm_of = foldable_norms(network);
    std::vector<bool> folded_away(layers.size(), false);
    // A folded norm's readers read the layer it was folded into.
    std::unordered_map<std::string, std::string> renamed;
    for (std::size_t i = 0; i < layers.size(); ++i)
        if (norm_of[i]) {
            folded_away[*norm_of[i]] = true;
            renamed.emplace(layers[*norm_of[i]].name, layers[i].name);
        }

    FoldedNetwork folded{Network(network.name(), network.input().output, network.input().name), {0}, {std::nullopt},
                         layers.size(), 0};
    for (const Layer& layer : layers) folded.original_norms += layer.type == LayerType::kBatchNorm;
    for (std::size_t i = 1; i < layers.size(); ++i) {
        if (folded_away[i]) continue;
        Layer layer = layers[i];
        for (std::string& input : layer.inputs)
            if (const auto it = renamed.find(input); it != renamed.end()) input = it->second;
        if (norm_of[i]) layer.bias = true;
        folded.network.add(std::move(layer));
        folded.source.push_back(i);
        folded.absorbed.push_back(norm_of[i]);
    }
    return folded;
}

std::vector<LayerParameters> fold_parameters(const FoldedNetwork& folded, std::span<const LayerParameters> params) {
    SNNIPRED_CHECK(params.size() == folded.original_layers, InvalidInput,
                   "folding batch norms of network '" + folded.network.name() + "': parameters for " +
                       std::to_string(params.size()) + " layers, the network has " +
                       std::to_string(folded.original_layers));
    std::vector<LayerParameters> out;
    out.reserve(folded.source.size());
    for (std::size_t i = 0; i < folded.source.size(); ++i) {
        LayerParameters p = params[folded.source[i]];
        if (folded.absorbed[i]) {
            const LayerParameters& norm = params[*folded.absorbed[i]];
            const Layer& layer = folded.network.layers()[i];
            const std::size_t channels = static_cast<std::size_t>(layer.out_channels);
            SNNIPRED_CHECK(norm.weight.size() == channels && norm.bias.size() == channels &&
                               p.weight.size() % channels == 0 && (p.bias.empty() || p.bias.size() == channels),
                           InvalidInput,
                           "folding batch norms into layer '" + layer.name + "': its parameters (" +
                               std::to_string(p.weight.size()) + " weights, " + std::to_string(p.bias.size()) +
                               " biases) or its norm's (" + std::to_string(norm.weight.size()) + " scales, " +
                               std::to_string(norm.bias.size()) + " shifts) do not fit " +
                               std::to_string(channels) + " output channels");
            const std::size_t per_channel = p.weight.size() / channels;
            if (p.bias.empty()) p.bias.assign(channels, 0.0);
            for (std::size_t o = 0; o < channels; ++o) {
                for (std::size_t k = 0; k < per_channel; ++k) p.weight[o * per_channel + k] *= norm.weight[o];
                p.bias[o] = norm.weight[o] * p.bias[o] + norm.bias[o];
            }
        }
        out.push_back(std::move(p));
    }
    return out;
}

}  // namespace snnipred
