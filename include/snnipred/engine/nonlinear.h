#pragma once
// Nonlinear layers on additive shares over Z_{2^ℓ} via OT, as in CrypTFlow2 / Cheetah.
// Every function is called by both parties with their own shares (same sizes, same
// order); the party comes from the session. Each protocol step is one OT batch over the
// whole tensor.
//
//  * DReLU(x) = 1 ⊕ MSB(x), MSB(x) = MSB(x0) ⊕ MSB(x1) ⊕ carry, where
//    carry = [x0_low + x1_low ≥ 2^{b−1}] = [2^{b−1} − 1 − x0_low < x1_low] is one
//    millionaires' comparison on b − 1 bits (millionaire.h), reading x mod 2^b with
//    b = protocol::sign_bits: the whole ring (ℓ) classic; ℓ − s + 1 lean, exact for
//    |x| < 2^{ℓ−s} (131,072 in real units at ℓ = 41, s = 12).
//  * Multiplexer b·x: b·x0 = b0·x0 + b1·(1 − 2b0)·x0, the last term from one additive
//    correlated OT with the server as sender; b·x1 likewise with the client as sender.
//    Wire: 2 × (16 + ℓ/8) bytes per element with IKNP, 2 × (ℓ + 1) bits with Ferret (the
//    +1: a chosen COT's flip bit); 3 messages.
//  * ReLU(x) = DReLU(x)·x. Measured at ℓ = 41 (tests/engine/nonlinear_test.cpp): IKNP
//    1137.0 bytes per ReLU (1094.8 for the 40-bit comparison, 42.3 for the multiplexer);
//    Ferret with the lean comparison on 29 bits 37.875 bytes (27.375 + 10.5); 11 flights.
//  * ReLU6(x) = b1·x − (b1 ∧ b2)·(x − 6), b1 = DReLU(x), b2 = DReLU(x − 6): both DReLUs in
//    one batch, one AND layer, one multiplexer batch (the AND keeps x near −2^{b−1}, where
//    x − 6 wraps, correct).
//  * Max pooling: a tree of max(a, b) = b + ReLU(a − b) over each window, all windows of a
//    level in one ReLU batch (ceil(log2 k²) levels). Needs |a − b| < 2^{b−1}, i.e. inputs
//    in [−2^{b−2}, 2^{b−2}) — the fixed-point range of any sane activation.

#include <cstdint>
#include <span>

#include "snnipred/engine/millionaire.h"
#include "snnipred/engine/ot_session.h"
#include "snnipred/engine/ring.h"

namespace snnipred::engine {

/// Shares of [x ≥ 0] (signed reading of the ring). Throws NetworkError.
BitShares drelu(OtSession& session, std::span<const std::uint64_t> x);

/// Shares of b_i·x_i for shared bits b and shared ring values x.
/// Throws InvalidInput on a size mismatch, NetworkError.
ShareVector multiplex(OtSession& session, std::span<const std::uint8_t> b, std::span<const std::uint64_t> x);

/// Shares of max(x, 0). Throws NetworkError.
ShareVector relu(OtSession& session, std::span<const std::uint64_t> x);

/// Shares of min(max(x, 0), 6) with 6 encoded at the session ring's scale. Throws NetworkError.
ShareVector relu6(OtSession& session, std::span<const std::uint64_t> x);

/// Shape of a max pooling over a CHW tensor (batch 1). Windows are clipped to the input,
/// so padding adds no values (as padding with −∞ would).
struct PoolShape {
    int channels = 1;
    int height = 1;
    int width = 1;
    int kernel = 2;
    int stride = 2;
    int padding = 0;

    int out_height() const { return (height + 2 * padding - kernel) / stride + 1; }
    int out_width() const { return (width + 2 * padding - kernel) / stride + 1; }
    /// Throws InvalidInput unless the sizes are positive, padding < kernel and the
    /// output is non-empty.
    void validate() const;
};

/// Shares of the max pooling of x (channels × height × width, CHW) → channels ×
/// out_height × out_width. Throws InvalidInput if the shape is bad or x has the wrong
/// size, NetworkError.
ShareVector max_pool(OtSession& session, std::span<const std::uint64_t> x, const PoolShape& shape);

/// Shares of the maximum of each window of shares (every window non-empty), by a tree of
/// max(a, b) = b + ReLU(a - b) with one ReLU batch per level. Both parties call it.
ShareVector max_of_windows(OtSession& session, std::vector<std::vector<std::uint64_t>> windows);

}  // namespace snnipred::engine
