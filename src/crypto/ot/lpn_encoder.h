#pragma once
// Internal: the primal-LPN code of Ferret (Yang et al., CCS 2020): a public k × n matrix A
// whose column j has kLpnWeight pseudo-random rows, so y = x·A costs kLpnWeight lookups into
// the k-entry secret per output ("local linear code", §5). The rows come from a fixed-key
// AES PRG keyed with a seed both parties share: 32-bit word i of the stream is part of
// AES_seed(i/4), and output j takes words 10j … 10j+9, each mapped to [0, k) by a
// multiply-shift. A repeated row cancels, which is what the matrix product over GF(2) does.

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "snnipred/crypto/ot/block.h"
#include "snnipred/crypto/ot/crhash.h"

namespace snnipred::crypto::ot::detail {

constexpr std::size_t kLpnWeight = 10;

class LpnEncoder {
public:
    /// Outputs of length n from secrets of length k (kLpnWeight ≤ k < 2^32).
    /// Throws ConfigError otherwise.
    LpnEncoder(std::size_t n, std::size_t k, const Block& seed);

    std::size_t n() const { return n_; }
    std::size_t k() const { return k_; }

    /// The kLpnWeight secret positions output j adds (with repetitions). Throws InvalidInput if j ≥ n.
    std::array<std::uint32_t, kLpnWeight> column(std::size_t j);

    /// out[j] ⊕= ⊕_{i ∈ column(j)} secret[i], for all j < n. Throws InvalidInput on sizes.
    void encode(std::span<const Block> secret, std::span<Block> out);
    /// The same for blocks and bits together (the receiver's t and its choice bits).
    void encode(std::span<const Block> secret, std::span<const std::uint8_t> secret_bits, std::span<Block> out,
                std::span<std::uint8_t> out_bits);

private:
    /// Calls body(j, rows) for every output j, rows its kLpnWeight positions, prefetching
    /// the secret entries of later columns.
    template <typename Body>
    void for_each_column(const Block* secret, Body&& body);

    std::size_t n_;
    std::size_t k_;
    CrHash prg_;
    std::vector<Block> words_;
};

}  // namespace snnipred::crypto::ot::detail
