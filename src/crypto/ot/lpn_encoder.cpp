#include "lpn_encoder.h"

#include <algorithm>
#include <string>

#include "snnipred/core/error.h"

namespace snnipred::crypto::ot::detail {
namespace {

// Columns per AES batch: an even count, so each batch starts on a whole block (10 words
// per column, 4 per block), and 2.5 blocks per column stay in L1.
constexpr std::size_t kColumnsPerBatch = 512;
constexpr std::size_t kBlocksPerBatch = kColumnsPerBatch * kLpnWeight / 4;
// How far ahead the secret entries are prefetched: random lookups into a table of up to
// ~10 MB miss the caches, and this keeps several misses in flight.
constexpr std::size_t kPrefetchDistance = 8;

std::size_t checked_k(std::size_t n, std::size_t k) {
    SNNIPRED_CHECK(k >= kLpnWeight && k < (std::size_t{1} << 32) && n >= 1, ConfigError,
                   "LPN code: need n ≥ 1 and " + std::to_string(kLpnWeight) + " ≤ k < 2^32, got n = " +
                       std::to_string(n) + ", k = " + std::to_string(k));
    return k;
}

std::uint32_t to_row(std::uint32_t word, std::size_t k) {
    return static_cast<std::uint32_t>((static_cast<std::uint64_t>(word) * k) >> 32);
}

}  // namespace

LpnEncoder::LpnEncoder(std::size_t n, std::size_t k, const Block& seed)
    : n_(n), k_(checked_k(n, k)), prg_(seed), words_(kBlocksPerBatch) {}

std::array<std::uint32_t, kLpnWeight> LpnEncoder::column(std::size_t j) {
    SNNIPRED_CHECK(j < n_, InvalidInput, "LPN code: column out of range");
    const std::size_t first_word = j * kLpnWeight;
    std::array<Block, 4> blocks;
    for (std::size_t b = 0; b < blocks.size(); ++b) blocks[b] = Block{first_word / 4 + b, 0};
    prg_.permute(blocks);
    const auto* words = reinterpret_cast<const std::uint32_t*>(blocks.data()) + first_word % 4;
    std::array<std::uint32_t, kLpnWeight> rows;
    for (std::size_t r = 0; r < rows.size(); ++r) rows[r] = to_row(words[r], k_);
    return rows;
}

template <typename Body>
void LpnEncoder::for_each_column(const Block* secret, Body&& body) {
    for (std::size_t first = 0; first < n_; first += kColumnsPerBatch) {
        const std::size_t count = std::min(kColumnsPerBatch, n_ - first);
        const std::size_t first_block = first * kLpnWeight / 4;
        const std::size_t blocks = (count * kLpnWeight + 3) / 4;
        for (std::size_t b = 0; b < blocks; ++b) words_[b] = Block{first_block + b, 0};
        prg_.permute({words_.data(), blocks});
        auto* rows = reinterpret_cast<std::uint32_t*>(words_.data());
        for (std::size_t w = 0; w < count * kLpnWeight; ++w) rows[w] = to_row(rows[w], k_);
        for (std::size_t c = 0; c < count; ++c) {
            if (c + kPrefetchDistance < count)
                for (std::size_t r = 0; r < kLpnWeight; ++r)
                    __builtin_prefetch(secret + rows[(c + kPrefetchDistance) * kLpnWeight + r]);
            body(first + c, rows + c * kLpnWeight);
        }
    }
}

void LpnEncoder::encode(std::span<const Block> secret, std::span<Block> out) {
    SNNIPRED_CHECK(secret.size() == k_ && out.size() == n_, InvalidInput, "LPN code: wrong secret or output size");
    for_each_column(secret.data(), [&](std::size_t j, const std::uint32_t* rows) {
        Block sum = out[j];
        for (std::size_t r = 0; r < kLpnWeight; ++r) sum ^= secret[rows[r]];
        out[j] = sum;
    });
}

void LpnEncoder::encode(std::span<const Block> secret, std::span<const std::uint8_t> secret_bits,
                        std::span<Block> out, std::span<std::uint8_t> out_bits) {
    SNNIPRED_CHECK(secret.size() == k_ && secret_bits.size() == k_ && out.size() == n_ && out_bits.size() == n_,
                   InvalidInput, "LPN code: wrong secret or output size");
    for_each_column(secret.data(), [&](std::size_t j, const std::uint32_t* rows) {
        Block sum = out[j];
        std::uint8_t bit = out_bits[j];
        for (std::size_t r = 0; r < kLpnWeight; ++r) {
            sum ^= secret[rows[r]];
            bit ^= secret_bits[rows[r]];
        }
        out[j] = sum;
        out_bits[j] = bit;
    });
}

}  // namespace snnipred::crypto::ot::detail
