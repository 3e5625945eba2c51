#pragma once
// The compact wire form of a linear layer's responses, as Cheetah sends them. A response
// switched to the first prime q_0 decrypts coefficient j from c0[j] and the whole of c1, so
// the server sends
//  - c1 whole, each coefficient rounded to a multiple of 2^d1 (its top bits only),
//  - c0 only at the coefficients the client reads, each rounded to a multiple of 2^d0.
// The rounding adds (delta1 s)_j + delta0_j to the noise; response_rounding() picks d0 and
// d1 so that this stays inside the decryption margin (docs/he-parameters.md). Rounding
// and leaving coefficients out are functions of the protected (flooded) ciphertext, so
// they cannot weaken the statistical hiding of the weights.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "snnipred/crypto/he/ciphertext.h"
#include "snnipred/crypto/he/context.h"

namespace snnipred::crypto::he {

/// Low-order bits dropped from each coefficient of a switched response.
struct ResponseRounding {
    int c0_drop_bits = 0;
    int c1_drop_bits = 0;
    bool operator==(const ResponseRounding&) const = default;
};

/// The decryption margin of a response whose decrypted values may be wrong in their low
/// `error_bits` bits: 2^error_bits q_0 / (2t) - 1. Noise within it decrypts to the message
/// exactly when error_bits is 0, otherwise to within 2^(error_bits - 1) of it (the ring is
/// Z_t, so a larger noise shifts the value; it never corrupts it otherwise).
double decryption_margin(const HeContext& context, int error_bits);

/// The largest drops whose extra error fits in what decryption_margin(error_bits) leaves
/// above a switched noise of 2^switched_noise_log2, half of it for c0 (worst case
/// 2^(d0-1)) and half for c1 (c1_rounding_bound_log2, failure probability 2^-40 per
/// coefficient). Throws ConfigError when no margin is left.
ResponseRounding response_rounding(const HeContext& context, double switched_noise_log2, int error_bits);

/// The largest switched noise (log2) that responses rounded this way still decrypt with
/// (within 2^(error_bits - 1)): the decryption margin less both rounding errors' bounds. At
/// least the switched noise response_rounding() was given; what it leaves above that, the
/// client's inputs may use (input_wire.h).
double switched_noise_room_log2(const HeContext& context, ResponseRounding rounding, int error_bits);

/// The coefficients the client reads from each response of a layer (ascending or not, each
/// index < N): what of c0 is sent.
using ReadPositions = std::vector<std::vector<std::uint32_t>>;

/// Both parties build one with the same context and rounding.
class ResponseCodec {
public:
    /// Throws ConfigError when a drop is negative or leaves no bit of q_0.
    ResponseCodec(std::shared_ptr<const HeContext> context, ResponseRounding rounding);

    /// Bits sent per c0 (read) coefficient and per c1 coefficient: bits(q_0) - drop.
    int c0_bits() const { return c0_bits_; }
    int c1_bits() const { return c1_bits_; }

    /// Wire form of `count` responses with `reads` read coefficients in all: "SNHR",
    /// version, N, count and reads (u32 LE each): 17 bytes; then each response's c1, N
    /// values of c1_bits() bits, little-endian bit order; then the read c0 values of every
    /// response in order, c0_bits() bits each, zero-padded to a byte.
    std::size_t size(std::size_t count, std::size_t reads) const;

    /// Server side. Each ciphertext at the first prime, coefficient form; throws
    /// InvalidInput otherwise or when positions do not match the ciphertexts.
    std::vector<std::byte> encode(std::span<const Ciphertext> responses, const ReadPositions& positions) const;
    /// Client side: ciphertexts whose unread c0 coefficients are 0 (their decryption is
    /// meaningless there). Throws InvalidInput on a message that is not size() bytes for
    /// these positions, a wrong header or nonzero padding. (Every value of c0_bits() or
    /// c1_bits() bits stands for some residue: there is no out-of-range value.)
    std::vector<Ciphertext> decode(std::span<const std::byte> message, const ReadPositions& positions) const;

private:
    std::shared_ptr<const HeContext> context_;
    ResponseRounding rounding_;
    int c0_bits_ = 0, c1_bits_ = 0;
};

}  // namespace snnipred::crypto::he
