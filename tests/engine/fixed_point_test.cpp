#include "snnipred/engine/fixed_point.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>

namespace snnipred::engine {
namespace {

const RingConfig kRing{};  // 41 bits, scale 12

TEST(FixedPoint, EncodeDecodeRoundTrip) {
    std::mt19937_64 rng(7);
    std::uniform_real_distribution<double> dist(-1000.0, 1000.0);
    const double ulp = std::ldexp(1.0, -kRing.scale);
    for (int i = 0; i < 10000; ++i) {
        const double x = dist(rng);
        const std::uint64_t v = encode(x, kRing);
        EXPECT_LE(v, kRing.mask());
        EXPECT_LE(std::abs(decode(v, kRing) - x), ulp / 2);
    }
    EXPECT_EQ(encode(-1.0, kRing), kRing.mask() - 4095);
    EXPECT_EQ(decode(encode(-3.25, kRing), kRing), -3.25);
    EXPECT_EQ(decode(encode(1.5, kRing, 24), kRing, 24), 1.5);
}

TEST(FixedPoint, EncodeRoundsHalvesAwayFromZero) {
    const double half_ulp = std::ldexp(0.5, -kRing.scale);
    EXPECT_EQ(encode(half_ulp, kRing), 1u);
    EXPECT_EQ(kRing.to_signed(encode(-half_ulp, kRing)), -1);
    EXPECT_EQ(encode(0.49 * std::ldexp(1.0, -kRing.scale), kRing), 0u);
}

TEST(FixedPoint, EncodeRejectsOverflowAndNonFinite) {
    // 41 bits, 12 fractional: signed range [-2^28, 2^28).
    EXPECT_THROW(encode(std::ldexp(1.0, 28), kRing), InvalidInput);
    EXPECT_NO_THROW(encode(-std::ldexp(1.0, 28), kRing));
    EXPECT_NO_THROW(encode(std::ldexp(1.0, 28) - 1.0, kRing));
    EXPECT_THROW(encode(std::numeric_limits<double>::quiet_NaN(), kRing), InvalidInput);
    EXPECT_THROW(encode(std::numeric_limits<double>::infinity(), kRing), InvalidInput);
    EXPECT_THROW(encode(1.0, kRing, 2 * kRing.scale + 20), InvalidInput);
}

TEST(FixedPoint, RingArithmeticWrapsModTwoToBits) {
    const std::uint64_t top = kRing.mask();  // -1
    EXPECT_EQ(ring_add(top, 1, kRing), 0u);
    EXPECT_EQ(ring_sub(0, 1, kRing), top);
    EXPECT_EQ(ring_neg(1, kRing), top);
    // (-1.5) * 2.25 = -3.375, exact at scale 12 after one truncation.
    const std::uint64_t p = ring_mul(encode(-1.5, kRing), encode(2.25, kRing), kRing);
    EXPECT_EQ(decode(p, kRing, 2 * kRing.scale), -3.375);
    EXPECT_EQ(decode(truncate(p, kRing.scale, kRing), kRing), -3.375);
    const std::vector<std::uint64_t> a{1, top}, b{2, 2};
    EXPECT_EQ(ring_add(a, b, kRing), (std::vector<std::uint64_t>{3, 1}));
    EXPECT_EQ(ring_sub(b, a, kRing), (std::vector<std::uint64_t>{1, 3}));
    EXPECT_THROW(ring_add(a, std::vector<std::uint64_t>{1}, kRing), InvalidInput);
}

TEST(FixedPoint, TruncationIsFloorOfTheSignedValue) {
    const auto t = [](std::int64_t v, int shift) { return kRing.to_signed(truncate(kRing.from_signed(v), shift, kRing)); };
    EXPECT_EQ(t(4097, 12), 1);
    EXPECT_EQ(t(4095, 12), 0);
    EXPECT_EQ(t(-1, 12), -1);  // floor, not toward zero
    EXPECT_EQ(t(-4096, 12), -1);
    EXPECT_EQ(t(-4097, 12), -2);
    EXPECT_EQ(t(-3, 1), -2);
    EXPECT_EQ(t(-(std::int64_t{1} << 40), 12), -(std::int64_t{1} << 28));
    EXPECT_EQ(t(-5, 0), -5);
    // -0.7 * 0.3 at scale 12: -2867 * 1229 = -3523543, floor(/4096) = -861.
    EXPECT_EQ(t(-2867 * 1229, 12), -861);
    EXPECT_EQ(truncate_all(std::vector<std::uint64_t>{kRing.from_signed(-1), 8192}, 12, kRing),
              (std::vector<std::uint64_t>{kRing.mask(), 2}));
    EXPECT_THROW(truncate(1, 41, kRing), ConfigError);
    EXPECT_THROW(truncate(1, -1, kRing), ConfigError);
}

TEST(FixedPoint, CarryDroppingTruncationIsFaithfulOrOneUlpBelow) {
    std::mt19937_64 rng(11);
    int exact = 0, below = 0;
    for (int i = 0; i < 20000; ++i) {
        // Secure truncation assumes |x| < 2^(bits-2): values of 2*scale-scaled products.
        const std::int64_t x = static_cast<std::int64_t>(rng() % (std::uint64_t{1} << 40)) - (std::int64_t{1} << 39);
        const std::uint64_t x0 = kRing.reduce(rng());
        const std::uint64_t x1 = kRing.reduce(kRing.from_signed(x) - x0);
        const std::uint64_t faithful = truncate(kRing.from_signed(x), kRing.scale, kRing);
        const std::uint64_t approx = truncate_dropping_carry(x0, x1, kRing.scale, kRing);
        const std::int64_t diff = kRing.to_signed(approx - faithful);
        ASSERT_TRUE(diff == 0 || diff == -1) << "x=" << x << " diff=" << diff;
        (diff == 0 ? exact : below)++;
        EXPECT_TRUE(within_ulps(approx, faithful, kTruncationUlpError, kRing));
    }
    EXPECT_GT(exact, 1000);
    EXPECT_GT(below, 1000);
    EXPECT_FALSE(within_ulps(kRing.from_signed(-2), 0, 1, kRing));
    EXPECT_TRUE(within_ulps(kRing.from_signed(-1), 0, 1, kRing));
}

TEST(FixedPoint, ShareAndReconstruct) {
    std::vector<std::uint64_t> values;
    for (double x : {0.0, 1.0, -1.0, 3.14159, -1000.5, 12345.678}) values.push_back(encode(x, kRing));
    const Shares shares = share(values, 42, kRing);
    ASSERT_EQ(shares.client.size(), values.size());
    EXPECT_EQ(reconstruct(shares, kRing), values);
    for (std::size_t i = 0; i < values.size(); ++i) {
        EXPECT_LE(shares.client[i], kRing.mask());
        EXPECT_LE(shares.server[i], kRing.mask());
    }
    EXPECT_NE(shares.client, values);
    // Reproducible per seed, different across seeds.
    EXPECT_EQ(share(values, 42, kRing).client, shares.client);
    EXPECT_NE(share(values, 43, kRing).client, shares.client);
    // Shares are additive: adding shares adds values.
    const Shares other = share(values, 5, kRing);
    EXPECT_EQ(reconstruct(ring_add(shares.client, other.client, kRing), ring_add(shares.server, other.server, kRing),
                          kRing),
              ring_add(values, values, kRing));
    EXPECT_THROW(reconstruct(shares.client, std::vector<std::uint64_t>{1}, kRing), InvalidInput);
}

TEST(FixedPoint, SharesOfAFullRingLookUniform) {
    // With a 64-bit ring the client share is the raw PRG word: its top bit is a fair coin.
    const RingConfig ring{64, 12};
    const std::vector<std::uint64_t> zeros(4096, 0);
    const Shares shares = share(zeros, 3, ring);
    int high = 0;
    for (const std::uint64_t v : shares.client) high += static_cast<int>(v >> 63);
    EXPECT_NEAR(high, 2048, 200);
    EXPECT_EQ(reconstruct(shares, ring), zeros);
}

}  // namespace
}  // namespace snnipred::engine
