#pragma once
// The per-layer pieces of the secure executor: HE linear layers for each party, the
// pooling windows of the IR, and the local (communication-free) layers on shares.

#include <cstdint>
#include <span>
#include <vector>

#include "layer_kernels.h"
#include "snnipred/crypto/he/prng.h"
#include "snnipred/engine/hom_session.h"
#include "snnipred/engine/ot_session.h"
#include "snnipred/engine/weights.h"
#include "snnipred/model/layer.h"
#include "snnipred/net/channel.h"

namespace snnipred::engine::detail {

/// Arithmetic of one party's shares for the linear local layers of layer_kernels.h: as
/// the ring but without the truncation at the end (a separate protocol step), so every
/// result is this party's share of the reference's value before truncation.
struct ShareArith : RingArith {
    Value finish(Value acc) const { return ring.reduce(acc); }
};

/// Client's HE part of a conv / fc / batchnorm layer: output share at 2 * scale.
/// Throws Unsupported for other layer types, plus what the Hom*Client throws.
ShareVector linear_client(const HomClient& he, const Layer& layer, std::span<const std::uint64_t> x0,
                          net::Channel& channel, crypto::he::Prng& prng);
/// Server's HE part of the same layer with its parameters; the bias (at 2 * scale) is
/// added to the server's share.
ShareVector linear_server(const HomServer& he, const Layer& layer, const LayerWeights& weights,
                          std::span<const std::uint64_t> x1, net::Channel& channel, crypto::he::Prng& prng);

/// Shares of a max pooling layer's output: trees of max(a, b) = b + ReLU(a − b), one ReLU
/// batch per level, in the order protocol::max_pool_order picks for the session's
/// protocols. Throws InvalidInput for a window with no input cell, NetworkError.
ShareVector max_pool_layer(OtSession& session, std::span<const std::uint64_t> x, const Layer& layer);

/// Shares of a shifted ReLU's output (layer_kernels.h shifted_relu). The server, with its
/// `weights` (signs and shifts), adds the shifts to its share and flips its share of the
/// DReLU bit where the sign is negative; the client (`weights` null) runs a plain ReLU, the
/// same messages either way. Throws NetworkError.
ShareVector shifted_relu_layer(OtSession& session, std::span<const std::uint64_t> x, const Layer& layer,
                               const LayerWeights* weights);

/// This party's share of a local layer (add, concat, flatten, pad, identity) or of an
/// average pooling before its truncation (window sum times the reference's reciprocal).
ShareVector local_layer(const Layer& layer, const std::vector<const std::vector<std::uint64_t>*>& inputs,
                        const RingConfig& ring);

}  // namespace snnipred::engine::detail
