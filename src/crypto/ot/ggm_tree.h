#pragma once
// Internal: the GGM tree (Goldreich, Goldwasser, Micali) behind the silent OT's
// single-point COTs. A root seed expands level by level through the length-doubling PRG
// G(x) = (π_0(x) ⊕ x, π_1(x) ⊕ x), π_0, π_1 two fixed-key AES permutations (secure in the
// ideal-permutation model, as Ferret's implementation assumes; Guo et al., S&P 2020). At
// level ℓ the sender XORs the even and the odd nodes into K_ℓ^0, K_ℓ^1; a receiver given
// K_ℓ^{1-α_ℓ} for every level (α_ℓ the ℓ-th bit of α, most significant first) rebuilds every
// leaf but leaf α, and learns nothing about that one.

#include <array>
#include <cstddef>
#include <span>
#include <vector>

#include "snnipred/crypto/ot/block.h"
#include "snnipred/crypto/ot/crhash.h"

namespace snnipred::crypto::ot::detail {

/// Largest tree depth: 2^20 leaves of 16 bytes each is already 16 MiB of scratch.
constexpr int kMaxGgmDepth = 20;

/// The keys of π_0 and π_1: the 128 bits of π's fractional part after those of CrHash's
/// default key, then the next 128 (public constants, nothing up the sleeve).
constexpr Block kGgmLeftKey{0xd0319f29223809a4ULL, 0x896c4eec98fa2e08ULL};
constexpr Block kGgmRightKey{0x7713d038e6212845ULL, 0x6c0ce934cf6654beULL};

class GgmTree {
public:
    /// Trees of 2^depth leaves, 1 ≤ depth ≤ kMaxGgmDepth. Throws ConfigError otherwise.
    explicit GgmTree(int depth);

    int depth() const { return depth_; }
    std::size_t leaves() const { return std::size_t{1} << depth_; }

    /// Sender: expands `root` into leaves() blocks in `leaves`; sums[ℓ-1] = {K_ℓ^0, K_ℓ^1}.
    /// Throws InvalidInput on sizes other than leaves() and depth().
    void expand(const Block& root, std::span<Block> leaves, std::span<std::array<Block, 2>> sums);

    /// Receiver: from sibling_sums[ℓ-1] = K_ℓ^{1-α_ℓ}, writes every leaf but leaf `alpha` (which
    /// is set to zero). Throws InvalidInput on sizes other than leaves() and depth(), or alpha
    /// out of range.
    void puncture(std::size_t alpha, std::span<const Block> sibling_sums, std::span<Block> leaves);

private:
    /// nodes[0, width) is one level; overwrites nodes[0, 2·width) with the next.
    void expand_level(std::span<Block> nodes, std::size_t width);

    int depth_;
    CrHash left_;
    CrHash right_;
    std::vector<Block> scratch_;
};

}  // namespace snnipred::crypto::ot::detail
