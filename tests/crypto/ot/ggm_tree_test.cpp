#include "../../../src/crypto/ot/ggm_tree.h"

#include <gtest/gtest.h>

#include <array>
#include <vector>

#include "snnipred/core/error.h"
#include "snnipred/crypto/ot/crhash.h"
#include "snnipred/crypto/ot/prg.h"

namespace snnipred::crypto::ot::detail {
namespace {

// The tree computed node by node from its definition, G(x) = (π_0(x) ⊕ x, π_1(x) ⊕ x).
std::vector<Block> plain_leaves(const Block& root, int depth) {
    CrHash left(kGgmLeftKey);
    CrHash right(kGgmRightKey);
    std::vector<Block> level = {root};
    for (int l = 0; l < depth; ++l) {
        std::vector<Block> next;
        for (const Block& x : level) {
            Block a = x;
            Block b = x;
            left.permute({&a, 1});
            right.permute({&b, 1});
            next.push_back(a ^ x);
            next.push_back(b ^ x);
        }
        level = next;
    }
    return level;
}

TEST(GgmTree, ExpandMatchesTheDefinitionAndItsLevelSums) {
    constexpr int kDepth = 6;
    GgmTree tree(kDepth);
    const Block root{0x1234, 0x5678};
    std::vector<Block> leaves(tree.leaves());
    std::vector<std::array<Block, 2>> sums(kDepth);
    tree.expand(root, leaves, sums);
    EXPECT_EQ(leaves, plain_leaves(root, kDepth));
    // The last level's sums are over the leaves themselves.
    std::array<Block, 2> last{};
    for (std::size_t j = 0; j < leaves.size(); ++j) last[j % 2] ^= leaves[j];
    EXPECT_EQ(sums.back(), last);
}

TEST(GgmTree, PunctureRebuildsEveryLeafButAlpha) {
    for (const int depth : {1, 2, 5, 9}) {
        GgmTree tree(depth);
        std::vector<Block> leaves(tree.leaves());
        std::vector<std::array<Block, 2>> sums(static_cast<std::size_t>(depth));
        tree.expand(Prg(Block{static_cast<std::uint64_t>(depth), 1}).random_block(), leaves, sums);
        for (const std::size_t alpha : {std::size_t{0}, tree.leaves() / 3, tree.leaves() - 1}) {
            std::vector<Block> siblings(static_cast<std::size_t>(depth));
            for (int l = 0; l < depth; ++l) {
                const bool bit = ((alpha >> (depth - 1 - l)) & 1U) != 0;
                siblings[static_cast<std::size_t>(l)] = sums[static_cast<std::size_t>(l)][bit ? 0 : 1];
            }
            std::vector<Block> punctured(tree.leaves());
            tree.puncture(alpha, siblings, punctured);
            for (std::size_t j = 0; j < leaves.size(); ++j) {
                if (j == alpha) {
                    EXPECT_EQ(punctured[j], Block{}) << depth << " " << alpha;
                } else {
                    ASSERT_EQ(punctured[j], leaves[j]) << depth << " " << alpha << " " << j;
                }
            }
        }
    }
}

TEST(GgmTree, ChecksDepthAndSizes) {
    EXPECT_THROW(GgmTree(0), ConfigError);
    EXPECT_THROW(GgmTree(kMaxGgmDepth + 1), ConfigError);
    GgmTree tree(3);
    std::vector<Block> leaves(7);
    std::vector<std::array<Block, 2>> sums(3);
    EXPECT_THROW(tree.expand(Block{}, leaves, sums), InvalidInput);
    std::vector<Block> eight(8);
    std::vector<Block> siblings(3);
    EXPECT_THROW(tree.puncture(8, siblings, eight), InvalidInput);
}

}  // namespace
}  // namespace snnipred::crypto::ot::detail
