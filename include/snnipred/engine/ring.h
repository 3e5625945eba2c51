#pragma once
// Fixed-point values in the ring Z_{2^ell} and their additive secret shares: the common
// currency of every layer protocol and of the plaintext reference executor.

#include <cstdint>
#include <vector>

#include "snnipred/core/error.h"

namespace snnipred::engine {

/// Ring Z_{2^bits} holding fixed-point numbers with `scale` fractional bits
/// (Cheetah's experiments: 41 bits, scale 12).
struct RingConfig {
    int bits = 41;
    int scale = 12;

    std::uint64_t mask() const { return bits == 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << bits) - 1; }
    std::uint64_t reduce(std::uint64_t x) const { return x & mask(); }
    /// Two's-complement reading of a ring element as a signed integer.
    std::int64_t to_signed(std::uint64_t x) const {
        x = reduce(x);
        const std::uint64_t half = std::uint64_t{1} << (bits - 1);
        return x >= half ? static_cast<std::int64_t>(x) - static_cast<std::int64_t>(mask()) - 1
                         : static_cast<std::int64_t>(x);
    }
    std::uint64_t from_signed(std::int64_t v) const { return reduce(static_cast<std::uint64_t>(v)); }
    /// Throws ConfigError unless 2 <= scale < bits <= 64.
    void validate() const {
        SNNIPRED_CHECK(bits >= 8 && bits <= 64 && scale >= 0 && scale < bits - 2, ConfigError,
                       "ring of " + std::to_string(bits) + " bits with scale " + std::to_string(scale) +
                           " is not usable (need 8 <= bits <= 64, 0 <= scale < bits - 2)");
    }
};

/// One party's additive share of a tensor: the value is the sum of both parties'
/// shares mod 2^bits, element by element (CHW order, batch 1).
using ShareVector = std::vector<std::uint64_t>;

}  // namespace snnipred::engine
