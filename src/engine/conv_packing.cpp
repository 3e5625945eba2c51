#include "conv_packing.h"

#include <algorithm>
#include <string>
#include <tuple>

#include "snnipred/core/error.h"
#include "snnipred/crypto/he/noise_bound.h"

namespace snnipred::engine {

namespace he = crypto::he;

namespace {

std::int64_t ceil_div(std::int64_t a, std::int64_t b) { return (a + b - 1) / b; }

}  // namespace

void ConvShape::validate() const {
    const Window& w = window;
    SNNIPRED_CHECK(in_channels > 0 && in_h > 0 && in_w > 0 && out_channels > 0 && groups > 0, InvalidInput,
                   "engine/conv: sizes must be positive");
    SNNIPRED_CHECK(in_channels % groups == 0 && out_channels % groups == 0, InvalidInput,
                   "engine/conv: groups must divide both channel counts");
    SNNIPRED_CHECK(w.padding != Padding::kSame, InvalidInput, "engine/conv: SAME padding must be resolved to pads");
    SNNIPRED_CHECK(w.kernel_h > 0 && w.kernel_w > 0 && w.stride_h > 0 && w.stride_w > 0 && w.pad_top >= 0 &&
                       w.pad_bottom >= 0 && w.pad_left >= 0 && w.pad_right >= 0,
                   InvalidInput, "engine/conv: bad window");
    SNNIPRED_CHECK(w.kernel_h <= in_h + w.pad_top + w.pad_bottom && w.kernel_w <= in_w + w.pad_left + w.pad_right,
                   InvalidInput, "engine/conv: kernel larger than the padded input");
}

std::int64_t ConvShape::out_h() const {
    return (in_h + window.pad_top + window.pad_bottom - window.kernel_h) / window.stride_h + 1;
}

std::int64_t ConvShape::out_w() const {
    return (in_w + window.pad_left + window.pad_right - window.kernel_w) / window.stride_w + 1;
}

std::int64_t ConvShape::weight_count() const {
    return out_channels * (in_channels / groups) * window.kernel_h * window.kernel_w;
}

ConvShape ConvShape::from_layer(const Layer& conv) {
    SNNIPRED_CHECK(conv.type == LayerType::kConv && conv.input_shapes.size() == 1 && conv.input_shapes[0].valid(),
                   InvalidInput, "engine/conv: '" + conv.name + "' is not a conv with a known input shape");
    ConvShape shape{conv.input_shapes[0].c, conv.input_shapes[0].h, conv.input_shapes[0].w,
                    conv.out_channels, conv.groups, conv.window};
    if (shape.window.padding == Padding::kValid) {
        shape.window.pad_top = shape.window.pad_bottom = shape.window.pad_left = shape.window.pad_right = 0;
    }
    shape.validate();
    return shape;
}

ConvPlan plan_conv(const ConvShape& shape, std::int64_t n, std::int64_t input_ct_bytes,
                   std::int64_t output_ct_bytes) {
    shape.validate();
    const Window& win = shape.window;
    const std::int64_t kh = win.kernel_h, kw = win.kernel_w;
    SNNIPRED_CHECK(kh * kw <= n, InvalidInput, "engine/conv: the kernel does not fit in one polynomial");
    ConvPlan p;
    p.shape = shape;
    p.n = n;
    p.channels = shape.in_channels / shape.groups;
    p.filters = shape.out_channels / shape.groups;
    // A kernel dimension of 1 reads only every stride-th input: subsample first.
    p.sub_h = kh == 1 ? win.stride_h : 1;
    p.sub_w = kw == 1 ? win.stride_w : 1;
    p.keep_h = kh == 1 ? 1 : win.stride_h;
    p.keep_w = kw == 1 ? 1 : win.stride_w;
    p.eff_h = kh == 1 ? shape.out_h() : shape.in_h + win.pad_top + win.pad_bottom;
    p.eff_w = kw == 1 ? shape.out_w() : shape.in_w + win.pad_left + win.pad_right;
    // Stride-1 outputs needed: up to the last kept one.
    p.full_h = (shape.out_h() - 1) * p.keep_h + 1;
    p.full_w = (shape.out_w() - 1) * p.keep_w + 1;

    // Exhaustive search over the spatial block (Hb, Wb); Cb fills the rest of the ring.
    std::tuple<std::int64_t, std::int64_t, std::int64_t> best{-1, 0, 0};
    for (std::int64_t hb = kh; hb <= std::max(kh, p.full_h + kh - 1); ++hb) {
        for (std::int64_t wb = kw; wb <= std::max(kw, p.full_w + kw - 1) && hb * wb <= n; ++wb) {
            const std::int64_t bh = ceil_div(p.full_h, hb - kh + 1), bw = ceil_div(p.full_w, wb - kw + 1);
            const std::int64_t bc = ceil_div(p.channels, std::min(p.channels, n / (hb * wb)));
            const std::int64_t in = shape.groups * bc * bh * bw, out = shape.out_channels * bh * bw;
            const std::tuple<std::int64_t, std::int64_t, std::int64_t> cost{
                in * input_ct_bytes + out * output_ct_bytes, out * bc, -hb * wb};
            if (std::get<0>(best) < 0 || cost < best) {
                best = cost;
                p.block_h = hb;
                p.block_w = wb;
                p.blocks_h = bh;
                p.blocks_w = bw;
                p.blocks_c = bc;
            }
        }
    }
    // Balance the channels over the channel blocks (same count, fewer empty slots).
    p.block_c = ceil_div(p.channels, p.blocks_c);
    p.input_cts = shape.groups * p.blocks_c * p.blocks_h * p.blocks_w;
    p.output_cts = shape.out_channels * p.blocks_h * p.blocks_w;
    p.products = p.output_cts * p.blocks_c;
    p.kernel_polys = shape.out_channels * p.blocks_c;
    p.fan_in = p.blocks_c * p.block_c * kh * kw;
    SNNIPRED_CHECK(static_cast<std::uint64_t>(p.fan_in) <= he::kMaxFanIn, ConfigError,
                   "engine/conv: fan-in " + std::to_string(p.fan_in) + " exceeds the noise budget's " +
                       std::to_string(he::kMaxFanIn));
    return p;
}

namespace detail {

std::vector<he::Plaintext> pack_conv_input(const ConvPlan& p, const RingConfig& ring,
                                           std::span<const std::uint64_t> x) {
    const ConvShape& s = p.shape;
    SNNIPRED_CHECK(static_cast<std::int64_t>(x.size()) == s.in_channels * s.in_h * s.in_w, InvalidInput,
                   "engine/conv: input share has the wrong size");
    const std::int64_t kh = s.window.kernel_h, kw = s.window.kernel_w;
    const std::int64_t step_h = p.block_h - kh + 1, step_w = p.block_w - kw + 1;
    const std::int64_t plane = p.block_h * p.block_w;
    std::vector<he::Plaintext> polys;
    polys.reserve(p.input_cts);
    for (std::int64_t g = 0; g < s.groups; ++g) {
        for (std::int64_t cb = 0; cb < p.blocks_c; ++cb) {
            for (std::int64_t bi = 0; bi < p.blocks_h; ++bi) {
                for (std::int64_t bj = 0; bj < p.blocks_w; ++bj) {
                    he::Plaintext poly{std::vector<std::uint64_t>(p.n, 0)};
                    for (std::int64_t c = 0; c < p.block_c && cb * p.block_c + c < p.channels; ++c) {
                        const std::int64_t channel = g * p.channels + cb * p.block_c + c;
                        for (std::int64_t r = 0; r < p.block_h; ++r) {
                            const std::int64_t er = bi * step_h + r;
                            const std::int64_t y = er * p.sub_h - s.window.pad_top;
                            if (er >= p.eff_h || y < 0 || y >= s.in_h) continue;
                            for (std::int64_t q = 0; q < p.block_w; ++q) {
                                const std::int64_t eq = bj * step_w + q;
                                const std::int64_t xc = eq * p.sub_w - s.window.pad_left;
                                if (eq >= p.eff_w || xc < 0 || xc >= s.in_w) continue;
                                poly.coeffs[c * plane + r * p.block_w + q] =
                                    ring.reduce(x[(channel * s.in_h + y) * s.in_w + xc]);
                            }
                        }
                    }
                    polys.push_back(std::move(poly));
                }
            }
        }
    }
    return polys;
}

std::vector<std::int64_t> conv_kernel_poly(const ConvPlan& p, std::span<const std::int64_t> weights,
                                           std::int64_t filter, std::int64_t channel_block) {
    const std::int64_t kh = p.shape.window.kernel_h, kw = p.shape.window.kernel_w;
    const std::int64_t plane = p.block_h * p.block_w;
    const std::int64_t top = (p.block_c - 1) * plane + (kh - 1) * p.block_w + (kw - 1);
    std::vector<std::int64_t> poly(p.n, 0);
    for (std::int64_t c = 0; c < p.block_c; ++c) {
        const std::int64_t ci = channel_block * p.block_c + c;
        if (ci >= p.channels) break;
        for (std::int64_t l = 0; l < kh; ++l) {
            for (std::int64_t m = 0; m < kw; ++m) {
                poly[top - c * plane - l * p.block_w - m] = weights[((filter * p.channels + ci) * kh + l) * kw + m];
            }
        }
    }
    return poly;
}

ShareVector unpack_conv_output(const ConvPlan& p, const RingConfig& ring, std::span<const he::Plaintext> polys) {
    const ConvShape& s = p.shape;
    SNNIPRED_CHECK(static_cast<std::int64_t>(polys.size()) == p.output_cts, InvalidInput,
                   "engine/conv: wrong number of output polynomials");
    const std::int64_t kh = s.window.kernel_h, kw = s.window.kernel_w;
    const std::int64_t step_h = p.block_h - kh + 1, step_w = p.block_w - kw + 1;
    const std::int64_t top = (p.block_c - 1) * p.block_h * p.block_w + (kh - 1) * p.block_w + (kw - 1);
    const std::int64_t out_h = s.out_h(), out_w = s.out_w();
    ShareVector y(s.out_channels * out_h * out_w, 0);
    for (std::int64_t o = 0; o < s.out_channels; ++o) {
        for (std::int64_t bi = 0; bi < p.blocks_h; ++bi) {
            for (std::int64_t bj = 0; bj < p.blocks_w; ++bj) {
                const he::Plaintext& poly = polys[(o * p.blocks_h + bi) * p.blocks_w + bj];
                for (std::int64_t i = 0; i < step_h; ++i) {
                    const std::int64_t gr = bi * step_h + i;
                    if (gr % p.keep_h != 0 || gr / p.keep_h >= out_h) continue;
                    for (std::int64_t j = 0; j < step_w; ++j) {
                        const std::int64_t gc = bj * step_w + j;
                        if (gc % p.keep_w != 0 || gc / p.keep_w >= out_w) continue;
                        y[(o * out_h + gr / p.keep_h) * out_w + gc / p.keep_w] =
                            ring.reduce(poly.coeffs[top + i * p.block_w + j]);
                    }
                }
            }
        }
    }
    return y;
}

}  // namespace detail
}  // namespace snnipred::engine
