#pragma once
// Folding a batch norm through the ReLU after it into the next linear layer, as DenseNet's
// and pre-activation ResNets' norms sit (norm, ReLU, conv). With scale a and shift b,
// relu(a·x + b) = a·g(x + b/a), g = relu where a > 0 and g(y) = min(y, 0) where a < 0, so
//   * the next conv or fc multiplies its input channel c by a[c] (server-side weights), and
//   * the ReLU becomes a shifted ReLU (LayerType::kShiftedRelu): the server adds b/a to its
//     share and, where a < 0, flips its share of the DReLU bit. The client runs a plain
//     ReLU and cannot tell the two apart, so it learns neither the shifts nor the signs.
// The norm's HE step and its truncation are gone; the ReLU costs what it did.

#include "snnipred/model/network_rewrites.h"

namespace snnipred {

/// Folds every batch norm that only a ReLU reads, whose output reaches exactly one conv or
/// fc through layers that commute with a positive per-channel scale and are read once (avg
/// pool, global avg pool, flatten, pad, identity): the ReLU becomes a shifted ReLU reading
/// the norm's input, and the linear layer takes the norm's scale (RewrittenNetwork::forward).
RewrittenNetwork fold_preactivation_norms(const RewrittenNetwork& network);

/// The smallest |scale| a folded norm may have: the shifted ReLU's input is the norm's
/// output divided by it, so a smaller scale would shrink the value range the sign test
/// covers, and magnify the rounding of the next layer's weights, by more than 64x.
inline constexpr double kSmallestForwardScale = 1.0 / 64.0;

}  // namespace snnipred
