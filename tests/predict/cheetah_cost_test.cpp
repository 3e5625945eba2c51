// Cheetah's packing counts on hand-computed layers (N = 4096 throughout).
#include "snnipred/predict/cheetah_cost.h"

#include <algorithm>
#include <utility>

#include <gtest/gtest.h>

#include "snnipred/core/error.h"

namespace snnipred::predict {
namespace {

Layer conv(std::int64_t c, std::int64_t h, std::int64_t w, std::int64_t filters, std::int64_t kernel,
           std::int64_t stride, std::int64_t pad) {
    Layer layer;
    layer.name = "conv";
    layer.type = LayerType::kConv;
    layer.out_channels = filters;
    layer.window.kernel_h = layer.window.kernel_w = kernel;
    layer.window.stride_h = layer.window.stride_w = stride;
    layer.window.pad_top = layer.window.pad_bottom = layer.window.pad_left = layer.window.pad_right = pad;
    layer.input_shapes = {{c, h, w}};
    const std::int64_t oh = (h + 2 * pad - kernel) / stride + 1, ow = (w + 2 * pad - kernel) / stride + 1;
    layer.output = {filters, oh, ow};
    return layer;
}

TEST(CheetahConvPacking, ThreeByThreeOn56x56) {
    // 64x56x56, 64 filters 3x3, pad 1: "SAME" pads to 58x58 = 3364 <= 4096, so a block is
    // min(4096/3364 = 1, 64, 4096/9) = 1 whole channel of 58x58. 64 input cts, one output
    // ct per filter, every filter times every input ct: 64*64 = 4096 NTT products.
    const ConvPacking p = cheetah_conv_packing(conv(64, 56, 56, 64, 3, 1, 1));
    EXPECT_EQ(p.block_c, 1);
    EXPECT_EQ(p.block_h, 58);
    EXPECT_EQ(p.block_w, 58);
    EXPECT_EQ(p.blocks_c, 64);
    EXPECT_EQ(p.blocks_h, 1);
    EXPECT_EQ(p.blocks_w, 1);
    EXPECT_EQ(p.input_cts, 64);
    EXPECT_EQ(p.output_cts, 64);
    EXPECT_EQ(p.products, 4096);
    EXPECT_EQ(p.monomial_products, 0);
    EXPECT_EQ(p.kernel_pts, 4096);
}

TEST(CheetahConvPacking, OneByOneWithOneChannelPerBlockIsMonomial) {
    // 128x56x56 -> 128, 1x1: 3136 coefficients a channel leave room for one channel, so
    // each filter plaintext has a single coefficient: 128*128 monomial products.
    const ConvPacking p = cheetah_conv_packing(conv(128, 56, 56, 128, 1, 1, 0));
    EXPECT_EQ(p.block_c, 1);
    EXPECT_EQ(p.input_cts, 128);
    EXPECT_EQ(p.output_cts, 128);
    EXPECT_EQ(p.products, 16384);
    EXPECT_EQ(p.monomial_products, 16384);
}

TEST(CheetahConvPacking, OneByOneAt28x28PacksFiveChannels) {
    // 256x28x28 -> 128, 1x1: 4096/784 = 5 channels a block, ceil(256/5) = 52 blocks; the
    // last holds 256 - 51*5 = 1 channel, so 128 of the 128*52 = 6656 products are monomial.
    const ConvPacking p = cheetah_conv_packing(conv(256, 28, 28, 128, 1, 1, 0));
    EXPECT_EQ(p.block_c, 5);
    EXPECT_EQ(p.blocks_c, 52);
    EXPECT_EQ(p.input_cts, 52);
    EXPECT_EQ(p.output_cts, 128);
    EXPECT_EQ(p.products, 6656);
    EXPECT_EQ(p.monomial_products, 128);
}

TEST(CheetahConvPacking, StridedOneByOneSubsamplesFirst) {
    // 64x109x109 -> 16, 1x1 stride 2: the input shrinks to 55x55 = 3025 before packing,
    // one channel a block, one spatial block.
    const ConvPacking p = cheetah_conv_packing(conv(64, 109, 109, 16, 1, 2, 0));
    EXPECT_EQ(p.block_h, 55);
    EXPECT_EQ(p.block_w, 55);
    EXPECT_EQ(p.input_cts, 64);
    EXPECT_EQ(p.output_cts, 16);
}

TEST(CheetahConvPacking, LargeImageIsTiledWithKernelHalo) {
    // 3x224x224 -> 64, 7x7 stride 2 pad 3: padded to 230x230 > 4096, so one channel of
    // 64x64 a block (sqrt(4096), square input); consecutive tiles advance 64-6 = 58 rows:
    // 1 + ceil((230-64)/58) = 4 tiles an axis. The stride does not shrink the tiling.
    const ConvPacking p = cheetah_conv_packing(conv(3, 224, 224, 64, 7, 2, 3));
    EXPECT_EQ(p.block_c, 1);
    EXPECT_EQ(p.block_h, 64);
    EXPECT_EQ(p.block_w, 64);
    EXPECT_EQ(p.blocks_h, 4);
    EXPECT_EQ(p.blocks_w, 4);
    EXPECT_EQ(p.input_cts, 48);
    EXPECT_EQ(p.output_cts, 1024);
    EXPECT_EQ(p.products, 3072);
    EXPECT_EQ(p.kernel_pts, 192);
}

TEST(CheetahConvPacking, TallImageKeepsAspectRatio) {
    // 1x200x50, 3x3 no padding: 10000 > 4096; ratio 4 gives int(sqrt(4096*4)) = 128 rows
    // and 4096/128 = 32 columns; tiles advance 126 rows / 30 columns: 2 x 2 tiles.
    const ConvPacking p = cheetah_conv_packing(conv(1, 200, 50, 8, 3, 1, 0));
    EXPECT_EQ(p.block_h, 128);
    EXPECT_EQ(p.block_w, 32);
    EXPECT_EQ(p.blocks_h, 2);
    EXPECT_EQ(p.blocks_w, 2);
    EXPECT_EQ(p.input_cts, 4);
    EXPECT_EQ(p.output_cts, 32);
}

TEST(CheetahConvPacking, SmallImagesPackManyChannels) {
    // 512x5x5, 7x7 pad 3: padded 11x11 = 121, 4096/121 = 33 channels a block (the cap
    // 4096/49 = 83 of the filter block cannot bind, the padded image is never smaller
    // than the kernel): ceil(512/33) = 16 blocks, 10 filters x 16 = 160 products.
    const ConvPacking p = cheetah_conv_packing(conv(512, 5, 5, 10, 7, 1, 3));
    EXPECT_EQ(p.block_c, 33);
    EXPECT_EQ(p.blocks_c, 16);
    EXPECT_EQ(p.products, 160);
    // 1x1 at 2x2: 4096/4 = 1024 channels fit one ciphertext.
    EXPECT_EQ(cheetah_conv_packing(conv(1024, 2, 2, 128, 1, 1, 0)).input_cts, 1);
}

TEST(CheetahConvPacking, DimensionsGiveTheLayersPacking) {
    for (const Layer& layer : {conv(64, 56, 56, 64, 3, 1, 1), conv(64, 109, 109, 16, 1, 2, 0),
                               conv(3, 224, 224, 64, 7, 2, 3), conv(1024, 2, 2, 128, 1, 1, 0)}) {
        const ConvPacking a = cheetah_conv_packing(layer), b = cheetah_conv_packing(layer_dimensions(layer));
        EXPECT_EQ(a.input_cts, b.input_cts);
        EXPECT_EQ(a.output_cts, b.output_cts);
        EXPECT_EQ(a.products, b.products);
        EXPECT_EQ(a.monomial_products, b.monomial_products);
        EXPECT_EQ(a.kernel_pts, b.kernel_pts);
        EXPECT_EQ(a.block_c, b.block_c);
    }
    LayerDimensions pool = layer_dimensions(conv(4, 8, 8, 4, 3, 1, 1));
    pool.type = LayerType::kMaxPool;
    EXPECT_THROW(cheetah_conv_packing(pool), InvalidInput);
    EXPECT_THROW(cheetah_conv_packing(LayerDimensions{.type = LayerType::kConv}), InvalidInput);
}

TEST(CheetahConvPacking, RejectsOversizedKernels) {
    EXPECT_THROW(cheetah_conv_packing(conv(1, 100, 100, 1, 65, 1, 0)), InvalidInput);
    Layer fc;
    fc.type = LayerType::kFullyConnected;
    EXPECT_THROW(cheetah_conv_packing(fc), InvalidInput);
}

TEST(CheetahFcPacking, SquareMatrixSplitsEvenly) {
    // 1024 -> 1024: a blocks of n_o x n_i <= 4096 needs at least 1024*1024/4096 = 256
    // products, so at least 16 + 16 = 32 ciphertexts; n_o = 64 is the first to reach it.
    const FcPacking p = cheetah_fc_packing(1024, 1024);
    EXPECT_EQ(p.block_in, 64);
    EXPECT_EQ(p.block_out, 64);
    EXPECT_EQ(p.input_cts, 16);
    EXPECT_EQ(p.output_cts, 16);
    EXPECT_EQ(p.products, 256);
}

TEST(CheetahFcPacking, SmallLayerFitsOnePolynomial) {
    // 3 -> 1024: n_o = 1024 takes n_i = 4 >= 3 inputs: one ciphertext each way.
    const FcPacking p = cheetah_fc_packing(3, 1024);
    EXPECT_EQ(p.input_cts, 1);
    EXPECT_EQ(p.output_cts, 1);
    EXPECT_EQ(p.block_in, 3);
    EXPECT_THROW(cheetah_fc_packing(0, 4), InvalidInput);
}

TEST(CheetahFcPacking, EqualsTryingEveryOutputBlock) {
    // The definition: every n_o in 1..min(N, N_O) with n_i = min(N / n_o, N_I); the
    // first n_o with fewest ciphertexts sent plus received wins.
    const auto reference = [](std::int64_t inputs, std::int64_t outputs, std::int64_t n) {
        FcPacking best;
        std::int64_t best_cts = -1;
        for (std::int64_t n_o = 1; n_o <= std::min(n, outputs); ++n_o) {
            const std::int64_t n_i = std::min(n / n_o, inputs);
            const std::int64_t in = (inputs + n_i - 1) / n_i, out = (outputs + n_o - 1) / n_o;
            if (best_cts < 0 || in + out < best_cts) {
                best_cts = in + out;
                best = {(inputs + in - 1) / in, n_o, in, out, in * out};
            }
        }
        return best;
    };
    for (const std::int64_t n : {64, 100, 4096}) {
        for (std::int64_t inputs = 1; inputs <= 300; inputs += 7) {
            for (const std::int64_t outputs : {1, 2, 3, 10, 63, 64, 65, 99, 100, 101, 257, 1000, 5000}) {
                const FcPacking got = cheetah_fc_packing(inputs, outputs, n);
                const FcPacking want = reference(inputs, outputs, n);
                EXPECT_EQ(got.block_in, want.block_in) << inputs << " -> " << outputs << ", N = " << n;
                EXPECT_EQ(got.block_out, want.block_out) << inputs << " -> " << outputs << ", N = " << n;
                EXPECT_EQ(got.input_cts, want.input_cts) << inputs << " -> " << outputs << ", N = " << n;
                EXPECT_EQ(got.output_cts, want.output_cts) << inputs << " -> " << outputs << ", N = " << n;
                EXPECT_EQ(got.products, want.products) << inputs << " -> " << outputs << ", N = " << n;
            }
        }
    }
    for (const auto& [inputs, outputs] : {std::pair<std::int64_t, std::int64_t>{2048, 1000}, {1024, 1000},
                                          {25088, 4096}, {4096, 4096}, {9216, 4096}, {4096, 1000}}) {
        const FcPacking got = cheetah_fc_packing(inputs, outputs);
        const FcPacking want = reference(inputs, outputs, kCheetahPolyDegree);
        EXPECT_EQ(got.block_out, want.block_out) << inputs << " -> " << outputs;
        EXPECT_EQ(got.block_in, want.block_in) << inputs << " -> " << outputs;
        EXPECT_EQ(got.products, want.products) << inputs << " -> " << outputs;
    }
}

TEST(CheetahBnCts, OneChannelTilePerCiphertext) {
    // 64x56x56: one channel per ciphertext, 56x56 fits a 64x64 tile.
    EXPECT_EQ(cheetah_bn_cts(64, 56, 56), 64);
    // 16x112x112: 2 x 2 tiles of 64x64 a channel.
    EXPECT_EQ(cheetah_bn_cts(16, 112, 112), 64);
    EXPECT_THROW(cheetah_bn_cts(0, 1, 1), InvalidInput);
}

}  // namespace
}  // namespace snnipred::predict
