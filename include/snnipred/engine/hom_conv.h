#pragma once
// Convolution (grouped and depthwise included) on additive shares, through HE with
// coefficient encoding (Cheetah, Huang et al. 2022, section 4.1).
//
// Packing. Per group, the zero-padded input (C channels of H x W) is cut into blocks of
// Cb channels x Hb rows x Wb columns, Cb*Hb*Wb <= N; spatial neighbours overlap by the
// kernel halo (kh-1 rows, kw-1 columns), so every block yields (Hb-kh+1) x (Wb-kw+1)
// stride-1 outputs on its own. A block becomes the polynomial
//     x(X) = sum_{c,r,q} T[c][r][q] X^(c Hb Wb + r Wb + q)
// and filter o's kernel for that channel block the polynomial
//     k(X) = sum_{c,l,l'} K[o][c][l][l'] X^(O - c Hb Wb - l Wb - l'),  O = (Cb-1)Hb Wb + (kh-1)Wb + kw-1,
// so coefficient O + i Wb + j of x*k is output (i, j) of the block, summed over its Cb
// channels: no index wraps past N and no unwanted term lands there. The server sums the
// products over channel blocks: one response ciphertext per (filter, spatial block).
// Dense packing (ConvPacking::kDense) puts Ob filters in one kernel polynomial, filter f
// shifted up by f S, S = Cb Hb Wb: relative to its outputs' origin f S + O, filter f's terms
// lie in [-O, S), so the terms of the filters below stay under its first output and its own
// terms stay under the next filter's (whose terms start S - O above f's origin, past f's
// last output at (Hb-kh) Wb + Wb-kw). Ob S <= N keeps the wrapped terms of the top one
// below filter 0's outputs. One response per (filter block, spatial block): fewer responses
// (and bytes) for smaller channel blocks (more input ciphertexts and products).
// Strides: a kernel dimension of 1 subsamples the input first; a larger one computes the
// stride-1 outputs and keeps every stride-th (as Cheetah does), or with dense packing, where
// that sends fewer bytes, splits the input into phases (rows r, r + s, ...) that each slide
// their ceil(k / s) taps of the kernel at step 1: a stride-1 conv over channels x phases
// whose outputs are exactly the strided ones (ConvPlan). The block shape minimises
// the bytes sent both ways (Cheetah takes whole channels or sqrt(N) tiles; the search
// finds those or better), ties broken by fewer products.
//
// Values are ring elements (RingConfig, 2^41): weights are fixed-point at `scale`, so the
// outputs are at 2*scale; truncation is a separate step. Biases, if given, must already be
// at 2*scale; the server adds them to its share.

#include <cstdint>
#include <span>
#include <vector>

#include "snnipred/crypto/he/prng.h"
#include "snnipred/engine/hom_session.h"
#include "snnipred/engine/ring.h"
#include "snnipred/model/layer.h"
#include "snnipred/net/channel.h"
#include "snnipred/protocol/packing.h"

namespace snnipred::engine {

using protocol::ConvPlan;
using protocol::ConvShape;

/// Server side of one conv layer; holds the weights [C_O][C_I/G][K_H][K_W] (signed
/// fixed-point) and optional bias [C_O] (at 2*scale).
class HomConvServer {
public:
    /// Throws InvalidInput when the weights or bias do not match the shape. `he` must
    /// outlive this object.
    HomConvServer(const HomServer& he, const ConvShape& shape, std::vector<std::int64_t> weights,
                  std::vector<std::int64_t> bias = {});
    const ConvPlan& plan() const { return plan_; }

    /// Runs the layer on the server's share x1 (CHW). Receives plan().input_cts
    /// ciphertexts in one message, sends plan().output_cts in one message. Returns the
    /// server's share of the output (C_O x out_h x out_w, at 2*scale). prng draws the
    /// masks and the protection noise. Throws InvalidInput, NetworkError.
    ShareVector run(std::span<const std::uint64_t> x1, net::Channel& channel, crypto::he::Prng& prng) const;

private:
    const HomServer& he_;
    ConvPlan plan_;
    crypto::he::ReadPositions positions_;  // what the client reads of each response
    std::vector<std::int64_t> weights_, bias_;
};

/// Client side of one conv layer.
class HomConvClient {
public:
    /// Throws InvalidInput on a bad shape. `he` must outlive this object.
    HomConvClient(const HomClient& he, const ConvShape& shape);
    const ConvPlan& plan() const { return plan_; }

    /// Encrypts and sends the client's share x0, receives and decrypts the responses.
    /// Returns the client's output share. prng draws the encryption randomness.
    ShareVector run(std::span<const std::uint64_t> x0, net::Channel& channel, crypto::he::Prng& prng) const;

private:
    const HomClient& he_;
    ConvPlan plan_;
    crypto::he::ReadPositions positions_;  // what the client reads of each response
};

/// Plaintext twin: the convolution of x (CHW ring elements) in the ring, exactly what the
/// two shares of the protocol add up to. Throws InvalidInput on mismatched sizes.
ShareVector conv_ring_reference(const RingConfig& ring, const ConvShape& shape, std::span<const std::uint64_t> x,
                                std::span<const std::int64_t> weights, std::span<const std::int64_t> bias = {});

}  // namespace snnipred::engine
