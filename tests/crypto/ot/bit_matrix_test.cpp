#include "snnipred/crypto/ot/bit_matrix.h"

#include <gtest/gtest.h>

#include <vector>

#include "snnipred/core/error.h"
#include "snnipred/crypto/ot/prg.h"

namespace snnipred::crypto::ot {
namespace {

class Transpose : public ::testing::TestWithParam<std::size_t> {};

TEST_P(Transpose, MatchesNaive) {
    const std::size_t n = GetParam();
    Prg prg(Block{n, 11});
    std::vector<std::uint8_t> rows(128 * bit_row_bytes(n));
    prg.random_bytes(rows);
    std::vector<Block> fast(n);
    std::vector<Block> naive(n);
    transpose_128xn(rows, n, fast);
    transpose_128xn_naive(rows, n, naive);
    EXPECT_EQ(fast, naive);
    for (const int threads : {2, 3}) {
        std::vector<Block> parallel(n);
        transpose_128xn(rows, n, parallel, threads);
        EXPECT_EQ(parallel, naive) << threads << " threads";
    }
}

INSTANTIATE_TEST_SUITE_P(Sizes, Transpose, ::testing::Values(1, 7, 8, 9, 127, 128, 1000, 16384, 16387));

TEST(TransposeNaive, FollowsTheDefinition) {
    // Row i has exactly bit (i + 3) set: column j then has exactly bit j − 3 set.
    const std::size_t n = 200;
    std::vector<std::uint8_t> rows(128 * bit_row_bytes(n));
    for (std::size_t i = 0; i < 128; ++i) rows[i * bit_row_bytes(n) + (i + 3) / 8] |= 1U << ((i + 3) % 8);
    std::vector<Block> columns(n);
    transpose_128xn(rows, n, columns);
    for (std::size_t j = 0; j < n; ++j) {
        Block expected;
        if (j >= 3 && j < 131) expected = j - 3 < 64 ? Block{1ULL << (j - 3), 0} : Block{0, 1ULL << (j - 67)};
        ASSERT_EQ(columns[j], expected) << j;
    }
}

TEST(Transpose, RejectsMismatchedSizes) {
    std::vector<std::uint8_t> rows(128 * 2);
    std::vector<Block> columns(16);
    EXPECT_NO_THROW(transpose_128xn(rows, 16, columns));
    EXPECT_THROW(transpose_128xn(rows, 17, columns), InvalidInput);
    std::vector<Block> too_few(15);
    EXPECT_THROW(transpose_128xn(rows, 16, too_few), InvalidInput);
}

}  // namespace
}  // namespace snnipred::crypto::ot
