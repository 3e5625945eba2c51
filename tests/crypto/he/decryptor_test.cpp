#include "snnipred/crypto/he/decryptor.h"

#include <gtest/gtest.h>

#include "he_test_util.h"
#include "snnipred/core/error.h"
#include "snnipred/crypto/he/encryptor.h"
#include "snnipred/crypto/he/evaluator.h"

namespace snnipred::crypto::he {
namespace {

TEST(Decryptor, EveryLevelAndFormDecrypts) {
    const auto ctx = testing::n8192_context();
    Prng prng = testing::seeded_prng(60);
    const SecretKey sk = KeyGenerator(ctx).secret_key(prng);
    const Decryptor decryptor(ctx, sk);
    const Evaluator evaluator(ctx);
    const Plaintext m = testing::random_plaintext(*ctx, prng);
    Ciphertext ct = Encryptor(ctx, sk).encrypt(m, prng);
    for (std::size_t level = ctx->max_primes(); level >= 1; --level) {
        evaluator.mod_switch_to(ct, level);
        EXPECT_EQ(decryptor.decrypt(ct), m);
        Ciphertext ntt = ct;
        evaluator.to_ntt(ntt);
        EXPECT_EQ(decryptor.decrypt(ntt), m);
        EXPECT_NEAR(decryptor.noise(ntt).noise_bits, decryptor.noise(ct).noise_bits, 1e-9);
    }
}

TEST(Decryptor, WrongKeyOrShapeFails) {
    const auto ctx = testing::cheetah_context();
    Prng prng = testing::seeded_prng(61);
    const KeyGenerator keygen(ctx);
    const SecretKey sk = keygen.secret_key(prng), other = keygen.secret_key(prng);
    const Plaintext m = testing::random_plaintext(*ctx, prng);
    const Ciphertext ct = Encryptor(ctx, sk).encrypt(m, prng);
    EXPECT_NE(Decryptor(ctx, other).decrypt(ct), m);
    EXPECT_NEAR(Decryptor(ctx, other).noise(ct).budget_bits, 0, 1.5);  // noise is uniform
    const Ciphertext malformed(RnsPoly(ctx->n(), 3), RnsPoly(ctx->n(), 3), false);
    EXPECT_THROW(Decryptor(ctx, sk).decrypt(malformed), InvalidInput);
    const Ciphertext empty;
    EXPECT_THROW(Decryptor(ctx, sk).decrypt(empty), InvalidInput);
}

}  // namespace
}  // namespace snnipred::crypto::he
