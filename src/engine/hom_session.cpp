#include "snnipred/engine/hom_session.h"

#include <bit>

#include <string>

#include "snnipred/core/error.h"
#include "snnipred/crypto/he/noise_bound.h"
#include "snnipred/core/parallel.h"
#include "snnipred/crypto/he/input_wire.h"
#include "snnipred/crypto/he/keys.h"

namespace snnipred::engine {

namespace he = crypto::he;

namespace {

void check_ring(const HomConfig& config, const RingConfig& ring) {
    ring.validate();
    SNNIPRED_CHECK(ring.bits == config.params.plain_bits(), ConfigError,
                   "engine/he: the ring has " + std::to_string(ring.bits) + " bits but the HE plaintext modulus is 2^" +
                       std::to_string(config.params.plain_bits()));
}

}  // namespace

he::ResponseRounding HomConfig::rounding(const he::HeContext& context) const {
    const double full = protection == ResponseProtection::kFlooding ? he::flooded_noise_bound_log2(context)
                                                                    : he::rerandomized_noise_bound_log2(context);
    return he::response_rounding(context, he::switched_noise_bound_log2(context, full), response_error_bits);
}

std::uint64_t HomConfig::input_noise_room(const he::HeContext& context) const {
    // Flooding is sized for fresh inputs at the largest fan-in: no more noise than that.
    if (protection == ResponseProtection::kFlooding) return protocol::kFreshNoiseHalves * he::kMaxFanIn;
    const double switched_room = he::switched_noise_room_log2(context, rounding(context), response_error_bits);
    return he::input_noise_room(context, he::rerandomized_product_room_log2(context, switched_room));
}

protocol::HeLayout HomConfig::layout() const {
    const auto context = he::HeContext::create(params, he::HeKernel::kScalar);
    const he::ResponseCodec codec(context, rounding(*context));
    protocol::HeLayout layout{.n = static_cast<std::int64_t>(params.n()), .prime_bits = {},
                              .flooding = protection == ResponseProtection::kFlooding, .max_fan_in = he::kMaxFanIn,
                              .response_c0_bits = codec.c0_bits(), .response_c1_bits = codec.c1_bits(),
                              .conv_packing = conv_packing,
                              .input_noise_room = input_noise_room(*context),
                              .response_error_bits = response_error_bits};
    for (const std::uint64_t prime : params.primes()) layout.prime_bits.push_back(std::bit_width(prime));
    return layout;
}

HomClient::HomClient(std::shared_ptr<const he::HeContext> context, const HomConfig& config, const RingConfig& ring,
                     const he::SecretKey& sk, int threads)
    : context_(std::move(context)),
      layout_(config.layout()),
      ring_(ring),
      threads_(threads),
      encryptor_(context_, sk),
      decryptor_(context_, sk),
      codec_(context_, config.rounding(*context_)) {}

HomClient HomClient::setup(const HomConfig& config, const RingConfig& ring, net::Channel& channel, he::Prng& prng,
                           int threads) {
    check_ring(config, ring);
    auto context = he::HeContext::create(config.params);
    const he::KeyGenerator keygen(context);
    const he::SecretKey sk = keygen.secret_key(prng);
    const he::PublicKey pk = keygen.public_key(sk, prng);
    channel.send(he::serialize(pk.ciphertext(), *context));
    channel.flush();
    return HomClient(std::move(context), config, ring, sk, threads);
}

void HomClient::send_inputs(std::span<const he::Plaintext> polys, int drop_bits, net::Channel& channel,
                             he::Prng& prng) const {
    const he::InputCodec codec(context_, drop_bits);
    std::vector<std::byte> message = codec.header(polys.size());
    const std::size_t header = message.size();
    const std::size_t part = codec.size(1) - header;
    message.resize(codec.size(polys.size()));
    const auto encode = [&](std::size_t k, he::Prng& source) {
        codec.encode(encryptor_.encrypt(polys[k], source), std::span(message).subspan(header + k * part, part));
    };
    if (threads_ <= 1) {
        for (std::size_t k = 0; k < polys.size(); ++k) encode(k, prng);
    } else {
        // One generator per ciphertext, seeded in order, so workers never share a stream.
        std::vector<he::Seed> seeds(polys.size());
        for (he::Seed& seed : seeds) seed = prng.next_seed();
        parallel_for(threads_, polys.size(), [&](std::size_t k) {
            he::Prng own(seeds[k]);
            encode(k, own);
        });
    }
    channel.send(message);
    channel.flush();
}

std::vector<he::Plaintext> HomClient::receive_outputs(const he::ReadPositions& positions,
                                                      net::Channel& channel) const {
    const std::vector<std::byte> message = channel.recv();
    const std::vector<he::Ciphertext> cts = codec_.decode(message, positions);
    std::vector<he::Plaintext> out(cts.size());
    parallel_for(threads_, cts.size(), [&](std::size_t k) { out[k] = decryptor_.decrypt(cts[k]); });
    return out;
}

HomServer::HomServer(std::shared_ptr<const he::HeContext> context, const HomConfig& config, const RingConfig& ring,
                     const he::PublicKey& pk, int threads)
    : context_(std::move(context)),
      layout_(config.layout()),
      ring_(ring),
      threads_(threads),
      evaluator_(context_),
      protection_(config.protection),
      rerandomizer_(context_, pk),
      codec_(context_, config.rounding(*context_)) {
    if (protection_ == ResponseProtection::kFlooding) {
        protector_ = std::make_unique<he::ResponseProtector>(context_, pk);
    }
}

HomServer HomServer::setup(const HomConfig& config, const RingConfig& ring, net::Channel& channel, int threads) {
    check_ring(config, ring);
    auto context = he::HeContext::create(config.params);
    const std::vector<std::byte> message = channel.recv();
    he::Ciphertext key = he::deserialize_ciphertext(message, *context);
    SNNIPRED_CHECK(key.primes() == context->max_primes() && key.seed().has_value(), InvalidInput,
                   "engine/he: the public key must be a seeded full-modulus ciphertext");
    return HomServer(context, config, ring, he::PublicKey(std::move(key)), threads);
}

he::NttPlaintext HomServer::prepare(std::span<const std::int64_t> coeffs) const {
    SNNIPRED_CHECK(coeffs.size() == n(), InvalidInput, "engine/he: a weight polynomial needs N coefficients");
    const std::int64_t bound = std::int64_t{1} << he::weight_bits(*context_);
    he::Plaintext pt{std::vector<std::uint64_t>(n())};
    for (std::size_t j = 0; j < n(); ++j) {
        SNNIPRED_CHECK(coeffs[j] >= -bound && coeffs[j] <= bound, InvalidInput,
                       "engine/he: a weight of " + std::to_string(coeffs[j]) + " is beyond the public bound 2^" +
                           std::to_string(he::weight_bits(*context_)) + " that the noise budget assumes");
        pt.coeffs[j] = ring_.from_signed(coeffs[j]);
    }
    return evaluator_.prepare(pt);
}

std::vector<he::Ciphertext> HomServer::receive_inputs(std::span<const he::Plaintext> own_share, int drop_bits,
                                                      net::Channel& channel) const {
    const std::vector<std::byte> message = channel.recv();
    std::vector<he::Ciphertext> cts = he::InputCodec(context_, drop_bits).decode(message, own_share.size(), threads_);
    parallel_for(threads_, cts.size(), [&](std::size_t k) { evaluator_.add_plain(cts[k], own_share[k]); });
    return cts;
}

he::Plaintext HomServer::mask_and_protect(he::Ciphertext& ct, he::Prng& prng) const {
    SNNIPRED_CHECK(ct.n() == n() && ct.primes() == context_->max_primes(), InvalidInput,
                   "engine/he: a result must be at the full modulus");
    const std::uint64_t mask = ring_.mask();
    // The mask covers every coefficient, not only those the client reads: the others hold
    // partial sums that would leak the weights. Their c0 is no longer sent (response_wire.h),
    // so this is a second line of defence, kept because it costs N random words.
    he::Plaintext r{std::vector<std::uint64_t>(n())};
    he::Plaintext minus_r{std::vector<std::uint64_t>(n())};
    for (std::size_t j = 0; j < n(); ++j) {
        r.coeffs[j] = prng.next_u64() & mask;
        minus_r.coeffs[j] = (0 - r.coeffs[j]) & mask;
    }
    evaluator_.add_plain(ct, r);
    if (protector_) {
        protector_->protect(ct, prng);
    } else {
        evaluator_.add(ct, rerandomizer_.encrypt_zero(prng));
    }
    evaluator_.mod_switch_to(ct, 1);
    return minus_r;
}

std::vector<he::Plaintext> HomServer::send_outputs(std::vector<he::Ciphertext>& results,
                                                   const he::ReadPositions& positions, net::Channel& channel,
                                                   he::Prng& prng) const {
    std::vector<he::Plaintext> shares(results.size());
    if (threads_ <= 1) {
        for (std::size_t k = 0; k < results.size(); ++k) shares[k] = mask_and_protect(results[k], prng);
    } else {
        // One generator per response, seeded in order, so workers never share a stream.
        std::vector<he::Seed> seeds(results.size());
        for (he::Seed& seed : seeds) seed = prng.next_seed();
        parallel_for(threads_, results.size(), [&](std::size_t k) {
            he::Prng own(seeds[k]);
            shares[k] = mask_and_protect(results[k], own);
        });
    }
    channel.send(codec_.encode(results, positions));
    channel.flush();
    return shares;
}

void HomServer::multiply_accumulate(he::Ciphertext& acc, const he::Ciphertext& input,
                                    const he::NttPlaintext& weight) const {
    if (acc.n() == 0) {
        acc = he::Ciphertext(he::RnsPoly(input.n(), input.primes()), he::RnsPoly(input.n(), input.primes()), true);
    }
    SNNIPRED_CHECK(input.ntt_form() && acc.ntt_form() && input.primes() == acc.primes() && input.n() == acc.n() &&
                       weight.value().primes() >= input.primes() && weight.value().n() == input.n(),
                   InvalidInput, "engine/he: multiply_accumulate needs NTT-form operands at one level");
    // Fused acc += input * w: the evaluator's multiply-then-add would copy the input
    // ciphertext (512 KiB at N = 8192) for every product.
    const std::span<const he::Modulus> moduli = context_->moduli();
    const he::HeKernel kernel = context_->kernel();
    he::multiply_accumulate_inplace(acc.mutable_c0(), input.c0(), weight.value(), weight.shoup(), moduli, kernel);
    he::multiply_accumulate_inplace(acc.mutable_c1(), input.c1(), weight.value(), weight.shoup(), moduli, kernel);
}

}  // namespace snnipred::engine
