#pragma once
// Minimal unsigned multiprecision integers (little-endian 64-bit limbs) for what RNS
// cannot do word by word: CRT composition when measuring noise, and the constants
// floor(Q / t), Q mod t at context construction. Not on any hot path.

#include <cstdint>
#include <span>
#include <vector>

#include "snnipred/crypto/he/modulus.h"

namespace snnipred::crypto::he::detail {

using Limbs = std::vector<std::uint64_t>;

/// Product of word-sized factors.
Limbs product(std::span<const std::uint64_t> factors);
/// a * b for a word b.
Limbs multiply(const Limbs& a, std::uint64_t b);
/// a += b (a grows as needed).
void add_inplace(Limbs& a, const Limbs& b);
/// a -= b, requires a >= b.
void sub_inplace(Limbs& a, const Limbs& b);
/// -1, 0, 1 as a <, ==, > b.
int compare(const Limbs& a, const Limbs& b);
int bit_length(const Limbs& a);
/// floor(a / 2^bits).
Limbs shift_right(const Limbs& a, int bits);
/// a mod 2^bits for bits <= 64.
std::uint64_t low_bits(const Limbs& a, int bits);
std::uint64_t mod_word(const Limbs& a, const Modulus& q);
/// log2(a), -infinity for a = 0.
double log2(const Limbs& a);

}  // namespace snnipred::crypto::he::detail
