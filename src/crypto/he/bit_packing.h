#pragma once
// Internal: little-endian bit streams of residues narrower than a word, shared by the
// ciphertext and response wire forms.

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "snnipred/crypto/he/modulus.h"

namespace snnipred::crypto::he::detail {

/// Appends values of up to 61 bits; whole 64-bit words leave the accumulator at once.
class BitWriter {
public:
    explicit BitWriter(std::vector<std::byte>& out) : out_(out) {}
    void write(std::uint64_t value, int bits) {
        acc_ |= static_cast<u128>(value) << filled_;
        filled_ += bits;
        if (filled_ >= 64) {
            put(static_cast<std::uint64_t>(acc_), 8);
            acc_ >>= 64;
            filled_ -= 64;
        }
    }
    /// Writes the pending bits, zero-padded to a byte.
    void flush() {
        put(static_cast<std::uint64_t>(acc_), static_cast<std::size_t>((filled_ + 7) / 8));
        acc_ = 0;
        filled_ = 0;
    }

private:
    void put(std::uint64_t word, std::size_t bytes) {
        const std::size_t at = out_.size();
        out_.resize(at + bytes);
        for (std::size_t k = 0; k < bytes; ++k) out_[at + k] = static_cast<std::byte>(word >> (8 * k));
    }

    std::vector<std::byte>& out_;
    u128 acc_ = 0;
    int filled_ = 0;
};

/// Reads what BitWriter wrote. The caller checks the stream's length beforehand.
class BitReader {
public:
    explicit BitReader(std::span<const std::byte> in) : in_(in) {}
    std::uint64_t read(int bits) {
        while (filled_ < bits) {
            acc_ |= static_cast<u128>(std::to_integer<std::uint8_t>(in_[pos_++])) << filled_;
            filled_ += 8;
        }
        const std::uint64_t value = static_cast<std::uint64_t>(acc_) & ((std::uint64_t{1} << bits) - 1);
        acc_ >>= bits;
        filled_ -= bits;
        return value;
    }
    /// True when the bits left in the current byte are zero (canonical padding).
    bool padding_is_zero() const { return acc_ == 0; }
    /// Skips to the next byte boundary, where the writer started its next polynomial.
    void align() {
        acc_ = 0;
        filled_ = 0;
    }
    std::size_t position() const { return pos_; }

private:
    std::span<const std::byte> in_;
    std::size_t pos_ = 0;
    u128 acc_ = 0;
    int filled_ = 0;
};

}  // namespace snnipred::crypto::he::detail
