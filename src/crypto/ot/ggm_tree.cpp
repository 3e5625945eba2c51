#include "ggm_tree.h"

#include <algorithm>
#include <string>

#include "snnipred/core/error.h"

namespace snnipred::crypto::ot::detail {
namespace {

// XOR of the nodes of one parity (0: even, 1: odd) among nodes[0, width).
Block parity_sum(std::span<const Block> nodes, std::size_t width, std::size_t parity) {
    Block sum;
    for (std::size_t i = parity; i < width; i += 2) sum ^= nodes[i];
    return sum;
}

}  // namespace

GgmTree::GgmTree(int depth) : depth_(depth), left_(kGgmLeftKey), right_(kGgmRightKey) {
    SNNIPRED_CHECK(depth >= 1 && depth <= kMaxGgmDepth, ConfigError,
                   "GGM tree: depth must be in [1, " + std::to_string(kMaxGgmDepth) + "], got " +
                       std::to_string(depth));
    scratch_.resize(leaves());
}

void GgmTree::expand_level(std::span<Block> nodes, std::size_t width) {
    // π_0 and π_1 of the whole level in two batched AES calls: AES-NI pipelines them.
    const std::span<Block> left(scratch_.data(), width);
    const std::span<Block> right(scratch_.data() + width, width);
    std::copy_n(nodes.begin(), width, left.begin());
    std::copy_n(nodes.begin(), width, right.begin());
    left_.permute(left);
    right_.permute(right);
    // Downwards, so node i is read before children 2i, 2i+1 overwrite it.
    for (std::size_t i = width; i-- > 0;) {
        const Block x = nodes[i];
        nodes[2 * i] = left[i] ^ x;
        nodes[2 * i + 1] = right[i] ^ x;
    }
}

void GgmTree::expand(const Block& root, std::span<Block> leaves, std::span<std::array<Block, 2>> sums) {
    SNNIPRED_CHECK(leaves.size() == this->leaves() && sums.size() == static_cast<std::size_t>(depth_), InvalidInput,
                   "GGM tree: expand needs 2^depth leaves and depth sums");
    leaves[0] = root;
    for (int level = 1; level <= depth_; ++level) {
        const std::size_t width = std::size_t{1} << level;
        expand_level(leaves, width / 2);
        sums[level - 1] = {parity_sum(leaves, width, 0), parity_sum(leaves, width, 1)};
    }
}

void GgmTree::puncture(std::size_t alpha, std::span<const Block> sibling_sums, std::span<Block> leaves) {
    SNNIPRED_CHECK(leaves.size() == this->leaves() && sibling_sums.size() == static_cast<std::size_t>(depth_),
                   InvalidInput, "GGM tree: puncture needs 2^depth leaves and depth sums");
    SNNIPRED_CHECK(alpha < this->leaves(), InvalidInput, "GGM tree: punctured leaf out of range");
    // Level 0 is the unknown root; the zero on the path expands into garbage that the
    // sibling reconstruction below overwrites (sibling) or zeroes (path node).
    leaves[0] = Block{};
    for (int level = 1; level <= depth_; ++level) {
        const std::size_t width = std::size_t{1} << level;
        expand_level(leaves, width / 2);
        const std::size_t on_path = alpha >> (depth_ - level);
        const std::size_t sibling = on_path ^ 1U;
        leaves[sibling] = Block{};
        leaves[on_path] = Block{};
        // K_ℓ^{1-α_ℓ} XOR every other node of the sibling's parity is the sibling.
        leaves[sibling] = sibling_sums[level - 1] ^ parity_sum(leaves, width, sibling & 1U);
    }
}

}  // namespace snnipred::crypto::ot::detail
