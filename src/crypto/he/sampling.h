#pragma once
// The three distributions of the scheme.
//  - uniform mod each q_i (the public polynomial a): rejection sampling of masked words,
//    so the result is exactly uniform; by CRT, uniform mod Q.
//  - ternary (the secret s and the public-key randomness u): uniform on {-1, 0, 1}.
//  - error: centered binomial with eta = 21, i.e. popcount of 21 bits minus popcount of 21
//    bits: standard deviation sqrt(eta / 2) = 3.24 >= 3.2 (the standard's sigma) and
//    support bounded by |e| <= 21, which the worst-case noise analysis uses. Constant time.

#include <cstdint>
#include <span>
#include <vector>

#include "snnipred/crypto/he/modulus.h"
#include "snnipred/crypto/he/prng.h"
#include "snnipred/crypto/he/rns_poly.h"

namespace snnipred::crypto::he::detail {

inline constexpr std::int64_t kErrorBound = 21;

/// Uniform residues mod moduli[i] in every row of a fresh n x moduli.size() polynomial.
RnsPoly sample_uniform(Prng& prng, std::size_t n, std::span<const Modulus> moduli);
std::vector<std::int64_t> sample_ternary(Prng& prng, std::size_t n);
std::vector<std::int64_t> sample_error(Prng& prng, std::size_t n);

}  // namespace snnipred::crypto::he::detail
