#include "conv_packing.h"

#include <algorithm>
#include <string>
#include <tuple>

#include "snnipred/core/error.h"

namespace snnipred::engine {

namespace he = crypto::he;

namespace detail {
namespace {

// A packed channel is one phase (row phase, column phase) of a channel of the group.
struct PackedChannel {
    std::int64_t channel, phase_h, phase_w;
};

PackedChannel unpack_channel(const ConvPlan& p, std::int64_t packed) {
    const std::int64_t phases = p.phases_h * p.phases_w;
    return {packed / phases, packed % phases / p.phases_w, packed % p.phases_w};
}

}  // namespace

std::vector<he::Plaintext> pack_conv_input(const ConvPlan& p, const RingConfig& ring,
                                           std::span<const std::uint64_t> x) {
    const ConvShape& s = p.shape;
    SNNIPRED_CHECK(static_cast<std::int64_t>(x.size()) == s.in_channels * s.in_h * s.in_w, InvalidInput,
                   "engine/conv: input share has the wrong size");
    const std::int64_t step_h = p.block_h - p.kernel_h + 1, step_w = p.block_w - p.kernel_w + 1;
    const std::int64_t plane = p.block_h * p.block_w;
    std::vector<he::Plaintext> polys;
    polys.reserve(p.input_cts);
    for (std::int64_t g = 0; g < s.groups; ++g) {
        for (std::int64_t cb = 0; cb < p.blocks_c; ++cb) {
            for (std::int64_t bi = 0; bi < p.blocks_h; ++bi) {
                for (std::int64_t bj = 0; bj < p.blocks_w; ++bj) {
                    he::Plaintext poly{std::vector<std::uint64_t>(p.n, 0)};
                    for (std::int64_t c = 0; c < p.block_c && cb * p.block_c + c < p.packed_channels; ++c) {
                        const auto [ci, phase_h, phase_w] = unpack_channel(p, cb * p.block_c + c);
                        const std::int64_t channel = g * p.channels + ci;
                        for (std::int64_t r = 0; r < p.block_h; ++r) {
                            const std::int64_t er = bi * step_h + r;
                            const std::int64_t y = er * p.sub_h + phase_h - s.window.pad_top;
                            if (er >= p.eff_h || y < 0 || y >= s.in_h) continue;
                            for (std::int64_t q = 0; q < p.block_w; ++q) {
                                const std::int64_t eq = bj * step_w + q;
                                const std::int64_t xc = eq * p.sub_w + phase_w - s.window.pad_left;
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
                                           std::int64_t filter_block, std::int64_t channel_block) {
    const std::int64_t kh = p.shape.window.kernel_h, kw = p.shape.window.kernel_w;
    const std::int64_t plane = p.block_h * p.block_w;
    const std::int64_t group = filter_block / p.blocks_o, first = (filter_block % p.blocks_o) * p.block_o;
    std::vector<std::int64_t> poly(p.n, 0);
    for (std::int64_t f = 0; f < p.block_o && first + f < p.filters; ++f) {
        const std::int64_t filter = group * p.filters + first + f;
        std::int64_t* const at = poly.data() + f * p.filter_span + p.first_output;
        for (std::int64_t c = 0; c < p.block_c; ++c) {
            const std::int64_t packed = channel_block * p.block_c + c;
            if (packed >= p.packed_channels) break;
            const auto [ci, phase_h, phase_w] = unpack_channel(p, packed);
            // Tap (l, m) of a phase is tap (l sub_h + phase_h, m sub_w + phase_w) of the
            // kernel; a phase's taps past the kernel's edge stay 0.
            for (std::int64_t l = 0; l < p.kernel_h; ++l) {
                const std::int64_t row = l * p.sub_h + phase_h;
                if (row >= kh) break;
                for (std::int64_t m = 0; m < p.kernel_w; ++m) {
                    const std::int64_t col = m * p.sub_w + phase_w;
                    if (col >= kw) break;
                    at[-c * plane - l * p.block_w - m] = weights[((filter * p.channels + ci) * kh + row) * kw + col];
                }
            }
        }
    }
    return poly;
}

namespace {

// Calls visit(polynomial, coefficient, output index) for every output value, once each.
template <typename Visit>
void for_each_conv_output(const ConvPlan& p, Visit visit) {
    const ConvShape& s = p.shape;
    const std::int64_t step_h = p.block_h - p.kernel_h + 1, step_w = p.block_w - p.kernel_w + 1;
    const std::int64_t out_h = s.out_h(), out_w = s.out_w();
    for (std::int64_t fb = 0; fb < s.groups * p.blocks_o; ++fb) {
        const std::int64_t group = fb / p.blocks_o, first = (fb % p.blocks_o) * p.block_o;
        for (std::int64_t bi = 0; bi < p.blocks_h; ++bi) {
            for (std::int64_t bj = 0; bj < p.blocks_w; ++bj) {
                const std::int64_t poly = (fb * p.blocks_h + bi) * p.blocks_w + bj;
                // Filter f of the block: its outputs start f filter spans into the response.
                for (std::int64_t f = 0; f < p.block_o && first + f < p.filters; ++f) {
                    const std::int64_t o = group * p.filters + first + f;
                    const std::int64_t origin = f * p.filter_span + p.first_output;
                    for (std::int64_t i = 0; i < step_h; ++i) {
                        const std::int64_t gr = bi * step_h + i;
                        if (gr % p.keep_h != 0 || gr / p.keep_h >= out_h) continue;
                        for (std::int64_t j = 0; j < step_w; ++j) {
                            const std::int64_t gc = bj * step_w + j;
                            if (gc % p.keep_w != 0 || gc / p.keep_w >= out_w) continue;
                            visit(poly, origin + i * p.block_w + j, (o * out_h + gr / p.keep_h) * out_w + gc / p.keep_w);
                        }
                    }
                }
            }
        }
    }
}

}  // namespace

ShareVector unpack_conv_output(const ConvPlan& p, const RingConfig& ring, std::span<const he::Plaintext> polys) {
    SNNIPRED_CHECK(static_cast<std::int64_t>(polys.size()) == p.output_cts, InvalidInput,
                   "engine/conv: wrong number of output polynomials");
    ShareVector y(p.shape.out_channels * p.shape.out_h() * p.shape.out_w(), 0);
    for_each_conv_output(p, [&](std::int64_t poly, std::int64_t coeff, std::int64_t out) {
        y[out] = ring.reduce(polys[poly].coeffs[coeff]);
    });
    return y;
}

he::ReadPositions conv_read_positions(const ConvPlan& p) {
    he::ReadPositions positions(p.output_cts);
    for_each_conv_output(p, [&](std::int64_t poly, std::int64_t coeff, std::int64_t) {
        positions[poly].push_back(static_cast<std::uint32_t>(coeff));
    });
    return positions;
}

}  // namespace detail
}  // namespace snnipred::engine
