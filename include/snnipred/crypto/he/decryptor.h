#pragma once
// Client side: decryption and noise measurement.

#include <memory>

#include "snnipred/crypto/he/ciphertext.h"
#include "snnipred/crypto/he/context.h"
#include "snnipred/crypto/he/keys.h"
#include "snnipred/crypto/he/plaintext.h"

namespace snnipred::crypto::he {

/// The noise of a ciphertext: e = c0 + c1 s - round(Q m / t) mod Q, centered, with m the
/// decryption. Decryption is correct while max |e| < Q / (2t), i.e. while budget_bits > 0.
struct NoiseReport {
    double noise_bits = 0;   // log2 max_j |e_j| (0 when e = 0)
    double budget_bits = 0;  // log2(Q / (2t)) - noise_bits, clamped at 0
};

class Decryptor {
public:
    Decryptor(std::shared_ptr<const HeContext> context, SecretKey sk)
        : context_(std::move(context)), sk_(std::move(sk)) {}

    /// m = round(t (c0 + c1 s) / Q) mod t, computed residue by residue (no multiprecision):
    /// t v / Q = sum_i [v_i (Q/q_i)^-1]_{q_i} t / q_i (mod t). Any level, either form.
    /// Throws InvalidInput when the ciphertext does not match the parameters.
    Plaintext decrypt(const Ciphertext& ct) const;

    /// Measures the noise (multiprecision CRT composition, for tests and diagnostics: not
    /// constant time, far slower than decrypt). A ciphertext whose noise already exceeded the budget
    /// decrypts to a wrong m and reports a budget near 0, as in SEAL.
    NoiseReport noise(const Ciphertext& ct) const;

private:
    RnsPoly phase(const Ciphertext& ct) const;  // c0 + c1 s, coefficient form

    std::shared_ptr<const HeContext> context_;
    SecretKey sk_;
};

}  // namespace snnipred::crypto::he
