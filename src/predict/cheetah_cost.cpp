#include "snnipred/predict/cheetah_cost.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <string_view>

#include "snnipred/core/error.h"

namespace snnipred::predict {
namespace {

std::int64_t ceil_div(std::int64_t a, std::int64_t b) { return (a + b - 1) / b; }

// Blocks of `block` positions covering `extent`, consecutive blocks sharing kernel-1
// positions so that every output window lies inside one block.
std::int64_t overlapping_blocks(std::int64_t extent, std::int64_t block, std::int64_t kernel) {
    if (extent <= block) return 1;
    return 1 + ceil_div(extent - block, block - kernel + 1);
}

// The block (C, H, W) of one ciphertext for a (channels, height, width) input, already
// padded and subsampled.
struct Block {
    std::int64_t c, h, w;
};

Block conv_block(std::int64_t channels, std::int64_t height, std::int64_t width, std::int64_t kernel_h,
                 std::int64_t kernel_w, std::int64_t n) {
    if (height * width <= n) {
        // Whole channels, as many as fit, but never more than N/(kernel area): the filter
        // block must fit in one polynomial as well.
        return {std::min({n / (height * width), channels, n / (kernel_h * kernel_w)}), height, width};
    }
    // One channel of an about sqrt(N) x sqrt(N) window stretched to the input's aspect ratio.
    const double ratio = static_cast<double>(height) / static_cast<double>(width);
    std::int64_t h = std::min(static_cast<std::int64_t>(std::sqrt(static_cast<double>(n) * ratio)), height);
    h = std::max<std::int64_t>(h, 1);
    std::int64_t w = std::min(n / h, width);
    if (std::abs(w - h) < 2) h = w = std::min(h, w);
    return {1, std::max(h, kernel_h), std::max(w, kernel_w)};
}

// `name` only names the layer in errors; an input of 0 channels is a missing one.
ConvPacking pack_conv(const LayerDimensions& conv, std::string_view name, std::int64_t poly_degree) {
    SNNIPRED_CHECK(conv.type == LayerType::kConv && conv.input.c != 0, InvalidInput,
                   "cheetah_conv_packing: layer '" + std::string(name) + "' is not a conv with known input shape");
    const Shape& in = conv.input;
    const Window& win = conv.window;
    const std::int64_t kh = win.kernel_h, kw = win.kernel_w;
    SNNIPRED_CHECK(kh * kw <= poly_degree, InvalidInput,
                   "Cheetah conv: a " + std::to_string(kh) + "x" + std::to_string(kw) +
                       " kernel does not fit in " + std::to_string(poly_degree) + " coefficients");
    // Cheetah's conv wrapper turns any zero padding into "SAME": kernel-1 rows and columns.
    const bool padded = win.pad_top + win.pad_bottom + win.pad_left + win.pad_right > 0;
    std::int64_t height = in.h + (padded ? kh - 1 : 0);
    std::int64_t width = in.w + (padded ? kw - 1 : 0);
    SNNIPRED_CHECK(height >= kh && width >= kw && in.c > 0, InvalidInput,
                   "Cheetah conv: kernel larger than the padded input of '" + std::string(name) + "'");
    // A 1x1 kernel reads only every stride-th pixel: its input is subsampled first.
    if (kh == 1) height = ceil_div(height, std::max<std::int64_t>(win.stride_h, 1));
    if (kw == 1) width = ceil_div(width, std::max<std::int64_t>(win.stride_w, 1));

    const std::int64_t groups = std::max<std::int64_t>(conv.groups, 1);
    const std::int64_t channels = std::max<std::int64_t>(in.c / groups, 1);
    const std::int64_t filters = std::max<std::int64_t>(conv.out_channels / groups, 1);
    const Block block = conv_block(channels, height, width, kh, kw, poly_degree);

    ConvPacking p;
    p.block_c = block.c;
    p.block_h = block.h;
    p.block_w = block.w;
    p.blocks_c = ceil_div(channels, block.c);
    p.blocks_h = overlapping_blocks(height, block.h, kh);
    p.blocks_w = overlapping_blocks(width, block.w, kw);
    const std::int64_t spatial = p.blocks_h * p.blocks_w;
    // Channel blocks whose filter plaintext has a single coefficient: all of them for a
    // 1x1 kernel one channel per block, else only a last block left with one channel.
    std::int64_t monomial_blocks = 0;
    if (kh * kw == 1) monomial_blocks = block.c == 1 ? p.blocks_c : (channels % block.c == 1 ? 1 : 0);
    // Groups are independent convolutions of the same shape.
    p.input_cts = groups * p.blocks_c * spatial;
    p.output_cts = groups * filters * spatial;
    p.products = groups * filters * p.blocks_c * spatial;
    p.monomial_products = groups * filters * monomial_blocks * spatial;
    p.kernel_pts = groups * filters * p.blocks_c;
    return p;
}

}  // namespace

ConvPacking cheetah_conv_packing(const Layer& conv, std::int64_t poly_degree) {
    return pack_conv(layer_dimensions(conv), conv.name, poly_degree);
}

ConvPacking cheetah_conv_packing(const LayerDimensions& conv, std::int64_t poly_degree) {
    return pack_conv(conv, layer_type_name(conv.type), poly_degree);
}

FcPacking cheetah_fc_packing(std::int64_t inputs, std::int64_t outputs, std::int64_t poly_degree) {
    SNNIPRED_CHECK(inputs > 0 && outputs > 0, InvalidInput, "cheetah_fc_packing: sizes must be positive");
    FcPacking best;
    std::int64_t best_cts = -1;
    // For a given output block n_o the widest input block n_i = N / n_o needs fewest
    // input ciphertexts; the first n_o reaching the minimum wins, as in Cheetah. N / n_o
    // takes O(sqrt N) values, so instead of trying every n_o (up to N, once per predicted
    // FC step) take each run of n_o sharing one: its input count is fixed, its output
    // count falls with n_o, so the run's minimum is at its last n_o and first reached at
    // the smallest n_o with that output count.
    const std::int64_t last = std::min(poly_degree, outputs);
    for (std::int64_t lo = 1; lo <= last;) {
        const std::int64_t hi = std::min(poly_degree / (poly_degree / lo), last);
        const std::int64_t n_i = std::min(poly_degree / lo, inputs);
        const std::int64_t in = ceil_div(inputs, n_i), out = ceil_div(outputs, hi);
        if (best_cts < 0 || in + out < best_cts) {
            best_cts = in + out;
            const std::int64_t n_o = std::max(lo, ceil_div(outputs, out));
            // Cheetah keeps the narrowest input block with that many ciphertexts.
            best = {ceil_div(inputs, in), n_o, in, out, in * out};
        }
        lo = hi + 1;
    }
    return best;
}

std::int64_t cheetah_bn_cts(std::int64_t c, std::int64_t h, std::int64_t w, std::int64_t poly_degree) {
    SNNIPRED_CHECK(c > 0 && h > 0 && w > 0 && poly_degree > 0, InvalidInput,
                   "cheetah_bn_cts: sizes must be positive");
    const auto side = static_cast<std::int64_t>(std::sqrt(static_cast<double>(poly_degree)));
    return c * ceil_div(h, std::min(side, h)) * ceil_div(w, std::min(side, w));
}

}  // namespace snnipred::predict
