#pragma once
// Internal: one-time pads from hashed OT outputs. A pad of up to 16 bytes is the hash
// output itself; a longer one is the AES-CTR stream seeded with it.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "snnipred/crypto/ot/block.h"
#include "snnipred/crypto/ot/prg.h"

namespace snnipred::crypto::ot::detail {

/// Tweaks of the 1-out-of-N PRF live above 2^63; OT indices never get there.
constexpr std::uint64_t kOneOfNTweakDomain = std::uint64_t{1} << 63;

class PadExpander {
public:
    /// target[0..size) ⊕= pad(seed).
    void xor_pad(const Block& seed, std::uint8_t* target, std::size_t size) {
        if (size <= sizeof(Block)) {
            const auto bytes = seed.bytes();
            for (std::size_t k = 0; k < size; ++k) target[k] ^= bytes[k];
            return;
        }
        prg_.reseed(seed);
        buffer_.resize(size);
        prg_.random_bytes(buffer_);
        for (std::size_t k = 0; k < size; ++k) target[k] ^= buffer_[k];
    }

private:
    Prg prg_{Block{}};
    std::vector<std::uint8_t> buffer_;
};

}  // namespace snnipred::crypto::ot::detail
