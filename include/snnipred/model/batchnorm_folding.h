#pragma once
// Folding a batch norm into the conv or fc layer it follows: the server scales that layer's
// weights and bias by the norm's per-channel scale and adds its shift, so the secure run
// has one linear step (one HE product, one truncation) where it had two. The client learns
// only the folded structure, which says less than the unfolded one.

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "snnipred/model/network.h"
#include "snnipred/model/parameters.h"

namespace snnipred {

/// A network with its foldable batch norms folded, and where each of its layers came from.
struct FoldedNetwork {
    Network network;
    /// Per layer of `network`: its position in the original network.
    std::vector<std::size_t> source;
    /// Per layer of `network`: the position in the original of the batch norm folded into it.
    std::vector<std::optional<std::size_t>> absorbed;
    /// Layers and batch norms of the original network.
    std::size_t original_layers = 0;
    std::size_t original_norms = 0;

    std::size_t folded_count() const;
    /// As reports show it: "53 of 53 batch norms folded into the conv or fc before them".
    std::string describe() const;
};

/// How reports name a run without folding.
inline constexpr std::string_view kBatchNormsNotFolded = "batch norms each their own HE step (not folded)";

/// Folds every batch norm whose one input is a conv or fc layer that nothing else reads
/// (the conv's output exists only as the norm's input), unless the norm is the network's
/// output. The conv takes the norm's place in the graph (its readers read the conv) and
/// gains a bias. Other batch norms stay (e.g. after a ReLU, or on a concat, as in
/// DenseNet's pre-activation layers).
FoldedNetwork fold_batchnorm(const Network& network);

/// The parameters of `folded`'s layers from `params` of the original network (index-aligned
/// with its layers): a conv/fc that absorbed a norm of scale s and shift t gets weights
/// s[o] * w[o, ...] and bias s[o] * b[o] + t[o] per output channel o (b = 0 without a
/// bias). Throws InvalidInput when `params` does not have one entry per original layer or
/// a tensor has the wrong size.
std::vector<LayerParameters> fold_parameters(const FoldedNetwork& folded, std::span<const LayerParameters> params);

}  // namespace snnipred
