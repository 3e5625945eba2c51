#include "snnipred/engine/hom_conv.h"

#include <string>

#include "conv_packing.h"
#include "snnipred/core/error.h"
#include "snnipred/core/parallel.h"
#include "snnipred/crypto/he/ciphertext.h"

namespace snnipred::engine {

using protocol::input_drop_bits;

namespace he = crypto::he;

HomConvServer::HomConvServer(const HomServer& he, const ConvShape& shape, std::vector<std::int64_t> weights,
                             std::vector<std::int64_t> bias)
    : he_(he),
      plan_(protocol::plan_conv(shape, he.layout())),
      positions_(detail::conv_read_positions(plan_)),
      weights_(std::move(weights)),
      bias_(std::move(bias)) {
    SNNIPRED_CHECK(static_cast<std::int64_t>(weights_.size()) == shape.weight_count(), InvalidInput,
                   "engine/conv: expected " + std::to_string(shape.weight_count()) + " weights, got " +
                       std::to_string(weights_.size()));
    SNNIPRED_CHECK(bias_.empty() || static_cast<std::int64_t>(bias_.size()) == shape.out_channels, InvalidInput,
                   "engine/conv: the bias needs one value per output channel");
}

ShareVector HomConvServer::run(std::span<const std::uint64_t> x1, net::Channel& channel, he::Prng& prng) const {
    const ConvPlan& p = plan_;
    const RingConfig& ring = he_.ring();
    const std::vector<he::Plaintext> own = detail::pack_conv_input(p, ring, x1);
    const std::vector<he::Ciphertext> inputs = he_.receive_inputs(own, input_drop_bits(he_.layout(), p.fan_in), channel);
    std::vector<he::Ciphertext> results(p.output_cts);
    const std::int64_t spatial = p.blocks_h * p.blocks_w;
    // Filter blocks are independent: each worker owns the results of its blocks.
    parallel_for(he_.threads(), static_cast<std::size_t>(p.shape.groups * p.blocks_o), [&](std::size_t block) {
        const auto fb = static_cast<std::int64_t>(block);
        const std::int64_t g = fb / p.blocks_o;
        for (std::int64_t cb = 0; cb < p.blocks_c; ++cb) {
            // One kernel polynomial serves every spatial block; prepared here rather than
            // at construction so that only one is alive at a time (a 64x64 3x3 layer would
            // otherwise hold 2048 prepared polynomials, 1 GiB at N = 8192).
            const he::NttPlaintext kernel = he_.prepare(detail::conv_kernel_poly(p, weights_, fb, cb));
            for (std::int64_t s = 0; s < spatial; ++s) {
                he_.multiply_accumulate(results[fb * spatial + s],
                                    inputs[(g * p.blocks_c + cb) * spatial + s], kernel);
            }
        }
    });
    const std::vector<he::Plaintext> shares = he_.send_outputs(results, positions_, channel, prng);
    ShareVector y = detail::unpack_conv_output(p, ring, shares);
    if (!bias_.empty()) {
        const std::size_t plane = y.size() / bias_.size();
        for (std::size_t i = 0; i < y.size(); ++i) y[i] = ring.reduce(y[i] + ring.from_signed(bias_[i / plane]));
    }
    return y;
}

HomConvClient::HomConvClient(const HomClient& he, const ConvShape& shape)
    : he_(he), plan_(protocol::plan_conv(shape, he.layout())), positions_(detail::conv_read_positions(plan_)) {}

ShareVector HomConvClient::run(std::span<const std::uint64_t> x0, net::Channel& channel, he::Prng& prng) const {
    he_.send_inputs(detail::pack_conv_input(plan_, he_.ring(), x0), input_drop_bits(he_.layout(), plan_.fan_in),
                    channel, prng);
    const std::vector<he::Plaintext> outputs = he_.receive_outputs(positions_, channel);
    return detail::unpack_conv_output(plan_, he_.ring(), outputs);
}

ShareVector conv_ring_reference(const RingConfig& ring, const ConvShape& shape, std::span<const std::uint64_t> x,
                                std::span<const std::int64_t> weights, std::span<const std::int64_t> bias) {
    shape.validate();
    SNNIPRED_CHECK(static_cast<std::int64_t>(x.size()) == shape.in_channels * shape.in_h * shape.in_w &&
                       static_cast<std::int64_t>(weights.size()) == shape.weight_count() &&
                       (bias.empty() || static_cast<std::int64_t>(bias.size()) == shape.out_channels),
                   InvalidInput, "engine/conv: reference operands do not match the shape");
    const Window& w = shape.window;
    const std::int64_t ci = shape.in_channels / shape.groups, co = shape.out_channels / shape.groups;
    const std::int64_t oh = shape.out_h(), ow = shape.out_w();
    ShareVector y(shape.out_channels * oh * ow);
    for (std::int64_t o = 0; o < shape.out_channels; ++o) {
        const std::int64_t g = o / co;
        for (std::int64_t i = 0; i < oh; ++i) {
            for (std::int64_t j = 0; j < ow; ++j) {
                // Unsigned arithmetic wraps mod 2^64, a multiple of the ring's modulus.
                std::uint64_t sum = bias.empty() ? 0 : static_cast<std::uint64_t>(bias[o]);
                for (std::int64_t c = 0; c < ci; ++c) {
                    for (std::int64_t l = 0; l < w.kernel_h; ++l) {
                        const std::int64_t yy = i * w.stride_h + l - w.pad_top;
                        if (yy < 0 || yy >= shape.in_h) continue;
                        for (std::int64_t m = 0; m < w.kernel_w; ++m) {
                            const std::int64_t xx = j * w.stride_w + m - w.pad_left;
                            if (xx < 0 || xx >= shape.in_w) continue;
                            sum += x[((g * ci + c) * shape.in_h + yy) * shape.in_w + xx] *
                                   static_cast<std::uint64_t>(weights[((o * ci + c) * w.kernel_h + l) * w.kernel_w + m]);
                        }
                    }
                }
                y[(o * oh + i) * ow + j] = ring.reduce(sum);
            }
        }
    }
    return y;
}

}  // namespace snnipred::engine
