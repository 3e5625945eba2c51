#include "snnipred/crypto/he/encryptor.h"

#include <cstdio>

#include <gtest/gtest.h>

#include "he_test_util.h"
#include "snnipred/core/error.h"
#include "snnipred/crypto/he/decryptor.h"
#include "snnipred/crypto/he/noise_bound.h"

namespace snnipred::crypto::he {
namespace {

class EncryptorTest : public ::testing::TestWithParam<int> {
protected:
    std::shared_ptr<const HeContext> context() const {
        return GetParam() == 4096 ? testing::cheetah_context() : testing::n8192_context();
    }
};

TEST_P(EncryptorTest, DecryptsRandomPlaintextsWithFreshNoise) {
    const auto ctx = context();
    Prng prng = testing::seeded_prng(10);
    const SecretKey sk = KeyGenerator(ctx).secret_key(prng);
    const Encryptor encryptor(ctx, sk);
    const Decryptor decryptor(ctx, sk);
    for (int k = 0; k < 3; ++k) {
        const Plaintext m = testing::random_plaintext(*ctx, prng);
        const Ciphertext ct = encryptor.encrypt(m, prng);
        EXPECT_TRUE(ct.ntt_form());
        EXPECT_TRUE(ct.seed().has_value());
        EXPECT_EQ(decryptor.decrypt(ct), m);
        const NoiseReport noise = decryptor.noise(ct);
        EXPECT_LE(noise.noise_bits, fresh_noise_bound_log2());
        if (k == 0) std::printf("[ N=%d ] fresh encryption: noise 2^%.2f, budget %.2f bits\n", GetParam(),
                                noise.noise_bits, noise.budget_bits);
    }
    // Extremes of Z_t.
    Plaintext edge{std::vector<std::uint64_t>(ctx->n(), ctx->plain_mask())};
    edge.coeffs[0] = 0;
    edge.coeffs[1] = std::uint64_t{1} << (ctx->plain_bits() - 1);
    EXPECT_EQ(decryptor.decrypt(encryptor.encrypt(edge)), edge);
}

TEST_P(EncryptorTest, PublicKeyEncryptionOfZeroStaysWithinItsBound) {
    const auto ctx = context();
    Prng prng = testing::seeded_prng(11);
    const KeyGenerator keygen(ctx);
    const SecretKey sk = keygen.secret_key(prng);
    const PublicEncryptor public_encryptor(ctx, keygen.public_key(sk, prng));
    const Ciphertext zero = public_encryptor.encrypt_zero(prng);
    EXPECT_FALSE(zero.ntt_form());
    EXPECT_FALSE(zero.seed().has_value());
    const Decryptor decryptor(ctx, sk);
    EXPECT_EQ(decryptor.decrypt(zero), Plaintext{std::vector<std::uint64_t>(ctx->n(), 0)});
    EXPECT_LE(decryptor.noise(zero).noise_bits, public_zero_noise_bound_log2(ctx->n()));
}

INSTANTIATE_TEST_SUITE_P(ParameterSets, EncryptorTest, ::testing::Values(4096, 8192));

TEST(Encryptor, SeedDeterminesTheCiphertextAndFreshSeedsDiffer) {
    const auto ctx = testing::cheetah_context();
    Prng key_prng = testing::seeded_prng(12);
    const Encryptor encryptor(ctx, KeyGenerator(ctx).secret_key(key_prng));
    const Plaintext m = testing::random_plaintext(*ctx, key_prng);
    Prng a = testing::seeded_prng(13), b = testing::seeded_prng(13);
    const Ciphertext x = encryptor.encrypt(m, a), y = encryptor.encrypt(m, b);
    EXPECT_EQ(x.c0(), y.c0());
    EXPECT_EQ(x.c1(), y.c1());
    const Ciphertext z = encryptor.encrypt(m), w = encryptor.encrypt(m);
    EXPECT_NE(z.c1(), w.c1());
    EXPECT_NE(z.c0(), w.c0());
}

TEST(Encryptor, RejectsBadPlaintexts) {
    const auto ctx = testing::cheetah_context();
    const Encryptor encryptor(ctx, KeyGenerator(ctx).secret_key());
    EXPECT_THROW(encryptor.encrypt(Plaintext{std::vector<std::uint64_t>(100, 0)}), InvalidInput);
    Plaintext big{std::vector<std::uint64_t>(ctx->n(), 0)};
    big.coeffs[5] = ctx->plain_mask() + 1;
    EXPECT_THROW(encryptor.encrypt(big), InvalidInput);
}

}  // namespace
}  // namespace snnipred::crypto::he
