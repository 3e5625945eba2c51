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

/// Entries hashed per π batch by sender_seeds: enough to keep VAES busy, small enough for L1/L2.
constexpr std::size_t kSeedBatch = 2048;

/// The sender's seeds of instances [begin, end): instance j owns the hashed COTs
/// zero[first[j], first[j + 1]) and one[...] (m keys, 2^m seeds). Calls use(j, seeds of
/// j) for each j in order. Since F(k, x) = tccr(k, D + x) = π(π(k) ⊕ (D + x)) ⊕ π(k), π(k)
/// is computed once per key rather than once per entry (m·(2 + 2^m) AES calls per
/// instance instead of m·2^(m+1)), and the entries of many instances share one π batch.
/// Overwrites zero and one on [first[begin], first[end]) with their images under π.
template <typename Use>
void sender_seeds(CrHash& hash, std::span<Block> zero, std::span<Block> one, std::span<const std::size_t> first,
                  std::size_t begin, std::size_t end, Use&& use) {
    const std::size_t first_key = first[begin];
    hash.permute(zero.subspan(first_key, first[end] - first_key));
    hash.permute(one.subspan(first_key, first[end] - first_key));
    std::vector<Block> evaluations;
    std::vector<Block> seeds;
    auto entries_of = [&](std::size_t j) { return std::size_t{1} << (first[j + 1] - first[j]); };
    auto key_of = [&](std::size_t k, std::size_t x, std::size_t i) { return ((x >> i) & 1U) ? one[k] : zero[k]; };
    for (std::size_t batch_begin = begin; batch_begin < end;) {
        // A batch holds whole instances, at least one.
        std::size_t batch_end = batch_begin, size = 0;
        do {
            size += (first[batch_end + 1] - first[batch_end]) * entries_of(batch_end);
            ++batch_end;
        } while (batch_end < end && size + (first[batch_end + 1] - first[batch_end]) * entries_of(batch_end) <= kSeedBatch);
        evaluations.resize(size);
        std::size_t at = 0;
        for (std::size_t j = batch_begin; j < batch_end; ++j)
            for (std::size_t k = first[j]; k < first[j + 1]; ++k)
                for (std::size_t x = 0; x < entries_of(j); ++x)
                    evaluations[at++] = key_of(k, x, k - first[j]) ^ Block{kOneOfNTweakDomain + x, 0};
        hash.permute(evaluations);
        at = 0;
        for (std::size_t j = batch_begin; j < batch_end; ++j) {
            seeds.assign(entries_of(j), Block{});
            for (std::size_t k = first[j]; k < first[j + 1]; ++k)
                for (std::size_t x = 0; x < seeds.size(); ++x) seeds[x] ^= evaluations[at++] ^ key_of(k, x, k - first[j]);
            use(j, std::span<const Block>(seeds));
        }
        batch_begin = batch_end;
    }
}

/// The receiver's seed of each instance j: its keys are keys[first[j], first[j + 1]) (the
/// hashed chosen COTs, evaluated in place) and its choice choices[j]. `scratch` (one block
/// per key) holds the PRF's tweaks, then the seeds: the result is its first
/// choices.size() blocks.
inline std::span<const Block> receiver_seeds(int threads, CrHash& hash, std::span<Block> keys,
                                             std::span<const std::uint32_t> choices,
                                             std::span<const std::size_t> first, std::span<Block> scratch) {
    for (std::size_t j = 0; j < choices.size(); ++j)
        for (std::size_t k = first[j]; k < first[j + 1]; ++k) scratch[k] = Block{kOneOfNTweakDomain + choices[j], 0};
    tccr_parallel(threads, hash, keys, scratch.first(keys.size()));
    // The hash has consumed the tweaks: the seeds reuse their memory.
    for (std::size_t j = 0; j < choices.size(); ++j) {
        Block seed;
        for (std::size_t k = first[j]; k < first[j + 1]; ++k) seed ^= keys[k];
        scratch[j] = seed;
    }
    return scratch.first(choices.size());
}

}  // namespace snnipred::crypto::ot::detail
