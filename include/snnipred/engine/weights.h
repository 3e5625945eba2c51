#pragma once
// Model parameters quantised to the ring: what the server holds in secure inference and
// what the reference executor multiplies by. Layouts follow PyTorch/ONNX.
//
// Quantisation: weights (and batch-norm scales) are encoded at ring.scale fractional bits;
// biases (and batch-norm shifts) at 2 * ring.scale, because they are added to the
// accumulated products (which carry 2 * scale bits) before the one truncation that ends
// every linear layer. So y = trunc(sum_i w_i * x_i + b) with no extra rounding of b.

#include <cstdint>
#include <span>
#include <vector>

#include "snnipred/engine/ring.h"
#include "snnipred/model/network.h"
#include "snnipred/model/parameters.h"

namespace snnipred::engine {

/// One layer's parameters as ring elements; both empty for layers without parameters.
struct LayerWeights {
    /// conv: [C_O][C_I/G][K_H][K_W]; fc: [out][in]; batchnorm: per-channel scale; shifted
    /// ReLU: per-channel sign (+-1). Encoded at ring.scale.
    std::vector<std::uint64_t> weight;
    /// conv/fc: one per output channel (empty when Layer::bias is false);
    /// batchnorm, shifted ReLU: per-channel shift. Encoded at 2 * ring.scale.
    std::vector<std::uint64_t> bias;

    bool operator==(const LayerWeights&) const = default;
};

/// Parameters of a whole network, index-aligned with Network::layers().
struct NetworkWeights {
    RingConfig ring;
    std::vector<LayerWeights> layers;

    /// Throws InvalidInput unless there is one entry per layer of `network` and every
    /// tensor has the size weight_count / bias_count give.
    void check(const Network& network) const;
    bool operator==(const NetworkWeights& other) const {
        return ring.bits == other.ring.bits && ring.scale == other.ring.scale && layers == other.layers;
    }
};

/// What a server checks before secure inference: NetworkWeights::check, and every conv, fc
/// and batch-norm weight within the public bound the HE noise budget assumes
/// (crypto::he::kMaxWeightBits, or the ring's half when smaller). Throws InvalidInput
/// naming the layer, the weight and its real value.
void check_weight_bound(const Network& network, const NetworkWeights& weights);

/// Number of weight (resp. bias) values a layer holds: 0 for parameter-free layers.
std::size_t weight_count(const Layer& layer);
std::size_t bias_count(const Layer& layer);

/// The most elements the engine allocates for one tensor (a layer's output or weights):
/// 2^31 ring values are 16 GiB, more than any machine that runs it holds.
inline constexpr std::uint64_t kMaxTensorElements = std::uint64_t{1} << 31;
/// Throws InvalidInput naming the first layer whose output or weights exceed
/// kMaxTensorElements, with the count, so an oversized network fails before any allocation.
void check_tensor_sizes(const Network& network);

/// Encodes real parameters: `weight` at ring.scale, `bias` at 2 * ring.scale.
/// Throws InvalidInput if a value is not finite or does not fit in the ring.
LayerWeights quantise_layer(std::span<const double> weight, std::span<const double> bias, const RingConfig& ring);

/// Encodes real parameters for every layer of `network` (index-aligned with its layers) with
/// quantise_layer. Throws ConfigError for an invalid ring, InvalidInput when the entries do
/// not fit the network (NetworkWeights::check) or a value does not fit in the ring.
NetworkWeights quantise_weights(const Network& network, std::span<const LayerParameters> params,
                                const RingConfig& ring = {});

/// Real values of a layer's parameters (exact decodes of the ring elements).
std::vector<double> real_weight(const LayerWeights& weights, const RingConfig& ring);
std::vector<double> real_bias(const LayerWeights& weights, const RingConfig& ring);

/// Random real parameters for `network` (index-aligned with its layers), reproducible from
/// `seed` (std::mt19937_64, which the standard fixes bit for bit). Conv and FC weights are He-uniform, then rescaled
/// data-dependently (as LSUV does): a double-precision pass over a probe input drawn
/// uniformly from [-1, 1] scales each conv/FC layer so its output (before the bias) has
/// RMS 1. Biases and batch-norm shifts are uniform in [-0.1, 0.1], batch-norm scales in
/// [0.75, 1.25], shifted ReLUs' signs +1 or -1 with even odds. Activations therefore stay O(1)..O(10) for inputs in [-1, 1] at any
/// depth: far above the 2^-scale resolution and far below the 2^(bits-1-2*scale) bound
/// that a product accumulator must respect (2^16 for the default ring).
/// Throws InvalidInput as check_tensor_sizes.
std::vector<LayerParameters> random_parameters(const Network& network, std::uint64_t seed);

/// random_parameters quantised to `ring` (quantise_weights). Throws ConfigError for an
/// invalid ring, InvalidInput as check_tensor_sizes.
NetworkWeights random_weights(const Network& network, std::uint64_t seed, const RingConfig& ring = {});

}  // namespace snnipred::engine
