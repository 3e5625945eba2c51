#include "snnipred/crypto/he/evaluator.h"

#include <cmath>
#include <cstdio>

#include <gtest/gtest.h>

#include "he_test_util.h"
#include "snnipred/core/error.h"
#include "snnipred/crypto/he/decryptor.h"
#include "snnipred/crypto/he/encryptor.h"
#include "snnipred/crypto/he/noise_bound.h"

namespace snnipred::crypto::he {
namespace {

// Measured budgets must clear this; the worst-case analysis for the engine's largest
// products leaves 6.5 bits at N = 4096 (docs/he-parameters.md).
constexpr double kMarginBits = 5;

using testing::Party;

Plaintext add_mod(const Plaintext& a, const Plaintext& b, std::uint64_t mask, bool subtract = false) {
    Plaintext out = a;
    for (std::size_t j = 0; j < a.coeffs.size(); ++j) {
        out.coeffs[j] = (subtract ? a.coeffs[j] - b.coeffs[j] : a.coeffs[j] + b.coeffs[j]) & mask;
    }
    return out;
}

TEST(Evaluator, AddAndSubtractPlaintextsAndCiphertexts) {
    Party p(testing::cheetah_context(), 20);
    const std::uint64_t mask = p.ctx->plain_mask();
    const Plaintext m = testing::random_plaintext(*p.ctx, p.prng), r = testing::random_plaintext(*p.ctx, p.prng);
    Ciphertext ct = p.encryptor.encrypt(m, p.prng);
    p.evaluator.add_plain(ct, r);
    EXPECT_EQ(p.decryptor.decrypt(ct), add_mod(m, r, mask));
    p.evaluator.sub_plain(ct, r);
    p.evaluator.sub_plain(ct, r);
    EXPECT_EQ(p.decryptor.decrypt(ct), add_mod(m, r, mask, true));
    // Ciphertext sums, with the operands in different forms.
    Ciphertext other = p.encryptor.encrypt(r, p.prng);
    p.evaluator.from_ntt(other);
    EXPECT_FALSE(other.seed().has_value());
    p.evaluator.add(ct, other);
    EXPECT_EQ(p.decryptor.decrypt(ct), m);
    p.evaluator.from_ntt(ct);
    p.evaluator.add_plain(ct, r);
    EXPECT_EQ(p.decryptor.decrypt(ct), add_mod(m, r, mask));
    Ciphertext low = p.encryptor.encrypt(m, p.prng);
    p.evaluator.mod_switch_to_next(low);
    EXPECT_THROW(p.evaluator.add(ct, low), InvalidInput);
    EXPECT_THROW(p.evaluator.mod_switch_to_next(low), InvalidInput);
}

// The engine's worst case: kMaxFanIn = 2^16 weight coefficients meet every output
// coefficient (16 full products at N = 4096), each weight at the public bound 2^28, every
// input a uniform element of Z_{2^41}; then the server subtracts its share and switches
// down to the first prime. Checked against the plaintext twin.
TEST(Evaluator, MultiplyPlainAtTheEngineWorstCase) {
    Party p(testing::cheetah_context(), 21);
    const std::uint64_t mask = p.ctx->plain_mask();
    const std::size_t products = kMaxFanIn / p.ctx->n();
    Plaintext expected{std::vector<std::uint64_t>(p.ctx->n(), 0)};
    Ciphertext acc;
    for (std::size_t k = 0; k < products; ++k) {
        const Plaintext x = testing::random_plaintext(*p.ctx, p.prng);
        const Plaintext w = testing::bounded_extreme_plaintext(*p.ctx, p.prng);
        Ciphertext ct = p.encryptor.encrypt(x, p.prng);
        p.evaluator.multiply_plain(ct, p.evaluator.prepare(w));
        if (k == 0) {
            acc = std::move(ct);
        } else {
            p.evaluator.add(acc, ct);
        }
        expected = add_mod(expected, testing::negacyclic_product(x, w, mask), mask);
    }
    const Plaintext share = testing::random_plaintext(*p.ctx, p.prng);
    p.evaluator.sub_plain(acc, share);
    expected = add_mod(expected, share, mask, true);
    ASSERT_EQ(p.decryptor.decrypt(acc), expected);
    const NoiseReport full = p.decryptor.noise(acc);
    std::printf("[ N=4096 ] %zu products of 2^%d weights: noise 2^%.2f (bound 2^%.2f), budget %.2f bits\n", products,
                weight_bits(*p.ctx), full.noise_bits, product_noise_bound_log2(*p.ctx, kMaxFanIn), full.budget_bits);
    EXPECT_LE(full.noise_bits, product_noise_bound_log2(*p.ctx, kMaxFanIn));
    EXPECT_GT(full.budget_bits, kMarginBits);

    p.evaluator.mod_switch_to(acc, 1);
    ASSERT_EQ(p.decryptor.decrypt(acc), expected);
    const NoiseReport switched = p.decryptor.noise(acc);
    std::printf("[ N=4096 ] after switching to the 60-bit prime: noise 2^%.2f, budget %.2f bits\n",
                switched.noise_bits, switched.budget_bits);
    EXPECT_GT(switched.budget_bits, kMarginBits);
}

// Lifts a signed 128-bit value into every residue of coefficient j of c0 (coefficient form).
void add_to_c0(const HeContext& ctx, Ciphertext& ct, std::size_t j, u128 magnitude, bool negative) {
    for (std::size_t i = 0; i < ct.primes(); ++i) {
        const Modulus& q = ctx.moduli()[i];
        std::uint64_t& c = ct.mutable_c0().row(i)[j];
        c = negative ? q.sub(c, q.reduce128(magnitude)) : q.add(c, q.reduce128(magnitude));
    }
}

// The analytic worst case cannot be sampled, so it is injected: every noise coefficient set
// to +-(the product bound). Decryption must hold at the full modulus and after switching.
TEST(Evaluator, DecryptsWithNoiseAtTheWorstCaseBound) {
    Party p(testing::cheetah_context(), 22);
    const Plaintext m = testing::random_plaintext(*p.ctx, p.prng);
    Ciphertext ct = p.encryptor.encrypt(m, p.prng);
    p.evaluator.from_ntt(ct);
    const auto bound = static_cast<u128>(std::exp2(product_noise_bound_log2(*p.ctx, kMaxFanIn)));
    for (std::size_t j = 0; j < p.ctx->n(); ++j) add_to_c0(*p.ctx, ct, j, bound, j % 2 == 1);
    EXPECT_EQ(p.decryptor.decrypt(ct), m);
    const NoiseReport report = p.decryptor.noise(ct);
    std::printf("[ N=4096 ] injected worst case 2^%.2f: budget %.2f bits\n", report.noise_bits, report.budget_bits);
    EXPECT_GT(report.budget_bits, kMarginBits);
    Ciphertext switched = ct;
    p.evaluator.mod_switch_to(switched, 1);
    EXPECT_EQ(p.decryptor.decrypt(switched), m);
    EXPECT_GT(p.decryptor.noise(switched).budget_bits, kMarginBits);

    // Just past Q / (2t) the decryption must fail: the budget measurement is not vacuous.
    const double limit = p.ctx->level(2).log2_q - p.ctx->plain_bits() - 1;
    const auto beyond = static_cast<u128>(std::exp2(limit) * 1.01);
    add_to_c0(*p.ctx, ct, 0, beyond, false);
    EXPECT_NE(p.decryptor.decrypt(ct).coeffs[0], m.coeffs[0]);
}

TEST(Evaluator, ModulusSwitchingThroughEveryLevel) {
    Party p(testing::n8192_context(), 23);
    const std::uint64_t mask = p.ctx->plain_mask();
    const Plaintext x = testing::random_plaintext(*p.ctx, p.prng);
    const Plaintext w = testing::extreme_plaintext(*p.ctx, p.prng);
    Ciphertext ct = p.encryptor.encrypt(x, p.prng);
    p.evaluator.multiply_plain(ct, p.evaluator.prepare(w));
    const Plaintext expected = testing::negacyclic_product(x, w, mask);
    for (std::size_t level = p.ctx->max_primes(); level >= 1; --level) {
        p.evaluator.mod_switch_to(ct, level);
        EXPECT_EQ(ct.primes(), level);
        ASSERT_EQ(p.decryptor.decrypt(ct), expected) << "at " << level << " primes";
        const NoiseReport report = p.decryptor.noise(ct);
        std::printf("[ N=8192 ] one product of 2^40 weights at %zu primes (log q %.1f): noise 2^%.2f, budget %.2f bits\n",
                    level, p.ctx->level(level).log2_q, report.noise_bits, report.budget_bits);
        EXPECT_GT(report.budget_bits, kMarginBits);
    }
    EXPECT_THROW(p.evaluator.mod_switch_to(ct, 2), InvalidInput);
}

}  // namespace
}  // namespace snnipred::crypto::he
