#include "snnipred/protocol/options.h"

#include <algorithm>

#include "snnipred/core/text.h"

namespace snnipred::protocol {
namespace {

// Ciphertext header: magic (4), version, flags, N (4), prime count (crypto/he/ciphertext.cpp).
constexpr std::int64_t kCiphertextHeaderBytes = 11;
constexpr std::int64_t kSeedBytes = 32;
// Input message header: magic (4), version, drop bits, N, count (4 each) (crypto/he/input_wire.cpp).
constexpr std::int64_t kInputHeaderBytes = 14;
// Response message header: magic (4), version, N, count, reads (4 each) (crypto/he/response_wire.cpp).
constexpr std::int64_t kResponseHeaderBytes = 17;

// Bits of the ciphertext modulus Q: its primes' bit lengths summed.
int modulus_bits(const HeLayout& he) {
    int bits = 0;
    for (const int prime : he.prime_bits) bits += prime;
    return bits;
}

std::int64_t poly_bytes(const HeLayout& he, std::size_t primes) {
    std::int64_t bits = 0;
    for (std::size_t i = 0; i < primes; ++i) bits += he.n * he.prime_bits[i];
    return (bits + 7) / 8;
}

// Case-insensitive choice between an option's two values, by their names; an unknown name
// is an error naming the option and both values.
template <typename Value>
Value parse_either(std::string_view name, const char* option, Value first, Value second,
                   std::string_view (*name_of)(Value)) {
    const std::string key = to_lower(name);
    for (const Value value : {first, second})
        if (key == name_of(value)) return value;
    throw InvalidInput("unknown " + std::string(option) + " '" + std::string(name) + "' (known: " +
                       std::string(name_of(first)) + ", " + std::string(name_of(second)) + ")");
}

}  // namespace

std::string_view truncation_mode_name(TruncationMode mode) {
    return mode == TruncationMode::kFaithful ? "faithful" : "approximate";
}

TruncationMode parse_truncation_mode(std::string_view name) {
    const std::string key = to_lower(name);
    if (key == "faithful" || key == "exact") return TruncationMode::kFaithful;
    if (key == "approximate" || key == "cheetah") return TruncationMode::kApproximate;
    throw InvalidInput("unknown truncation mode '" + std::string(name) + "' (known: faithful, approximate)");
}

std::string_view he_set_name(HeSet set) { return set == HeSet::kSecure ? "secure" : "cheetah"; }

HeSet parse_he_set(std::string_view name) {
    return parse_either(name, "HE set", HeSet::kSecure, HeSet::kCheetah, he_set_name);
}

std::string_view ot_extension_name(OtExtension extension) {
    return extension == OtExtension::kIknp ? "iknp" : "ferret";
}

OtExtension parse_ot_extension(std::string_view name) {
    return parse_either(name, "OT extension", OtExtension::kIknp, OtExtension::kFerret, ot_extension_name);
}

std::string_view conv_packing_name(ConvPacking packing) {
    return packing == ConvPacking::kCheetah ? "cheetah" : "dense";
}

ConvPacking parse_conv_packing(std::string_view name) {
    return parse_either(name, "conv packing", ConvPacking::kCheetah, ConvPacking::kDense, conv_packing_name);
}

std::string he_description(const HeLayout& layout) {
    const std::string n = "N=" + std::to_string(layout.n);
    const std::string packing = layout.conv_packing == ConvPacking::kDense ? ", dense conv packing" : "";
    const std::string rounding = layout.response_error_bits == 0
                                     ? ""
                                     : ", responses rounded into the " + std::to_string(layout.response_error_bits) +
                                           " low bits the approximate truncation drops";
    if (layout.flooding) return n + ", flooded responses" + packing + rounding;
    return n + ", responses NOT flooded (benchmark mode: the client may learn a noisy linear function of the "
               "weights, docs/SECURITY.md)" + packing + rounding;
}

int response_error_bits(TruncationMode truncation, const RingConfig& ring) {
    return truncation == TruncationMode::kApproximate ? ring.scale : 0;
}

HeLayout he_layout(HeSet set, TruncationMode truncation) {
    // With approximate truncation the decryption margin is 2^12 times wider: both response
    // drops grow by 12 bits, and so does the room the unflooded set leaves for the inputs.
    const int error_bits = response_error_bits(truncation, RingConfig{});
    const bool rounded = error_bits > 0;
    if (set == HeSet::kSecure)
        return HeLayout{.response_c0_bits = rounded ? 31 : 43, .response_c1_bits = rounded ? 40 : 52,
                        .response_error_bits = error_bits};
    return HeLayout{.n = 4096, .prime_bits = {60, 49}, .flooding = false, .response_c0_bits = rounded ? 31 : 43,
                    .response_c1_bits = rounded ? 39 : 51, .conv_packing = ConvPacking::kCheetah,
                    .input_noise_room = rounded ? 1255605198328608 : 280772339002,
                    .response_error_bits = error_bits};
}

int input_drop_bits(const HeLayout& he, std::uint64_t fan_in) {
    const std::uint64_t room = he.input_noise_room / std::max<std::uint64_t>(fan_in, 1);
    int drop = 0;
    while (drop + 1 < std::min(modulus_bits(he), 63) && kFreshNoiseHalves + (std::uint64_t{1} << (drop + 1)) <= room) ++drop;
    return drop;
}

std::int64_t input_ciphertext_bytes(const HeLayout& he, int drop_bits) {
    return kSeedBytes + (he.n * (modulus_bits(he) - drop_bits) + 7) / 8;
}

std::int64_t input_message_bytes(const HeLayout& he, std::int64_t count, int drop_bits) {
    return kInputHeaderBytes + count * input_ciphertext_bytes(he, drop_bits);
}

std::int64_t public_key_bytes(const HeLayout& he) {
    return kCiphertextHeaderBytes + poly_bytes(he, he.prime_bits.size()) + kSeedBytes;
}

std::int64_t response_ciphertext_bytes(const HeLayout& he) { return (he.n * he.response_c1_bits + 7) / 8; }

std::int64_t response_message_bytes(const HeLayout& he, std::int64_t responses, std::int64_t reads) {
    return kResponseHeaderBytes + responses * response_ciphertext_bytes(he) + (reads * he.response_c0_bits + 7) / 8;
}

}  // namespace snnipred::protocol
