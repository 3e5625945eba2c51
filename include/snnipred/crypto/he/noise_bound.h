#pragma once
// Worst-case noise bounds (log2 of the largest possible |noise coefficient|) for the
// operations the engine performs; derived in docs/he-parameters.md. Worst case, not
// heuristic: every bound holds with probability 1 given the bounded error |e| <= 21.

#include <cstddef>
#include <cstdint>

#include "snnipred/crypto/he/context.h"

namespace snnipred::crypto::he {

/// Largest fan-in the engine may accumulate into one output coefficient: the number of
/// plaintext (weight) coefficients, over all summed ciphertext x plaintext products, that
/// meet one noise coefficient. 2^16 covers VGG-16's fc6 (25088 inputs) with room.
inline constexpr std::uint64_t kMaxFanIn = std::uint64_t{1} << 16;
/// Largest weight magnitude, centered and in fixed point, that the engine's HE layers accept:
/// |w| <= 2^28, a real value of 2^16 at the default scale 12, where one product with an input
/// of 1 already fills what the ring holds at scale 2s (2^16). A public bound, like the ring:
/// the server refuses weights beyond it (engine/weights.h) rather than letting the noise
/// bounds below, which assume it, fail.
inline constexpr int kMaxWeightBits = 28;
/// The weight bound in bits for a plaintext modulus t = 2^plain_bits:
/// min(plain_bits - 1, kMaxWeightBits).
int weight_bits(int plain_bits);
/// The same for the context's plaintext modulus.
int weight_bits(const HeContext& context);
/// Statistical distance allowed between a flooded response and one simulated without the
/// server's weights: 2^-40.
inline constexpr int kStatisticalSecurity = 40;
/// A response's c1 is sent rounded (response_wire.h); the extra error this adds to one
/// decrypted coefficient stays below its bound except with probability 2^-40.
inline constexpr int kRoundingFailureBits = 40;
/// Error support bound of the centered binomial distribution (eta = 21).
inline constexpr double kErrorBound = 21;

/// Fresh secret-key encryption: |e| + 1/2 (encoding rounding).
double fresh_noise_bound_log2();
/// Public-key encryption of zero: |e u + e1 + e2 s| <= 21 (2N + 1).
double public_zero_noise_bound_log2(std::size_t n);
/// Sum of products of fresh ciphertexts with plaintexts of magnitude <= 2^weight_bits whose
/// coefficients meet one output coefficient `fan_in` times in all:
/// fan_in * 2^weight_bits * (21 + 1/2). This is the noise that depends on the server's weights.
double product_noise_bound_log2(const HeContext& context, std::uint64_t fan_in);
/// The same when every input's c0 was rounded to a multiple of 2^drop_bits (input_wire.h):
/// fan_in * 2^weight_bits * (21 + 1/2 + 2^(drop_bits - 1)).
double rounded_product_noise_bound_log2(const HeContext& context, std::uint64_t fan_in, int drop_bits);
/// How many halves of input noise the weights' coefficients may meet in all for the products'
/// noise to stay within 2^product_room_log2: floor(2 * room / 2^weight_bits)
/// (protocol::HeLayout::input_noise_room).
std::uint64_t input_noise_room(const HeContext& context, double product_room_log2);
/// Rounding added by a modulus switch: (1 + ||s||_1) / 2 <= (N + 1) / 2.
double mod_switch_rounding_bound_log2(std::size_t n);
/// Extra noise of one coefficient when every coefficient of c1 is rounded to a multiple of
/// 2^d: (delta s)_j with rounding errors delta_k in (-2^(d-1), 2^(d-1)] and s ternary. c1 is
/// (pseudo)uniform after the fresh masking, so the delta_k are independent with mean 1/2:
/// by Hoeffding the sum leaves its mean by tau = 2^d sqrt(N (f + 1) ln 2 / 2) with
/// probability <= 2^-f, and the mean is at most N/2. Returns log2(tau + N/2); -infinity for d = 0.
double c1_rounding_bound_log2(std::size_t n, int drop_bits, int failure_bits = kRoundingFailureBits);
/// Bits b of the uniform flooding noise on [-2^b, 2^b) that hides a weight-dependent noise
/// of magnitude <= 2^dependent_log2 in all N coefficients within statistical distance
/// 2^-statistical_security: per coefficient the distance is |e| / 2^(b+1), over N
/// coefficients at most N 2^dependent / 2^(b+1), so b = ceil(log2 N + dependent + sec - 1).
int flooding_bits(std::size_t n, double dependent_log2, int statistical_security);

}  // namespace snnipred::crypto::he
