#pragma once
// Internal: the OT flavours' hashing on several threads. A CrHash holds an OpenSSL
// context that one thread at a time may use, so each extra worker gets its own (the
// permutation is the same fixed-key AES, so the outputs are too).

#include <cstddef>
#include <span>

#include "snnipred/core/parallel.h"
#include "snnipred/crypto/ot/crhash.h"

namespace snnipred::crypto::ot::detail {

/// body(hash, begin, end) over chunks of [0, count): with threads <= 1 one call with
/// `hash` on the calling thread, otherwise one per worker with a CrHash of its own.
template <typename Body>
void hashed_chunks(int threads, CrHash& hash, std::size_t count, Body&& body) {
    if (threads <= 1) {
        body(hash, std::size_t{0}, count);
        return;
    }
    parallel_chunks(threads, count, [&](std::size_t begin, std::size_t end) {
        CrHash own;
        body(own, begin, end);
    });
}

/// x_j ← tccr(x_j, first_tweak + j), split over `threads` workers.
inline void tccr_parallel(int threads, CrHash& hash, std::span<Block> blocks, std::uint64_t first_tweak) {
    hashed_chunks(threads, hash, blocks.size(), [&](CrHash& h, std::size_t begin, std::size_t end) {
        h.tccr(blocks.subspan(begin, end - begin), first_tweak + begin);
    });
}

/// x_j ← tccr(x_j, tweaks[j]), split over `threads` workers.
inline void tccr_parallel(int threads, CrHash& hash, std::span<Block> blocks, std::span<const Block> tweaks) {
    hashed_chunks(threads, hash, blocks.size(), [&](CrHash& h, std::size_t begin, std::size_t end) {
        h.tccr(blocks.subspan(begin, end - begin), tweaks.subspan(begin, end - begin));
    });
}

}  // namespace snnipred::crypto::ot::detail
