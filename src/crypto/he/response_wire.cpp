#include "snnipred/crypto/he/response_wire.h"

#include <cmath>
#include <string>

#include "bit_packing.h"
#include "snnipred/core/error.h"
#include "snnipred/crypto/he/noise_bound.h"

namespace snnipred::crypto::he {
namespace {

constexpr std::uint8_t kMagic[4] = {'S', 'N', 'H', 'R'};
constexpr std::uint8_t kVersion = 1;
constexpr std::size_t kHeaderSize = 17;

// round(c / 2^d) for c in [0, q), in bits(q) - d bits: it reaches 2^(bits(q) - d) only
// when c >= 2^bits(q) - 2^(d-1), and is then sent as 0, which stands for 0 = q, within
// 2^(d-1) of c as well. So every value keeps its error within 2^(d-1).
std::uint64_t rounded(std::uint64_t c, int drop, int bits) {
    const std::uint64_t v = drop == 0 ? c : (c + (std::uint64_t{1} << (drop - 1))) >> drop;
    return v & ((std::uint64_t{1} << bits) - 1);
}

// v 2^d mod q: the rounded value back in Z_q.
std::uint64_t restored(std::uint64_t v, int drop, const Modulus& q) { return q.reduce(v << drop); }

void put_u32(std::vector<std::byte>& out, std::size_t value) {
    for (int i = 0; i < 4; ++i) out.push_back(static_cast<std::byte>(value >> (8 * i)));
}

std::size_t get_u32(std::span<const std::byte> bytes, std::size_t at) {
    std::size_t value = 0;
    for (std::size_t i = 0; i < 4; ++i) value |= std::size_t{std::to_integer<std::uint8_t>(bytes[at + i])} << (8 * i);
    return value;
}

std::size_t total_reads(const ReadPositions& positions, std::size_t n) {
    std::size_t reads = 0;
    for (const auto& list : positions) {
        for (const std::uint32_t j : list) {
            SNNIPRED_CHECK(j < n, InvalidInput, "he: a read position is outside the ring");
        }
        reads += list.size();
    }
    return reads;
}

}  // namespace

double decryption_margin(const HeContext& context, int error_bits) {
    SNNIPRED_CHECK(error_bits >= 0 && error_bits < context.plain_bits(), ConfigError,
                   "he: a response may be wrong in 0 to " + std::to_string(context.plain_bits() - 1) +
                       " low bits, not " + std::to_string(error_bits));
    return static_cast<double>(context.moduli()[0].value()) / std::exp2(context.plain_bits() + 1 - error_bits) - 1;
}

ResponseRounding response_rounding(const HeContext& context, double switched_noise_log2, int error_bits) {
    const Modulus& q0 = context.moduli()[0];
    const double share = (decryption_margin(context, error_bits) - std::exp2(switched_noise_log2)) / 2;
    SNNIPRED_CHECK(share >= 1, ConfigError, "he: no decryption margin is left for rounding the responses");
    ResponseRounding r;
    while (r.c0_drop_bits + 1 < q0.bits() && std::exp2(r.c0_drop_bits) <= share) ++r.c0_drop_bits;
    const auto c1_error = [&](int drop) { return std::exp2(c1_rounding_bound_log2(context.n(), drop)); };
    while (r.c1_drop_bits + 1 < q0.bits() && c1_error(r.c1_drop_bits + 1) <= share) ++r.c1_drop_bits;
    return r;
}

double switched_noise_room_log2(const HeContext& context, ResponseRounding rounding, int error_bits) {
    const double c0_error = rounding.c0_drop_bits == 0 ? 0 : std::exp2(rounding.c0_drop_bits - 1);
    const double c1_error = std::exp2(c1_rounding_bound_log2(context.n(), rounding.c1_drop_bits));
    const double room = decryption_margin(context, error_bits) - c0_error - c1_error;
    SNNIPRED_CHECK(room > 0, ConfigError, "he: the response rounding leaves no decryption margin");
    return std::log2(room);
}

ResponseCodec::ResponseCodec(std::shared_ptr<const HeContext> context, ResponseRounding rounding)
    : context_(std::move(context)), rounding_(rounding) {
    const Modulus& q0 = context_->moduli()[0];
    SNNIPRED_CHECK(rounding.c0_drop_bits >= 0 && rounding.c1_drop_bits >= 0 && rounding.c0_drop_bits < q0.bits() &&
                       rounding.c1_drop_bits < q0.bits(),
                   ConfigError, "he: response rounding must keep some bits of the first prime");
    c0_bits_ = q0.bits() - rounding.c0_drop_bits;
    c1_bits_ = q0.bits() - rounding.c1_drop_bits;
}

std::size_t ResponseCodec::size(std::size_t count, std::size_t reads) const {
    const std::size_t c1_bytes = (context_->n() * static_cast<std::size_t>(c1_bits_) + 7) / 8;
    return kHeaderSize + count * c1_bytes + (reads * static_cast<std::size_t>(c0_bits_) + 7) / 8;
}

std::vector<std::byte> ResponseCodec::encode(std::span<const Ciphertext> responses,
                                             const ReadPositions& positions) const {
    const std::size_t n = context_->n();
    SNNIPRED_CHECK(positions.size() == responses.size(), InvalidInput,
                   "he: one list of read positions per response is needed");
    const std::size_t reads = total_reads(positions, n);
    std::vector<std::byte> out;
    out.reserve(size(responses.size(), reads));
    for (const std::uint8_t m : kMagic) out.push_back(std::byte{m});
    out.push_back(std::byte{kVersion});
    put_u32(out, n);
    put_u32(out, responses.size());
    put_u32(out, reads);
    detail::BitWriter writer(out);
    for (const Ciphertext& ct : responses) {
        SNNIPRED_CHECK(ct.n() == n && ct.primes() == 1 && ct.c1().primes() == 1 && !ct.ntt_form(), InvalidInput,
                       "he: a response must be at the first prime in coefficient form");
        const std::uint64_t* c1 = ct.c1().row(0);
        for (std::size_t j = 0; j < n; ++j) writer.write(rounded(c1[j], rounding_.c1_drop_bits, c1_bits_), c1_bits_);
        writer.flush();
    }
    for (std::size_t k = 0; k < responses.size(); ++k) {
        const std::uint64_t* c0 = responses[k].c0().row(0);
        for (const std::uint32_t j : positions[k]) {
            writer.write(rounded(c0[j], rounding_.c0_drop_bits, c0_bits_), c0_bits_);
        }
    }
    writer.flush();
    return out;
}

std::vector<Ciphertext> ResponseCodec::decode(std::span<const std::byte> message,
                                              const ReadPositions& positions) const {
    const std::size_t n = context_->n();
    const std::size_t count = positions.size(), reads = total_reads(positions, n);
    SNNIPRED_CHECK(message.size() == size(count, reads), InvalidInput,
                   "he: expected a response message of " + std::to_string(size(count, reads)) + " bytes (" +
                       std::to_string(count) + " responses, " + std::to_string(reads) + " read coefficients), got " +
                       std::to_string(message.size()));
    for (std::size_t i = 0; i < 4; ++i) {
        SNNIPRED_CHECK(std::to_integer<std::uint8_t>(message[i]) == kMagic[i], InvalidInput,
                       "he: not a response message (bad magic)");
    }
    SNNIPRED_CHECK(std::to_integer<std::uint8_t>(message[4]) == kVersion, InvalidInput,
                   "he: unknown response message version");
    SNNIPRED_CHECK(get_u32(message, 5) == n && get_u32(message, 9) == count && get_u32(message, 13) == reads,
                   InvalidInput, "he: the response message header does not match the layer");
    const Modulus& q0 = context_->moduli()[0];
    detail::BitReader reader(message.subspan(kHeaderSize));
    std::vector<Ciphertext> out;
    out.reserve(count);
    for (std::size_t k = 0; k < count; ++k) {
        RnsPoly c1(n, 1);
        for (std::size_t j = 0; j < n; ++j) c1.row(0)[j] = restored(reader.read(c1_bits_), rounding_.c1_drop_bits, q0);
        SNNIPRED_CHECK(reader.padding_is_zero(), InvalidInput, "he: response padding bits are not zero");
        reader.align();
        out.emplace_back(RnsPoly(n, 1), std::move(c1), false);
    }
    for (std::size_t k = 0; k < count; ++k) {
        std::uint64_t* c0 = out[k].mutable_c0().row(0);
        for (const std::uint32_t j : positions[k]) c0[j] = restored(reader.read(c0_bits_), rounding_.c0_drop_bits, q0);
    }
    SNNIPRED_CHECK(reader.padding_is_zero(), InvalidInput, "he: response padding bits are not zero");
    return out;
}

}  // namespace snnipred::crypto::he
