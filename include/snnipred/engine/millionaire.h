#pragma once
// The millionaires' protocol of CrypTFlow2 (Rathee et al., CCS 2020, Algorithm 1): XOR
// shares of [a < b] for the server's a and the client's b, both `bits`-bit unsigned
// integers, batched over whole vectors. Two variants (protocol/comparison.h): classic with
// IKNP, lean with Ferret's silent OT.
//
//  1. Both split their value into digits of at most m bits (classic m = 4, lean m = 3).
//     For each digit j the server picks random bits lt0_j, eq0_j and offers, in a
//     1-out-of-2^m OT, entry k = (lt0_j ⊕ [a_j < k], eq0_j ⊕ [a_j = k]); the client chooses
//     k = b_j and holds lt1_j, eq1_j. In the same two flights (client, then server) the
//     parties make the Boolean triples the tree needs: one pair (a; b, b2) per merge, from
//     one random OT in each direction.
//  2. A binary tree merges adjacent digits (hi, lo): lt = lt_hi ⊕ (eq_hi ∧ lt_lo),
//     eq = eq_hi ∧ eq_lo, both ANDs on one triple pair; one exchange per level.
//
// Classic: Naor–Pinkas 1-of-16 OTs from four COTs, one byte per 2-bit entry, every node
// with its eq. Lean: 1-of-2^width OTs whose entries are bit-packed (ot.h,
// send_one_of_n_bits), 2 bits each, and 1 (lt only) for the lowest digit, since no merge
// reads the eq of a node holding it: the merges above it compute lt only (one AND, 2 bits
// opened instead of 3). Wire per 40-bit comparison (tests/engine/millionaire_test.cpp):
// classic with IKNP 1094.8 bytes, 9 flights; lean with Ferret 39.25 bytes (tables 25.5,
// flip bits 5, AND openings 8.75) beside its 66 silent COTs (about 4 bytes at 0.48 bit
// each), 9 flights. Lean with m = 2 sends 37.5 bytes and 78 COTs in 10 flights, m = 4
// 48.75 bytes and 58 COTs: m = 3 is within a byte of the least and a tree level shorter.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "snnipred/engine/ot_session.h"
#include "snnipred/protocol/comparison.h"

namespace snnipred::engine {

/// One party's XOR shares of a bit vector, one byte (0 or 1) per bit.
using BitShares = std::vector<std::uint8_t>;

/// Larger batches run as consecutive chunks of this many comparisons, each with the rounds
/// above, so memory stays bounded (the OT layer holds ~3 KB per 40-bit comparison).
using protocol::kComparisonChunk;

/// Shares of [a_i < b_i]: the server passes a (its values), the client b; both pass the
/// same size and `bits` (1 ≤ bits ≤ 64; higher bits of the inputs are ignored). Digits of
/// `digit_bits` bits (1 ≤ digit_bits ≤ 16; default: the session's variant's) — both parties
/// must pass the same. Wire and rounds as above. Throws InvalidInput on a bad width,
/// NetworkError.
BitShares less_than(OtSession& session, std::span<const std::uint64_t> mine, int bits,
                    std::optional<int> digit_bits = std::nullopt);

/// Both comparisons of a value split at bit `low_bits`: the whole `bits`-bit values and
/// their low `low_bits` bits.
struct SplitComparison {
    BitShares full;  // [a < b]
    BitShares low;   // [a mod 2^low_bits < b mod 2^low_bits]
};

/// One comparison whose digits break at `low_bits`, so the low part's tree yields its own
/// result and one more AND joins it with the high part's (what a faithful truncation needs:
/// the wrap of the whole shares and the carry out of their low bits). Costs about one
/// `bits`-bit comparison plus one AND. Throws InvalidInput unless 1 ≤ low_bits < bits ≤ 64.
SplitComparison less_than_split(OtSession& session, std::span<const std::uint64_t> mine, int bits, int low_bits);

/// Shares of x_i ∧ y_i for shared bits (Beaver triples from 2 random OTs each, then one
/// exchange of 2 bits per AND in each direction). Throws InvalidInput on a size mismatch.
BitShares and_bits(OtSession& session, std::span<const std::uint8_t> x, std::span<const std::uint8_t> y);

}  // namespace snnipred::engine
