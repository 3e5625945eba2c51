#pragma once
// Truncation of shared fixed-point values after a multiplication: shares of the arithmetic
// right shift by s = `shift` bits of x = x0 + x1 mod 2^ℓ read as signed. The server adds
// an offset 2^k to its share so that the shift becomes a logical one of x' = x + 2^k, and
// subtracts 2^{k−s} at the end. For shares x0' (server) and x1 (client):
//
//   x' >> s = (x0' >> s) + (x1 >> s) + c − 2^{ℓ−s}·w,
//   w = [x0' + x1 ≥ 2^ℓ]           (the wrap of the shares)
//   c = [x0'_low + x1_low ≥ 2^s]    (the carry out of their low s bits)
//
//  * kFaithful (CrypTFlow2 style, exact for every ring element): k = ℓ − 1, so x' covers
//    [0, 2^ℓ). w = [2^ℓ − 1 − x0' < x1] and c = [2^s − 1 − x0'_low < x1_low] come from one
//    millionaires' comparison whose digits break at bit s (less_than_split), and become
//    ring shares with one correlated OT each (bits_to_ring).
//  * kApproximate (Cheetah, Huang et al. USENIX Security 2022, §4.3): needs
//    x ∈ [−2^{ℓ−2}, 2^{ℓ−2}); k = ℓ − 2 puts x' in [0, 2^{ℓ−1}), so its MSB is known to be 0
//    and the wrap is just w = MSB(x0') ∨ MSB(x1): one correlated OT, no comparison. The
//    carry c is dropped, so the result is the faithful one or one ulp below it
//    (engine::truncate_dropping_carry is its plaintext twin). Outside that range the
//    result is wrong by a multiple of 2^{ℓ−s}.

#include <cstdint>
#include <span>

#include "snnipred/engine/millionaire.h"
#include "snnipred/engine/ot_session.h"
#include "snnipred/engine/ring.h"

namespace snnipred::engine {

using protocol::TruncationMode;

/// Shares of floor(x / 2^shift) (faithful) or that minus the dropped carry (approximate).
/// Both parties call it with their shares. The session's lean protocols (with Ferret,
/// protocol/comparison.h) run the wrap's correlated OT over `shift` bits only, since the
/// wrap is multiplied by 2^{ℓ−shift}. Wire per element (ℓ = 41, s = 12, measured in
/// tests/engine/truncation_test.cpp): IKNP faithful 1249.8 bytes (one 41-bit split
/// comparison and two correlated OTs), approximate 21.1 bytes (one correlated OT); Ferret
/// faithful 50.6 bytes, approximate 1.6 bytes (12 bits and a flip bit), beside their
/// silent COTs; faithful 11 flights (12 with Ferret: its chosen COTs' flip bits),
/// approximate 2. Throws ConfigError unless
/// 0 < shift < ℓ − 2, NetworkError.
ShareVector truncate_shares(OtSession& session, std::span<const std::uint64_t> x, int shift,
                            TruncationMode mode = TruncationMode::kFaithful);

/// Ring shares of shared bits (Boolean-to-arithmetic), b = b0 + b1 − 2·b0·b1 with b0·b1
/// from one additive correlated OT per bit, server as sender; wire 16 + ℓ/8 bytes per bit,
/// 2 messages. Throws NetworkError.
ShareVector bits_to_ring(OtSession& session, std::span<const std::uint8_t> bits);

}  // namespace snnipred::engine
