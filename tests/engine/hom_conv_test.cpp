#include "snnipred/engine/hom_conv.h"

#include <chrono>
#include <cstdio>
#include <ctime>
#include <random>

#include <gtest/gtest.h>

#include "hom_test_util.h"
#include "snnipred/core/error.h"
#include "snnipred/crypto/he/noise_bound.h"

namespace snnipred::engine {
namespace {

using testing::HomPair;

ConvShape conv_shape(std::int64_t c, std::int64_t h, std::int64_t w, std::int64_t out, std::int64_t kernel,
                     std::int64_t stride, std::int64_t pad, std::int64_t groups = 1) {
    ConvShape s{c, h, w, out, groups, {}};
    s.window.kernel_h = s.window.kernel_w = kernel;
    s.window.stride_h = s.window.stride_w = stride;
    s.window.pad_top = s.window.pad_bottom = s.window.pad_left = s.window.pad_right = pad;
    return s;
}

struct ConvRun {
    ConvPlan plan;
    net::CommStats client_traffic;
    double seconds = 0;                            // wall time of the protocol
    double server_cpu = 0, client_cpu = 0;         // CPU time of each party's thread
};

double thread_cpu_seconds() {
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return static_cast<double>(t.tv_sec) + 1e-9 * static_cast<double>(t.tv_nsec);
}

// Runs the conv on seeded random shares and checks the reconstruction against the ring twin.
ConvRun check_conv(HomPair& pair, const ConvShape& shape, int weight_bits = 20, bool bias = false,
                   std::uint64_t seed = 7) {
    const RingConfig ring;
    std::mt19937_64 rng(seed);
    const auto x = testing::random_ring(shape.in_channels * shape.in_h * shape.in_w, ring, rng);
    auto weights = testing::random_weights(shape.weight_count(), weight_bits, rng);
    auto bias_values = bias ? testing::random_weights(shape.out_channels, 30, rng) : std::vector<std::int64_t>{};
    const auto [x1, x0] = testing::split(x, ring, rng);
    const ShareVector expected = conv_ring_reference(ring, shape, x, weights, bias_values);

    const HomConvServer server(pair.server(), shape, weights, bias_values);
    const HomConvClient client(pair.client(), shape);
    double server_cpu = 0, client_cpu = 0;
    const auto start = std::chrono::steady_clock::now();
    const auto [y1, y0] = pair.run(
        [&](net::Channel& ch, crypto::he::Prng& prng) {
            const double t0 = thread_cpu_seconds();
            ShareVector y = server.run(x1, ch, prng);
            server_cpu = thread_cpu_seconds() - t0;
            return y;
        },
        [&](net::Channel& ch, crypto::he::Prng& prng) {
            const double t0 = thread_cpu_seconds();
            ShareVector y = client.run(x0, ch, prng);
            client_cpu = thread_cpu_seconds() - t0;
            return y;
        });
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    EXPECT_EQ(testing::join(y1, y0, ring), expected);
    EXPECT_EQ(y0.size(), static_cast<std::size_t>(shape.out_channels * shape.out_h() * shape.out_w()));
    // One message each way per layer.
    EXPECT_EQ(pair.last_client_stats().messages_sent, 1u);
    EXPECT_EQ(pair.last_client_stats().messages_received, 1u);
    EXPECT_EQ(server.plan().input_cts, client.plan().input_cts);
    return {server.plan(), pair.last_client_stats(), seconds, server_cpu, client_cpu};
}

class HomConvTest : public ::testing::Test {
protected:
    static void SetUpTestSuite() { pair_ = new HomPair(HomConfig::secure()); }
    static void TearDownTestSuite() {
        delete pair_;
        pair_ = nullptr;
    }
    static HomPair* pair_;
};
HomPair* HomConvTest::pair_ = nullptr;

TEST_F(HomConvTest, Kernel3x3Pad1Stride1WithBias) {
    const ConvRun r = check_conv(*pair_, conv_shape(3, 8, 8, 4, 3, 1, 1), 20, true);
    EXPECT_EQ(r.plan.input_cts, 1);
    EXPECT_EQ(r.plan.output_cts, 4);
}

TEST_F(HomConvTest, Kernel3x3Pad1Stride2OddSizes) { check_conv(*pair_, conv_shape(5, 9, 11, 3, 3, 2, 1)); }

TEST_F(HomConvTest, Kernel1x1Stride1And2) {
    check_conv(*pair_, conv_shape(6, 10, 10, 5, 1, 1, 0));
    check_conv(*pair_, conv_shape(6, 11, 10, 5, 1, 2, 0));
}

TEST_F(HomConvTest, Kernel5x5Valid) { check_conv(*pair_, conv_shape(2, 12, 12, 3, 5, 1, 0)); }

TEST_F(HomConvTest, ManyChannelsAcrossChannelBlocks) {
    const ConvRun r = check_conv(*pair_, conv_shape(16, 40, 40, 3, 3, 1, 1));
    EXPECT_GT(r.plan.blocks_c, 1);
}

TEST_F(HomConvTest, InputLargerThanOnePolynomialIsTiledSpatially) {
    const ConvRun r = check_conv(*pair_, conv_shape(2, 96, 96, 2, 3, 2, 1));
    EXPECT_GT(r.plan.blocks_h * r.plan.blocks_w, 1);
}

TEST_F(HomConvTest, DepthwiseAndGrouped) {
    const ConvRun r = check_conv(*pair_, conv_shape(8, 14, 14, 8, 3, 1, 1, 8));
    EXPECT_EQ(r.plan.input_cts, 8);
    check_conv(*pair_, conv_shape(8, 7, 7, 4, 3, 2, 1, 2));
}

TEST_F(HomConvTest, WorstCaseWeightsStayExact) { check_conv(*pair_, conv_shape(32, 6, 6, 2, 3, 1, 1), crypto::he::kMaxWeightBits); }

TEST_F(HomConvTest, RejectsMismatchedWeights) {
    EXPECT_THROW(HomConvServer(pair_->server(), conv_shape(2, 5, 5, 2, 3, 1, 1), std::vector<std::int64_t>(5)),
                 InvalidInput);
    ConvShape same = conv_shape(2, 5, 5, 2, 3, 1, 1);
    same.window.padding = Padding::kSame;
    EXPECT_THROW(HomConvClient(pair_->client(), same), InvalidInput);
}

TEST(HomConvN4096, TilesAcrossHeightAndWidth) {
    HomPair pair(HomConfig::cheetah_n4096());
    const ConvRun r = check_conv(pair, conv_shape(8, 64, 64, 4, 3, 1, 1));
    EXPECT_GT(r.plan.blocks_h * r.plan.blocks_w, 1);
    check_conv(pair, conv_shape(16, 40, 40, 4, 3, 1, 1));
    check_conv(pair, conv_shape(3, 70, 70, 4, 5, 2, 2));
    check_conv(pair, conv_shape(64, 6, 6, 2, 3, 1, 1), crypto::he::kMaxWeightBits);  // worst-case weights, no flooding
    check_conv(pair, conv_shape(4, 9, 9, 8, 3, 1, 1, 4));
}

// Dense packing: several filters' outputs share a response, each filter_span coefficients
// above the last; shapes where the search packs filters, grouped and strided ones included,
// worst-case weights at the largest fan-in a response then sums.
TEST(HomConvN4096, DensePackingPutsSeveralFiltersInAResponse) {
    HomConfig config = HomConfig::cheetah_n4096();
    config.conv_packing = protocol::ConvPacking::kDense;
    HomPair pair(config);
    const ConvRun r = check_conv(pair, conv_shape(64, 7, 7, 40, 1, 1, 0), 20, true);
    EXPECT_GT(r.plan.block_o, 1);
    EXPECT_LT(r.plan.output_cts, 40);
    const ConvRun strided = check_conv(pair, conv_shape(32, 14, 14, 24, 3, 2, 1));
    EXPECT_GT(strided.plan.block_o, 1);
    const ConvRun grouped = check_conv(pair, conv_shape(16, 6, 6, 12, 3, 1, 1, 4));
    EXPECT_GT(grouped.plan.block_o, 1);
    const ConvRun filters_left_over = check_conv(pair, conv_shape(8, 5, 5, 13, 3, 1, 1));
    EXPECT_GT(filters_left_over.plan.block_o, 1);
    EXPECT_NE(filters_left_over.plan.filters % filters_left_over.plan.block_o, 0);
    const ConvRun worst = check_conv(pair, conv_shape(64, 6, 6, 16, 3, 1, 1), crypto::he::kMaxWeightBits);
    EXPECT_GT(worst.plan.block_o, 1);
}

// Dense packing splits a strided kernel into phases, each phase of each channel a channel
// of a stride-1 conv: square and rectangular kernels, kernels narrower than their stride,
// odd sizes and pads, worst-case weights.
TEST(HomConvN4096, DensePackingSplitsStridedKernelsIntoPhases) {
    HomConfig config = HomConfig::cheetah_n4096();
    config.conv_packing = protocol::ConvPacking::kDense;
    HomPair pair(config);
    const ConvRun stem = check_conv(pair, conv_shape(3, 64, 64, 16, 3, 2, 0), 20, true);  // SqueezeNet's first conv
    EXPECT_EQ(stem.plan.phases_h * stem.plan.phases_w, 4);
    EXPECT_EQ(stem.plan.kernel_h, 2);
    EXPECT_EQ(stem.plan.keep_h, 1);
    const ConvRun wide = check_conv(pair, conv_shape(3, 64, 64, 16, 7, 2, 3));  // ResNet's first conv
    EXPECT_EQ(wide.plan.kernel_h, 4);
    EXPECT_GT(wide.plan.phases_h, 1);
    check_conv(pair, conv_shape(5, 17, 13, 6, 3, 2, 1));
    check_conv(pair, conv_shape(4, 20, 19, 6, 2, 3, 0));
    check_conv(pair, conv_shape(3, 23, 23, 5, 5, 3, 2), crypto::he::kMaxWeightBits);
    ConvShape tall = conv_shape(6, 15, 16, 4, 1, 2, 0);
    tall.window.kernel_h = 3;
    tall.window.pad_top = tall.window.pad_bottom = 1;
    const ConvRun mixed = check_conv(pair, tall);
    EXPECT_EQ(mixed.plan.phases_w, 1);
    EXPECT_EQ(mixed.plan.sub_w, 2);
}

// Weight polynomials are bounded where they are lifted: past the public bound the noise
// budget would not hold.
TEST(HomConvN4096, WeightsBeyondThePublicBoundAreRefused) {
    HomPair pair(HomConfig::cheetah_n4096());
    std::vector<std::int64_t> poly(pair.server().n(), 0);
    poly[7] = -(std::int64_t{1} << crypto::he::kMaxWeightBits);
    EXPECT_NO_THROW(pair.server().prepare(poly));
    poly[9] = (std::int64_t{1} << crypto::he::kMaxWeightBits) + 1;
    EXPECT_THROW(pair.server().prepare(poly), InvalidInput);
}

TEST(HomConvN4096, FloodingIsRefused) { EXPECT_THROW(HomPair(HomConfig{crypto::he::HeParams::cheetah_n4096(), ResponseProtection::kFlooding}), ConfigError); }

// The figures for the report: one ResNet-18 3x3 conv, single-threaded protocol.
void report_resnet(const HomConfig& config, const char* name) {
    HomPair pair(config);
    const ConvRun r = check_conv(pair, conv_shape(64, 56, 56, 64, 3, 1, 1), 20, false, 11);
    std::printf("[ %s ] 64x56x56 3x3x64: block %ldx%ldx%ld, %ld cts sent (%lu B), %ld received (%lu B), "
                "%ld products, %ld kernel polys; wall %.2f s, CPU server %.2f s, client %.2f s\n",
                name, static_cast<long>(r.plan.block_c), static_cast<long>(r.plan.block_h),
                static_cast<long>(r.plan.block_w), static_cast<long>(r.plan.input_cts),
                static_cast<unsigned long>(r.client_traffic.bytes_sent), static_cast<long>(r.plan.output_cts),
                static_cast<unsigned long>(r.client_traffic.bytes_received), static_cast<long>(r.plan.products),
                static_cast<long>(r.plan.kernel_polys), r.seconds, r.server_cpu, r.client_cpu);
}

TEST(HomConvReport, ResNetConvN8192Flooded) { report_resnet(HomConfig::secure(), "N=8192 flooded"); }
TEST(HomConvReport, ResNetConvN4096Rerandomized) { report_resnet(HomConfig::cheetah_n4096(), "N=4096 rerandomized"); }

}  // namespace
}  // namespace snnipred::engine
