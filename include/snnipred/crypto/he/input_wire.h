#pragma once
// The compact wire form of the client's input ciphertexts. A fresh secret-key encryption is
// (c0, a) with a expanded from a seed (ciphertext.h), so the client sends c0 and the seed.
// Its c0 is also rounded: composed from its residues into one integer mod Q and rounded to
// a multiple of 2^d, which adds at most 2^(d-1) to the noise of each coefficient — and,
// unlike a response's rounded c1, nothing multiplied by s, since a stays exact. The
// server's products multiply that noise by its weights, so d follows the layer's fan-in
// (protocol::input_drop_bits) and the products' noise stays within what the responses are
// sized for (docs/he-parameters.md). The client rounds its own ciphertext: the message is
// a function of what it would send anyway, so it reveals nothing more.

#include <cstddef>
#include <memory>
#include <span>
#include <vector>

#include "snnipred/crypto/he/ciphertext.h"
#include "snnipred/crypto/he/context.h"

namespace snnipred::crypto::he {

namespace detail {
class BitWriter;
class BitReader;
}  // namespace detail

/// Both parties build one with the same context and drop.
class InputCodec {
public:
    /// Throws ConfigError when drop_bits is negative or leaves fewer than 2 bits of Q, or
    /// when Q needs more than 16 words.
    InputCodec(std::shared_ptr<const HeContext> context, int drop_bits);

    /// Wire form of `count` inputs: "SNHI", version, drop bits (u8), N and count (u32 LE
    /// each): 14 bytes; then per ciphertext its 32-byte seed and its c0, N values of the
    /// primes' bit lengths summed less the drop, little-endian bit order, zero-padded to a byte.
    std::size_t size(std::size_t count) const;

    /// The header of a message of `count` inputs.
    std::vector<std::byte> header(std::size_t count) const;
    /// Writes one ciphertext's part of the message (size(1) - header bytes) into `out`.
    /// Client side: `input` must be a fresh seeded ciphertext at the full modulus in NTT
    /// form (Encryptor::encrypt's); throws InvalidInput otherwise.
    void encode(const Ciphertext& input, std::span<std::byte> out) const;
    /// The whole message of `inputs`.
    std::vector<std::byte> encode(std::span<const Ciphertext> inputs) const;

    /// Server side: the ciphertexts in NTT form, c1 expanded from each seed, decoded by
    /// `threads` workers. Throws InvalidInput on a message that is not size(count) bytes, a
    /// wrong header, a value that is no rounded c0 (at or above Q / 2^d), or nonzero padding.
    std::vector<Ciphertext> decode(std::span<const std::byte> message, std::size_t count, int threads = 1) const;

private:
    Ciphertext decode_one(std::span<const std::byte> part) const;
    void encode_narrow(const RnsPoly& c0, detail::BitWriter& writer) const;
    void encode_wide(const RnsPoly& c0, detail::BitWriter& writer) const;
    void decode_narrow(detail::BitReader& reader, RnsPoly& c0) const;
    void decode_wide(detail::BitReader& reader, RnsPoly& c0) const;

    std::shared_ptr<const HeContext> context_;
    int drop_bits_;
    int coefficient_bits_;                     // sent per c0 coefficient: bits of Q less the drop
    std::size_t words_ = 0;                    // 64-bit words of Q
    bool narrow_ = false;                      // one or two primes, Q < 2^122: 128-bit arithmetic
    std::vector<std::uint64_t> limit_;          // ceil(Q / 2^d): the first value no rounded c0 takes
    std::vector<std::vector<std::uint64_t>> garner_;  // garner_[i][m] = q_m^-1 mod q_i, m < i
};

}  // namespace snnipred::crypto::he
