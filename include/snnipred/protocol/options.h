#pragma once
// What both parties of a secure run agree on and what fixes every message of it: the
// fixed-point ring, the HE parameter set, the truncation protocol and the OT extension. The engine runs with
// these options; the protocol plan counts their bytes, rounds and primitives.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "snnipred/core/error.h"

namespace snnipred::protocol {

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
    /// Throws ConfigError unless 8 <= bits <= 64 and 0 <= scale < bits - 2.
    void validate() const {
        SNNIPRED_CHECK(bits >= 8 && bits <= 64 && scale >= 0 && scale < bits - 2, ConfigError,
                       "ring of " + std::to_string(bits) + " bits with scale " + std::to_string(scale) +
                           " is not usable (need 8 <= bits <= 64, 0 <= scale < bits - 2)");
    }
};

/// The truncation protocol after a product (engine/truncation.h explains both).
enum class TruncationMode { kFaithful, kApproximate };

/// "faithful" / "approximate".
std::string_view truncation_mode_name(TruncationMode mode);
/// Inverse of truncation_mode_name, case-insensitive; also reads "exact" (faithful) and
/// "cheetah" (approximate). Throws InvalidInput naming the known modes.
TruncationMode parse_truncation_mode(std::string_view name);

/// The engine's two HE parameter sets (docs/he-parameters.md).
enum class HeSet {
    kSecure,   // N = 8192, four primes, responses noise-flooded (weights statistically hidden)
    kCheetah,  // N = 4096, two primes, responses re-randomised only, as OpenCheetah (benchmark mode)
};

/// "secure" / "cheetah".
std::string_view he_set_name(HeSet set);
/// Inverse of he_set_name, case-insensitive. Throws InvalidInput naming the known sets.
HeSet parse_he_set(std::string_view name);

/// How a conv layer's outputs fill its response ciphertexts (engine/hom_conv.h).
enum class ConvPacking {
    kCheetah,  // one response per (filter, spatial block), Cheetah's: fewest HE products
    kDense,    // several filters per response, the block shapes that send the fewest bytes
};

/// "cheetah" / "dense".
std::string_view conv_packing_name(ConvPacking packing);
/// Inverse of conv_packing_name, case-insensitive. Throws InvalidInput naming the known ones.
ConvPacking parse_conv_packing(std::string_view name);

/// Twice a fresh ciphertext's noise bound, 2 * (21 + 1/2) (docs/he-parameters.md).
inline constexpr std::uint64_t kFreshNoiseHalves = 43;

/// What the plan needs of HE parameters: the ring degree, the bit length of every prime
/// of the ciphertext modulus (wire sizes are bit-packed residues), whether responses are
/// flooded, the largest fan-in the noise budget allows, and the bits a response sends per
/// c0 (read) and per c1 coefficient after rounding (crypto/he/response_wire.h), and how
/// conv outputs are packed into responses.
struct HeLayout {
    std::int64_t n = 8192;
    std::vector<int> prime_bits{60, 60, 49, 49};
    bool flooding = true;
    std::uint64_t max_fan_in = std::uint64_t{1} << 16;
    int response_c0_bits = 43;
    int response_c1_bits = 52;
    ConvPacking conv_packing = ConvPacking::kCheetah;
    /// How much noise the client's inputs may carry (crypto/he/input_wire.h): a layer whose
    /// sums meet `fan_in` weight coefficients per output coefficient may send inputs whose
    /// noise bound, doubled, is input_noise_room / fan_in. A fresh ciphertext's is
    /// 2 * 21.5 = 43, so the default, 43 * 2^16, leaves no room at the largest fan-in; the
    /// unflooded set's responses have more (crypto/he/response.h).
    std::uint64_t input_noise_room = kFreshNoiseHalves << 16;
    /// Low bits of each decrypted response value that may be wrong (engine::HomConfig): 0,
    /// or with approximate truncation the ring's scale, which that truncation discards.
    int response_error_bits = 0;

    bool operator==(const HeLayout&) const = default;
};

/// The low bits of a response value a run may get wrong: the ring's scale with approximate
/// truncation, none with faithful (bit-exact) truncation.
int response_error_bits(TruncationMode truncation, const RingConfig& ring);

/// The layout of a named set with the default ring and this truncation after every HE step
/// (the engine's crypto/he parameters; a test checks they agree).
HeLayout he_layout(HeSet set, TruncationMode truncation);

/// The HE set as every report shows it: "N=8192, flooded responses", or for the unflooded
/// benchmark mode the warning docs/SECURITY.md requires wherever it is used; with dense conv
/// packing, ", dense conv packing" after it.
std::string he_description(const HeLayout& layout);

/// Low bits a layer whose sums meet `fan_in` weight coefficients per output coefficient
/// drops from each c0 coefficient of its inputs: the largest d (at most the modulus' bits
/// less one) with fan_in * (43 + 2^d) <= input_noise_room, 0 when none fits. Both parties
/// and the plan take it from here.
int input_drop_bits(const HeLayout& he, std::uint64_t fan_in);
/// Wire bytes one input ciphertext adds to its layer's message (crypto/he/input_wire.h):
/// its seed and its c0 at the modulus' bits less `drop_bits` per coefficient.
std::int64_t input_ciphertext_bytes(const HeLayout& he, int drop_bits);
/// Wire bytes of one layer's input message: a 14-byte header and `count` ciphertexts.
std::int64_t input_message_bytes(const HeLayout& he, std::int64_t count, int drop_bits);
/// Wire bytes of the public key (a seeded ciphertext in its own form, crypto/he/ciphertext.h).
std::int64_t public_key_bytes(const HeLayout& he);
/// Wire bytes every response adds to its layer's message whatever the client reads of it:
/// its rounded c1 (what the conv and fc packings minimise).
std::int64_t response_ciphertext_bytes(const HeLayout& he);
/// Wire bytes of one layer's responses (crypto/he/response_wire.h): a 17-byte header, the
/// rounded c1 of each of `responses`, and the `reads` c0 coefficients the client reads.
std::int64_t response_message_bytes(const HeLayout& he, std::int64_t responses, std::int64_t reads);

/// The correlated-OT extension under every OT of the run (crypto/ot/cot.h; docs/SECURITY.md).
enum class OtExtension {
    kIknp,    // IKNP: 16 bytes per COT; what the bundled predictor was profiled with
    kFerret,  // Ferret-style silent OT (about 0.48 bits per COT after a ~1.2 MB setup) and
              // with it the lean nonlinear protocols (protocol/comparison.h)
};

/// "iknp" / "ferret".
std::string_view ot_extension_name(OtExtension extension);
/// Inverse of ot_extension_name, case-insensitive. Throws InvalidInput naming the known ones.
OtExtension parse_ot_extension(std::string_view name);

struct PlanOptions {
    RingConfig ring;
    HeLayout he = he_layout(HeSet::kSecure, TruncationMode::kFaithful);
    TruncationMode truncation = TruncationMode::kFaithful;
    OtExtension ot = OtExtension::kIknp;
};

}  // namespace snnipred::protocol
