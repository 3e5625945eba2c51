#include "snnipred/crypto/ot/crhash.h"

#include <gtest/gtest.h>

#include <set>
#include <utility>
#include <vector>

#include "snnipred/core/error.h"
#include "snnipred/crypto/ot/prg.h"

namespace snnipred::crypto::ot {
namespace {

std::vector<Block> random_blocks(std::size_t n, std::uint64_t seed) {
    Prg prg(Block{seed, 0});
    std::vector<Block> blocks(n);
    prg.random_blocks(blocks);
    return blocks;
}

Block pi(CrHash& hash, Block x) {
    hash.permute({&x, 1});
    return x;
}

// FIPS-197 Appendix C.1: π under a given key is AES-128, whichever path (VAES or OpenSSL)
// this CPU takes, for batches that exercise the 16-block loop and the single-block tail.
TEST(CrHash, KeyedPermutationIsAes128) {
    std::array<std::uint8_t, 16> key{};
    std::array<std::uint8_t, 16> plain{};
    for (std::uint8_t i = 0; i < 16; ++i) {
        key[i] = i;
        plain[i] = static_cast<std::uint8_t>(0x11 * i);
    }
    const std::array<std::uint8_t, 16> cipher = {0x69, 0xc4, 0xe0, 0xd8, 0x6a, 0x7b, 0x04, 0x30,
                                                 0xd8, 0xcd, 0xb7, 0x80, 0x70, 0xb4, 0xc5, 0x5a};
    CrHash aes(Block::from_bytes(key.data()));
    for (const std::size_t n : {1U, 15U, 16U, 37U}) {
        std::vector<Block> blocks(n, Block::from_bytes(plain.data()));
        aes.permute(blocks);
        for (const Block& b : blocks) ASSERT_EQ(b, Block::from_bytes(cipher.data())) << n;
    }
}

TEST(CrHash, CcrIsMmoOfSigma) {
    CrHash hash;
    for (const Block& x : random_blocks(50, 1)) {
        const Block sigma{x.hi, x.hi ^ x.lo};  // (x_L ⊕ x_R) ‖ x_L, x_L = high half
        EXPECT_EQ(hash.ccr(x), pi(hash, sigma) ^ sigma);
    }
}

TEST(CrHash, TccrIsTmmo) {
    CrHash hash;
    for (const Block& x : random_blocks(50, 2)) {
        const Block tweak{77, 5};
        EXPECT_EQ(hash.tccr(x, tweak), pi(hash, pi(hash, x) ^ tweak) ^ pi(hash, x));
    }
}

TEST(CrHash, BatchedMatchesSingleAcrossBatchBoundaries) {
    CrHash hash;
    const std::vector<Block> inputs = random_blocks(2500, 3);
    std::vector<Block> ccr = inputs;
    std::vector<Block> tccr = inputs;
    hash.ccr(ccr);
    hash.tccr(tccr, 1000);
    std::vector<Block> tweaks(inputs.size());
    for (std::size_t j = 0; j < inputs.size(); ++j) tweaks[j] = Block{1000 + j, 0};
    std::vector<Block> explicit_tweaks = inputs;
    hash.tccr(explicit_tweaks, tweaks);
    for (std::size_t j = 0; j < inputs.size(); ++j) {
        ASSERT_EQ(ccr[j], hash.ccr(inputs[j])) << j;
        ASSERT_EQ(tccr[j], hash.tccr(inputs[j], Block{1000 + j, 0})) << j;
    }
    EXPECT_EQ(explicit_tweaks, tccr);
}

TEST(CrHash, TweaksSeparateEqualInputs) {
    CrHash hash;
    const Block x{42, 42};
    std::set<std::pair<std::uint64_t, std::uint64_t>> outputs;
    for (std::uint64_t i = 0; i < 100; ++i) {
        const Block h = hash.tccr(x, Block{i, 0});
        outputs.insert({h.lo, h.hi});
    }
    EXPECT_EQ(outputs.size(), 100U);
    EXPECT_NE(hash.ccr(x), x);
}

TEST(CrHash, TwoInstancesAgree) {
    CrHash a;
    CrHash b;
    const Block x{3, 4};
    EXPECT_EQ(a.tccr(x, Block{9, 0}), b.tccr(x, Block{9, 0}));
    std::vector<Block> blocks(3);
    std::vector<Block> tweaks(2);
    EXPECT_THROW(a.tccr(blocks, tweaks), InvalidInput);
}

}  // namespace
}  // namespace snnipred::crypto::ot
