#include "snnipred/crypto/ot/prg.h"

#include "snnipred/core/error.h"

#include <gtest/gtest.h>

#include <numeric>
#include <vector>

namespace snnipred::crypto::ot {
namespace {

std::vector<std::uint8_t> draw(Prg& prg, std::size_t n) {
    std::vector<std::uint8_t> out(n);
    prg.random_bytes(out);
    return out;
}

TEST(Prg, FixedSeedIsDeterministic) {
    Prg a(Block{1, 2});
    Prg b(Block{1, 2});
    EXPECT_EQ(draw(a, 1000), draw(b, 1000));
    EXPECT_EQ(a.random_block(), b.random_block());
}

TEST(Prg, DifferentSeedsDiffer) {
    Prg a(Block{1, 2});
    Prg b(Block{1, 3});
    EXPECT_NE(draw(a, 64), draw(b, 64));
    Prg os_a;
    Prg os_b;
    EXPECT_NE(os_a.random_block(), os_b.random_block());
}

TEST(Prg, StreamDoesNotDependOnRequestSizes) {
    Prg whole(Block{7, 7});
    Prg split(Block{7, 7});
    const std::vector<std::uint8_t> expected = draw(whole, 100);
    std::vector<std::uint8_t> got = draw(split, 3);
    for (std::size_t size : {13U, 16U, 68U}) {
        const auto part = draw(split, size);
        got.insert(got.end(), part.begin(), part.end());
    }
    EXPECT_EQ(got, expected);
}

TEST(Prg, ReseedRestartsTheStream) {
    Prg a(Block{5, 0});
    const auto first = draw(a, 48);
    draw(a, 10);
    a.reseed(Block{5, 0});
    EXPECT_EQ(draw(a, 48), first);
}

TEST(Prg, StreamIsAesCtrOfZero) {
    // AES-128 FIPS-197 Appendix C.1 key; counter block 0 (IV = 0) encrypted under it.
    const std::uint8_t key[16] = {0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07,
                                  0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f};
    Prg prg(Block::from_bytes(key));
    // AES-128_k(0^128) for k = 000102...0f.
    const std::vector<std::uint8_t> expected = {0xc6, 0xa1, 0x3b, 0x37, 0x87, 0x8f, 0x5b, 0x82,
                                                0x6f, 0x4f, 0x81, 0x62, 0xa1, 0xc8, 0xd8, 0x79};
    EXPECT_EQ(draw(prg, 16), expected);
}

TEST(Prg, BitsAreBitsAndBalanced) {
    Prg prg(Block{9, 9});
    std::vector<std::uint8_t> bits(100000);
    prg.random_bits(bits);
    for (const auto bit : bits) ASSERT_LE(bit, 1);
    const auto ones = std::accumulate(bits.begin(), bits.end(), std::size_t{0});
    EXPECT_NEAR(static_cast<double>(ones), 50000.0, 1000.0);  // > 6 standard deviations
}

TEST(Prg, MovedFromPrgThrows) {
    Prg a(Block{1, 1});
    Prg b = std::move(a);
    EXPECT_NO_THROW(b.random_block());
    EXPECT_THROW(a.random_block(), Error);  // NOLINT(bugprone-use-after-move)
}

}  // namespace
}  // namespace snnipred::crypto::ot
