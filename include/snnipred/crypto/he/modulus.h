#pragma once
// Arithmetic modulo one word-sized prime: Barrett reduction of 128-bit products and
// Shoup multiplication by a precomputed constant (the NTT and plaintext products).

#include <cstddef>
#include <cstdint>
#include <vector>

namespace snnipred::crypto::he {

__extension__ typedef unsigned __int128 u128;

/// A modulus 2 <= q < 2^61 with its Barrett constant floor(2^128 / q). The bound keeps
/// the lazy NTT butterflies (values below 4q) inside a 64-bit word.
class Modulus {
public:
    /// Throws ConfigError when value < 2 or value >= 2^61.
    explicit Modulus(std::uint64_t value);

    std::uint64_t value() const { return value_; }
    /// Bit length of q (60 for a 60-bit prime).
    int bits() const { return bits_; }

    /// x mod q for any 64-bit x.
    std::uint64_t reduce(std::uint64_t x) const { return reduce128(x); }

    /// x mod q for any x < 2^128 (Barrett: estimated quotient is off by at most one).
    std::uint64_t reduce128(u128 x) const {
        const auto x0 = static_cast<std::uint64_t>(x);
        const auto x1 = static_cast<std::uint64_t>(x >> 64);
        const u128 low = static_cast<u128>(x0) * ratio_lo_;
        const u128 mid1 = static_cast<u128>(x0) * ratio_hi_;
        const u128 mid2 = static_cast<u128>(x1) * ratio_lo_;
        const u128 mid = (low >> 64) + static_cast<std::uint64_t>(mid1) + static_cast<std::uint64_t>(mid2);
        const auto quotient = static_cast<std::uint64_t>((mid >> 64) + (mid1 >> 64) + (mid2 >> 64) +
                                                         static_cast<u128>(x1) * ratio_hi_);
        const std::uint64_t r = x0 - quotient * value_;
        return r >= value_ ? r - value_ : r;
    }

    // add and sub are written branch-free: on random residues a branch mispredicts half the time.
    std::uint64_t add(std::uint64_t a, std::uint64_t b) const {
        const std::uint64_t s = a + b;
        return s - (value_ & (0 - static_cast<std::uint64_t>(s >= value_)));
    }
    std::uint64_t sub(std::uint64_t a, std::uint64_t b) const {
        return a - b + (value_ & (0 - static_cast<std::uint64_t>(a < b)));
    }
    std::uint64_t neg(std::uint64_t a) const { return a == 0 ? 0 : value_ - a; }
    std::uint64_t mul(std::uint64_t a, std::uint64_t b) const { return reduce128(static_cast<u128>(a) * b); }
    std::uint64_t pow(std::uint64_t base, std::uint64_t exponent) const;
    /// Inverse of a nonzero a (q prime). Throws ConfigError when a is 0 mod q.
    std::uint64_t inverse(std::uint64_t a) const;
    /// a mod q for a signed a.
    std::uint64_t from_signed(std::int64_t a) const {
        const auto u = static_cast<std::uint64_t>(a);
        const auto sign = static_cast<std::uint64_t>(a >> 63);  // all ones when negative
        const std::uint64_t magnitude = (u ^ sign) - sign;      // |a|, also at INT64_MIN
        if (magnitude < value_) return u + (value_ & sign);     // the common, small case
        const std::uint64_t r = reduce(magnitude);
        return sign != 0 ? neg(r) : r;
    }

    /// Shoup constant floor(w * 2^64 / q) for a fixed multiplicand w < q. From the Barrett
    /// constant instead of a division (a weight polynomial's NTT needs one per coefficient):
    /// w * floor(2^128 / q) / 2^64 is below w 2^64 / q by less than w / 2^64 < 1, so its
    /// floor is the quotient or one less, and the remainder w 2^64 - quotient q (in [0, 2q),
    /// exact in 64 bits) tells which.
    std::uint64_t shoup(std::uint64_t w) const {
        std::uint64_t quotient = w * ratio_hi_ + static_cast<std::uint64_t>((static_cast<u128>(w) * ratio_lo_) >> 64);
        const std::uint64_t remainder = 0 - quotient * value_;
        quotient += remainder >= value_;
        return quotient;
    }
    /// x * w mod q in [0, 2q) for any 64-bit x, given w < q and its Shoup constant.
    std::uint64_t mul_shoup_lazy(std::uint64_t x, std::uint64_t w, std::uint64_t w_shoup) const {
        const auto q_est = static_cast<std::uint64_t>((static_cast<u128>(x) * w_shoup) >> 64);
        return x * w - q_est * value_;
    }
    /// x * w mod q in [0, q).
    std::uint64_t mul_shoup(std::uint64_t x, std::uint64_t w, std::uint64_t w_shoup) const {
        const std::uint64_t r = mul_shoup_lazy(x, w, w_shoup);
        return r >= value_ ? r - value_ : r;
    }

    bool operator==(const Modulus& other) const { return value_ == other.value_; }

private:
    std::uint64_t value_;
    std::uint64_t ratio_lo_ = 0;
    std::uint64_t ratio_hi_ = 0;
    int bits_ = 0;
};

/// Deterministic Miller-Rabin, exact for every 64-bit n.
bool is_prime(std::uint64_t n);

/// The largest `count` primes q < 2^bits with q = 1 mod 2n (so Z_q has the 2n-th roots of
/// unity the negacyclic NTT needs), skipping any listed in `exclude`. Descending order.
/// Throws ConfigError when bits is outside [20, 60] or too few such primes exist.
std::vector<std::uint64_t> ntt_primes(std::size_t n, int bits, std::size_t count,
                                      const std::vector<std::uint64_t>& exclude = {});

}  // namespace snnipred::crypto::he
