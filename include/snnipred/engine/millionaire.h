#pragma once
// The millionaires' protocol of CrypTFlow2 (Rathee et al., CCS 2020, Algorithm 1) over
// IKNP OT: XOR shares of [a < b] for the server's a and the client's b, both `bits`-bit
// unsigned integers, batched over whole vectors.
//
//  1. Both split their value into q = ceil(bits/m) digits of m = kDigitBits bits. For each
//     digit j the server picks random bits lt0_j, eq0_j and offers, in a 1-out-of-2^m OT,
//     entry k = (lt0_j ⊕ [a_j < k], eq0_j ⊕ [a_j = k]); the client chooses k = b_j and
//     holds lt1_j, eq1_j. In the same two flights (client, then server) the parties make
//     the Boolean triples the tree needs: one pair (a; b, b2) per merge, from one random OT
//     in each direction.
//  2. A binary tree merges adjacent digits (hi, lo): lt = lt_hi ⊕ (eq_hi ∧ lt_lo),
//     eq = eq_hi ∧ eq_lo, both ANDs on one triple pair; one exchange per level.
//
// Cost per comparison (q digits, q − 1 merges): q·(4·16 + 16) bytes for the 1-of-16 OTs
// (Naor–Pinkas from four IKNP COTs, one byte per 2-bit entry), (q − 1)·2·16 bytes of
// random OTs for the triple pairs, (q − 1)·6 bits of openings; two flights plus
// ceil(log2 q) exchanges. Measured (tests/engine/millionaire_test.cpp): 40 bits (q = 10)
// 1094.8 bytes, 31 bits 869.2 bytes. CrypTFlow2 spends less on step 1 (KK13 1-of-16 OT at
// about 2λ and bit-packed entries; ours is 4λ and bytes): 80 of the 110 bytes per digit.

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "snnipred/engine/ot_session.h"

namespace snnipred::engine {

/// One party's XOR shares of a bit vector, one byte (0 or 1) per bit.
using BitShares = std::vector<std::uint8_t>;

/// Digit width m of the comparison: 1-out-of-2^m OTs.
constexpr int kDigitBits = 4;

/// Larger batches run as consecutive chunks of this many comparisons, each with the rounds
/// above, so memory stays bounded (the OT layer holds ~3 KB per 40-bit comparison).
constexpr std::size_t kComparisonChunk = std::size_t{1} << 16;

/// Shares of [a_i < b_i]: the server passes a (its values), the client b; both pass the
/// same size and `bits` (1 ≤ bits ≤ 64; higher bits of the inputs are ignored). Wire and
/// rounds as above. Throws InvalidInput on a bad width, NetworkError.
BitShares less_than(OtSession& session, std::span<const std::uint64_t> mine, int bits);

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
