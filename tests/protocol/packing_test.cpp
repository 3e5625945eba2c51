#include "snnipred/protocol/packing.h"

#include <random>
#include <tuple>

#include <gtest/gtest.h>

#include "snnipred/core/error.h"
#include "snnipred/model/layer.h"

namespace snnipred::protocol {
namespace {

ConvShape conv_shape(std::int64_t c, std::int64_t h, std::int64_t w, std::int64_t out, std::int64_t kernel,
                     std::int64_t stride, std::int64_t pad) {
    ConvShape s{c, h, w, out, 1, {}};
    s.window.kernel_h = s.window.kernel_w = kernel;
    s.window.stride_h = s.window.stride_w = stride;
    s.window.pad_top = s.window.pad_bottom = s.window.pad_left = s.window.pad_right = pad;
    return s;
}

TEST(ConvPlan, FromLayerAndPlanCounts) {
    Layer layer = conv_layer("c", "x", 8, 3, 2, 1);
    layer.input_shapes = {Shape{4, 9, 9}};
    const ConvShape shape = ConvShape::from_layer(layer);
    EXPECT_EQ(shape.out_h(), 5);
    EXPECT_EQ(shape.out_w(), 5);
    EXPECT_THROW(ConvShape::from_layer(fc_layer("f", "x", 3)), InvalidInput);
    // ResNet-18's 3x3 conv at N = 4096: one 58x58 channel per ciphertext, as in Cheetah.
    const ConvPlan p =
        plan_conv(conv_shape(64, 56, 56, 64, 3, 1, 1), he_layout(HeSet::kCheetah, TruncationMode::kFaithful));
    EXPECT_EQ(p.block_c * p.block_h * p.block_w, 58 * 58);
    EXPECT_EQ(p.input_cts, 64);
    EXPECT_EQ(p.output_cts, 64);
    EXPECT_THROW(plan_conv(conv_shape(8000, 3, 3, 1, 3, 1, 1), 4096, 1, 1), ConfigError);  // fan-in 72000
}

// The plan's search skips (Hb, Wb) that cannot win; it must choose what trying every
// block would, tie-breaks included.
ConvPlan exhaustive_choice(const ConvShape& shape, std::int64_t n, std::int64_t in_bytes, std::int64_t out_bytes) {
    ConvPlan p = plan_conv(shape, n, in_bytes, out_bytes, std::uint64_t{1} << 40);
    auto ceil_div = [](std::int64_t a, std::int64_t b) { return (a + b - 1) / b; };
    const std::int64_t kh = shape.window.kernel_h, kw = shape.window.kernel_w;
    std::tuple<std::int64_t, std::int64_t, std::int64_t> best{-1, 0, 0};
    for (std::int64_t hb = kh; hb <= std::max(kh, p.full_h + kh - 1); ++hb)
        for (std::int64_t wb = kw; wb <= std::max(kw, p.full_w + kw - 1) && hb * wb <= n; ++wb) {
            const std::int64_t bh = ceil_div(p.full_h, hb - kh + 1), bw = ceil_div(p.full_w, wb - kw + 1);
            const std::int64_t bc = ceil_div(p.channels, std::min(p.channels, n / (hb * wb)));
            const std::int64_t in = shape.groups * bc * bh * bw, out = shape.out_channels * bh * bw;
            const std::tuple<std::int64_t, std::int64_t, std::int64_t> cost{in * in_bytes + out * out_bytes, out * bc,
                                                                            -hb * wb};
            if (std::get<0>(best) < 0 || cost < best) {
                best = cost;
                p.block_h = hb;
                p.block_w = wb;
                p.blocks_c = bc;
            }
        }
    return p;
}

TEST(ConvPlan, ChoosesWhatAnExhaustiveSearchChooses) {
    std::mt19937_64 rng(3);
    auto pick = [&](std::int64_t lo, std::int64_t hi) { return std::uniform_int_distribution<std::int64_t>(lo, hi)(rng); };
    for (int trial = 0; trial < 400; ++trial) {
        const std::int64_t kernel = pick(1, 7), stride = pick(1, 3);
        const std::int64_t size = pick(kernel, 80);
        const ConvShape shape = conv_shape(pick(1, 300), size, size + pick(0, 5), pick(1, 64), kernel, stride,
                                           pick(0, (kernel - 1) / 2));
        for (const std::int64_t n : {4096, 8192}) {
            const std::int64_t in_bytes = pick(1, 120000), out_bytes = pick(1, 120000);
            const ConvPlan fast = plan_conv(shape, n, in_bytes, out_bytes, std::uint64_t{1} << 40);
            const ConvPlan slow = exhaustive_choice(shape, n, in_bytes, out_bytes);
            EXPECT_EQ(std::tie(fast.block_h, fast.block_w, fast.blocks_c), std::tie(slow.block_h, slow.block_w, slow.blocks_c))
                << "trial " << trial << " n " << n;
        }
    }
}

// Dense packing: never more bytes than Cheetah's, every filter's product inside the ring
// without reaching another filter's outputs, the fan-in a response sums within the bound.
TEST(ConvPlan, DensePackingFitsItsFiltersAndNeverSendsMore) {
    std::mt19937_64 rng(5);
    auto pick = [&](std::int64_t lo, std::int64_t hi) { return std::uniform_int_distribution<std::int64_t>(lo, hi)(rng); };
    const HeLayout cheetah = he_layout(HeSet::kCheetah, TruncationMode::kFaithful);
    HeLayout dense = cheetah;
    dense.conv_packing = ConvPacking::kDense;
    int packed = 0;
    for (int trial = 0; trial < 300; ++trial) {
        const std::int64_t kernel = pick(1, 5), stride = pick(1, 2);
        const std::int64_t size = pick(kernel, 40);
        const ConvShape shape = conv_shape(pick(1, 600), size, size, pick(1, 300), kernel, stride,
                                           pick(0, (kernel - 1) / 2));
        const ConvPlan c = plan_conv(shape, cheetah), d = plan_conv(shape, dense);
        const auto bytes = [&](const ConvPlan& p) {
            return p.input_cts * input_ciphertext_bytes(cheetah, input_drop_bits(cheetah, p.fan_in)) +
                   p.output_cts * response_ciphertext_bytes(cheetah);
        };
        EXPECT_LE(bytes(d), bytes(c)) << "trial " << trial;
        EXPECT_EQ(c.block_o, 1);
        const std::int64_t plane = d.block_h * d.block_w;
        EXPECT_LE((d.block_o - 1) * d.filter_span + d.block_c * plane, d.n) << "trial " << trial;
        EXPECT_EQ(d.filter_span, d.block_c * plane);
        EXPECT_GE(d.block_o * d.blocks_o, d.filters);
        EXPECT_LT((d.block_o) * (d.blocks_o - 1), d.filters);
        EXPECT_EQ(d.output_cts, d.blocks_o * d.blocks_h * d.blocks_w);
        EXPECT_EQ(d.kernel_polys, d.blocks_o * d.blocks_c);
        EXPECT_LE(static_cast<std::uint64_t>(d.fan_in), dense.max_fan_in);
        packed += d.block_o > 1;
    }
    EXPECT_GT(packed, 100);
}

// ResNet-50's last 1x1 conv at 7x7 (512 -> 2048 channels): Cheetah's packing sends a
// response per filter, dense packing several filters per response for fewer bytes in all.
TEST(ConvPlan, DensePackingCutsResnet50sLateResponses) {
    HeLayout dense = he_layout(HeSet::kCheetah, TruncationMode::kFaithful);
    dense.conv_packing = ConvPacking::kDense;
    const ConvShape shape = conv_shape(512, 7, 7, 2048, 1, 1, 0);
    const ConvPlan c = plan_conv(shape, he_layout(HeSet::kCheetah, TruncationMode::kFaithful));
    const ConvPlan d = plan_conv(shape, dense);
    EXPECT_EQ(c.output_cts, 2048);
    EXPECT_LT(d.output_cts * 4, c.output_cts);
    const auto bytes = [&](const ConvPlan& p) {
        return p.input_cts * input_ciphertext_bytes(dense, input_drop_bits(dense, p.fan_in)) +
               p.output_cts * response_ciphertext_bytes(dense);
    };
    EXPECT_LT(bytes(d), bytes(c) / 3);
}

TEST(FcPlan, MinimisesTraffic) {
    // At equal ciphertext sizes both ways, 3000 -> 10 in N = 8192 takes 2 + 2 or 1 + 4.
    const FcPlan p = plan_fc(3000, 10, 8192, 1, 1);
    EXPECT_EQ(p.input_cts + p.output_cts, 4);
    // A vector longer than N must be chunked.
    EXPECT_EQ(plan_fc(10000, 1, 4096, 2, 1).input_cts, 3);
    EXPECT_THROW(plan_fc(0, 3, 4096, 1, 1), InvalidInput);
    EXPECT_THROW(plan_fc(100000, 3, 8192, 1, 1), ConfigError);
}

TEST(BnPlan, RejectsBadSizes) { EXPECT_THROW(plan_bn(0, 3, 3, 4096), InvalidInput); }

TEST(HeLayout, CiphertextSizesFollowThePrimes) {
    // Cheetah's set: an input message has a 14-byte header, then per ciphertext a 32-byte
    // seed and c0 of 4096 x (60 + 49 - d) bits; the public key is an 11-byte header, c0 of
    // 4096 x 109 bits and the seed. Responses: a 17-byte header, c1 of 4096 x 51 bits each,
    // 43 bits per read coefficient.
    const HeLayout cheetah = he_layout(HeSet::kCheetah, TruncationMode::kFaithful);
    EXPECT_EQ(input_ciphertext_bytes(cheetah, 0), 32 + 4096 * 109 / 8);
    EXPECT_EQ(input_ciphertext_bytes(cheetah, 9), 32 + 4096 * 100 / 8);
    EXPECT_EQ(input_message_bytes(cheetah, 3, 9), 14 + 3 * (32 + 4096 * 100 / 8));
    EXPECT_EQ(public_key_bytes(cheetah), 11 + 4096 * 109 / 8 + 32);
    EXPECT_EQ(response_ciphertext_bytes(cheetah), 4096 * 51 / 8);
    EXPECT_EQ(response_message_bytes(cheetah, 3, 5), 17 + 3 * 4096 * 51 / 8 + (5 * 43 + 7) / 8);
    EXPECT_TRUE(he_layout(HeSet::kSecure, TruncationMode::kFaithful).flooding);
    EXPECT_FALSE(cheetah.flooding);
}

// An input may drop d bits while fan_in * (43 + 2^d) fits the room: none at the secure
// set's largest fan-in, more the smaller the fan-in, more with the unflooded set's room.
TEST(HeLayout, InputsDropMoreBitsTheFewerWeightsMeetTheirNoise) {
    const HeLayout secure = he_layout(HeSet::kSecure, TruncationMode::kFaithful);
    const HeLayout cheetah = he_layout(HeSet::kCheetah, TruncationMode::kFaithful);
    EXPECT_EQ(input_drop_bits(secure, secure.max_fan_in), 0);
    EXPECT_EQ(input_drop_bits(secure, 4096), 9);  // 2,818,048 / 4096 = 688 >= 43 + 2^9
    // Weights at most 2^28: 280,772,339,002 / 2^16 = 4,284,245 >= 43 + 2^22.
    EXPECT_EQ(input_drop_bits(cheetah, cheetah.max_fan_in), 22);
    EXPECT_EQ(input_drop_bits(cheetah, 4608), 25);  // ResNet-50's 3x3 x 512: 60,931,497 >= 43 + 2^25
    // With approximate truncation the responses may be wrong in the 12 bits it drops: a
    // margin 2^12 wider, 12 more bits for the inputs (and the responses; flooding's room
    // stays what it was sized for).
    const HeLayout rounded = he_layout(HeSet::kCheetah, TruncationMode::kApproximate);
    EXPECT_EQ(rounded.response_error_bits, 12);
    EXPECT_EQ(rounded.response_c0_bits, cheetah.response_c0_bits - 12);
    EXPECT_EQ(rounded.response_c1_bits, cheetah.response_c1_bits - 12);
    EXPECT_EQ(input_drop_bits(rounded, rounded.max_fan_in), 34);
    EXPECT_EQ(input_drop_bits(rounded, 4608), 37);
    EXPECT_EQ(he_layout(HeSet::kSecure, TruncationMode::kApproximate).input_noise_room, secure.input_noise_room);
    for (const HeLayout& he : {secure, cheetah, rounded}) {
        int last = 0;
        for (std::uint64_t fan_in = he.max_fan_in; fan_in >= 1; fan_in /= 2) {
            const int d = input_drop_bits(he, fan_in);
            EXPECT_GE(d, last);
            EXPECT_LE(fan_in * (kFreshNoiseHalves + (d > 0 ? std::uint64_t{1} << d : 0)), he.input_noise_room);
            EXPECT_GT(fan_in * (kFreshNoiseHalves + (std::uint64_t{1} << (d + 1))), he.input_noise_room);
            last = d;
        }
    }
}

TEST(Options, NamesParseCaseInsensitivelyWithAliases) {
    EXPECT_EQ(parse_he_set("Cheetah"), HeSet::kCheetah);
    EXPECT_EQ(parse_truncation_mode("APPROXIMATE"), TruncationMode::kApproximate);
    EXPECT_EQ(parse_truncation_mode("exact"), TruncationMode::kFaithful);
    for (const HeSet set : {HeSet::kSecure, HeSet::kCheetah}) EXPECT_EQ(parse_he_set(he_set_name(set)), set);
    EXPECT_THROW(parse_he_set("fast"), InvalidInput);
    EXPECT_THROW(parse_truncation_mode("athos"), InvalidInput);
}

}  // namespace
}  // namespace snnipred::protocol
