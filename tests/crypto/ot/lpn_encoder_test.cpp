#include "../../../src/crypto/ot/lpn_encoder.h"

#include <gtest/gtest.h>

#include <vector>

#include "snnipred/core/error.h"
#include "snnipred/crypto/ot/prg.h"

namespace snnipred::crypto::ot::detail {
namespace {

// The dense k × n matrix over GF(2) that the columns describe (a repeated row cancels).
std::vector<std::vector<std::uint8_t>> dense_matrix(LpnEncoder& code) {
    std::vector<std::vector<std::uint8_t>> a(code.k(), std::vector<std::uint8_t>(code.n()));
    for (std::size_t j = 0; j < code.n(); ++j)
        for (const std::uint32_t row : code.column(j)) a[row][j] ^= 1U;
    return a;
}

TEST(LpnEncoder, EncodeIsThePlainMatrixProduct) {
    // n not a multiple of the AES batch, so the last batch is partial.
    constexpr std::size_t kN = 1300;
    constexpr std::size_t kK = 97;
    LpnEncoder code(kN, kK, Block{7, 9});
    const auto a = dense_matrix(code);
    Prg prg(Block{3, 3});
    std::vector<Block> secret(kK);
    std::vector<std::uint8_t> secret_bits(kK);
    std::vector<Block> out(kN);
    std::vector<std::uint8_t> out_bits(kN);
    prg.random_blocks(secret);
    prg.random_bits(secret_bits);
    prg.random_blocks(out);
    prg.random_bits(out_bits);
    std::vector<Block> expected = out;
    std::vector<std::uint8_t> expected_bits = out_bits;
    for (std::size_t j = 0; j < kN; ++j)
        for (std::size_t i = 0; i < kK; ++i)
            if (a[i][j] != 0) {
                expected[j] ^= secret[i];
                expected_bits[j] ^= secret_bits[i];
            }
    std::vector<Block> blocks_only = out;
    code.encode(secret, blocks_only);
    code.encode(secret, secret_bits, out, out_bits);
    EXPECT_EQ(blocks_only, expected);
    EXPECT_EQ(out, expected);
    EXPECT_EQ(out_bits, expected_bits);
}

TEST(LpnEncoder, EqualSeedsGiveEqualCodesAndRowsCoverTheSecret) {
    LpnEncoder a(5000, 300, Block{1, 2});
    LpnEncoder b(5000, 300, Block{1, 2});
    LpnEncoder c(5000, 300, Block{1, 3});
    EXPECT_EQ(a.column(4321), b.column(4321));
    EXPECT_NE(a.column(4321), c.column(4321));
    std::vector<int> hits(300);
    for (std::size_t j = 0; j < 5000; ++j)
        for (const std::uint32_t row : a.column(j)) ++hits[row];
    // 50,000 draws over 300 rows: ~167 each; every row is used.
    for (const int h : hits) EXPECT_GT(h, 80);
}

TEST(LpnEncoder, ChecksParametersAndSizes) {
    EXPECT_THROW(LpnEncoder(100, 9, Block{}), ConfigError);
    EXPECT_THROW(LpnEncoder(0, 100, Block{}), ConfigError);
    LpnEncoder code(100, 20, Block{});
    std::vector<Block> secret(19);
    std::vector<Block> out(100);
    EXPECT_THROW(code.encode(secret, out), InvalidInput);
    EXPECT_THROW(code.column(100), InvalidInput);
}

}  // namespace
}  // namespace snnipred::crypto::ot::detail
