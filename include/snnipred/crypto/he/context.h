#pragma once
// Everything precomputed from a parameter set: the moduli, one NTT table per prime, and
// per level (number of primes still in the modulus, after modulus switching) the constants
// of encoding, decryption and switching. Shared, immutable, safe to use from many threads.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "snnipred/crypto/he/modulus.h"
#include "snnipred/crypto/he/ntt.h"
#include "snnipred/crypto/he/params.h"

namespace snnipred::crypto::he {

/// Constants for ciphertexts whose modulus is Q_l = q_0 * ... * q_{l-1}.
struct LevelData {
    std::size_t primes = 0;
    double log2_q = 0;
    std::vector<std::uint64_t> q_limbs;                 // Q_l, little-endian words
    std::vector<std::vector<std::uint64_t>> punctured;  // Q_l / q_i
    std::vector<std::uint64_t> delta;                   // floor(Q_l / t) mod q_i
    std::vector<std::uint64_t> delta_shoup;
    std::uint64_t q_mod_t = 0;                          // Q_l mod t
    std::vector<std::uint64_t> crt_inv, crt_inv_shoup;  // (Q_l / q_i)^-1 mod q_i
    std::vector<std::uint64_t> last_inv, last_inv_shoup;  // q_{l-1}^-1 mod q_i, i < l - 1
};

class HeContext {
public:
    /// Throws ConfigError if the tables cannot be built (HeParams already checked security)
    /// or the kernel is not supported by this CPU.
    explicit HeContext(HeParams params, HeKernel kernel = default_kernel());
    static std::shared_ptr<const HeContext> create(HeParams params, HeKernel kernel = default_kernel()) {
        return std::make_shared<const HeContext>(std::move(params), kernel);
    }

    const HeParams& params() const { return params_; }
    std::size_t n() const { return params_.n(); }
    std::size_t max_primes() const { return moduli_.size(); }
    std::span<const Modulus> moduli() const { return moduli_; }
    std::span<const NttTables> tables() const { return tables_; }
    /// The kernel of the NTTs and of multiply_accumulate_inplace.
    HeKernel kernel() const { return kernel_; }
    int plain_bits() const { return params_.plain_bits(); }
    std::uint64_t plain_mask() const { return (std::uint64_t{1} << params_.plain_bits()) - 1; }
    /// Level with `primes` moduli, 1 <= primes <= max_primes(); throws InvalidInput otherwise.
    const LevelData& level(std::size_t primes) const;

    // Decryption computes t * x_i / q_i as floor(t / q_i) * x_i plus x_i * frac(t / q_i),
    // the fraction held as a 128-bit fixed-point number.
    std::uint64_t t_div_q(std::size_t i) const { return t_div_q_[i]; }
    std::uint64_t t_frac_hi(std::size_t i) const { return t_frac_hi_[i]; }
    std::uint64_t t_frac_lo(std::size_t i) const { return t_frac_lo_[i]; }

private:
    HeParams params_;
    HeKernel kernel_;
    std::vector<Modulus> moduli_;
    std::vector<NttTables> tables_;
    std::vector<LevelData> levels_;  // levels_[l - 1] has l primes
    std::vector<std::uint64_t> t_div_q_, t_frac_hi_, t_frac_lo_;
};

}  // namespace snnipred::crypto::he
