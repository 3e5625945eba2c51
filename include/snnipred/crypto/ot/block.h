#pragma once
// A 128-bit block: the unit of OT keys, AES inputs and the IKNP correlation Δ.
// Bit i of a block is bit i%8 of its byte i/8 in memory (little-endian), which is how
// the bit-matrix transpose and the IKNP column index agree.

#include <array>
#include <bit>
#include <cstdint>
#include <cstring>
#include <span>

namespace snnipred::crypto::ot {

static_assert(std::endian::native == std::endian::little, "Block assumes a little-endian host");

struct alignas(16) Block {
    std::uint64_t lo = 0;
    std::uint64_t hi = 0;

    constexpr Block operator^(const Block& other) const { return {lo ^ other.lo, hi ^ other.hi}; }
    constexpr Block operator&(const Block& other) const { return {lo & other.lo, hi & other.hi}; }
    constexpr Block& operator^=(const Block& other) {
        lo ^= other.lo;
        hi ^= other.hi;
        return *this;
    }
    constexpr bool operator==(const Block&) const = default;

    /// Bit i (0 ≤ i < 128).
    constexpr bool bit(int i) const { return ((i < 64 ? lo >> i : hi >> (i - 64)) & 1U) != 0; }

    /// All ones if `b`, else zero: `select(b) & delta` is b·Δ without a branch.
    static constexpr Block select(bool b) {
        const std::uint64_t mask = 0 - static_cast<std::uint64_t>(b);
        return {mask, mask};
    }

    std::array<std::uint8_t, 16> bytes() const {
        std::array<std::uint8_t, 16> out;
        std::memcpy(out.data(), this, 16);
        return out;
    }
    static Block from_bytes(const std::uint8_t* data) {
        Block block;
        std::memcpy(&block, data, 16);
        return block;
    }
};
static_assert(sizeof(Block) == 16);

/// View of a block array as raw bytes (for AES and the wire).
inline std::span<std::uint8_t> writable_bytes_of(std::span<Block> blocks) {
    return {reinterpret_cast<std::uint8_t*>(blocks.data()), blocks.size_bytes()};
}
inline std::span<const std::uint8_t> bytes_of(std::span<const Block> blocks) {
    return {reinterpret_cast<const std::uint8_t*>(blocks.data()), blocks.size_bytes()};
}

}  // namespace snnipred::crypto::ot
