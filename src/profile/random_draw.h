#pragma once
// Deterministic draws for the generators: a PRNG keyed by (seed, name, index, attempt),
// so that each network depends on nothing but its own key.

#include <cmath>
#include <cstdint>
#include <random>
#include <string_view>

namespace snnipred::profile::detail {

class Draw {
public:
    Draw(std::uint64_t seed, std::string_view name, int index, int attempt) : rng_(key(seed, name, index, attempt)) {}

    std::int64_t uniform(std::int64_t lo, std::int64_t hi) {
        return std::uniform_int_distribution<std::int64_t>(lo, hi)(rng_);
    }
    bool coin() { return uniform(0, 1) == 1; }
    /// Round(exp(U(log lo, log hi))): every scale equally likely.
    std::int64_t log_uniform(std::int64_t lo, std::int64_t hi) {
        const double x = std::uniform_real_distribution<double>(std::log(static_cast<double>(lo)),
                                                                std::log(static_cast<double>(hi)))(rng_);
        const auto v = static_cast<std::int64_t>(std::llround(std::exp(x)));
        return v < lo ? lo : (v > hi ? hi : v);
    }
    /// 2^k for k uniform in [lo_exp, hi_exp].
    std::int64_t power_of_two(int lo_exp, int hi_exp) { return std::int64_t{1} << uniform(lo_exp, hi_exp); }
    template <typename T, std::size_t N>
    const T& pick(const T (&options)[N]) {
        return options[static_cast<std::size_t>(uniform(0, static_cast<std::int64_t>(N) - 1))];
    }

private:
    // FNV-1a over the name, mixed with the numbers by SplitMix64: stable across platforms.
    static std::uint64_t key(std::uint64_t seed, std::string_view name, int index, int attempt) {
        std::uint64_t h = 1469598103934665603ULL;
        for (const char c : name) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
        std::uint64_t z = seed ^ h ^ (static_cast<std::uint64_t>(index) << 20) ^ static_cast<std::uint64_t>(attempt);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    }

    std::mt19937_64 rng_;
};

/// Draws tried per network before giving up on the cost cap.
inline constexpr int kMaxAttempts = 20000;

}  // namespace snnipred::profile::detail
