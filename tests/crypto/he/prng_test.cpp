#include "snnipred/crypto/he/prng.h"

#include <gtest/gtest.h>

#include "he_test_util.h"

namespace snnipred::crypto::he {
namespace {

TEST(Prng, SameSeedSameStreamFreshSeedsDiffer) {
    Prng a = testing::seeded_prng(50), b = testing::seeded_prng(50), c = testing::seeded_prng(51);
    for (int i = 0; i < 2000; ++i) {  // crosses several 4 KiB refills
        const std::uint64_t x = a.next_u64();
        EXPECT_EQ(x, b.next_u64());
        EXPECT_NE(x, c.next_u64());
    }
    EXPECT_NE(Prng::random_seed(), Prng::random_seed());
}

}  // namespace
}  // namespace snnipred::crypto::he
