#pragma once
// Fully-connected layer (matrix-vector product y = W x + b) on additive shares, through HE
// with coefficient encoding (Cheetah, section 4.2).
//
// Packing. The input vector is cut into chunks of n_i values, the N_O x N_I matrix into
// n_o x n_i blocks, n_i * n_o <= N. Chunk k becomes x(X) = sum_j x[k n_i + j] X^j; block
// (b, k) becomes w(X) = sum_{r,j} W[b n_o + r][k n_i + j] X^(r n_i + n_i - 1 - j), so that
// coefficient r n_i + n_i - 1 of x*w is the dot product of row b n_o + r with the chunk.
// The server sums over chunks: one response per row block. (n_i, n_o) minimises the bytes
// sent both ways, ties broken by fewer products.
//
// Weights fixed-point at `scale` (signed), outputs at 2*scale; the bias, if any, at 2*scale.

#include <cstdint>
#include <span>
#include <vector>

#include "snnipred/crypto/he/prng.h"
#include "snnipred/engine/hom_session.h"
#include "snnipred/engine/ring.h"
#include "snnipred/net/channel.h"
#include "snnipred/protocol/packing.h"

namespace snnipred::engine {

using protocol::FcPlan;

/// Server side; holds W (outputs x inputs, row-major, signed fixed-point) and the bias.
class HomFcServer {
public:
    /// Throws InvalidInput when the weights or bias do not match. `he` must outlive this.
    HomFcServer(const HomServer& he, std::int64_t inputs, std::int64_t outputs, std::vector<std::int64_t> weights,
                std::vector<std::int64_t> bias = {});
    const FcPlan& plan() const { return plan_; }
    /// Receives plan().input_cts ciphertexts (one message), sends plan().output_cts (one
    /// message); returns the server's share of y. Throws InvalidInput, NetworkError.
    ShareVector run(std::span<const std::uint64_t> x1, net::Channel& channel, crypto::he::Prng& prng) const;

private:
    const HomServer& he_;
    FcPlan plan_;
    crypto::he::ReadPositions positions_;  // what the client reads of each response
    std::vector<std::int64_t> weights_, bias_;
};

/// Client side.
class HomFcClient {
public:
    /// Throws InvalidInput on bad sizes. `he` must outlive this.
    HomFcClient(const HomClient& he, std::int64_t inputs, std::int64_t outputs);
    const FcPlan& plan() const { return plan_; }
    /// Sends the encrypted share x0, returns the client's share of y.
    ShareVector run(std::span<const std::uint64_t> x0, net::Channel& channel, crypto::he::Prng& prng) const;

private:
    const HomClient& he_;
    FcPlan plan_;
    crypto::he::ReadPositions positions_;  // what the client reads of each response
};

/// Plaintext twin: W x + b in the ring. Throws InvalidInput on mismatched sizes.
ShareVector fc_ring_reference(const RingConfig& ring, std::int64_t inputs, std::int64_t outputs,
                              std::span<const std::uint64_t> x, std::span<const std::int64_t> weights,
                              std::span<const std::int64_t> bias = {});

}  // namespace snnipred::engine
