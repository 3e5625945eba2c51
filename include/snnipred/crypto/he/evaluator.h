#pragma once
// Server side: the homomorphic operations of a linear layer. No keys are involved.
//
// Noise (|e| the largest noise coefficient of the inputs; see docs/he-parameters.md):
//   add:             e_a + e_b
//   add/sub_plain:   e + 1/2 (the encoding's rounding)
//   multiply_plain:  (e + 1/2) * ||w||_1 with w centered in [-t/2, t/2)
//   mod switch:      e * Q'/Q + (1 + ||s||_1) / 2  <=  e * Q'/Q + (N + 1) / 2

#include <memory>

#include "snnipred/crypto/he/ciphertext.h"
#include "snnipred/crypto/he/context.h"
#include "snnipred/crypto/he/plaintext.h"

namespace snnipred::crypto::he {

class Evaluator {
public:
    explicit Evaluator(std::shared_ptr<const HeContext> context) : context_(std::move(context)) {}

    // Every operation throws InvalidInput when a ciphertext does not match the parameters,
    // and, for binary operations, when the operands are at different levels.

    void to_ntt(Ciphertext& ct) const;
    void from_ntt(Ciphertext& ct) const;

    /// a += b; b is brought to a's form.
    void add(Ciphertext& a, const Ciphertext& b) const;
    /// Adds m: decrypts to (m_ct + m) mod t.
    void add_plain(Ciphertext& ct, const Plaintext& pt) const;
    /// Subtracts m: how the server masks its result with its output share.
    void sub_plain(Ciphertext& ct, const Plaintext& pt) const;

    /// Centers, lifts and transforms a plaintext for multiply_plain (at the full modulus,
    /// usable at every level). Throws InvalidInput on a bad plaintext.
    NttPlaintext prepare(const Plaintext& pt) const;
    /// ct *= w in the ring: decrypts to m * w mod (X^N + 1, t). Leaves ct in NTT form.
    void multiply_plain(Ciphertext& ct, const NttPlaintext& w) const;

    /// Rescales from Q_l to Q_{l-1} = Q_l / q_{l-1}: c <- round(c / q_{l-1}), per residue
    /// (c_i - [c_{l-1}]) * q_{l-1}^-1 with [.] the centered remainder. Leaves coefficient form.
    /// Throws InvalidInput at the last level.
    void mod_switch_to_next(Ciphertext& ct) const;
    /// Switches down until ct has `primes` primes (1 <= primes <= ct.primes()).
    void mod_switch_to(Ciphertext& ct, std::size_t primes) const;

private:
    void check(const Ciphertext& ct) const;
    void add_scaled(Ciphertext& ct, const Plaintext& pt) const;

    std::shared_ptr<const HeContext> context_;
};

}  // namespace snnipred::crypto::he
