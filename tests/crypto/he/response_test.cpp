#include "snnipred/crypto/he/response.h"

#include <cstdio>

#include <gtest/gtest.h>

#include "he_test_util.h"
#include "snnipred/core/error.h"
#include "snnipred/crypto/he/decryptor.h"
#include "snnipred/crypto/he/encryptor.h"
#include "snnipred/crypto/he/evaluator.h"

namespace snnipred::crypto::he {
namespace {

Plaintext combine(const Plaintext& a, const Plaintext& b, std::uint64_t mask, bool subtract) {
    Plaintext out = a;
    for (std::size_t j = 0; j < a.coeffs.size(); ++j) {
        out.coeffs[j] = (subtract ? a.coeffs[j] - b.coeffs[j] : a.coeffs[j] + b.coeffs[j]) & mask;
    }
    return out;
}

// The full server response of a linear layer at N = 8192 and the engine's worst case
// (fan-in 2^16: 8 products of weights at the public bound 2^28): multiply, mask with the output share,
// re-randomize, flood, switch to the first prime, serialize; the client decrypts the twin.
TEST(ResponseProtector, ProtectedWorstCaseResponseDecrypts) {
    const auto ctx = testing::n8192_context();
    Prng client_prng = testing::seeded_prng(40);
    Prng server_prng = testing::seeded_prng(41);
    const KeyGenerator keygen(ctx);
    const SecretKey sk = keygen.secret_key(client_prng);
    const PublicKey pk = keygen.public_key(sk, client_prng);
    const Encryptor encryptor(ctx, sk);
    const Decryptor decryptor(ctx, sk);
    const Evaluator evaluator(ctx);
    // The public key crosses the wire in seeded form.
    const PublicKey server_pk(deserialize_ciphertext(serialize(pk.ciphertext(), *ctx), *ctx));
    const ResponseProtector protector(ctx, server_pk);
    std::printf("[ N=8192 ] flooding with 2^%d uniform noise; protected noise bound 2^%.2f\n", protector.flood_bits(),
                protector.protected_noise_bound_log2());

    const std::uint64_t mask = ctx->plain_mask();
    Plaintext expected{std::vector<std::uint64_t>(ctx->n(), 0)};
    Ciphertext acc;
    for (std::size_t k = 0; k < kMaxFanIn / ctx->n(); ++k) {
        const Plaintext x = testing::random_plaintext(*ctx, client_prng);
        const Plaintext w = testing::bounded_extreme_plaintext(*ctx, server_prng);
        Ciphertext ct = deserialize_ciphertext(serialize(encryptor.encrypt(x, client_prng), *ctx), *ctx);
        evaluator.multiply_plain(ct, evaluator.prepare(w));
        if (k == 0) {
            acc = std::move(ct);
        } else {
            evaluator.add(acc, ct);
        }
        expected = combine(expected, testing::negacyclic_product(x, w, mask), mask, false);
    }
    const Plaintext share = testing::random_plaintext(*ctx, server_prng);
    evaluator.sub_plain(acc, share);
    expected = combine(expected, share, mask, true);
    const Ciphertext unprotected = acc;
    protector.protect(acc, server_prng);
    EXPECT_NE(acc.c1(), unprotected.c1());

    ASSERT_EQ(decryptor.decrypt(acc), expected);
    const NoiseReport flooded = decryptor.noise(acc);
    std::printf("[ N=8192 ] protected response: noise 2^%.2f, budget %.2f bits\n", flooded.noise_bits,
                flooded.budget_bits);
    // The flooding dominates: the noise sits just below 2^b (uniform on [-2^b, 2^b)).
    EXPECT_GT(flooded.noise_bits, protector.flood_bits() - 1);
    EXPECT_LE(flooded.noise_bits, protector.protected_noise_bound_log2());
    EXPECT_GT(flooded.budget_bits, 40);

    evaluator.mod_switch_to(acc, 1);
    const auto wire = serialize(acc, *ctx);
    std::printf("[ N=8192 ] response after switching to one 60-bit prime: %zu bytes\n", wire.size());
    const Ciphertext received = deserialize_ciphertext(wire, *ctx);
    ASSERT_EQ(decryptor.decrypt(received), expected);
    const NoiseReport switched = decryptor.noise(received);
    std::printf("[ N=8192 ] switched response: noise 2^%.2f, budget %.2f bits\n", switched.noise_bits,
                switched.budget_bits);
    EXPECT_GT(switched.budget_bits, 5);
}

TEST(ResponseProtector, RefusesParametersTooSmallToFlood) {
    const auto ctx = testing::cheetah_context();
    Prng prng = testing::seeded_prng(42);
    const KeyGenerator keygen(ctx);
    const PublicKey pk = keygen.public_key(keygen.secret_key(prng), prng);
    // 2^112 of flooding against a 2^67 budget; even a fan-in of 1 needs 2^97.
    EXPECT_THROW(ResponseProtector(ctx, pk), ConfigError);
    EXPECT_THROW(ResponseProtector(ctx, pk, 1), ConfigError);
}

TEST(ResponseProtector, RejectsSwitchedCiphertexts) {
    const auto ctx = testing::n8192_context();
    Prng prng = testing::seeded_prng(43);
    const KeyGenerator keygen(ctx);
    const SecretKey sk = keygen.secret_key(prng);
    const ResponseProtector protector(ctx, keygen.public_key(sk, prng));
    Ciphertext ct = Encryptor(ctx, sk).encrypt_zero(prng);
    Evaluator(ctx).mod_switch_to_next(ct);
    EXPECT_THROW(protector.protect(ct, prng), InvalidInput);
}

}  // namespace
}  // namespace snnipred::crypto::he
