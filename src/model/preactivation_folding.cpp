#include "snnipred/model/preactivation_folding.h"

#include <optional>
#include <vector>

namespace snnipred {
namespace {

// Layers a per-channel scale passes through unchanged in form: linear per channel and
// zero-padded, so a[c]·g commutes with them.
bool commutes_with_channel_scale(LayerType type) {
    return type == LayerType::kAvgPool || type == LayerType::kGlobalAvgPool || type == LayerType::kFlatten ||
           type == LayerType::kPad || type == LayerType::kIdentity;
}

struct Readers {
    std::vector<std::size_t> count;
    std::vector<std::size_t> last;  // the last reader; the only one when count is 1
};

Readers readers_of(const Network& network) {
    Readers readers{std::vector<std::size_t>(network.layers().size(), 0),
                    std::vector<std::size_t>(network.layers().size(), 0)};
    for (std::size_t i = 0; i < network.layers().size(); ++i)
        for (const std::size_t input : network.input_positions(i)) {
            ++readers.count[input];
            readers.last[input] = i;
        }
    return readers;
}

// The conv or fc that takes norm `i`'s scale, if the norm can be folded forward.
std::optional<std::size_t> forward_target(const Network& network, const Readers& readers, std::size_t norm) {
    const std::vector<Layer>& layers = network.layers();
    const auto sole_reader = [&](std::size_t i) -> std::optional<std::size_t> {
        if (readers.count[i] != 1) return std::nullopt;
        return readers.last[i];
    };
    const std::optional<std::size_t> relu = sole_reader(norm);
    if (!relu || layers[*relu].type != LayerType::kRelu) return std::nullopt;
    std::optional<std::size_t> next = sole_reader(*relu);
    while (next && commutes_with_channel_scale(layers[*next].type)) next = sole_reader(*next);
    if (!next) return std::nullopt;
    const LayerType type = layers[*next].type;
    if (type != LayerType::kConv && type != LayerType::kFullyConnected) return std::nullopt;
    return next;
}

}  // namespace

RewrittenNetwork fold_preactivation_norms(const RewrittenNetwork& rewritten) {
    const Network& network = rewritten.network;
    const std::vector<Layer>& layers = network.layers();
    const Readers readers = readers_of(network);
    // Per layer: the norm whose sign and shift a ReLU takes, or whose scale a linear layer takes.
    std::vector<std::optional<std::size_t>> forward(layers.size());
    std::vector<bool> folded_away(layers.size(), false);
    for (std::size_t i = 1; i < layers.size(); ++i) {
        if (layers[i].type != LayerType::kBatchNorm) continue;
        const std::optional<std::size_t> target = forward_target(network, readers, i);
        if (!target) continue;
        folded_away[i] = true;
        forward[readers.last[i]] = i;
        forward[*target] = i;
    }

    Network out(network.name(), network.input().output, network.input().name);
    std::vector<std::size_t> source{0};
    std::vector<std::optional<std::size_t>> kept_forward{std::nullopt};
    std::size_t count = 0;
    for (std::size_t i = 1; i < layers.size(); ++i) {
        if (folded_away[i]) continue;
        Layer layer = layers[i];
        if (forward[i] && layer.type == LayerType::kRelu) {
            layer.type = LayerType::kShiftedRelu;
            layer.inputs = layers[*forward[i]].inputs;
            ++count;
        }
        out.add(std::move(layer));
        source.push_back(i);
        kept_forward.push_back(forward[i]);
    }
    RewrittenNetwork result = detail::compose(rewritten, std::move(out), source,
                                              std::vector<std::optional<std::size_t>>(source.size()), kept_forward);
    result.applied.fold_preactivation = true;
    result.forward_count = count;
    return result;
}

}  // namespace snnipred
