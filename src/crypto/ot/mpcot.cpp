#include "mpcot.h"

#include <algorithm>
#include <bit>
#include <string>

#include "packing.h"
#include "snnipred/core/error.h"
#include "wire.h"

namespace snnipred::crypto::ot::detail {
namespace {

// hi = 1 keeps these tweaks apart from the OT flavours' (hi = 0, ot.h).
constexpr std::uint64_t kGgmTweakDomain = 1;

std::size_t checked_block(std::size_t trees, std::size_t block) {
    SNNIPRED_CHECK(trees >= 1 && block >= 2 && block <= (std::size_t{1} << kMaxGgmDepth), ConfigError,
                   "multi-point COT: need at least one tree and 2 ≤ block ≤ 2^" + std::to_string(kMaxGgmDepth) +
                       ", got " + std::to_string(trees) + " trees of " + std::to_string(block));
    return block;
}

// The reserve COTs hashed under their tweaks: H(x_i, first_tweak + i).
std::vector<Block> hashed(CrHash& hash, std::span<const Block> x, std::uint64_t first_tweak, const Block& offset) {
    std::vector<Block> out(x.size());
    std::vector<Block> tweaks(x.size());
    for (std::size_t i = 0; i < x.size(); ++i) {
        out[i] = x[i] ^ offset;
        tweaks[i] = Block{first_tweak + i, kGgmTweakDomain};
    }
    hash.tccr(out, tweaks);
    return out;
}

// Bit ℓ (0-based, most significant first) of a leaf index in a tree of `depth` levels.
bool path_bit(std::size_t alpha, int depth, int level) { return ((alpha >> (depth - 1 - level)) & 1U) != 0; }

Block xor_all(std::span<const Block> blocks) {
    Block sum;
    for (const Block& b : blocks) sum ^= b;
    return sum;
}

void check_sizes(bool ok, const char* what) {
    SNNIPRED_CHECK(ok, InvalidInput, std::string("multi-point COT: ") + what);
}

}  // namespace

int ggm_depth(std::size_t block) { return static_cast<int>(std::bit_width(block - 1)); }

MpcotShape::MpcotShape(std::size_t trees, std::size_t block)
    : trees(trees), block(checked_block(trees, block)), tree(ggm_depth(block)), leaves(tree.leaves()) {}

MpcotSender::MpcotSender(std::size_t trees, std::size_t block)
    : shape_(trees, block), sums_(static_cast<std::size_t>(shape_.tree.depth())) {}

void MpcotSender::send(net::Channel& channel, Prg& prg, const Block& delta, std::span<const Block> reserve,
                       std::uint64_t first_tweak, std::span<Block> out) {
    check_sizes(reserve.size() == reserve_needed() && out.size() == shape_.trees * shape_.block,
                "the sender's reserve or output has the wrong size");
    const auto depth = static_cast<std::size_t>(shape_.tree.depth());
    const std::vector<std::uint8_t> packed =
        recv_message(channel, (reserve_needed() + 7) / 8, "silent OT: GGM choice bits");
    std::vector<std::uint8_t> flips(reserve_needed());
    unpack_bits(packed, flips);
    const std::vector<Block> h0 = hashed(shape_.hash, reserve, first_tweak, Block{});
    const std::vector<Block> h1 = hashed(shape_.hash, reserve, first_tweak, delta);

    std::vector<Block> message(shape_.trees * (2 * depth + 1));
    for (std::size_t tree = 0; tree < shape_.trees; ++tree) {
        shape_.tree.expand(prg.random_block(), shape_.leaves, sums_);
        const std::span<Block> v = out.subspan(tree * shape_.block, shape_.block);
        std::copy_n(shape_.leaves.begin(), shape_.block, v.begin());
        Block* m = message.data() + tree * (2 * depth + 1);
        for (std::size_t level = 0; level < depth; ++level) {
            const std::size_t i = tree * depth + level;
            // M^c = K^c ⊕ H(q ⊕ (c ⊕ d)·Δ): the receiver holds H(q ⊕ r·Δ) with r = d ⊕ ¬α.
            for (std::size_t c = 0; c < 2; ++c) m[2 * level + c] = sums_[level][c] ^ ((c ^ flips[i]) ? h1[i] : h0[i]);
        }
        m[2 * depth] = delta ^ xor_all(v);
    }
    send_message(channel, bytes_of(message));
}

MpcotReceiver::MpcotReceiver(std::size_t trees, std::size_t block)
    : shape_(trees, block), sibling_sums_(static_cast<std::size_t>(shape_.tree.depth())) {}

void MpcotReceiver::receive(net::Channel& channel, Prg& prg, std::span<const std::uint8_t> reserve_bits,
                            std::span<const Block> reserve, std::uint64_t first_tweak, std::span<Block> out,
                            std::span<std::uint8_t> noise) {
    check_sizes(reserve.size() == reserve_needed() && reserve_bits.size() == reserve_needed() &&
                    out.size() == shape_.trees * shape_.block && noise.size() == out.size(),
                "the receiver's reserve, output or noise has the wrong size");
    const int depth = shape_.tree.depth();
    std::vector<std::size_t> alphas(shape_.trees);
    std::vector<std::uint8_t> flips(reserve_needed());
    for (std::size_t tree = 0; tree < shape_.trees; ++tree) {
        // Uniform in [0, block) up to a statistical distance of block/2^64.
        alphas[tree] = static_cast<std::size_t>(prg.random_u64() % shape_.block);
        for (int level = 0; level < depth; ++level) {
            const std::size_t i = tree * static_cast<std::size_t>(depth) + static_cast<std::size_t>(level);
            flips[i] = reserve_bits[i] ^ static_cast<std::uint8_t>(!path_bit(alphas[tree], depth, level));
        }
    }
    std::vector<std::uint8_t> packed((flips.size() + 7) / 8);
    pack_bits(flips, packed);
    send_message(channel, packed);
    const std::vector<Block> h = hashed(shape_.hash, reserve, first_tweak, Block{});

    const std::size_t per_tree = 2 * static_cast<std::size_t>(depth) + 1;
    const std::vector<std::uint8_t> bytes =
        recv_message(channel, shape_.trees * per_tree * sizeof(Block), "silent OT: GGM level sums");
    std::fill(noise.begin(), noise.end(), std::uint8_t{0});
    for (std::size_t tree = 0; tree < shape_.trees; ++tree) {
        const std::size_t alpha = alphas[tree];
        const std::uint8_t* m = bytes.data() + tree * per_tree * sizeof(Block);
        for (int level = 0; level < depth; ++level) {
            const std::size_t i = tree * static_cast<std::size_t>(depth) + static_cast<std::size_t>(level);
            const std::size_t wanted = 2 * static_cast<std::size_t>(level) + (path_bit(alpha, depth, level) ? 0 : 1);
            sibling_sums_[static_cast<std::size_t>(level)] = Block::from_bytes(m + wanted * sizeof(Block)) ^ h[i];
        }
        shape_.tree.puncture(alpha, sibling_sums_, shape_.leaves);
        const std::span<Block> w = out.subspan(tree * shape_.block, shape_.block);
        std::copy_n(shape_.leaves.begin(), shape_.block, w.begin());
        // Leaf α was zeroed: Δ ⊕ (XOR of v) ⊕ (XOR of the other leaves) = v_α ⊕ Δ.
        w[alpha] = Block::from_bytes(m + (per_tree - 1) * sizeof(Block)) ^ xor_all(w);
        noise[tree * shape_.block + alpha] = 1;
    }
}

}  // namespace snnipred::crypto::ot::detail
