#include "snnipred/model/network_rewrites.h"

#include <string>

#include "snnipred/core/error.h"
#include "snnipred/model/batchnorm_folding.h"
#include "snnipred/model/relu_placement.h"

namespace snnipred {

std::size_t RewrittenNetwork::folded_count() const {
    std::size_t count = 0;
    for (const auto& norm : absorbed) count += norm.has_value();
    return count;
}

std::string RewrittenNetwork::describe_batchnorms() const {
    if (!applied.fold_batchnorm) return std::string(kBatchNormsNotFolded);
    return std::to_string(folded_count()) + " of " + std::to_string(original_norms) +
           " batch norms folded into the conv or fc before them";
}

std::string RewrittenNetwork::describe_relus() const {
    if (!applied.relu_after_pool) return std::string(kReluWhereWritten);
    if (relus_moved == 1) return "1 ReLU layer applied after the max pool it fed";
    return std::to_string(relus_moved) + " ReLU layers applied after the max pool they fed";
}

RewrittenNetwork as_loaded(const Network& network) {
    RewrittenNetwork rewritten{network, {}, {}, network.layers().size(), 0, {}, 0};
    for (std::size_t i = 0; i < network.layers().size(); ++i) {
        rewritten.source.push_back(i);
        rewritten.absorbed.push_back(std::nullopt);
        rewritten.original_norms += network.layers()[i].type == LayerType::kBatchNorm;
    }
    return rewritten;
}

RewrittenNetwork rewrite_network(const Network& network, const NetworkRewrites& rewrites) {
    RewrittenNetwork rewritten = as_loaded(network);
    if (rewrites.fold_batchnorm) rewritten = fold_batchnorm(rewritten);
    if (rewrites.relu_after_pool) rewritten = relus_after_max_pools(rewritten);
    return rewritten;
}

namespace detail {

RewrittenNetwork compose(const RewrittenNetwork& before, Network network, const std::vector<std::size_t>& local_source,
                         const std::vector<std::optional<std::size_t>>& local_absorbed) {
    RewrittenNetwork after = before;
    after.network = std::move(network);
    after.source.clear();
    after.absorbed.clear();
    for (std::size_t i = 0; i < local_source.size(); ++i) {
        after.source.push_back(before.source[local_source[i]]);
        after.absorbed.push_back(local_absorbed[i] ? std::optional(before.source[*local_absorbed[i]])
                                                   : before.absorbed[local_source[i]]);
    }
    return after;
}

}  // namespace detail

std::vector<LayerParameters> rewrite_parameters(const RewrittenNetwork& rewritten,
                                                std::span<const LayerParameters> params) {
    SNNIPRED_CHECK(params.size() == rewritten.original_layers, InvalidInput,
                   "rewriting network '" + rewritten.network.name() + "': parameters for " +
                       std::to_string(params.size()) + " layers, the network has " +
                       std::to_string(rewritten.original_layers));
    std::vector<LayerParameters> out;
    out.reserve(rewritten.source.size());
    for (std::size_t i = 0; i < rewritten.source.size(); ++i) {
        LayerParameters p = params[rewritten.source[i]];
        if (rewritten.absorbed[i]) {
            const LayerParameters& norm = params[*rewritten.absorbed[i]];
            const Layer& layer = rewritten.network.layers()[i];
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
