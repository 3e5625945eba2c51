// Tests a private header of src/crypto/he (the distributions behind every key and
// ciphertext), hence the relative include.
#include "../../../src/crypto/he/sampling.h"

#include <cmath>
#include <map>

#include <gtest/gtest.h>

#include "he_test_util.h"

namespace snnipred::crypto::he {
namespace {

TEST(Sampling, DistributionsHaveTheirDocumentedShape) {
    Prng prng = testing::seeded_prng(52);
    const std::size_t n = 1 << 16;
    const auto errors = detail::sample_error(prng, n);
    double sum = 0, sum_sq = 0;
    for (auto e : errors) {
        ASSERT_LE(std::abs(e), detail::kErrorBound);
        sum += static_cast<double>(e);
        sum_sq += static_cast<double>(e * e);
    }
    EXPECT_NEAR(sum / n, 0, 0.05);
    EXPECT_NEAR(std::sqrt(sum_sq / n), std::sqrt(10.5), 0.05);
    std::map<std::int64_t, int> counts;
    for (auto s : detail::sample_ternary(prng, n)) ++counts[s];
    ASSERT_EQ(counts.size(), 3u);
    for (const auto& [value, count] : counts) EXPECT_NEAR(count, n / 3.0, 600) << value;
    const Modulus q(ntt_primes(4096, 49, 1)[0]);
    const RnsPoly u = detail::sample_uniform(prng, 4096, std::span<const Modulus>(&q, 1));
    double mean = 0;
    for (auto v : u.data()) {
        ASSERT_LT(v, q.value());
        mean += static_cast<double>(v) / static_cast<double>(q.value());
    }
    EXPECT_NEAR(mean / 4096, 0.5, 0.02);
}

}  // namespace
}  // namespace snnipred::crypto::he
