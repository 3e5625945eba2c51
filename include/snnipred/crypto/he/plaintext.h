#pragma once
// Plaintexts of the coefficient encoding: a polynomial of Z_t[X]/(X^N + 1), t = 2^l, whose
// coefficients are the values themselves (Cheetah packs tensors into coefficients so a
// ring product computes a convolution or a matrix-vector product).

#include <cstdint>
#include <vector>

#include "snnipred/crypto/he/rns_poly.h"

namespace snnipred::crypto::he {

/// m(X) = sum_j coeffs[j] X^j with every coefficient in [0, t). Operations taking a
/// Plaintext throw InvalidInput when it has not exactly N coefficients or one is >= t.
struct Plaintext {
    std::vector<std::uint64_t> coeffs;
    bool operator==(const Plaintext&) const = default;
};

/// A plaintext prepared by Evaluator::prepare for repeated ciphertext x plaintext products:
/// coefficients centered to [-t/2, t/2), lifted mod every prime, in NTT form, with Shoup
/// constants. Preparing once per weight polynomial keeps the NTT off the product.
class NttPlaintext {
public:
    NttPlaintext(RnsPoly value, RnsPoly shoup) : value_(std::move(value)), shoup_(std::move(shoup)) {}
    const RnsPoly& value() const { return value_; }
    const RnsPoly& shoup() const { return shoup_; }

private:
    RnsPoly value_;
    RnsPoly shoup_;
};

}  // namespace snnipred::crypto::he
