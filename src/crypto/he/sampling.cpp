#include "sampling.h"

#include <bit>

namespace snnipred::crypto::he::detail {

RnsPoly sample_uniform(Prng& prng, std::size_t n, std::span<const Modulus> moduli) {
    RnsPoly result(n, moduli.size());
    for (std::size_t i = 0; i < moduli.size(); ++i) {
        const std::uint64_t q = moduli[i].value();
        const std::uint64_t mask = (std::uint64_t{1} << moduli[i].bits()) - 1;
        std::uint64_t* row = result.row(i);
        for (std::size_t j = 0; j < n;) {
            const std::uint64_t candidate = prng.next_u64() & mask;
            if (candidate < q) row[j++] = candidate;  // accepted with probability > 1/2
        }
    }
    return result;
}

std::vector<std::int64_t> sample_ternary(Prng& prng, std::size_t n) {
    std::vector<std::int64_t> result(n);
    for (std::size_t j = 0; j < n;) {
        std::uint64_t word = prng.next_u64();
        // Eight bytes per word; bytes >= 255 are rejected so that byte mod 3 is uniform.
        for (int k = 0; k < 8 && j < n; ++k, word >>= 8) {
            const auto byte = static_cast<std::uint8_t>(word);
            if (byte < 255) result[j++] = static_cast<std::int64_t>(byte % 3) - 1;
        }
    }
    return result;
}

std::vector<std::int64_t> sample_error(Prng& prng, std::size_t n) {
    constexpr std::uint64_t kMask = (std::uint64_t{1} << kErrorBound) - 1;
    std::vector<std::int64_t> result(n);
    for (std::size_t j = 0; j < n; ++j) {
        const std::uint64_t word = prng.next_u64();
        result[j] = std::popcount(word & kMask) - std::popcount((word >> kErrorBound) & kMask);
    }
    return result;
}

}  // namespace snnipred::crypto::he::detail
