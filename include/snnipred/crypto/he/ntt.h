#pragma once
// Negacyclic number-theoretic transform over Z_q[X]/(X^N + 1), one table per RNS prime.
// Forward: Cooley-Tukey with the powers of a primitive 2N-th root psi in bit-reversed
// order, so no separate twist by psi^i and no bit-reversal permutation; the output is in
// bit-reversed order, which pointwise products do not care about. Inverse:
// Gentleman-Sande with psi^-1, then a scaling by N^-1. Butterflies are Harvey's lazy ones
// (values kept below 4q, Shoup multiplications), corrected to [0, q) at the end.

#include <cstddef>
#include <cstdint>
#include <vector>

#include "snnipred/crypto/he/kernel.h"
#include "snnipred/crypto/he/modulus.h"

namespace snnipred::crypto::he {

class NttTables {
public:
    /// Throws ConfigError when n is not a power of two >= 2, or q != 1 mod 2n, or q is not
    /// prime, or the kernel is not supported by this CPU. Below n = 16 the scalar code runs.
    NttTables(std::size_t n, const Modulus& q, HeKernel kernel = default_kernel());

    std::size_t n() const { return n_; }
    const Modulus& modulus() const { return q_; }
    /// The primitive 2n-th root of unity psi the tables are built from.
    std::uint64_t psi() const { return psi_; }
    /// The kernel the transforms run.
    HeKernel kernel() const { return kernel_; }

    /// In place; input coefficients in [0, q), output evaluations in [0, q).
    void forward(std::uint64_t* values) const;
    /// In place; inverse of forward.
    void inverse(std::uint64_t* values) const;

private:
    std::size_t n_;
    int log_n_;
    Modulus q_;
    std::uint64_t psi_;
    std::vector<std::uint64_t> roots_, roots_shoup_;          // psi^bitrev(i)
    std::vector<std::uint64_t> inv_roots_, inv_roots_shoup_;  // psi^-(bitrev(i)), GS order
    std::uint64_t n_inv_, n_inv_shoup_;
    HeKernel kernel_;
};

}  // namespace snnipred::crypto::he
