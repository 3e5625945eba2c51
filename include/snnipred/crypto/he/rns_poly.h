#pragma once
// A polynomial of Z_Q[X]/(X^N + 1) with Q = q_0 * ... * q_{k-1}, held in residue-number-
// system form: row i holds the N coefficients (or NTT evaluations) modulo q_i. Every ring
// operation is then k independent word-sized operations, one per prime.

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "snnipred/crypto/he/kernel.h"
#include "snnipred/crypto/he/modulus.h"
#include "snnipred/crypto/he/ntt.h"

namespace snnipred::crypto::he {

class RnsPoly {
public:
    RnsPoly() = default;
    /// The zero polynomial with `primes` rows of n residues.
    RnsPoly(std::size_t n, std::size_t primes) : n_(n), primes_(primes), data_(n * primes) {}

    std::size_t n() const { return n_; }
    std::size_t primes() const { return primes_; }
    std::uint64_t* row(std::size_t i) { return data_.data() + i * n_; }
    const std::uint64_t* row(std::size_t i) const { return data_.data() + i * n_; }
    std::span<std::uint64_t> data() { return data_; }
    std::span<const std::uint64_t> data() const { return data_; }
    /// Keeps the first `primes` rows (drops the moduli at the end of the chain).
    void truncate(std::size_t primes) {
        primes_ = primes;
        data_.resize(n_ * primes);
    }
    bool operator==(const RnsPoly&) const = default;

private:
    std::size_t n_ = 0;
    std::size_t primes_ = 0;
    std::vector<std::uint64_t> data_;
};

// Row-wise ring operations. The first a.primes() entries of `moduli` / `tables` are used;
// both operands must have the same shape (checked by the callers that take user input).
void add_inplace(RnsPoly& a, const RnsPoly& b, std::span<const Modulus> moduli);
void sub_inplace(RnsPoly& a, const RnsPoly& b, std::span<const Modulus> moduli);
void negate_inplace(RnsPoly& a, std::span<const Modulus> moduli);
/// a <- a * b pointwise, b given with its Shoup constants (NTT form for a ring product).
void multiply_shoup_inplace(RnsPoly& a, const RnsPoly& b, const RnsPoly& b_shoup, std::span<const Modulus> moduli);
/// acc <- acc + x * w pointwise (w with its Shoup constants), on the first acc.primes()
/// rows, with the scalar or the AVX-512 kernel (identical results).
void multiply_accumulate_inplace(RnsPoly& acc, const RnsPoly& x, const RnsPoly& w, const RnsPoly& w_shoup,
                                 std::span<const Modulus> moduli, HeKernel kernel);
/// a <- a * b pointwise, both arbitrary (Barrett).
void multiply_inplace(RnsPoly& a, const RnsPoly& b, std::span<const Modulus> moduli);
void forward_ntt(RnsPoly& a, std::span<const NttTables> tables);
void inverse_ntt(RnsPoly& a, std::span<const NttTables> tables);
/// Shoup constants of every residue of a.
RnsPoly shoup_constants(const RnsPoly& a, std::span<const Modulus> moduli);
/// The RNS form of a polynomial with small signed integer coefficients.
RnsPoly lift_signed(std::span<const std::int64_t> coeffs, std::span<const Modulus> moduli);

}  // namespace snnipred::crypto::he
