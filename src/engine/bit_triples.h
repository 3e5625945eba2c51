#pragma once
// Internal: Boolean Beaver triple pairs from random OT, the AND of shared bits that
// consumes them, and the wire helpers the nonlinear protocols share.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "snnipred/engine/ot_session.h"

namespace snnipred::engine::detail {

/// One party's XOR shares of n triple pairs sharing a: c = a·b and c2 = a·b2, one byte
/// (0/1) per bit. The millionaire tree ANDs eq_hi with both lt_lo and eq_lo, so one pair
/// serves one merge.
struct BitTriplePairs {
    std::vector<std::uint8_t> a, b, c, b2, c2;
    std::size_t size() const { return a.size(); }
};

/// n triple pairs from two random OTs each, one per direction. The straight OT (server
/// sends) has the client choose a1 and gives the server's message difference as b0, b2_0;
/// the reverse OT has the server choose a0 and the client's difference as b1, b2_1. Every
/// cross term a_i·b_j, a_i·b2_j then comes out XOR-shared with no further message.
/// `between` runs after the straight OTs and before the reverse ones, so a protocol can put
/// its own client → server → client step there and all of it takes two flights: the client
/// sends first, the server answers. Wire: 16 bytes per OT with IKNP, 32 per pair.
BitTriplePairs make_triple_pairs(OtSession& session, std::size_t n, const std::function<void()>& between = {});

struct AndResult {
    std::vector<std::uint8_t> z, z2;  // x ∧ y (n), x ∧ y2 (y2.size())
};

/// Shares of x ∧ y, and of x_i ∧ y2_i for the first y2.size() ≤ n elements, consuming
/// pairs [first, first + n). Wire: 2 bits per pair (3 with y2) in each direction, one
/// exchange.
AndResult and_with_pairs(OtSession& session, std::span<const std::uint8_t> x, std::span<const std::uint8_t> y,
                         std::span<const std::uint8_t> y2, const BitTriplePairs& triples, std::size_t first);

/// Sends `mine` and returns the peer's message of the same size. Small messages cross
/// simultaneously (one round); large ones go server first, so neither side can block on a
/// full socket buffer while the other does too. Throws NetworkError.
std::vector<std::uint8_t> exchange(OtSession& session, std::span<const std::uint8_t> mine, const char* what);

/// Sends one message and flushes / receives one of exactly `size` bytes (NetworkError).
void send_bytes(OtSession& session, std::span<const std::uint8_t> data);
std::vector<std::uint8_t> recv_bytes(OtSession& session, std::size_t size, const char* what);

std::vector<std::uint8_t> pack_bits(std::span<const std::uint8_t> bits);
void unpack_bits(std::span<const std::uint8_t> packed, std::span<std::uint8_t> bits);

}  // namespace snnipred::engine::detail
