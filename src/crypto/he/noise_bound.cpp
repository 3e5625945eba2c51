#include "snnipred/crypto/he/noise_bound.h"

#include <algorithm>
#include <cmath>

namespace snnipred::crypto::he {

int weight_bits(int plain_bits) { return std::min(plain_bits - 1, kMaxWeightBits); }

int weight_bits(const HeContext& context) { return weight_bits(context.plain_bits()); }

double fresh_noise_bound_log2() { return std::log2(kErrorBound + 0.5); }

double public_zero_noise_bound_log2(std::size_t n) {
    return std::log2(kErrorBound * (2.0 * static_cast<double>(n) + 1.0));
}

double product_noise_bound_log2(const HeContext& context, std::uint64_t fan_in) {
    return rounded_product_noise_bound_log2(context, fan_in, 0);
}

double rounded_product_noise_bound_log2(const HeContext& context, std::uint64_t fan_in, int drop_bits) {
    const double rounding = drop_bits == 0 ? 0 : std::exp2(drop_bits - 1);
    return std::log2(static_cast<double>(fan_in)) + weight_bits(context) + std::log2(kErrorBound + 0.5 + rounding);
}

std::uint64_t input_noise_room(const HeContext& context, double product_room_log2) {
    return static_cast<std::uint64_t>(std::floor(std::exp2(product_room_log2 - weight_bits(context) + 1)));
}

double mod_switch_rounding_bound_log2(std::size_t n) { return std::log2((static_cast<double>(n) + 1.0) / 2.0); }

double c1_rounding_bound_log2(std::size_t n, int drop_bits, int failure_bits) {
    if (drop_bits == 0) return -INFINITY;
    const double terms = static_cast<double>(n);
    const double tau = std::exp2(drop_bits) * std::sqrt(terms * (failure_bits + 1) * std::log(2.0) / 2);
    return std::log2(tau + terms / 2);
}

int flooding_bits(std::size_t n, double dependent_log2, int statistical_security) {
    return static_cast<int>(std::ceil(std::log2(static_cast<double>(n)) + dependent_log2 + statistical_security - 1));
}

}  // namespace snnipred::crypto::he
