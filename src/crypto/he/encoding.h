#pragma once
// Plaintext <-> ring element maps shared by the encryptor, evaluator and decryptor.

#include "snnipred/crypto/he/context.h"
#include "snnipred/crypto/he/plaintext.h"
#include "snnipred/crypto/he/rns_poly.h"

namespace snnipred::crypto::he::detail {

/// Throws InvalidInput unless pt has N coefficients, all < t.
void check_plaintext(const HeContext& context, const Plaintext& pt);

/// round(Q_l * m / t) mod q_i for the first `primes` primes, coefficient form. With
/// Delta = floor(Q_l / t) and r = Q_l mod t this is Delta * m + round(r * m / t): the
/// rounded scaling keeps ciphertext x plaintext exact. (With Delta * m alone, the product
/// by a plaintext w picks up the error r * floor(m * w / t), up to N t^2 / 4 = 2^92 for
/// N = 4096, t = 2^41: beyond the 2^67 that Q = 2^109 can absorb.)
RnsPoly scale_plaintext(const HeContext& context, const Plaintext& pt, std::size_t primes);

/// m with coefficients centered to [-t/2, t/2), reduced mod the first `primes` primes.
RnsPoly lift_centered(const HeContext& context, const Plaintext& pt, std::size_t primes);

}  // namespace snnipred::crypto::he::detail
