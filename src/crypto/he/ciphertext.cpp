#include "snnipred/crypto/he/ciphertext.h"

#include <cstring>

#include "bit_packing.h"
#include "sampling.h"
#include "snnipred/core/error.h"

namespace snnipred::crypto::he {
namespace {

using detail::BitReader;
using detail::BitWriter;

constexpr std::uint8_t kMagic[4] = {'S', 'N', 'H', 'E'};
constexpr std::uint8_t kVersion = 1;
constexpr std::uint8_t kFlagNtt = 1;
constexpr std::uint8_t kFlagSeeded = 2;
constexpr std::size_t kHeaderSize = 11;

std::size_t poly_bytes(const HeContext& context, std::size_t primes) {
    std::size_t bits = 0;
    for (std::size_t i = 0; i < primes; ++i) bits += context.n() * static_cast<std::size_t>(context.moduli()[i].bits());
    return (bits + 7) / 8;
}

void write_poly(BitWriter& writer, const RnsPoly& poly, const HeContext& context) {
    for (std::size_t i = 0; i < poly.primes(); ++i) {
        const int bits = context.moduli()[i].bits();
        for (std::size_t j = 0; j < poly.n(); ++j) writer.write(poly.row(i)[j], bits);
    }
    writer.flush();
}

RnsPoly read_poly(BitReader& reader, const HeContext& context, std::size_t primes) {
    RnsPoly poly(context.n(), primes);
    for (std::size_t i = 0; i < primes; ++i) {
        const Modulus& q = context.moduli()[i];
        for (std::size_t j = 0; j < context.n(); ++j) {
            const std::uint64_t v = reader.read(q.bits());
            SNNIPRED_CHECK(v < q.value(), InvalidInput, "he: ciphertext residue out of range");
            poly.row(i)[j] = v;
        }
    }
    SNNIPRED_CHECK(reader.padding_is_zero(), InvalidInput, "he: ciphertext padding bits are not zero");
    reader.align();
    return poly;
}

}  // namespace

std::size_t serialized_size(const HeContext& context, std::size_t primes, bool seeded) {
    const std::size_t c0 = poly_bytes(context, primes);
    return kHeaderSize + c0 + (seeded ? sizeof(Seed) : c0);
}

std::vector<std::byte> serialize(const Ciphertext& ct, const HeContext& context) {
    SNNIPRED_CHECK(ct.n() == context.n() && ct.primes() >= 1 && ct.primes() <= context.max_primes() &&
                       ct.c1().primes() == ct.primes(),
                   InvalidInput, "he: ciphertext does not match the parameters");
    const bool seeded = ct.seed().has_value();
    std::vector<std::byte> out;
    out.reserve(serialized_size(context, ct.primes(), seeded));
    for (std::uint8_t m : kMagic) out.push_back(std::byte{m});
    out.push_back(std::byte{kVersion});
    out.push_back(std::byte{static_cast<std::uint8_t>((ct.ntt_form() ? kFlagNtt : 0) | (seeded ? kFlagSeeded : 0))});
    const auto n = static_cast<std::uint32_t>(ct.n());
    for (int i = 0; i < 4; ++i) out.push_back(static_cast<std::byte>(n >> (8 * i)));
    out.push_back(static_cast<std::byte>(ct.primes()));
    BitWriter writer(out);
    write_poly(writer, ct.c0(), context);
    if (seeded) {
        for (std::uint8_t b : *ct.seed()) out.push_back(std::byte{b});
    } else {
        write_poly(writer, ct.c1(), context);
    }
    return out;
}

Ciphertext deserialize_ciphertext(std::span<const std::byte> bytes, const HeContext& context) {
    SNNIPRED_CHECK(bytes.size() >= kHeaderSize, InvalidInput, "he: ciphertext shorter than its header");
    const auto byte = [&](std::size_t i) { return std::to_integer<std::uint8_t>(bytes[i]); };
    for (std::size_t i = 0; i < 4; ++i) {
        SNNIPRED_CHECK(byte(i) == kMagic[i], InvalidInput, "he: not a ciphertext (bad magic)");
    }
    SNNIPRED_CHECK(byte(4) == kVersion, InvalidInput, "he: unknown ciphertext version");
    const std::uint8_t flags = byte(5);
    SNNIPRED_CHECK((flags & ~(kFlagNtt | kFlagSeeded)) == 0, InvalidInput, "he: unknown ciphertext flags");
    std::uint32_t n = 0;
    for (int i = 0; i < 4; ++i) n |= static_cast<std::uint32_t>(byte(6 + i)) << (8 * i);
    SNNIPRED_CHECK(n == context.n(), InvalidInput, "he: ciphertext ring degree does not match the parameters");
    const std::size_t primes = byte(10);
    SNNIPRED_CHECK(primes >= 1 && primes <= context.max_primes(), InvalidInput, "he: ciphertext level out of range");
    const bool ntt = (flags & kFlagNtt) != 0;
    const bool seeded = (flags & kFlagSeeded) != 0;
    // The seed defines c1 only for a fresh encryption: NTT form, all primes.
    SNNIPRED_CHECK(!seeded || (ntt && primes == context.max_primes()), InvalidInput,
                   "he: a seeded ciphertext must be fresh (NTT form, full modulus)");
    SNNIPRED_CHECK(bytes.size() == serialized_size(context, primes, seeded), InvalidInput,
                   "he: ciphertext has the wrong size");
    BitReader reader(bytes.subspan(kHeaderSize));
    RnsPoly c0 = read_poly(reader, context, primes);
    if (seeded) {
        Seed seed;
        std::memcpy(seed.data(), bytes.data() + kHeaderSize + reader.position(), seed.size());
        Prng prng(seed);
        RnsPoly c1 = detail::sample_uniform(prng, context.n(), context.moduli());
        return Ciphertext(std::move(c0), std::move(c1), true, seed);
    }
    RnsPoly c1 = read_poly(reader, context, primes);
    return Ciphertext(std::move(c0), std::move(c1), ntt);
}

}  // namespace snnipred::crypto::he
