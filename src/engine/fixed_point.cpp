#include "snnipred/engine/fixed_point.h"

#include <cmath>
#include <cstring>
#include <string>

#include "snnipred/crypto/ot/prg.h"

namespace snnipred::engine {
namespace {

void check_shift(int shift, const RingConfig& ring) {
    SNNIPRED_CHECK(shift >= 0 && shift < ring.bits, ConfigError,
                   "truncation by " + std::to_string(shift) + " bits in a " + std::to_string(ring.bits) +
                       "-bit ring");
}

void check_lengths(std::size_t a, std::size_t b, const char* what) {
    SNNIPRED_CHECK(a == b, InvalidInput,
                   std::string(what) + ": operands have " + std::to_string(a) + " and " + std::to_string(b) +
                       " elements");
}

}  // namespace

std::uint64_t encode(double x, const RingConfig& ring, int frac_bits) {
    SNNIPRED_CHECK(std::isfinite(x), InvalidInput, "cannot encode a non-finite value in fixed point");
    const double scaled = std::round(std::ldexp(x, frac_bits));
    const double limit = std::ldexp(1.0, ring.bits - 1);
    SNNIPRED_CHECK(scaled >= -limit && scaled < limit, InvalidInput,
                   "value " + std::to_string(x) + " overflows a " + std::to_string(ring.bits) + "-bit ring at " +
                       std::to_string(frac_bits) + " fractional bits");
    return ring.from_signed(static_cast<std::int64_t>(scaled));
}

double decode(std::uint64_t v, const RingConfig& ring, int frac_bits) {
    return std::ldexp(static_cast<double>(ring.to_signed(v)), -frac_bits);
}

std::vector<std::uint64_t> encode_all(std::span<const double> values, const RingConfig& ring) {
    std::vector<std::uint64_t> out(values.size());
    for (std::size_t i = 0; i < values.size(); ++i) out[i] = encode(values[i], ring);
    return out;
}

std::vector<double> decode_all(std::span<const std::uint64_t> values, const RingConfig& ring) {
    std::vector<double> out(values.size());
    for (std::size_t i = 0; i < values.size(); ++i) out[i] = decode(values[i], ring);
    return out;
}

std::vector<std::uint64_t> ring_add(std::span<const std::uint64_t> a, std::span<const std::uint64_t> b,
                                    const RingConfig& ring) {
    check_lengths(a.size(), b.size(), "ring_add");
    std::vector<std::uint64_t> out(a.size());
    for (std::size_t i = 0; i < a.size(); ++i) out[i] = ring.reduce(a[i] + b[i]);
    return out;
}

std::vector<std::uint64_t> ring_sub(std::span<const std::uint64_t> a, std::span<const std::uint64_t> b,
                                    const RingConfig& ring) {
    check_lengths(a.size(), b.size(), "ring_sub");
    std::vector<std::uint64_t> out(a.size());
    for (std::size_t i = 0; i < a.size(); ++i) out[i] = ring.reduce(a[i] - b[i]);
    return out;
}

std::uint64_t truncate(std::uint64_t v, int shift, const RingConfig& ring) {
    check_shift(shift, ring);
    // C++20 defines >> on negative signed values as an arithmetic shift (floor division).
    return ring.from_signed(ring.to_signed(v) >> shift);
}

std::vector<std::uint64_t> truncate_all(std::span<const std::uint64_t> values, int shift, const RingConfig& ring) {
    check_shift(shift, ring);
    std::vector<std::uint64_t> out(values.size());
    for (std::size_t i = 0; i < values.size(); ++i) out[i] = ring.from_signed(ring.to_signed(values[i]) >> shift);
    return out;
}

std::uint64_t truncate_dropping_carry(std::uint64_t x0, std::uint64_t x1, int shift, const RingConfig& ring) {
    check_shift(shift, ring);
    const std::uint64_t low = (std::uint64_t{1} << shift) - 1;
    const std::uint64_t carry = ((x0 & low) + (x1 & low)) >> shift;
    const std::int64_t faithful = ring.to_signed(x0 + x1) >> shift;
    return ring.from_signed(faithful - static_cast<std::int64_t>(carry));
}

bool within_ulps(std::uint64_t actual, std::uint64_t expected, std::int64_t ulps, const RingConfig& ring) {
    const std::int64_t diff = ring.to_signed(actual - expected);
    return diff <= ulps && diff >= -ulps;
}

Shares share(std::span<const std::uint64_t> values, crypto::ot::Prg& prg, const RingConfig& ring) {
    ring.validate();
    Shares shares;
    shares.client.resize(values.size());
    prg.random_bytes({reinterpret_cast<std::uint8_t*>(shares.client.data()), values.size() * sizeof(std::uint64_t)});
    shares.server.resize(values.size());
    for (std::size_t i = 0; i < values.size(); ++i) {
        shares.client[i] = ring.reduce(shares.client[i]);
        shares.server[i] = ring.reduce(values[i] - shares.client[i]);
    }
    return shares;
}

Shares share(std::span<const std::uint64_t> values, std::uint64_t seed, const RingConfig& ring) {
    // The high word separates these streams from other seeded uses of the same integer.
    crypto::ot::Prg prg(crypto::ot::Block{seed, 0x736e6e6970726564ULL});
    return share(values, prg, ring);
}

std::vector<std::uint64_t> reconstruct(std::span<const std::uint64_t> client, std::span<const std::uint64_t> server,
                                       const RingConfig& ring) {
    return ring_add(client, server, ring);
}

}  // namespace snnipred::engine
