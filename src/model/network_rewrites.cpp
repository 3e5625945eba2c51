#include "snnipred/model/network_rewrites.h"

#include <string>

#include "snnipred/model/batchnorm_folding.h"
#include "snnipred/model/preactivation_folding.h"
#include "snnipred/model/relu_placement.h"

namespace snnipred {

std::size_t RewrittenNetwork::folded_count() const {
    std::size_t count = 0;
    for (const auto& norm : absorbed) count += norm.has_value();
    return count;
}

std::string RewrittenNetwork::describe_batchnorms() const {
    const std::string of = " of " + std::to_string(original_norms) + " batch norms folded ";
    const std::string forward_text = " through their ReLU into the conv or fc after it";
    if (applied.fold_batchnorm && applied.fold_preactivation)
        return std::to_string(folded_count()) + of + "into the conv or fc before them, " +
               std::to_string(forward_count) + forward_text;
    if (applied.fold_batchnorm) return std::to_string(folded_count()) + of + "into the conv or fc before them";
    if (applied.fold_preactivation) return std::to_string(forward_count) + of + forward_text.substr(1);
    return std::string(kBatchNormsNotFolded);
}

std::string RewrittenNetwork::describe_relus() const {
    if (!applied.relu_after_pool) return std::string(kReluWhereWritten);
    if (relus_moved == 1) return "1 ReLU layer applied after the max pool it fed";
    return std::to_string(relus_moved) + " ReLU layers applied after the max pool they fed";
}

RewrittenNetwork as_loaded(const Network& network) {
    RewrittenNetwork rewritten{network, {}, {}, {}, network.layers().size(), 0, {}, 0, 0};
    for (std::size_t i = 0; i < network.layers().size(); ++i) {
        rewritten.source.push_back(i);
        rewritten.absorbed.push_back(std::nullopt);
        rewritten.forward.push_back(std::nullopt);
        rewritten.original_norms += network.layers()[i].type == LayerType::kBatchNorm;
    }
    return rewritten;
}

RewrittenNetwork rewrite_network(const Network& network, const NetworkRewrites& rewrites) {
    RewrittenNetwork rewritten = as_loaded(network);
    if (rewrites.fold_batchnorm) rewritten = fold_batchnorm(rewritten);
    if (rewrites.fold_preactivation) rewritten = fold_preactivation_norms(rewritten);
    if (rewrites.relu_after_pool) rewritten = relus_after_max_pools(rewritten);
    return rewritten;
}

namespace detail {

RewrittenNetwork compose(const RewrittenNetwork& before, Network network, const std::vector<std::size_t>& local_source,
                         const std::vector<std::optional<std::size_t>>& local_absorbed,
                         const std::vector<std::optional<std::size_t>>& local_forward) {
    RewrittenNetwork after = before;
    after.network = std::move(network);
    after.source.clear();
    after.absorbed.clear();
    after.forward.clear();
    const auto in_original = [&](const std::optional<std::size_t>& local, const std::optional<std::size_t>& carried) {
        return local ? std::optional(before.source[*local]) : carried;
    };
    for (std::size_t i = 0; i < local_source.size(); ++i) {
        const std::size_t from = local_source[i];
        after.source.push_back(before.source[from]);
        after.absorbed.push_back(in_original(local_absorbed[i], before.absorbed[from]));
        after.forward.push_back(
            in_original(local_forward.empty() ? std::nullopt : local_forward[i], before.forward[from]));
    }
    return after;
}

}  // namespace detail

}  // namespace snnipred
