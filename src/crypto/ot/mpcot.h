#pragma once
// Internal: the regular-noise multi-point COT of Ferret (Yang et al., CCS 2020, §4), the
// semi-honest variant. The output of n = trees·block positions is cut into `trees` blocks;
// in each the receiver picks one noise position α uniformly, and one GGM single-point COT
// gives the sender v (all leaves of a tree) and the receiver w = v ⊕ e_α·Δ on the block.
//
// Per tree of depth h = ceil(log2 block) the receiver learns K_ℓ^{1-α_ℓ} for each level by
// a 1-out-of-2 OT made from one COT of the reserve: it sends d_ℓ = r_ℓ ⊕ ¬α_ℓ (its random
// COT bit r_ℓ derandomised), the sender answers M_ℓ^c = K_ℓ^c ⊕ H(q_ℓ ⊕ (c ⊕ d_ℓ)·Δ) with H
// = CrHash::tccr, and the receiver unmasks M_ℓ^{¬α_ℓ} with H(t_ℓ). One more block per tree,
// Δ ⊕ (the XOR of the sender's leaves), gives the receiver w_α = v_α ⊕ Δ. Leaves past
// `block` (when it is not a power of two) are computed by both and dropped.
//
// Ferret's consistency check against a malicious receiver is omitted: the model is
// semi-honest (docs/SECURITY.md). Wire: receiver → sender ceil(trees·h/8) bytes, then
// sender → receiver trees·(2h+1)·16 bytes; one round trip. Hash tweaks are the OT's index
// in the session (`first_tweak` onwards) in a domain of their own, so they never repeat.

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "ggm_tree.h"
#include "snnipred/crypto/ot/block.h"
#include "snnipred/crypto/ot/crhash.h"
#include "snnipred/crypto/ot/prg.h"
#include "snnipred/net/channel.h"

namespace snnipred::crypto::ot::detail {

/// ceil(log2 block): the depth of the GGM tree that covers one block (block ≥ 2).
int ggm_depth(std::size_t block);

/// What both sides hold: the shape, the GGM tree, the OT hash and one tree of scratch leaves.
struct MpcotShape {
    /// Throws ConfigError unless trees ≥ 1 and 2 ≤ block ≤ 2^kMaxGgmDepth.
    MpcotShape(std::size_t trees, std::size_t block);

    /// Reserve COTs one run consumes: trees·depth.
    std::size_t reserve_needed() const { return trees * static_cast<std::size_t>(tree.depth()); }

    std::size_t trees;
    std::size_t block;
    GgmTree tree;
    CrHash hash;
    std::vector<Block> leaves;
};

class MpcotSender {
public:
    /// As MpcotShape's.
    MpcotSender(std::size_t trees, std::size_t block);

    std::size_t reserve_needed() const { return shape_.reserve_needed(); }

    /// Writes v (trees·block blocks) to `out`, consuming the sender's side `reserve` of
    /// reserve_needed() COTs under `delta`. Throws InvalidInput on sizes, NetworkError.
    void send(net::Channel& channel, Prg& prg, const Block& delta, std::span<const Block> reserve,
              std::uint64_t first_tweak, std::span<Block> out);

private:
    MpcotShape shape_;
    std::vector<std::array<Block, 2>> sums_;
};

class MpcotReceiver {
public:
    /// As MpcotShape's.
    MpcotReceiver(std::size_t trees, std::size_t block);

    std::size_t reserve_needed() const { return shape_.reserve_needed(); }

    /// Writes w to `out` and the noise e (one 1 per block, else 0) to `noise`, consuming the
    /// receiver's side (bits, t) of reserve_needed() COTs. Throws InvalidInput on sizes,
    /// NetworkError.
    void receive(net::Channel& channel, Prg& prg, std::span<const std::uint8_t> reserve_bits,
                 std::span<const Block> reserve, std::uint64_t first_tweak, std::span<Block> out,
                 std::span<std::uint8_t> noise);

private:
    MpcotShape shape_;
    std::vector<Block> sibling_sums_;
};

}  // namespace snnipred::crypto::ot::detail
