#include "snnipred/crypto/he/modulus.h"

#include <algorithm>
#include <bit>

#include "snnipred/core/error.h"

namespace snnipred::crypto::he {

Modulus::Modulus(std::uint64_t value) : value_(value) {
    SNNIPRED_CHECK(value >= 2 && value < (std::uint64_t{1} << 61), ConfigError,
                   "he: a modulus must lie in [2, 2^61)");
    bits_ = std::bit_width(value);
    // floor(2^128 / q) by long division in two 64-bit digits.
    const u128 high = (static_cast<u128>(1) << 64) / value;
    const u128 rem = (static_cast<u128>(1) << 64) % value;
    ratio_hi_ = static_cast<std::uint64_t>(high);
    ratio_lo_ = static_cast<std::uint64_t>((rem << 64) / value);
}

std::uint64_t Modulus::pow(std::uint64_t base, std::uint64_t exponent) const {
    std::uint64_t result = reduce(1);
    base = reduce(base);
    while (exponent != 0) {
        if (exponent & 1) result = mul(result, base);
        base = mul(base, base);
        exponent >>= 1;
    }
    return result;
}

std::uint64_t Modulus::inverse(std::uint64_t a) const {
    a = reduce(a);
    SNNIPRED_CHECK(a != 0, ConfigError, "he: zero has no inverse");
    return pow(a, value_ - 2);  // Fermat: every Modulus we invert in is prime
}

namespace {

std::uint64_t pow_mod(std::uint64_t base, std::uint64_t exponent, std::uint64_t n) {
    u128 result = 1;
    u128 b = base % n;
    while (exponent != 0) {
        if (exponent & 1) result = result * b % n;
        b = b * b % n;
        exponent >>= 1;
    }
    return static_cast<std::uint64_t>(result);
}

}  // namespace

bool is_prime(std::uint64_t n) {
    if (n < 2) return false;
    for (std::uint64_t p : {2u, 3u, 5u, 7u, 11u, 13u, 17u, 19u, 23u, 29u, 31u, 37u}) {
        if (n % p == 0) return n == p;
    }
    std::uint64_t d = n - 1;
    int r = 0;
    while ((d & 1) == 0) {
        d >>= 1;
        ++r;
    }
    // These twelve bases decide primality for all n < 3.3e24.
    for (std::uint64_t a : {2u, 3u, 5u, 7u, 11u, 13u, 17u, 19u, 23u, 29u, 31u, 37u}) {
        std::uint64_t x = pow_mod(a, d, n);
        if (x == 1 || x == n - 1) continue;
        bool composite = true;
        for (int i = 1; i < r && composite; ++i) {
            x = static_cast<std::uint64_t>(static_cast<u128>(x) * x % n);
            composite = x != n - 1;
        }
        if (composite) return false;
    }
    return true;
}

std::vector<std::uint64_t> ntt_primes(std::size_t n, int bits, std::size_t count,
                                      const std::vector<std::uint64_t>& exclude) {
    SNNIPRED_CHECK(bits >= 20 && bits <= 60, ConfigError, "he: prime sizes must be 20..60 bits");
    SNNIPRED_CHECK(std::has_single_bit(n), ConfigError, "he: ring degree must be a power of two");
    const std::uint64_t step = 2 * n;
    const std::uint64_t floor_value = std::uint64_t{1} << (bits - 1);
    std::vector<std::uint64_t> primes;
    // Largest candidate below 2^bits that is 1 mod 2n.
    std::uint64_t candidate = ((std::uint64_t{1} << bits) - 1) / step * step + 1;
    while (primes.size() < count && candidate > floor_value) {
        if (is_prime(candidate) && std::find(exclude.begin(), exclude.end(), candidate) == exclude.end()) {
            primes.push_back(candidate);
        }
        candidate -= step;
    }
    SNNIPRED_CHECK(primes.size() == count, ConfigError, "he: not enough NTT-friendly primes of that size");
    return primes;
}

}  // namespace snnipred::crypto::he
