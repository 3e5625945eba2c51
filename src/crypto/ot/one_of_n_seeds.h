#pragma once
// Internal: the Naor–Pinkas step both 1-out-of-N OTs share (byte entries in ot_sender.cpp /
// ot_receiver.cpp, bit entries in one_of_n_bits.cpp). An instance of N = 2^m entries uses
// m chosen COTs whose hashed outputs are k_{i,0}, k_{i,1}; entry x is masked with
// seed_x = ⊕_i F(k_{i,x_i}, x), F(k, x) = tccr(k, domain + x) (a PRF in the key), so the
// receiver, who holds k_{i,c_i} only, can unmask entry c and no other.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "pad.h"
#include "parallel_hash.h"
#include "snnipred/crypto/ot/block.h"
#include "snnipred/crypto/ot/crhash.h"

namespace snnipred::crypto::ot::detail {

/// The sender's seeds of one instance: seeds[x] for x < seeds.size() = 2^m, from the m
/// keys zero[i], one[i]. `prf` is scratch of at least seeds.size() blocks.
inline void sender_seeds(CrHash& hash, std::span<const Block> zero, std::span<const Block> one,
                         std::span<Block> seeds, std::span<Block> prf) {
    std::fill(seeds.begin(), seeds.end(), Block{});
    const std::span<Block> evaluations = prf.first(seeds.size());
    for (std::size_t i = 0; i < zero.size(); ++i) {
        for (std::size_t x = 0; x < seeds.size(); ++x) evaluations[x] = ((x >> i) & 1U) ? one[i] : zero[i];
        hash.tccr(evaluations, kOneOfNTweakDomain);
        for (std::size_t x = 0; x < seeds.size(); ++x) seeds[x] ^= evaluations[x];
    }
}

/// The receiver's seed of each instance j: its keys are keys[first[j], first[j + 1]) (the
/// hashed chosen COTs, evaluated in place) and its choice choices[j].
inline std::vector<Block> receiver_seeds(int threads, CrHash& hash, std::span<Block> keys,
                                         std::span<const std::uint32_t> choices,
                                         std::span<const std::size_t> first) {
    std::vector<Block> tweaks(keys.size());
    for (std::size_t j = 0; j < choices.size(); ++j)
        for (std::size_t k = first[j]; k < first[j + 1]; ++k) tweaks[k] = Block{kOneOfNTweakDomain + choices[j], 0};
    tccr_parallel(threads, hash, keys, tweaks);
    std::vector<Block> seeds(choices.size());
    for (std::size_t j = 0; j < choices.size(); ++j)
        for (std::size_t k = first[j]; k < first[j + 1]; ++k) seeds[j] ^= keys[k];
    return seeds;
}

}  // namespace snnipred::crypto::ot::detail
