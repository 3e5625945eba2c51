#pragma once
// Fixed-point encoding of real numbers in Z_{2^ell}, ring arithmetic, additive sharing
// between the two parties, and the exact meaning of truncation that both the plaintext
// reference executor and the secure protocols are measured against.
//
// A real x is held as round(x * 2^scale) read in two's complement over `bits` bits. A
// product of two such values carries 2*scale fractional bits and is brought back to
// `scale` by truncation: an arithmetic right shift of the signed value, i.e. floor
// division by 2^scale: 4097 -> 1 but -1 -> -1 and -4097 -> -2 (never toward zero).

#include <cstdint>
#include <span>
#include <vector>

#include "snnipred/engine/ring.h"

namespace snnipred::crypto::ot {
class Prg;
}

namespace snnipred::engine {

/// round(x * 2^frac_bits) (halves away from zero) as a ring element. `frac_bits`
/// defaults to ring.scale; weights' biases use 2 * ring.scale. Throws InvalidInput if x
/// is not finite or its encoding does not fit in the signed range of the ring.
std::uint64_t encode(double x, const RingConfig& ring, int frac_bits);
inline std::uint64_t encode(double x, const RingConfig& ring) { return encode(x, ring, ring.scale); }
/// The signed reading of `v` divided by 2^frac_bits.
double decode(std::uint64_t v, const RingConfig& ring, int frac_bits);
inline double decode(std::uint64_t v, const RingConfig& ring) { return decode(v, ring, ring.scale); }

/// Element-wise encode / decode at ring.scale. encode_all throws like encode.
std::vector<std::uint64_t> encode_all(std::span<const double> values, const RingConfig& ring);
std::vector<double> decode_all(std::span<const std::uint64_t> values, const RingConfig& ring);

inline std::uint64_t ring_add(std::uint64_t a, std::uint64_t b, const RingConfig& ring) { return ring.reduce(a + b); }
inline std::uint64_t ring_sub(std::uint64_t a, std::uint64_t b, const RingConfig& ring) { return ring.reduce(a - b); }
inline std::uint64_t ring_neg(std::uint64_t a, const RingConfig& ring) { return ring.reduce(0 - a); }
/// Product mod 2^bits. Two scale-s operands give a 2s-scaled result: truncate it.
inline std::uint64_t ring_mul(std::uint64_t a, std::uint64_t b, const RingConfig& ring) { return ring.reduce(a * b); }

/// Element-wise a + b and a - b mod 2^bits. Throws InvalidInput on a length mismatch.
std::vector<std::uint64_t> ring_add(std::span<const std::uint64_t> a, std::span<const std::uint64_t> b,
                                    const RingConfig& ring);
std::vector<std::uint64_t> ring_sub(std::span<const std::uint64_t> a, std::span<const std::uint64_t> b,
                                    const RingConfig& ring);

/// Faithful truncation: the signed value of `v` shifted right arithmetically by `shift`
/// bits (floor(v / 2^shift)), as a ring element. This is what the reference executor
/// applies after every linear layer. Throws ConfigError unless 0 <= shift < ring.bits.
std::uint64_t truncate(std::uint64_t v, int shift, const RingConfig& ring);
std::vector<std::uint64_t> truncate_all(std::span<const std::uint64_t> values, int shift, const RingConfig& ring);

/// Error model of Cheetah's approximate truncation (and of any share-wise construction
/// that computes the wrap of the high bits exactly but drops the carry out of the low
/// `shift` bits of the two shares): the result is floor(x / 2^shift) - c with
/// c = [(x0 mod 2^shift) + (x1 mod 2^shift) >= 2^shift], so it is the faithful result or
/// one ulp below it. This function returns exactly that value for shares x0, x1 of x,
/// the plaintext twin of such a protocol. Throws ConfigError like truncate.
std::uint64_t truncate_dropping_carry(std::uint64_t x0, std::uint64_t x1, int shift, const RingConfig& ring);

/// Largest |secure - faithful| (in ulps, signed ring difference) a secure truncation may
/// show under the model above; a protocol variant that rounds instead may be off by one
/// in either direction, so checks accept both signs.
inline constexpr std::int64_t kTruncationUlpError = 1;

/// True when `actual` and `expected` differ by at most `ulps` as signed ring values:
/// how secure outputs are checked against the reference (which truncates faithfully).
bool within_ulps(std::uint64_t actual, std::uint64_t expected, std::int64_t ulps, const RingConfig& ring);

/// The two additive shares of a tensor: client + server = value (mod 2^bits).
struct Shares {
    ShareVector client;
    ShareVector server;
};

/// Splits `values` (ring elements) into uniformly random shares: the client share is
/// drawn from `prg`, the server share is the difference. Throws ConfigError if the ring
/// is invalid.
Shares share(std::span<const std::uint64_t> values, crypto::ot::Prg& prg, const RingConfig& ring);
/// As above with a PRG seeded by `seed` (reproducible shares, for tests and replays).
Shares share(std::span<const std::uint64_t> values, std::uint64_t seed, const RingConfig& ring);

/// client + server element-wise. Throws InvalidInput on a length mismatch.
std::vector<std::uint64_t> reconstruct(std::span<const std::uint64_t> client, std::span<const std::uint64_t> server,
                                       const RingConfig& ring);
inline std::vector<std::uint64_t> reconstruct(const Shares& shares, const RingConfig& ring) {
    return reconstruct(shares.client, shares.server, ring);
}

}  // namespace snnipred::engine
