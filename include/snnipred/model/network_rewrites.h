#pragma once
// A network as the engine runs it after rewrites that compute the same function with fewer
// secure steps (model/batchnorm_folding.h, model/relu_placement.h), and where each of its
// layers came from, so the server's parameters follow the layers they belong to.

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "snnipred/model/network.h"
#include "snnipred/model/parameters.h"

namespace snnipred {

/// Which rewrites the engine runs a network with (`run`, `serve`, `infer` and `predict`
/// flags; the Python package's keywords). None: the network as written.
struct NetworkRewrites {
    bool fold_batchnorm = false;   // --fold-batchnorm (model/batchnorm_folding.h)
    bool relu_after_pool = false;  // --relu-after-pool (model/relu_placement.h)

    bool any() const { return fold_batchnorm || relu_after_pool; }
};

struct RewrittenNetwork {
    Network network;
    /// Per layer of `network`: its position in the original network.
    std::vector<std::size_t> source;
    /// Per layer of `network`: the position in the original of the batch norm folded into it.
    std::vector<std::optional<std::size_t>> absorbed;
    /// Layers and batch norms of the original network.
    std::size_t original_layers = 0;
    std::size_t original_norms = 0;
    /// The rewrites that ran, and how many ReLU layers relus_after_max_pools moved.
    NetworkRewrites applied;
    std::size_t relus_moved = 0;

    std::size_t folded_count() const;
    /// As reports show it: "53 of 53 batch norms folded into the conv or fc before them", or
    /// kBatchNormsNotFolded.
    std::string describe_batchnorms() const;
    /// As reports show it: "5 ReLU layers applied after the max pool they fed" (one: "1 ReLU
    /// layer applied after the max pool it fed"), or kReluWhereWritten.
    std::string describe_relus() const;
};

/// How reports name a run without folding.
inline constexpr std::string_view kBatchNormsNotFolded = "batch norms each their own HE step (not folded)";
/// How reports name a run whose ReLUs stay where the network has them.
inline constexpr std::string_view kReluWhereWritten = "ReLUs where the network has them";

/// The network before any rewrite: every layer its own source.
RewrittenNetwork as_loaded(const Network& network);

/// `network` with the chosen rewrites, folding first.
RewrittenNetwork rewrite_network(const Network& network, const NetworkRewrites& rewrites);

/// The parameters of `rewritten`'s layers from `params` of the original network
/// (index-aligned with its layers): each layer's own, and a conv/fc that absorbed a norm of
/// scale s and shift t gets weights s[o] * w[o, ...] and bias s[o] * b[o] + t[o] per output
/// channel o (b = 0 without a bias). Throws InvalidInput when `params` does not have one
/// entry per original layer or a tensor has the wrong size.
std::vector<LayerParameters> rewrite_parameters(const RewrittenNetwork& rewritten,
                                                std::span<const LayerParameters> params);

namespace detail {
/// `before` followed by one more rewrite that produced `network`, whose layer i came from
/// layer local_source[i] of before.network and absorbed its layer local_absorbed[i].
RewrittenNetwork compose(const RewrittenNetwork& before, Network network, const std::vector<std::size_t>& local_source,
                         const std::vector<std::optional<std::size_t>>& local_absorbed);
}  // namespace detail

}  // namespace snnipred
