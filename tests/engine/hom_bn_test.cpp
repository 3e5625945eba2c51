#include "snnipred/engine/hom_bn.h"

#include <random>

#include <gtest/gtest.h>

#include "hom_test_util.h"
#include "snnipred/core/error.h"
#include "snnipred/crypto/he/noise_bound.h"

namespace snnipred::engine {
namespace {

using testing::HomPair;

BnPlan check_bn(HomPair& pair, std::int64_t c, std::int64_t h, std::int64_t w, int scale_bits = 20) {
    const RingConfig ring;
    std::mt19937_64 rng(c * 1000 + h * 10 + w);
    const auto x = testing::random_ring(c * h * w, ring, rng);
    const auto scale = testing::random_weights(c, scale_bits, rng);
    const auto shift = testing::random_weights(c, 32, rng);
    const auto [x1, x0] = testing::split(x, ring, rng);

    const HomBnServer server(pair.server(), c, h, w, scale, shift);
    const HomBnClient client(pair.client(), c, h, w);
    const auto [y1, y0] = pair.run([&](net::Channel& ch, crypto::he::Prng& prng) { return server.run(x1, ch, prng); },
                                   [&](net::Channel& ch, crypto::he::Prng& prng) { return client.run(x0, ch, prng); });
    EXPECT_EQ(testing::join(y1, y0, ring), bn_ring_reference(ring, c, h, w, x, scale, shift));
    EXPECT_EQ(pair.last_client_stats().messages_sent, 1u);
    EXPECT_EQ(pair.last_client_stats().messages_received, 1u);
    return server.plan();
}

TEST(HomBn, SmallMapsShareAPolynomial) {
    HomPair pair(HomConfig::secure());
    const BnPlan p = check_bn(pair, 32, 7, 7);
    EXPECT_EQ(p.block_c, 11);  // floor(sqrt(8192 / 49)) = 12, balanced over 3 blocks
    EXPECT_EQ(p.input_cts, 3);
    check_bn(pair, 5, 20, 20, crypto::he::kMaxWeightBits);
}

TEST(HomBn, ChannelLargerThanOnePolynomialIsChunked) {
    HomPair pair(HomConfig::secure());
    const BnPlan p = check_bn(pair, 3, 100, 100);
    EXPECT_EQ(p.chunks, 2);
    EXPECT_EQ(p.input_cts, 6);
}

TEST(HomBn, N4096Rerandomized) {
    HomPair pair(HomConfig::cheetah_n4096());
    check_bn(pair, 16, 14, 14);
    check_bn(pair, 2, 70, 70);
}

TEST(HomBn, RejectsBadSizes) {
    HomPair pair(HomConfig::cheetah_n4096());
    EXPECT_THROW(HomBnServer(pair.server(), 3, 2, 2, {1, 2}, {0, 0, 0}), InvalidInput);
}

}  // namespace
}  // namespace snnipred::engine
