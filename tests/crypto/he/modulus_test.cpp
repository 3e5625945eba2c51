#include "snnipred/crypto/he/modulus.h"

#include <vector>

#include <gtest/gtest.h>

#include "he_test_util.h"
#include "snnipred/core/error.h"

namespace snnipred::crypto::he {
namespace {

TEST(Modulus, BarrettAndShoupAgreeWithDivision) {
    Prng prng = testing::seeded_prng(1);
    for (std::uint64_t value : ntt_primes(4096, 60, 2)) {
        const Modulus q(value);
        for (int k = 0; k < 20000; ++k) {
            const u128 x = (static_cast<u128>(prng.next_u64()) << 64) | prng.next_u64();
            ASSERT_EQ(q.reduce128(x), static_cast<std::uint64_t>(x % value));
            const std::uint64_t a = prng.next_u64() % value, w = prng.next_u64() % value;
            const auto expected = static_cast<std::uint64_t>(static_cast<u128>(a) * w % value);
            ASSERT_EQ(q.mul(a, w), expected);
            ASSERT_EQ(q.mul_shoup(a, w, q.shoup(w)), expected);
            ASSERT_LT(q.mul_shoup_lazy(prng.next_u64(), w, q.shoup(w)), 2 * value);
        }
        EXPECT_EQ(q.mul(q.inverse(12345), 12345), 1u);
        EXPECT_EQ(q.from_signed(-1), value - 1);
    }
}

// The Shoup constant comes from the Barrett constant, not a division: it must be the exact
// quotient for every w < q, at the ends of the range and for moduli of every size.
TEST(Modulus, ShoupConstantIsTheExactQuotient) {
    Prng prng = testing::seeded_prng(2);
    std::vector<std::uint64_t> moduli = ntt_primes(4096, 60, 1);
    for (const std::uint64_t bits : {49, 30}) moduli.push_back(ntt_primes(4096, static_cast<int>(bits), 1).front());
    moduli.push_back((std::uint64_t{1} << 61) - 1);  // the largest a Modulus takes
    moduli.push_back(3);
    for (const std::uint64_t value : moduli) {
        const Modulus q(value);
        const auto exact = [&](std::uint64_t w) { return static_cast<std::uint64_t>((static_cast<u128>(w) << 64) / value); };
        for (const std::uint64_t w : {std::uint64_t{0}, std::uint64_t{1}, value / 2, value - 2, value - 1})
            if (w < value) ASSERT_EQ(q.shoup(w), exact(w)) << value << " " << w;
        for (int k = 0; k < 100000; ++k) {
            const std::uint64_t w = prng.next_u64() % value;
            ASSERT_EQ(q.shoup(w), exact(w)) << value << " " << w;
        }
    }
}

TEST(Modulus, PrimalityAndNttPrimes) {
    EXPECT_TRUE(is_prime(2));
    EXPECT_TRUE(is_prime(1152921504606830593ULL));  // 2^60 - 2^14 + 1
    EXPECT_FALSE(is_prime(1));
    EXPECT_FALSE(is_prime(3215031751ULL));  // strong pseudoprime to bases 2, 3, 5, 7
    const auto primes = ntt_primes(8192, 49, 3);
    ASSERT_EQ(primes.size(), 3u);
    for (std::uint64_t p : primes) {
        EXPECT_TRUE(is_prime(p));
        EXPECT_EQ(p % 16384, 1u);
        EXPECT_EQ(Modulus(p).bits(), 49);
    }
    EXPECT_GT(primes[0], primes[1]);
    EXPECT_THROW(Modulus(std::uint64_t{1} << 61), ConfigError);
    EXPECT_THROW(ntt_primes(4096, 61, 1), ConfigError);
}

}  // namespace
}  // namespace snnipred::crypto::he
