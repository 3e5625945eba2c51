#include "snnipred/engine/hom_bn.h"

#include <algorithm>
#include <string>

#include "snnipred/core/error.h"
#include "snnipred/core/parallel.h"
#include "snnipred/crypto/he/ciphertext.h"

namespace snnipred::engine {

using protocol::input_drop_bits;

namespace he = crypto::he;

namespace {

// Ciphertext k = b * chunks + j holds chunk j of channels b*Cb .. b*Cb + Cb - 1.
std::vector<he::Plaintext> pack_bn_input(const BnPlan& p, const RingConfig& ring, std::span<const std::uint64_t> x) {
    const std::int64_t plane = p.h * p.w;
    SNNIPRED_CHECK(static_cast<std::int64_t>(x.size()) == p.channels * plane, InvalidInput,
                   "engine/bn: input share has the wrong size");
    std::vector<he::Plaintext> polys(p.input_cts, he::Plaintext{std::vector<std::uint64_t>(p.n, 0)});
    for (std::int64_t c = 0; c < p.channels; ++c) {
        for (std::int64_t i = 0; i < plane; ++i) {
            const std::int64_t k = (c / p.block_c) * p.chunks + i / p.chunk;
            polys[k].coeffs[(c % p.block_c) * p.chunk + i % p.chunk] = ring.reduce(x[c * plane + i]);
        }
    }
    return polys;
}

// Calls visit(polynomial, coefficient, output index) for every output value, once each.
template <typename Visit>
void for_each_bn_output(const BnPlan& p, Visit visit) {
    const std::int64_t plane = p.h * p.w;
    for (std::int64_t c = 0; c < p.channels; ++c) {
        const std::int64_t slot = c % p.block_c;
        for (std::int64_t i = 0; i < plane; ++i) {
            const std::int64_t poly = (c / p.block_c) * p.chunks + i / p.chunk;
            visit(poly, slot * (p.block_c + 1) * p.chunk + i % p.chunk, c * plane + i);
        }
    }
}

ShareVector unpack_bn_output(const BnPlan& p, const RingConfig& ring, std::span<const he::Plaintext> polys) {
    SNNIPRED_CHECK(static_cast<std::int64_t>(polys.size()) == p.input_cts, InvalidInput,
                   "engine/bn: wrong number of output polynomials");
    ShareVector y(p.channels * p.h * p.w);
    for_each_bn_output(p, [&](std::int64_t poly, std::int64_t coeff, std::int64_t out) {
        y[out] = ring.reduce(polys[poly].coeffs[coeff]);
    });
    return y;
}

he::ReadPositions bn_read_positions(const BnPlan& p) {
    he::ReadPositions positions(p.input_cts);
    for_each_bn_output(p, [&](std::int64_t poly, std::int64_t coeff, std::int64_t) {
        positions[poly].push_back(static_cast<std::uint32_t>(coeff));
    });
    return positions;
}

}  // namespace

HomBnServer::HomBnServer(const HomServer& he, std::int64_t channels, std::int64_t h, std::int64_t w,
                         std::vector<std::int64_t> scale, std::vector<std::int64_t> shift)
    : he_(he),
      plan_(protocol::plan_bn(channels, h, w, he.layout().n)),
      positions_(bn_read_positions(plan_)),
      scale_(std::move(scale)),
      shift_(std::move(shift)) {
    SNNIPRED_CHECK(static_cast<std::int64_t>(scale_.size()) == channels &&
                       static_cast<std::int64_t>(shift_.size()) == channels,
                   InvalidInput, "engine/bn: scale and shift need one value per channel");
}

ShareVector HomBnServer::run(std::span<const std::uint64_t> x1, net::Channel& channel, he::Prng& prng) const {
    const BnPlan& p = plan_;
    const RingConfig& ring = he_.ring();
    const std::vector<he::Ciphertext> inputs = he_.receive_inputs(pack_bn_input(p, ring, x1), input_drop_bits(he_.layout(), p.fan_in), channel);
    std::vector<he::Ciphertext> results(p.input_cts);
    // Channel blocks are independent: each worker owns the results of its blocks.
    parallel_for(he_.threads(), static_cast<std::size_t>(p.blocks_c), [&](std::size_t channel_block) {
        const auto b = static_cast<std::int64_t>(channel_block);
        std::vector<std::int64_t> poly(p.n);
        std::fill(poly.begin(), poly.end(), 0);
        for (std::int64_t c = 0; c < p.block_c && b * p.block_c + c < p.channels; ++c) {
            poly[c * p.block_c * p.chunk] = scale_[b * p.block_c + c];
        }
        const he::NttPlaintext weight = he_.prepare(poly);
        for (std::int64_t j = 0; j < p.chunks; ++j) {
            he_.multiply_accumulate(results[b * p.chunks + j], inputs[b * p.chunks + j], weight);
        }
    });
    ShareVector y = unpack_bn_output(p, ring, he_.send_outputs(results, positions_, channel, prng));
    const std::int64_t plane = p.h * p.w;
    for (std::size_t i = 0; i < y.size(); ++i) y[i] = ring.reduce(y[i] + ring.from_signed(shift_[i / plane]));
    return y;
}

HomBnClient::HomBnClient(const HomClient& he, std::int64_t channels, std::int64_t h, std::int64_t w)
    : he_(he), plan_(protocol::plan_bn(channels, h, w, he.layout().n)), positions_(bn_read_positions(plan_)) {}

ShareVector HomBnClient::run(std::span<const std::uint64_t> x0, net::Channel& channel, he::Prng& prng) const {
    he_.send_inputs(pack_bn_input(plan_, he_.ring(), x0), input_drop_bits(he_.layout(), plan_.fan_in), channel, prng);
    return unpack_bn_output(plan_, he_.ring(), he_.receive_outputs(positions_, channel));
}

ShareVector bn_ring_reference(const RingConfig& ring, std::int64_t channels, std::int64_t h, std::int64_t w,
                              std::span<const std::uint64_t> x, std::span<const std::int64_t> scale,
                              std::span<const std::int64_t> shift) {
    const std::int64_t plane = h * w;
    SNNIPRED_CHECK(channels > 0 && plane > 0 && static_cast<std::int64_t>(x.size()) == channels * plane &&
                       static_cast<std::int64_t>(scale.size()) == channels &&
                       static_cast<std::int64_t>(shift.size()) == channels,
                   InvalidInput, "engine/bn: reference operands do not match");
    ShareVector y(x.size());
    for (std::size_t i = 0; i < x.size(); ++i) {
        const std::int64_t c = static_cast<std::int64_t>(i) / plane;
        y[i] = ring.reduce(x[i] * static_cast<std::uint64_t>(scale[c]) + static_cast<std::uint64_t>(shift[c]));
    }
    return y;
}

}  // namespace snnipred::engine
