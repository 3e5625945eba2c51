#include "snnipred/engine/truncation.h"

#include <string>
#include <vector>

#include "snnipred/core/error.h"

namespace snnipred::engine {
namespace {

// Shares mod 2^bits of b0·b1 for the server's bit b0 and the client's bit b1 (as ring
// elements, correct mod 2^bits only): the correlated OT hands the server r and the client
// r + b0·b1; the server keeps −r.
ShareVector product_of_private_bits(OtSession& session, std::span<const std::uint8_t> mine, int bits) {
    const RingConfig& ring = session.ring();
    ShareVector product(mine.size());
    if (session.is_server()) {
        const std::vector<std::uint64_t> corr(mine.begin(), mine.end());
        session.sender().correlated_ot(session.channel(), session.prg(), corr, bits, product);
        for (auto& p : product) p = ring.reduce(0 - p);
    } else {
        const std::vector<std::uint8_t> choices(mine.begin(), mine.end());
        session.receiver().correlated_ot(session.channel(), session.prg(), choices, bits, product);
    }
    return product;
}

}  // namespace

ShareVector bits_to_ring(OtSession& session, std::span<const std::uint8_t> bits) {
    if (bits.empty()) return {};
    const RingConfig& ring = session.ring();
    const ShareVector product = product_of_private_bits(session, bits, ring.bits);
    ShareVector out(bits.size());
    for (std::size_t i = 0; i < bits.size(); ++i) out[i] = ring.reduce(bits[i] - 2 * product[i]);
    return out;
}

ShareVector truncate_shares(OtSession& session, std::span<const std::uint64_t> x, int shift, TruncationMode mode) {
    const RingConfig& ring = session.ring();
    SNNIPRED_CHECK(shift > 0 && shift < ring.bits - 2, ConfigError,
                   "truncation by " + std::to_string(shift) + " bits in a " + std::to_string(ring.bits) +
                       "-bit ring is not supported");
    const std::size_t n = x.size();
    if (n == 0) return {};
    const bool server = session.is_server();
    const bool faithful = mode == TruncationMode::kFaithful;
    const int offset_bit = faithful ? ring.bits - 1 : ring.bits - 2;
    std::vector<std::uint64_t> shifted(n);  // x0' = x0 + 2^k for the server
    for (std::size_t i = 0; i < n; ++i)
        shifted[i] = ring.reduce(server ? x[i] + (std::uint64_t{1} << offset_bit) : x[i]);

    ShareVector wrap, carry;
    if (faithful) {
        // The server's complement 2^ℓ − 1 − x0' has low bits 2^s − 1 − x0'_low: one
        // comparison split at bit s yields both w and c.
        std::vector<std::uint64_t> operand(n);
        for (std::size_t i = 0; i < n; ++i) operand[i] = server ? ring.mask() - shifted[i] : shifted[i];
        SplitComparison bits = less_than_split(session, operand, ring.bits, shift);
        bits.full.insert(bits.full.end(), bits.low.begin(), bits.low.end());
        ShareVector both = bits_to_ring(session, bits.full);
        carry.assign(both.begin() + static_cast<std::ptrdiff_t>(n), both.end());
        both.resize(n);
        wrap = std::move(both);
    } else {
        // MSB(x') = 0, so w = MSB(x0') ∨ MSB(x1) = m0 + m1 − m0·m1. Only w·2^{ℓ−s} is
        // used, so the lean protocols share m0·m1 mod 2^s only.
        std::vector<std::uint8_t> msb(n);
        for (std::size_t i = 0; i < n; ++i) msb[i] = (shifted[i] >> (ring.bits - 1)) & 1U;
        wrap = product_of_private_bits(session, msb, protocol::truncation_wrap_bits(ring, shift, session.nonlinear()));
        for (std::size_t i = 0; i < n; ++i) wrap[i] = ring.reduce(msb[i] - wrap[i]);
    }

    const std::uint64_t wrap_weight = std::uint64_t{1} << (ring.bits - shift);
    const std::uint64_t offset = std::uint64_t{1} << (offset_bit - shift);
    ShareVector out(n);
    for (std::size_t i = 0; i < n; ++i) {
        std::uint64_t y = (shifted[i] >> shift) - wrap_weight * wrap[i];
        if (faithful) y += carry[i];
        if (server) y -= offset;
        out[i] = ring.reduce(y);
    }
    return out;
}

}  // namespace snnipred::engine
