#include "snnipred/engine/millionaire.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <random>
#include <vector>

#include "two_party.h"

namespace snnipred::engine {
namespace {

std::uint64_t width_mask(int bits) { return bits == 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << bits) - 1; }

class Millionaire : public ::testing::TestWithParam<protocol::OtExtension> {
protected:
    testing::TwoParties parties_{RingConfig{}, GetParam()};
    std::mt19937_64 rng_{20261125};
};

TEST_P(Millionaire, LessThanMatchesPlaintextForEveryWidth) {
    for (int bits = 1; bits <= 64; ++bits) {
        const std::uint64_t mask = width_mask(bits);
        std::vector<std::uint64_t> a{0, 0, mask, mask, 1, mask - 1, 0};
        std::vector<std::uint64_t> b{0, mask, 0, mask, 1, mask, 1};
        for (int i = 0; i < 120; ++i) {
            a.push_back(rng_() & mask);
            // Half the pairs share a long prefix, so the low digits and the eq chain matter.
            b.push_back(i % 2 ? (a.back() ^ (rng_() & 0xFF)) & mask : rng_() & mask);
        }
        // Bits above the width are ignored.
        if (bits < 64) {
            a.push_back((std::uint64_t{1} << bits) | 5);
            b.push_back(6);
        }
        const auto [lt0, lt1] = parties_.run([&](OtSession& s) { return less_than(s, s.is_server() ? a : b, bits); });
        ASSERT_EQ(lt0.size(), a.size());
        for (std::size_t i = 0; i < a.size(); ++i)
            ASSERT_EQ(lt0[i] ^ lt1[i], (a[i] & mask) < (b[i] & mask) ? 1 : 0)
                << "bits " << bits << " a " << a[i] << " b " << b[i];
    }
}

TEST_P(Millionaire, SplitComparisonGivesWholeAndLowPart) {
    for (const auto& [bits, low_bits] : {std::pair{41, 12}, {41, 1}, {41, 40}, {64, 13}, {7, 3}, {2, 1}}) {
        const std::uint64_t mask = width_mask(bits), low_mask = width_mask(low_bits);
        std::vector<std::uint64_t> a{0, mask, low_mask, low_mask + 1, 5}, b{mask, 0, low_mask + 1, low_mask, 5};
        for (int i = 0; i < 400; ++i) {
            a.push_back(rng_() & mask);
            b.push_back(i % 2 ? a.back() ^ (rng_() & (std::uint64_t{1} << (rng_() % bits))) : rng_() & mask);
        }
        const auto [r0, r1] =
            parties_.run([&](OtSession& s) { return less_than_split(s, s.is_server() ? a : b, bits, low_bits); });
        for (std::size_t i = 0; i < a.size(); ++i) {
            ASSERT_EQ(r0.full[i] ^ r1.full[i], (a[i] & mask) < (b[i] & mask) ? 1 : 0) << bits << "/" << low_bits;
            ASSERT_EQ(r0.low[i] ^ r1.low[i], (a[i] & low_mask) < (b[i] & low_mask) ? 1 : 0) << bits << "/" << low_bits;
        }
    }
}

TEST_P(Millionaire, AndBitsMatchesPlaintext) {
    constexpr std::size_t n = 1000;
    std::vector<std::uint8_t> x0(n), x1(n), y0(n), y1(n);
    for (std::size_t i = 0; i < n; ++i) x0[i] = rng_() & 1, x1[i] = rng_() & 1, y0[i] = rng_() & 1, y1[i] = rng_() & 1;
    const auto [z0, z1] =
        parties_.run([&](OtSession& s) { return s.is_server() ? and_bits(s, x0, y0) : and_bits(s, x1, y1); });
    for (std::size_t i = 0; i < n; ++i) ASSERT_EQ(z0[i] ^ z1[i], (x0[i] ^ x1[i]) & (y0[i] ^ y1[i])) << i;
}

TEST_P(Millionaire, BatchesLargerThanAChunkAreSplit) {
    const std::size_t n = kComparisonChunk + 100;
    std::vector<std::uint64_t> a(n), b(n);
    for (std::size_t i = 0; i < n; ++i) a[i] = rng_() & 0xFF, b[i] = rng_() & 0xFF;
    const auto [lt0, lt1] = parties_.run([&](OtSession& s) { return less_than(s, s.is_server() ? a : b, 8); });
    ASSERT_EQ(lt0.size(), n);
    for (std::size_t i = 0; i < n; ++i) ASSERT_EQ(lt0[i] ^ lt1[i], a[i] < b[i] ? 1 : 0) << i;
}

TEST_P(Millionaire, EmptyBatchSendsNothing) {
    const std::vector<std::uint64_t> none;
    const auto [lt0, lt1] = parties_.run([&](OtSession& s) { return less_than(s, none, 40); });
    EXPECT_TRUE(lt0.empty() && lt1.empty());
    EXPECT_EQ(parties_.last_bytes(), 0U);
}

TEST_P(Millionaire, RejectsBadWidth) {
    const std::vector<std::uint64_t> one{1};
    EXPECT_THROW(parties_.run([&](OtSession& s) { return less_than(s, one, 0); }), InvalidInput);
    EXPECT_THROW(parties_.run([&](OtSession& s) { return less_than_split(s, one, 8, 8); }), InvalidInput);
}

TEST_P(Millionaire, CommunicationPerComparison) {
    constexpr std::size_t n = 4096;
    std::vector<std::uint64_t> values(n);
    for (auto& v : values) v = rng_();
    if (GetParam() == protocol::OtExtension::kIknp) {
        for (const int bits : {31, 40}) {
            parties_.run([&](OtSession& s) { return less_than(s, values, bits); });
            const double per = static_cast<double>(parties_.last_bytes()) / n;
            std::printf("[ millionaire ] iknp, %d-bit comparison: %.1f bytes (%.0f bits) each, %llu flights\n", bits,
                        per, 8 * per, static_cast<unsigned long long>(parties_.last_flights()));
            // 10 digits: 10·80 bytes of 1-of-16 OT, 9 merges · (32 + 0.75) bytes.
            if (bits == 40) EXPECT_DOUBLE_EQ(per, 10 * 80 + 9 * 32 + 9 * 6 / 8.0);
        }
        return;
    }
    // Ferret, lean: with both buffers refilled first, a batch pays only its own messages (its
    // silent COTs come on top at 0.48 bit each). 40 bits in digits of m = 2, 3, 4 bits.
    parties_.refill_silent_ot();
    for (const int m : {2, 3, 4}) {
        parties_.run([&](OtSession& s) { return less_than(s, values, 40, m); });
        const double per = static_cast<double>(parties_.last_bytes()) / n;
        std::printf("[ millionaire ] ferret, 40-bit comparison, m = %d: %.2f bytes each beside its COTs, %llu flights\n",
                    m, per, static_cast<unsigned long long>(parties_.last_flights()));
        // m = 3: 14 digits; tables 8·1 + 12·16 + 4 bits, 40 flip bits; merges of 7, 3, 2, 1
        // pairs a level, the lowest of each lt only: (20 + 8 + 5 + 2) bits from each party.
        if (m == 3) EXPECT_DOUBLE_EQ(per, (204 + 40 + 2 * 35) / 8.0);
    }
    // DReLU's 29 bits at ℓ = 41, s = 12 (protocol::sign_bits): 10 digits; tables 8·1 + 8·16 +
    // 4·2 bits, 29 flip bits; merges of 5, 2, 1, 1 pairs: (14 + 5 + 2 + 2) bits from each.
    parties_.run([&](OtSession& s) { return less_than(s, values, 29); });
    EXPECT_DOUBLE_EQ(static_cast<double>(parties_.last_bytes()) / n, (144 + 29 + 2 * 23) / 8.0);
}

INSTANTIATE_TEST_SUITE_P(Extensions, Millionaire, testing::both_extensions(), testing::extension_name);

}  // namespace
}  // namespace snnipred::engine
