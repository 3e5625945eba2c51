#include "snnipred/crypto/ot/bit_matrix.h"

#include <algorithm>
#include <cstring>
#include <string>

#include "snnipred/core/error.h"
#include "snnipred/core/parallel.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace snnipred::crypto::ot {
namespace {

constexpr std::size_t kRows = 128;

void check_sizes(std::span<const std::uint8_t> rows, std::size_t n, std::span<Block> columns) {
    SNNIPRED_CHECK(rows.size() == kRows * bit_row_bytes(n), InvalidInput,
                   "transpose_128xn: expected " + std::to_string(kRows * bit_row_bytes(n)) + " bytes of rows, got " +
                       std::to_string(rows.size()));
    SNNIPRED_CHECK(columns.size() == n, InvalidInput,
                   "transpose_128xn: expected " + std::to_string(n) + " columns, got " +
                       std::to_string(columns.size()));
}

// Column j of the 128 rows, bit by bit: the reference every faster path must match.
Block gather_column(std::span<const std::uint8_t> rows, std::size_t row_bytes, std::size_t j) {
    Block column;
    for (std::size_t i = 0; i < kRows; ++i) {
        const std::uint64_t bit = (rows[i * row_bytes + j / 8] >> (j % 8)) & 1U;
        if (i < 64) column.lo |= bit << i;
        else column.hi |= bit << (i - 64);
    }
    return column;
}

}  // namespace

void transpose_128xn_naive(std::span<const std::uint8_t> rows, std::size_t n, std::span<Block> columns) {
    check_sizes(rows, n, columns);
    for (std::size_t j = 0; j < n; ++j) columns[j] = gather_column(rows, bit_row_bytes(n), j);
}

namespace {

#if defined(__SSE2__)
// Column byte cb (columns 8·cb … 8·cb + 7, clipped to n): for each tile of 16 rows, gather
// one byte from each row; movemask then reads bit 7 of every byte, i.e. 16 row bits of one
// column; shifting left by one brings the next column's bits to position 7.
void transpose_one_column_byte(const std::uint8_t* rows, std::size_t row_bytes, std::size_t n, std::size_t cb,
                               std::uint8_t* out) {
    const std::size_t first_column = cb * 8;
    const int columns_here = static_cast<int>(n - first_column < 8 ? n - first_column : 8);
    for (std::size_t rg = 0; rg < kRows / 16; ++rg) {
        alignas(16) std::uint8_t gathered[16];
        const std::uint8_t* source = rows + rg * 16 * row_bytes + cb;
        for (int k = 0; k < 16; ++k) gathered[k] = source[k * row_bytes];
        __m128i tile = _mm_load_si128(reinterpret_cast<const __m128i*>(gathered));
        for (int bit = 7; bit >= 0; --bit) {
            if (bit < columns_here) {
                const auto mask = static_cast<std::uint16_t>(_mm_movemask_epi8(tile));
                std::memcpy(out + (first_column + bit) * 16 + rg * 2, &mask, 2);
            }
            tile = _mm_slli_epi64(tile, 1);
        }
    }
}

// Column bytes cb … cb + 15, all 128 of their columns below n: per tile of 16 rows, 16
// vector loads and a 16×16 byte transpose in registers (four perfect shuffles) replace the
// byte-by-byte gather, then the movemask steps as above on each column byte. Strips of 16
// bytes, tiles inner, so the rows' cache lines are reused by the next strips.
void transpose_sixteen_column_bytes(const std::uint8_t* rows, std::size_t row_bytes, std::size_t cb,
                                    std::uint8_t* out) {
    for (std::size_t rg = 0; rg < kRows / 16; ++rg) {
        __m128i bytes[16];
        for (std::size_t k = 0; k < 16; ++k)
            bytes[k] = _mm_loadu_si128(reinterpret_cast<const __m128i*>(rows + (rg * 16 + k) * row_bytes + cb));
        for (int round = 0; round < 4; ++round) {
            __m128i shuffled[16];
            for (int i = 0; i < 8; ++i) {
                shuffled[2 * i] = _mm_unpacklo_epi8(bytes[i], bytes[i + 8]);
                shuffled[2 * i + 1] = _mm_unpackhi_epi8(bytes[i], bytes[i + 8]);
            }
            std::copy(shuffled, shuffled + 16, bytes);
        }
        for (std::size_t c = 0; c < 16; ++c) {
            __m128i tile = bytes[c];  // byte k: column byte cb + c of row 16·rg + k
            for (int bit = 7; bit >= 0; --bit) {
                const auto mask = static_cast<std::uint16_t>(_mm_movemask_epi8(tile));
                std::memcpy(out + ((cb + c) * 8 + static_cast<std::size_t>(bit)) * 16 + rg * 2, &mask, 2);
                tile = _mm_slli_epi64(tile, 1);
            }
        }
    }
}
#endif

// Columns 8*first_byte .. 8*end_byte - 1 (clipped to n) of a checked matrix.
void transpose_column_bytes(std::span<const std::uint8_t> rows, std::size_t n, std::span<Block> columns,
                            std::size_t first_byte, std::size_t end_byte) {
#if defined(__SSE2__)
    const std::size_t row_bytes = bit_row_bytes(n);
    auto* out = reinterpret_cast<std::uint8_t*>(columns.data());
    std::size_t cb = first_byte;
    const std::size_t whole_bytes = std::min(end_byte, n / 8);  // column bytes with all 8 columns
    for (; cb + 16 <= whole_bytes; cb += 16) transpose_sixteen_column_bytes(rows.data(), row_bytes, cb, out);
    for (; cb < end_byte; ++cb) transpose_one_column_byte(rows.data(), row_bytes, n, cb, out);
#else
    for (std::size_t j = first_byte * 8; j < std::min(n, end_byte * 8); ++j)
        columns[j] = gather_column(rows, bit_row_bytes(n), j);
#endif
}

}  // namespace

void transpose_128xn(std::span<const std::uint8_t> rows, std::size_t n, std::span<Block> columns) {
    check_sizes(rows, n, columns);
    transpose_column_bytes(rows, n, columns, 0, bit_row_bytes(n));
}

void transpose_128xn(std::span<const std::uint8_t> rows, std::size_t n, std::span<Block> columns, int threads) {
    if (threads <= 1) return transpose_128xn(rows, n, columns);
    check_sizes(rows, n, columns);
    parallel_chunks(threads, bit_row_bytes(n), [&](std::size_t begin, std::size_t end) {
        transpose_column_bytes(rows, n, columns, begin, end);
    });
}

}  // namespace snnipred::crypto::ot
