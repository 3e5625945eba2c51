#include "snnipred/model/batchnorm_folding.h"

#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

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

RewrittenNetwork fold_batchnorm(const RewrittenNetwork& rewritten) {
    const Network& network = rewritten.network;
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

    Network folded(network.name(), network.input().output, network.input().name);
    std::vector<std::size_t> source{0};
    std::vector<std::optional<std::size_t>> absorbed{std::nullopt};
    for (std::size_t i = 1; i < layers.size(); ++i) {
        if (folded_away[i]) continue;
        Layer layer = layers[i];
        for (std::string& input : layer.inputs)
            if (const auto it = renamed.find(input); it != renamed.end()) input = it->second;
        if (norm_of[i]) layer.bias = true;
        folded.add(std::move(layer));
        source.push_back(i);
        absorbed.push_back(norm_of[i]);
    }
    RewrittenNetwork out = detail::compose(rewritten, std::move(folded), source, absorbed);
    out.applied.fold_batchnorm = true;
    return out;
}

}  // namespace snnipred
