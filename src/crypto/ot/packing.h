#pragma once
// Internal: packing choice bits and l-bit ring elements for the wire (bit j of the
// stream is bit j%8 of byte j/8; values are concatenated least significant bit first).

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "snnipred/core/error.h"

namespace snnipred::crypto::ot::detail {

/// Packs 0/1 bytes into `out` (ceil(n/8) bytes, zero-padded).
inline void pack_bits(std::span<const std::uint8_t> bits, std::span<std::uint8_t> out) {
    std::fill(out.begin(), out.end(), std::uint8_t{0});
    for (std::size_t j = 0; j < bits.size(); ++j) out[j / 8] |= static_cast<std::uint8_t>(bits[j] << (j % 8));
}

inline void unpack_bits(std::span<const std::uint8_t> packed, std::span<std::uint8_t> bits) {
    for (std::size_t j = 0; j < bits.size(); ++j) bits[j] = (packed[j / 8] >> (j % 8)) & 1U;
}

/// Throws InvalidInput unless every entry is 0 or 1.
inline void check_bits(std::span<const std::uint8_t> bits, const char* what) {
    for (const std::uint8_t bit : bits)
        SNNIPRED_CHECK(bit <= 1, InvalidInput, std::string(what) + ": choice bits must be 0 or 1");
}

constexpr std::size_t packed_value_bytes(std::size_t n, int bits) {
    return (n * static_cast<std::size_t>(bits) + 7) / 8;
}

constexpr std::uint64_t ring_mask(int bits) { return bits == 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << bits) - 1; }

/// Packs the low `bits` bits of each value.
inline std::vector<std::uint8_t> pack_values(std::span<const std::uint64_t> values, int bits) {
    std::vector<std::uint8_t> out(packed_value_bytes(values.size(), bits));
    std::size_t position = 0;
    for (const std::uint64_t value : values) {
        const std::uint64_t v = value & ring_mask(bits);
        for (int done = 0; done < bits;) {
            const std::size_t byte = position / 8;
            const int shift = static_cast<int>(position % 8);
            const int take = std::min(8 - shift, bits - done);
            out[byte] |= static_cast<std::uint8_t>(((v >> done) & ((1U << take) - 1)) << shift);
            done += take;
            position += static_cast<std::size_t>(take);
        }
    }
    return out;
}

inline void unpack_values(std::span<const std::uint8_t> packed, int bits, std::span<std::uint64_t> values) {
    std::size_t position = 0;
    for (auto& value : values) {
        std::uint64_t v = 0;
        for (int done = 0; done < bits;) {
            const std::size_t byte = position / 8;
            const int shift = static_cast<int>(position % 8);
            const int take = std::min(8 - shift, bits - done);
            v |= static_cast<std::uint64_t>((packed[byte] >> shift) & ((1U << take) - 1)) << done;
            done += take;
            position += static_cast<std::size_t>(take);
        }
        value = v;
    }
}

}  // namespace snnipred::crypto::ot::detail
