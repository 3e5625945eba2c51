#pragma once
// A network as the engine runs it after rewrites that compute the same function with fewer
// secure steps (model/batchnorm_folding.h, model/preactivation_folding.h,
// model/relu_placement.h), and where each of its
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
    bool fold_batchnorm = false;      // --fold-batchnorm (model/batchnorm_folding.h)
    bool fold_preactivation = false;  // --fold-preactivation (model/preactivation_folding.h)
    bool relu_after_pool = false;     // --relu-after-pool (model/relu_placement.h)

    bool any() const { return fold_batchnorm || fold_preactivation || relu_after_pool; }
};

struct RewrittenNetwork {
    Network network;
    /// Per layer of `network`: its position in the original network.
    std::vector<std::size_t> source;
    /// Per layer of `network`: the position in the original of the batch norm folded into it.
    std::vector<std::optional<std::size_t>> absorbed;
    /// Per layer of `network`: the position in the original of the batch norm folded forward
    /// through a ReLU: a shifted ReLU takes its signs and shifts, the conv or fc after it its
    /// scales per input channel.
    std::vector<std::optional<std::size_t>> forward;
    /// Layers and batch norms of the original network.
    std::size_t original_layers = 0;
    std::size_t original_norms = 0;
    /// The rewrites that ran, how many norms fold_preactivation_norms folded forward and how
    /// many ReLU layers relus_after_max_pools moved.
    NetworkRewrites applied;
    std::size_t forward_count = 0;
    std::size_t relus_moved = 0;

    std::size_t folded_count() const;
    /// As reports show it: "53 of 53 batch norms folded into the conv or fc before them";
    /// with norms folded forward too, "5 of 121 batch norms folded into the conv or fc
    /// before them, 116 through their ReLU into the conv or fc after it"; or
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

/// `network` with the chosen rewrites: folding into the layer before, then forward, then
/// moving ReLUs.
RewrittenNetwork rewrite_network(const Network& network, const NetworkRewrites& rewrites);

/// The parameters of `rewritten`'s layers from `params` of the original network
/// (index-aligned with its layers): each layer's own, and a conv/fc that absorbed a norm of
/// scale s and shift t gets weights s[o] * w[o, ...] and bias s[o] * b[o] + t[o] per output
/// channel o (b = 0 without a bias). A norm folded forward gives its shifted ReLU the signs
/// of its scales as weights and t[c] / s[c] as biases, and multiplies the weights of the
/// conv or fc after it by s[c] per input channel c. Throws InvalidInput when `params` does
/// not have one entry per original layer, a tensor has the wrong size, or a norm folded
/// forward has a scale below kSmallestForwardScale in magnitude.
std::vector<LayerParameters> rewrite_parameters(const RewrittenNetwork& rewritten,
                                                std::span<const LayerParameters> params);

namespace detail {
/// `before` followed by one more rewrite that produced `network`, whose layer i came from
/// layer local_source[i] of before.network, absorbed its layer local_absorbed[i] and took
/// its layer local_forward[i] forward (empty: no layer folded forward by this rewrite).
RewrittenNetwork compose(const RewrittenNetwork& before, Network network, const std::vector<std::size_t>& local_source,
                         const std::vector<std::optional<std::size_t>>& local_absorbed,
                         const std::vector<std::optional<std::size_t>>& local_forward = {});
}  // namespace detail

}  // namespace snnipred
