#pragma once
// Batch norm at inference, y[c] = scale[c] * x[c] + shift[c] per channel, on additive
// shares through HE with coefficient encoding.
//
// Packing. With L = H*W <= N, Cb channels share a polynomial, Cb = floor(sqrt(N / L))
// (at most C): channel c of the block sits at X^(c L). The scale polynomial is
// sum_c scale[c] X^(c Cb L); the product puts scale[c'] x[c] at X^((c' Cb + c) L), a
// distinct slot for every pair, and the wanted pairs c' = c at X^(c (Cb+1) L); the
// largest index, Cb^2 L - 1, stays below N, so nothing wraps. One product per ciphertext,
// one response per input ciphertext. With L > N a channel is cut into even chunks of at
// most N values, one per ciphertext, multiplied by the monomial scale[c].
// (Cheetah's HomBN uses one channel per ciphertext; packing Cb channels divides the
// traffic by Cb when channels are small, e.g. 7x7 maps at N = 8192: 12 channels.)
//
// Scales are fixed-point at `scale`, outputs at 2*scale; shifts must be given at 2*scale
// and are added by the server to its share.

#include <cstdint>
#include <span>
#include <vector>

#include "snnipred/crypto/he/prng.h"
#include "snnipred/engine/hom_session.h"
#include "snnipred/engine/ring.h"
#include "snnipred/net/channel.h"
#include "snnipred/protocol/packing.h"

namespace snnipred::engine {

using protocol::BnPlan;

/// Server side; holds the per-channel scale (fixed-point) and shift (at 2*scale).
class HomBnServer {
public:
    /// Throws InvalidInput on sizes that do not match. `he` must outlive this object.
    HomBnServer(const HomServer& he, std::int64_t channels, std::int64_t h, std::int64_t w,
                std::vector<std::int64_t> scale, std::vector<std::int64_t> shift);
    const BnPlan& plan() const { return plan_; }
    /// Receives plan().input_cts ciphertexts, sends as many back (one message each way);
    /// returns the server's share of y (CHW). Throws InvalidInput, NetworkError.
    ShareVector run(std::span<const std::uint64_t> x1, net::Channel& channel, crypto::he::Prng& prng) const;

private:
    const HomServer& he_;
    BnPlan plan_;
    crypto::he::ReadPositions positions_;  // what the client reads of each response
    std::vector<std::int64_t> scale_, shift_;
};

/// Client side.
class HomBnClient {
public:
    /// Throws InvalidInput on bad sizes. `he` must outlive this object.
    HomBnClient(const HomClient& he, std::int64_t channels, std::int64_t h, std::int64_t w);
    const BnPlan& plan() const { return plan_; }
    ShareVector run(std::span<const std::uint64_t> x0, net::Channel& channel, crypto::he::Prng& prng) const;

private:
    const HomClient& he_;
    BnPlan plan_;
    crypto::he::ReadPositions positions_;  // what the client reads of each response
};

/// Plaintext twin: scale[c] * x + shift[c] in the ring. Throws InvalidInput on bad sizes.
ShareVector bn_ring_reference(const RingConfig& ring, std::int64_t channels, std::int64_t h, std::int64_t w,
                              std::span<const std::uint64_t> x, std::span<const std::int64_t> scale,
                              std::span<const std::int64_t> shift);

}  // namespace snnipred::engine
