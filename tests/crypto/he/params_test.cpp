#include "snnipred/crypto/he/params.h"

#include <gtest/gtest.h>

#include "snnipred/core/error.h"
#include "snnipred/crypto/he/modulus.h"

namespace snnipred::crypto::he {
namespace {

TEST(HeParams, NamedSetsSitAtTheSecurityLimit) {
    const HeParams cheetah = HeParams::cheetah_n4096();
    EXPECT_EQ(cheetah.n(), 4096u);
    EXPECT_EQ(cheetah.plain_bits(), 41);
    EXPECT_LE(cheetah.q_bit_length(), 109);
    EXPECT_GE(cheetah.q_bit_length(), 108);
    ASSERT_EQ(cheetah.primes().size(), 2u);
    EXPECT_EQ(Modulus(cheetah.primes()[0]).bits(), 60);
    EXPECT_EQ(Modulus(cheetah.primes()[1]).bits(), 49);
    const HeParams big = HeParams::n8192();
    EXPECT_EQ(big.n(), 8192u);
    EXPECT_LE(big.q_bit_length(), 218);
    EXPECT_GE(big.q_bit_length(), 217);
    for (std::uint64_t q : big.primes()) EXPECT_EQ(q % 16384, 1u);
}

TEST(HeParams, StandardTable) {
    EXPECT_EQ(max_log_q_128(1024), 27);
    EXPECT_EQ(max_log_q_128(4096), 109);
    EXPECT_EQ(max_log_q_128(8192), 218);
    EXPECT_EQ(max_log_q_128(32768), 881);
    EXPECT_EQ(max_log_q_128(4000), 0);
}

TEST(HeParams, RefusesUnsafeSets) {
    EXPECT_THROW(HeParams::from_bit_sizes(4096, {50, 50, 50}, 41), ConfigError);  // log q = 150
    EXPECT_THROW(HeParams::from_bit_sizes(4096, {60, 50}, 41), ConfigError);      // 110 > 109
    EXPECT_THROW(HeParams::from_bit_sizes(8192, {60, 60, 60, 40}, 41), ConfigError);  // 220 > 218
    EXPECT_THROW(HeParams::from_bit_sizes(2048, {60}, 41), ConfigError);          // 60 > 54
    EXPECT_NO_THROW(HeParams::from_bit_sizes(2048, {54}, 41));
}

TEST(HeParams, RefusesMalformedSets) {
    const std::uint64_t p = ntt_primes(4096, 50, 1)[0];
    EXPECT_THROW(HeParams(4000, {p}, 41), ConfigError);        // N not in the table
    EXPECT_THROW(HeParams(4096, {p, p}, 41), ConfigError);     // repeated prime
    EXPECT_THROW(HeParams(4096, {p + 2}, 41), ConfigError);    // not 1 mod 2N
    EXPECT_THROW(HeParams(4096, {1000003}, 8), ConfigError);   // prime, not 1 mod 2N
    EXPECT_THROW(HeParams(4096, {}, 41), ConfigError);
    EXPECT_THROW(HeParams(4096, {p}, 61), ConfigError);
    EXPECT_THROW(HeParams(4096, {p}, 45), ConfigError);        // first prime too close to t
}

}  // namespace
}  // namespace snnipred::crypto::he
