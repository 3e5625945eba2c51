#pragma once
// Folding a batch norm into the conv or fc layer it follows: the server scales that layer's
// weights and bias by the norm's per-channel scale and adds its shift, so the secure run
// has one linear step (one HE product, one truncation) where it had two. The client learns
// only the folded structure, which says less than the unfolded one.

#include "snnipred/model/network_rewrites.h"

namespace snnipred {

/// Folds every batch norm whose one input is a conv or fc layer that nothing else reads
/// (the conv's output exists only as the norm's input), unless the norm is the network's
/// output. The conv takes the norm's place in the graph (its readers read the conv) and
/// gains a bias. Other batch norms stay (e.g. after a ReLU, or on a concat, as in
/// DenseNet's pre-activation layers).
RewrittenNetwork fold_batchnorm(const RewrittenNetwork& network);

}  // namespace snnipred
