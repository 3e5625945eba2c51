#include "snnipred/crypto/he/ntt.h"

#include <bit>
#include <string>

#include "avx512_kernels.h"
#include "snnipred/core/error.h"

namespace snnipred::crypto::he {
namespace {

std::size_t bit_reverse(std::size_t x, int bits) {
    std::size_t r = 0;
    for (int i = 0; i < bits; ++i) r |= ((x >> i) & 1) << (bits - 1 - i);
    return r;
}

// The smallest primitive 2n-th root of unity found from the generators 2, 3, ...: psi is
// primitive exactly when psi^n = -1.
std::uint64_t find_psi(std::size_t n, const Modulus& q) {
    const std::uint64_t exponent = (q.value() - 1) / (2 * n);
    for (std::uint64_t g = 2; g < q.value(); ++g) {
        const std::uint64_t psi = q.pow(g, exponent);
        if (q.pow(psi, n) == q.value() - 1) return psi;
    }
    throw ConfigError("he: no primitive 2n-th root of unity");
}

}  // namespace

NttTables::NttTables(std::size_t n, const Modulus& q, HeKernel kernel)
    : n_(n), log_n_(std::countr_zero(n)), q_(q), kernel_(n >= 16 ? kernel : HeKernel::kScalar) {
    SNNIPRED_CHECK(n >= 2 && std::has_single_bit(n), ConfigError, "he: NTT size must be a power of two");
    SNNIPRED_CHECK(kernel_supported(kernel), ConfigError,
                   "he: this CPU cannot run the " + std::string(kernel_name(kernel)) + " kernel");
    SNNIPRED_CHECK(q.value() % (2 * n) == 1 && is_prime(q.value()), ConfigError,
                   "he: NTT modulus must be a prime = 1 mod 2n");
    psi_ = find_psi(n, q);
    const std::uint64_t psi_inv = q.inverse(psi_);
    roots_.resize(n);
    inv_roots_.resize(n);
    std::uint64_t power = 1, inv_power = 1;
    std::vector<std::uint64_t> powers(n), inv_powers(n);
    for (std::size_t i = 0; i < n; ++i) {
        powers[i] = power;
        inv_powers[i] = inv_power;
        power = q.mul(power, psi_);
        inv_power = q.mul(inv_power, psi_inv);
    }
    for (std::size_t i = 0; i < n; ++i) {
        roots_[i] = powers[bit_reverse(i, log_n_)];
        inv_roots_[i] = inv_powers[bit_reverse(i, log_n_)];
    }
    roots_shoup_.resize(n);
    inv_roots_shoup_.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
        roots_shoup_[i] = q.shoup(roots_[i]);
        inv_roots_shoup_[i] = q.shoup(inv_roots_[i]);
    }
    n_inv_ = q.inverse(n);
    n_inv_shoup_ = q.shoup(n_inv_);
}

void NttTables::forward(std::uint64_t* a) const {
    if (kernel_ == HeKernel::kAvx512) {
        detail::forward_ntt_avx512(a, n_, roots_.data(), roots_shoup_.data(), q_);
        return;
    }
    const std::uint64_t q = q_.value();
    const std::uint64_t two_q = 2 * q;
    std::size_t t = n_;
    for (std::size_t m = 1; m < n_; m <<= 1) {
        t >>= 1;
        for (std::size_t i = 0; i < m; ++i) {
            const std::uint64_t w = roots_[m + i];
            const std::uint64_t w_shoup = roots_shoup_[m + i];
            std::uint64_t* x = a + 2 * i * t;
            std::uint64_t* y = x + t;
            for (std::size_t j = 0; j < t; ++j) {
                // Invariant: inputs below 4q; outputs below 4q.
                std::uint64_t u = x[j];
                if (u >= two_q) u -= two_q;
                const std::uint64_t v = q_.mul_shoup_lazy(y[j], w, w_shoup);
                x[j] = u + v;
                y[j] = u + two_q - v;
            }
        }
    }
    for (std::size_t i = 0; i < n_; ++i) {
        std::uint64_t v = a[i];
        if (v >= two_q) v -= two_q;
        if (v >= q) v -= q;
        a[i] = v;
    }
}

void NttTables::inverse(std::uint64_t* a) const {
    if (kernel_ == HeKernel::kAvx512) {
        detail::inverse_ntt_avx512(a, n_, inv_roots_.data(), inv_roots_shoup_.data(), n_inv_, n_inv_shoup_, q_);
        return;
    }
    const std::uint64_t q = q_.value();
    const std::uint64_t two_q = 2 * q;
    std::size_t t = 1;
    for (std::size_t m = n_; m > 1; m >>= 1) {
        const std::size_t h = m >> 1;
        for (std::size_t i = 0; i < h; ++i) {
            const std::uint64_t w = inv_roots_[h + i];
            const std::uint64_t w_shoup = inv_roots_shoup_[h + i];
            std::uint64_t* x = a + 2 * i * t;
            std::uint64_t* y = x + t;
            for (std::size_t j = 0; j < t; ++j) {
                // Invariant: inputs below 2q; outputs below 2q.
                const std::uint64_t u = x[j];
                const std::uint64_t v = y[j];
                std::uint64_t s = u + v;
                if (s >= two_q) s -= two_q;
                x[j] = s;
                y[j] = q_.mul_shoup_lazy(u + two_q - v, w, w_shoup);
            }
        }
        t <<= 1;
    }
    for (std::size_t i = 0; i < n_; ++i) a[i] = q_.mul_shoup(a[i], n_inv_, n_inv_shoup_);
}

}  // namespace snnipred::crypto::he
