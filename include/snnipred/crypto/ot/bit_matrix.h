#pragma once
// Transposing the 128 × n bit matrix of IKNP: 128 rows of n bits (row-major, each row
// ceil(n/8) bytes, bit j of a row = bit j%8 of byte j/8) into n blocks, block j holding
// column j (bit i of block j = bit j of row i). SSE2 movemask on 16×8 tiles, as in
// emp-toolkit's sse_trans; a portable loop elsewhere.

#include <cstddef>
#include <cstdint>
#include <span>

#include "snnipred/crypto/ot/block.h"

namespace snnipred::crypto::ot {

/// Bytes one row of n bits occupies.
constexpr std::size_t bit_row_bytes(std::size_t n) { return (n + 7) / 8; }

/// `rows` holds 128 × bit_row_bytes(n) bytes; `columns` receives n blocks.
/// Throws InvalidInput if the sizes do not match.
void transpose_128xn(std::span<const std::uint8_t> rows, std::size_t n, std::span<Block> columns);
/// The same on `threads` workers, each transposing a range of columns; threads <= 1 is
/// the call above.
void transpose_128xn(std::span<const std::uint8_t> rows, std::size_t n, std::span<Block> columns, int threads);

/// The obvious bit-by-bit transpose: the reference for tests.
void transpose_128xn_naive(std::span<const std::uint8_t> rows, std::size_t n, std::span<Block> columns);

}  // namespace snnipred::crypto::ot
