#include "snnipred/engine/hom_fc.h"

#include <random>

#include <gtest/gtest.h>

#include "hom_test_util.h"
#include "snnipred/core/error.h"
#include "snnipred/crypto/he/noise_bound.h"

namespace snnipred::engine {
namespace {

using testing::HomPair;

FcPlan check_fc(HomPair& pair, std::int64_t inputs, std::int64_t outputs, int weight_bits = 20, bool bias = true) {
    const RingConfig ring;
    std::mt19937_64 rng(inputs * 31 + outputs);
    const auto x = testing::random_ring(inputs, ring, rng);
    const auto weights = testing::random_weights(inputs * outputs, weight_bits, rng);
    const auto bias_values = bias ? testing::random_weights(outputs, 30, rng) : std::vector<std::int64_t>{};
    const auto [x1, x0] = testing::split(x, ring, rng);

    const HomFcServer server(pair.server(), inputs, outputs, weights, bias_values);
    const HomFcClient client(pair.client(), inputs, outputs);
    const auto [y1, y0] = pair.run([&](net::Channel& ch, crypto::he::Prng& prng) { return server.run(x1, ch, prng); },
                                   [&](net::Channel& ch, crypto::he::Prng& prng) { return client.run(x0, ch, prng); });
    EXPECT_EQ(testing::join(y1, y0, ring), fc_ring_reference(ring, inputs, outputs, x, weights, bias_values));
    EXPECT_EQ(pair.last_client_stats().messages_sent, 1u);
    EXPECT_EQ(pair.last_client_stats().messages_received, 1u);
    const FcPlan& p = server.plan();
    EXPECT_LE(p.block_in * p.block_out, p.n);
    EXPECT_EQ(p.products, p.input_cts * p.output_cts);
    return p;
}

TEST(HomFc, Fc512To100) {
    HomPair pair(HomConfig::secure());
    const FcPlan p = check_fc(pair, 512, 100);
    // One input ciphertext of 512 values and ceil(100 / (8192 / 512)) = 7 responses: a
    // response (c1 and the read c0 values, about 53 KB) costs less than a second input
    // ciphertext (218 KiB), so the plan takes more responses rather than more inputs.
    EXPECT_EQ(p.input_cts, 1);
    EXPECT_EQ(p.output_cts, 7);
}

TEST(HomFc, Fc3000To10AndTinyLayers) {
    HomPair pair(HomConfig::secure());
    check_fc(pair, 3000, 10);
    check_fc(pair, 1, 1, crypto::he::kMaxWeightBits, false);
    check_fc(pair, 7, 3, crypto::he::kMaxWeightBits);
}

TEST(HomFc, N4096Rerandomized) {
    HomPair pair(HomConfig::cheetah_n4096());
    check_fc(pair, 3000, 10);
    check_fc(pair, 512, 100);
}

TEST(HomFc, MaxFanInWithWorstCaseWeights) {
    // 2^16 inputs of weights at the public bound: the noise bound the N = 4096 set is sized for.
    HomPair pair(HomConfig::cheetah_n4096());
    const FcPlan p = check_fc(pair, 65536, 2, crypto::he::kMaxWeightBits);
    EXPECT_GT(p.input_cts, 1);
}


TEST(HomFc, RejectsMismatchedWeights) {
    HomPair pair(HomConfig::cheetah_n4096());
    EXPECT_THROW(HomFcServer(pair.server(), 4, 3, std::vector<std::int64_t>(11)), InvalidInput);
    EXPECT_THROW(HomFcServer(pair.server(), 4, 3, std::vector<std::int64_t>(12), std::vector<std::int64_t>(2)),
                 InvalidInput);
}

}  // namespace
}  // namespace snnipred::engine
