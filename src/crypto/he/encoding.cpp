#include "encoding.h"

#include "snnipred/core/error.h"

namespace snnipred::crypto::he::detail {

void check_plaintext(const HeContext& context, const Plaintext& pt) {
    SNNIPRED_CHECK(pt.coeffs.size() == context.n(), InvalidInput, "he: plaintext must have N coefficients");
    const std::uint64_t mask = context.plain_mask();
    for (std::uint64_t c : pt.coeffs) SNNIPRED_CHECK(c <= mask, InvalidInput, "he: plaintext coefficient >= t");
}

RnsPoly scale_plaintext(const HeContext& context, const Plaintext& pt, std::size_t primes) {
    check_plaintext(context, pt);
    const LevelData& level = context.level(primes);
    const int t_bits = context.plain_bits();
    const u128 half_t = static_cast<u128>(1) << (t_bits - 1);
    RnsPoly result(context.n(), primes);
    for (std::size_t j = 0; j < context.n(); ++j) {
        const std::uint64_t m = pt.coeffs[j];
        // r < t and m < t, so r * m < 2^120.
        const auto correction = static_cast<std::uint64_t>((static_cast<u128>(level.q_mod_t) * m + half_t) >> t_bits);
        for (std::size_t i = 0; i < primes; ++i) {
            const Modulus& q = context.moduli()[i];
            const std::uint64_t c = correction < q.value() ? correction : q.reduce(correction);
            result.row(i)[j] = q.add(q.mul_shoup(m, level.delta[i], level.delta_shoup[i]), c);
        }
    }
    return result;
}

RnsPoly lift_centered(const HeContext& context, const Plaintext& pt, std::size_t primes) {
    check_plaintext(context, pt);
    const std::uint64_t half_t = std::uint64_t{1} << (context.plain_bits() - 1);
    RnsPoly result(context.n(), primes);
    for (std::size_t j = 0; j < context.n(); ++j) {
        const std::uint64_t m = pt.coeffs[j];
        const std::int64_t centered = m >= half_t ? static_cast<std::int64_t>(m) - static_cast<std::int64_t>(2 * half_t)
                                                  : static_cast<std::int64_t>(m);
        for (std::size_t i = 0; i < primes; ++i) result.row(i)[j] = context.moduli()[i].from_signed(centered);
    }
    return result;
}

}  // namespace snnipred::crypto::he::detail
