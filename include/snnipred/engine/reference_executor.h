#pragma once
// Plaintext executors: the ring executor computes, layer by layer, exactly what the secure
// engine reconstructs (up to the one-ulp truncation error of its protocols); the float
// executor runs the same network and weights in double precision to measure the error
// fixed point itself introduces.
//
// Ring semantics, per layer type (values at ring.scale unless said otherwise):
//   conv, fc      products accumulate at 2*scale, plus the bias (stored at 2*scale),
//                 then one faithful truncation by scale (see truncate()).
//   batchnorm     y = trunc(scale_c * x + shift_c), scale at `scale`, shift at 2*scale.
//   relu          max(x, 0) on the signed value.
//   relu6         clip(x, encode(clip_min), encode(clip_max)): [0, 6] for ReLU6.
//   maxpool       max of the signed values inside the input; padding is ignored (-inf).
//   avgpool       window sum times encode(1/n), truncated by scale; n counts padding
//                 cells (PyTorch's default count_include_pad=True) but, with ceil_mode,
//                 not the cells past the padded input (as PyTorch does).
//   globalavgpool sum over H*W times encode(1/(H*W)), truncated by scale.
//   add           ring sum; concat along channels; flatten, identity pass through;
//   pad           zero rows/columns.

#include <cstdint>
#include <span>
#include <vector>

#include "snnipred/engine/ring.h"
#include "snnipred/engine/weights.h"
#include "snnipred/model/network.h"

namespace snnipred::engine {

/// Ring output of one layer given the ring values of its inputs (in Layer::inputs order):
/// the plaintext twin of that layer's secure protocol. `ring` must match the ring the
/// weights were quantised for. Throws InvalidInput if an input or parameter tensor has the
/// wrong size; throws Unsupported for the input layer.
std::vector<std::uint64_t> reference_layer(const Layer& layer, const LayerWeights& weights,
                                           const std::vector<const std::vector<std::uint64_t>*>& inputs,
                                           const RingConfig& ring);

/// Every layer's ring output, index-aligned with network.layers() (entry 0 is the input).
/// `input` holds network.input() elements in CHW order, encoded at ring.scale.
/// Throws ConfigError if `ring` differs from weights.ring or is invalid, InvalidInput if
/// the weights do not fit the network or the input has the wrong size.
std::vector<std::vector<std::uint64_t>> run_reference_all(const Network& network, const NetworkWeights& weights,
                                                          std::span<const std::uint64_t> input,
                                                          const RingConfig& ring);

/// The output layer's ring values; as run_reference_all but keeps only live tensors.
std::vector<std::uint64_t> run_reference(const Network& network, const NetworkWeights& weights,
                                         std::span<const std::uint64_t> input, const RingConfig& ring);

/// The same network in double precision, with the real values of the quantised weights
/// (so the difference to run_reference is the fixed-point arithmetic alone). Throws
/// InvalidInput like run_reference_all.
std::vector<double> run_float(const Network& network, const NetworkWeights& weights, std::span<const double> input);

}  // namespace snnipred::engine
