#include "snnipred/engine/hom_fc.h"

#include <algorithm>
#include <string>
#include <tuple>

#include "snnipred/core/error.h"
#include "snnipred/core/parallel.h"
#include "snnipred/crypto/he/ciphertext.h"
#include "snnipred/crypto/he/noise_bound.h"

namespace snnipred::engine {

using protocol::input_drop_bits;

namespace he = crypto::he;

namespace {

std::vector<he::Plaintext> pack_fc_input(const FcPlan& p, const RingConfig& ring, std::span<const std::uint64_t> x) {
    SNNIPRED_CHECK(static_cast<std::int64_t>(x.size()) == p.inputs, InvalidInput,
                   "engine/fc: input share has the wrong size");
    std::vector<he::Plaintext> polys(p.input_cts, he::Plaintext{std::vector<std::uint64_t>(p.n, 0)});
    for (std::int64_t i = 0; i < p.inputs; ++i) polys[i / p.block_in].coeffs[i % p.block_in] = ring.reduce(x[i]);
    return polys;
}

// Output o is coefficient fc_output_coeff(p, o) of response o / block_out.
std::int64_t fc_output_coeff(const FcPlan& p, std::int64_t o) {
    return (o % p.block_out) * p.block_in + p.block_in - 1;
}

ShareVector unpack_fc_output(const FcPlan& p, const RingConfig& ring, std::span<const he::Plaintext> polys) {
    SNNIPRED_CHECK(static_cast<std::int64_t>(polys.size()) == p.output_cts, InvalidInput,
                   "engine/fc: wrong number of output polynomials");
    ShareVector y(p.outputs);
    for (std::int64_t o = 0; o < p.outputs; ++o) {
        y[o] = ring.reduce(polys[o / p.block_out].coeffs[fc_output_coeff(p, o)]);
    }
    return y;
}

he::ReadPositions fc_read_positions(const FcPlan& p) {
    he::ReadPositions positions(p.output_cts);
    for (std::int64_t o = 0; o < p.outputs; ++o) {
        positions[o / p.block_out].push_back(static_cast<std::uint32_t>(fc_output_coeff(p, o)));
    }
    return positions;
}

}  // namespace

HomFcServer::HomFcServer(const HomServer& he, std::int64_t inputs, std::int64_t outputs,
                         std::vector<std::int64_t> weights, std::vector<std::int64_t> bias)
    : he_(he),
      plan_(protocol::plan_fc(inputs, outputs, he.layout())),
      positions_(fc_read_positions(plan_)),
      weights_(std::move(weights)),
      bias_(std::move(bias)) {
    SNNIPRED_CHECK(static_cast<std::int64_t>(weights_.size()) == inputs * outputs, InvalidInput,
                   "engine/fc: expected " + std::to_string(inputs * outputs) + " weights, got " +
                       std::to_string(weights_.size()));
    SNNIPRED_CHECK(bias_.empty() || static_cast<std::int64_t>(bias_.size()) == outputs, InvalidInput,
                   "engine/fc: the bias needs one value per output");
}

ShareVector HomFcServer::run(std::span<const std::uint64_t> x1, net::Channel& channel, he::Prng& prng) const {
    const FcPlan& p = plan_;
    const RingConfig& ring = he_.ring();
    const std::vector<he::Ciphertext> inputs = he_.receive_inputs(pack_fc_input(p, ring, x1), input_drop_bits(he_.layout(), p.fan_in), channel);
    std::vector<he::Ciphertext> results(p.output_cts);
    // Output ciphertexts are independent: each worker owns the results of its blocks.
    parallel_for(he_.threads(), static_cast<std::size_t>(p.output_cts), [&](std::size_t out_block) {
        const auto b = static_cast<std::int64_t>(out_block);
        std::vector<std::int64_t> block(p.n);
        for (std::int64_t k = 0; k < p.input_cts; ++k) {
            std::fill(block.begin(), block.end(), 0);
            for (std::int64_t r = 0; r < p.block_out && b * p.block_out + r < p.outputs; ++r) {
                const std::int64_t row = b * p.block_out + r;
                for (std::int64_t j = 0; j < p.block_in && k * p.block_in + j < p.inputs; ++j) {
                    block[r * p.block_in + p.block_in - 1 - j] = weights_[row * p.inputs + k * p.block_in + j];
                }
            }
            he_.multiply_accumulate(results[b], inputs[k], he_.prepare(block));
        }
    });
    ShareVector y = unpack_fc_output(p, ring, he_.send_outputs(results, positions_, channel, prng));
    for (std::size_t o = 0; o < bias_.size(); ++o) y[o] = ring.reduce(y[o] + ring.from_signed(bias_[o]));
    return y;
}

HomFcClient::HomFcClient(const HomClient& he, std::int64_t inputs, std::int64_t outputs)
    : he_(he), plan_(protocol::plan_fc(inputs, outputs, he.layout())), positions_(fc_read_positions(plan_)) {}

ShareVector HomFcClient::run(std::span<const std::uint64_t> x0, net::Channel& channel, he::Prng& prng) const {
    he_.send_inputs(pack_fc_input(plan_, he_.ring(), x0), input_drop_bits(he_.layout(), plan_.fan_in), channel, prng);
    return unpack_fc_output(plan_, he_.ring(), he_.receive_outputs(positions_, channel));
}

ShareVector fc_ring_reference(const RingConfig& ring, std::int64_t inputs, std::int64_t outputs,
                              std::span<const std::uint64_t> x, std::span<const std::int64_t> weights,
                              std::span<const std::int64_t> bias) {
    SNNIPRED_CHECK(inputs > 0 && outputs > 0 && static_cast<std::int64_t>(x.size()) == inputs &&
                       static_cast<std::int64_t>(weights.size()) == inputs * outputs &&
                       (bias.empty() || static_cast<std::int64_t>(bias.size()) == outputs),
                   InvalidInput, "engine/fc: reference operands do not match");
    ShareVector y(outputs);
    for (std::int64_t o = 0; o < outputs; ++o) {
        std::uint64_t sum = bias.empty() ? 0 : static_cast<std::uint64_t>(bias[o]);  // wraps mod 2^64
        for (std::int64_t i = 0; i < inputs; ++i) sum += x[i] * static_cast<std::uint64_t>(weights[o * inputs + i]);
        y[o] = ring.reduce(sum);
    }
    return y;
}

}  // namespace snnipred::engine
