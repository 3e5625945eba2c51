#include "snnipred/crypto/he/ciphertext.h"

#include <gtest/gtest.h>

#include "he_test_util.h"
#include "snnipred/core/error.h"
#include "snnipred/crypto/he/decryptor.h"
#include "snnipred/crypto/he/encryptor.h"
#include "snnipred/crypto/he/evaluator.h"

namespace snnipred::crypto::he {
namespace {

class CiphertextTest : public ::testing::Test {
protected:
    std::shared_ptr<const HeContext> ctx = testing::cheetah_context();
    Prng prng = testing::seeded_prng(30);
    SecretKey sk = KeyGenerator(ctx).secret_key(prng);
    Encryptor encryptor{ctx, sk};
    Decryptor decryptor{ctx, sk};
    Evaluator evaluator{ctx};
    Plaintext m = testing::random_plaintext(*ctx, prng);
};

TEST_F(CiphertextTest, SeededRoundTripHalvesTheUpload) {
    const Ciphertext ct = encryptor.encrypt(m, prng);
    const auto bytes = serialize(ct, *ctx);
    EXPECT_EQ(bytes.size(), serialized_size(*ctx, 2, true));
    EXPECT_EQ(bytes.size(), 11u + 4096 * 109 / 8 + 32);
    const Ciphertext back = deserialize_ciphertext(bytes, *ctx);
    EXPECT_EQ(back.c0(), ct.c0());
    EXPECT_EQ(back.c1(), ct.c1());
    EXPECT_EQ(decryptor.decrypt(back), m);
}

TEST_F(CiphertextTest, FullAndSwitchedRoundTrips) {
    Ciphertext ct = encryptor.encrypt(m, prng);
    evaluator.from_ntt(ct);  // c1 changed: no seed any more
    auto bytes = serialize(ct, *ctx);
    EXPECT_EQ(bytes.size(), serialized_size(*ctx, 2, false));
    Ciphertext back = deserialize_ciphertext(bytes, *ctx);
    EXPECT_EQ(back.c1(), ct.c1());
    EXPECT_FALSE(back.ntt_form());
    evaluator.mod_switch_to(ct, 1);
    bytes = serialize(ct, *ctx);
    EXPECT_EQ(bytes.size(), 11u + 2 * 4096 * 60 / 8);
    back = deserialize_ciphertext(bytes, *ctx);
    EXPECT_EQ(back.primes(), 1u);
    EXPECT_EQ(decryptor.decrypt(back), m);
}

TEST_F(CiphertextTest, MalformedBytesAreRejected) {
    const auto good = serialize(encryptor.encrypt(m, prng), *ctx);
    auto bytes = good;
    const auto expect_invalid = [&](std::vector<std::byte> b) {
        EXPECT_THROW(deserialize_ciphertext(b, *ctx), InvalidInput);
    };
    expect_invalid({});
    expect_invalid(std::vector<std::byte>(good.begin(), good.begin() + 10));  // inside the header
    expect_invalid(std::vector<std::byte>(good.begin(), good.end() - 1));     // truncated seed
    bytes.push_back(std::byte{0});
    expect_invalid(bytes);  // trailing byte
    bytes = good;
    bytes[0] = std::byte{'X'};
    expect_invalid(bytes);  // magic
    bytes = good;
    bytes[4] = std::byte{2};
    expect_invalid(bytes);  // version
    bytes = good;
    bytes[5] = std::byte{0x7};
    expect_invalid(bytes);  // unknown flag
    bytes = good;
    bytes[7] = std::byte{0x20};
    expect_invalid(bytes);  // N = 8192 with N = 4096 parameters
    bytes = good;
    bytes[10] = std::byte{1};
    expect_invalid(bytes);  // seeded but not at the full modulus
    bytes = good;
    bytes[10] = std::byte{3};
    expect_invalid(bytes);  // level beyond the chain
    bytes = good;
    for (int i = 0; i < 8; ++i) bytes[11 + i] = std::byte{0xff};  // residue 2^60 - 1 >= q_0
    expect_invalid(bytes);
    // (Rows of N >= 1024 residues always fill whole bytes, so there is no padding to corrupt.)
    // Parameters mismatch: a ciphertext from the other parameter set.
    EXPECT_THROW(deserialize_ciphertext(good, *testing::n8192_context()), InvalidInput);
}

}  // namespace
}  // namespace snnipred::crypto::he
