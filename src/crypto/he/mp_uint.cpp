#include "mp_uint.h"

#include <bit>
#include <cmath>
#include <limits>

namespace snnipred::crypto::he::detail {
namespace {

void trim(Limbs& a) {
    while (!a.empty() && a.back() == 0) a.pop_back();
}

}  // namespace

Limbs product(std::span<const std::uint64_t> factors) {
    Limbs result{1};
    for (std::uint64_t f : factors) result = multiply(result, f);
    return result;
}

Limbs multiply(const Limbs& a, std::uint64_t b) {
    Limbs result(a.size() + 1);
    std::uint64_t carry = 0;
    for (std::size_t i = 0; i < a.size(); ++i) {
        const u128 p = static_cast<u128>(a[i]) * b + carry;
        result[i] = static_cast<std::uint64_t>(p);
        carry = static_cast<std::uint64_t>(p >> 64);
    }
    result[a.size()] = carry;
    trim(result);
    return result;
}

void add_inplace(Limbs& a, const Limbs& b) {
    if (a.size() < b.size()) a.resize(b.size());
    std::uint64_t carry = 0;
    for (std::size_t i = 0; i < a.size(); ++i) {
        const u128 s = static_cast<u128>(a[i]) + (i < b.size() ? b[i] : 0) + carry;
        a[i] = static_cast<std::uint64_t>(s);
        carry = static_cast<std::uint64_t>(s >> 64);
    }
    if (carry != 0) a.push_back(carry);
}

void sub_inplace(Limbs& a, const Limbs& b) {
    std::uint64_t borrow = 0;
    for (std::size_t i = 0; i < a.size(); ++i) {
        const std::uint64_t bi = i < b.size() ? b[i] : 0;
        const std::uint64_t d = a[i] - bi - borrow;
        borrow = (a[i] < bi || (a[i] == bi && borrow != 0)) ? 1 : 0;
        a[i] = d;
    }
    trim(a);
}

int compare(const Limbs& a, const Limbs& b) {
    Limbs x = a, y = b;
    trim(x);
    trim(y);
    if (x.size() != y.size()) return x.size() < y.size() ? -1 : 1;
    for (std::size_t i = x.size(); i-- > 0;) {
        if (x[i] != y[i]) return x[i] < y[i] ? -1 : 1;
    }
    return 0;
}

int bit_length(const Limbs& a) {
    Limbs x = a;
    trim(x);
    if (x.empty()) return 0;
    return static_cast<int>(64 * (x.size() - 1)) + std::bit_width(x.back());
}

Limbs shift_right(const Limbs& a, int bits) {
    const std::size_t words = static_cast<std::size_t>(bits) / 64;
    const int rest = bits % 64;
    Limbs result;
    for (std::size_t i = words; i < a.size(); ++i) {
        std::uint64_t v = a[i] >> rest;
        if (rest != 0 && i + 1 < a.size()) v |= a[i + 1] << (64 - rest);
        result.push_back(v);
    }
    trim(result);
    return result;
}

std::uint64_t low_bits(const Limbs& a, int bits) {
    const std::uint64_t word = a.empty() ? 0 : a[0];
    return bits >= 64 ? word : word & ((std::uint64_t{1} << bits) - 1);
}

std::uint64_t mod_word(const Limbs& a, const Modulus& q) {
    std::uint64_t r = 0;
    for (std::size_t i = a.size(); i-- > 0;) r = q.reduce128((static_cast<u128>(r) << 64) | a[i]);
    return r;
}

double log2(const Limbs& a) {
    long double value = 0;
    for (std::size_t i = a.size(); i-- > 0;) value = value * 18446744073709551616.0L + static_cast<long double>(a[i]);
    return value == 0 ? -std::numeric_limits<double>::infinity() : static_cast<double>(std::log2(value));
}

}  // namespace snnipred::crypto::he::detail
