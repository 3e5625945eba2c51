#pragma once
// Shared fixtures for the HE tests: contexts built once per parameter set, seeded
// generators, and the plaintext twin of a ring product (schoolbook negacyclic mod t).

#include <cstdint>
#include <memory>
#include <vector>

#include "snnipred/crypto/he/context.h"
#include "snnipred/crypto/he/decryptor.h"
#include "snnipred/crypto/he/encryptor.h"
#include "snnipred/crypto/he/evaluator.h"
#include "snnipred/crypto/he/keys.h"
#include "snnipred/crypto/he/noise_bound.h"
#include "snnipred/crypto/he/plaintext.h"
#include "snnipred/crypto/he/prng.h"

namespace snnipred::crypto::he::testing {

inline std::shared_ptr<const HeContext> cheetah_context() {
    static const auto context = HeContext::create(HeParams::cheetah_n4096());
    return context;
}

inline std::shared_ptr<const HeContext> n8192_context() {
    static const auto context = HeContext::create(HeParams::n8192());
    return context;
}

inline Prng seeded_prng(std::uint8_t tag) {
    Seed seed{};
    seed[0] = tag;
    return Prng(seed);
}

inline Plaintext random_plaintext(const HeContext& context, Prng& prng) {
    Plaintext pt{std::vector<std::uint64_t>(context.n())};
    for (auto& c : pt.coeffs) c = prng.next_u64() & context.plain_mask();
    return pt;
}

/// The largest weights the engine can hold: every coefficient of magnitude about t/2
/// (2^40 for t = 2^41), i.e. -t/2 or t/2 - 1 with random signs.
inline Plaintext extreme_plaintext(const HeContext& context, Prng& prng) {
    const std::uint64_t half = std::uint64_t{1} << (context.plain_bits() - 1);
    Plaintext pt{std::vector<std::uint64_t>(context.n())};
    for (auto& c : pt.coeffs) c = (prng.next_u64() & 1) ? half : half - 1;
    return pt;
}

/// The largest weights the engine accepts (crypto/he/noise_bound.h kMaxWeightBits): every
/// coefficient +-2^weight_bits with random signs.
inline Plaintext bounded_extreme_plaintext(const HeContext& context, Prng& prng) {
    const std::uint64_t bound = std::uint64_t{1} << weight_bits(context);
    Plaintext pt{std::vector<std::uint64_t>(context.n())};
    for (auto& c : pt.coeffs) c = (prng.next_u64() & 1) ? bound : (context.plain_mask() + 1 - bound);
    return pt;
}

/// a * b in Z_t[X]/(X^N + 1), schoolbook; t = 2^l so arithmetic wraps mod 2^64 then masks.
inline Plaintext negacyclic_product(const Plaintext& a, const Plaintext& b, std::uint64_t mask) {
    const std::size_t n = a.coeffs.size();
    std::vector<std::uint64_t> out(n, 0);
    for (std::size_t i = 0; i < n; ++i) {
        const std::uint64_t ai = a.coeffs[i];
        for (std::size_t j = 0; j < n - i; ++j) out[i + j] += ai * b.coeffs[j];
        for (std::size_t j = n - i; j < n; ++j) out[i + j - n] -= ai * b.coeffs[j];
    }
    for (auto& c : out) c &= mask;
    return Plaintext{std::move(out)};
}

/// A key owner with everything a test needs around one context: seeded generator, secret
/// key, encryptor, decryptor and an evaluator.
struct Party {
    std::shared_ptr<const HeContext> ctx;
    Prng prng;
    SecretKey sk;
    Encryptor encryptor;
    Decryptor decryptor;
    Evaluator evaluator;

    Party(std::shared_ptr<const HeContext> context, std::uint8_t tag)
        : ctx(std::move(context)),
          prng(seeded_prng(tag)),
          sk(KeyGenerator(ctx).secret_key(prng)),
          encryptor(ctx, sk),
          decryptor(ctx, sk),
          evaluator(ctx) {}
};

}  // namespace snnipred::crypto::he::testing
